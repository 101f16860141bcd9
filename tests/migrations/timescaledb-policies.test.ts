import pg from "pg";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrateUp } from "../../migrations/runner.js";
import { TIMESCALEDB_ADMIN_URL, freshDatabase, type TestDatabase } from "../support/database.js";

/** TimescaleDB only: what `up` says it enabled, and the retention job it keeps. */
describe("migrations on TimescaleDB", () => {
  let db: TestDatabase;
  const logged: Array<Record<string, unknown>> = [];
  const log = pino({ level: "info" }, { write: (line: string) => void logged.push(JSON.parse(line)) });
  const retentionJobs = async () => {
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      const { rows } = await client.query(
        "SELECT job_id, config->>'drop_after' AS drop_after FROM timescaledb_information.jobs WHERE proc_name = 'policy_retention' ORDER BY job_id",
      );
      return rows;
    } finally {
      await client.end();
    }
  };

  beforeAll(async () => {
    db = await freshDatabase("obs_migrate_tsdb", TIMESCALEDB_ADMIN_URL);
  });
  afterAll(() => db.drop());

  it("logs TimescaleDB's warnings with the migration, and what it enabled", async () => {
    await migrateUp({ databaseUrl: db.url, log, waitSeconds: 5, retentionDays: 30 });
    // Dropped before: the operator never saw TimescaleDB's advice on the compression settings.
    expect(logged).toContainEqual(
      expect.objectContaining({ level: 40, migration: "0007_timescaledb", msg: 'column "trace_id" should be used for segmenting or ordering' }),
    );
    const summary = logged.find((l) => String(l.msg).startsWith("TimescaleDB: "));
    expect(summary).toMatchObject({
      msg: "TimescaleDB: 1 hypertable(s), 2 policy job(s)",
      hypertables: [{ table: "spans", chunkInterval: "1 day", compression: true, segmentBy: "project_id", orderBy: "start_time DESC" }],
      jobs: [
        { policy: "policy_compression", table: "spans", config: expect.objectContaining({ compress_after: "7 days" }) },
        { policy: "policy_retention", table: "spans", config: expect.objectContaining({ drop_after: "30 days" }) },
      ],
    });
  });

  it("keeps the retention job (same id) across ups, and moves its window when RETENTION_DAYS changes", async () => {
    const [first] = await retentionJobs();
    await migrateUp({ databaseUrl: db.url, log, waitSeconds: 5, retentionDays: 30 });
    expect(await retentionJobs()).toEqual([first]);
    await migrateUp({ databaseUrl: db.url, log, waitSeconds: 5, retentionDays: 14 });
    expect(await retentionJobs()).toEqual([{ job_id: first.job_id, drop_after: "14 days" }]);
  });
});
