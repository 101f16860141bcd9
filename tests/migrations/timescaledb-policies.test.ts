import pg from "pg";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrateDown, migrateUp } from "../../migrations/runner.js";
import { TIMESCALEDB_ADMIN_URL, freshDatabase, type TestDatabase } from "../support/database.js";

const rollupSegments = "project_id, service_name, environment, provider, model";

/** TimescaleDB only: what `up` says it enabled, the retention jobs it keeps, the rollups' policies. */
describe("migrations on TimescaleDB", () => {
  let db: TestDatabase;
  const logged: Array<Record<string, unknown>> = [];
  const log = pino({ level: "info" }, { write: (line: string) => void logged.push(JSON.parse(line)) });
  const query = async (sql: string) => {
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      return (await client.query(sql)).rows;
    } finally {
      await client.end();
    }
  };
  const retentionJobs = () =>
    query("SELECT job_id, hypertable_name AS table, config->>'drop_after' AS drop_after FROM timescaledb_information.jobs WHERE proc_name = 'policy_retention' ORDER BY job_id");
  const up = (retentionDays: number, rollupRetentionDays: number) => migrateUp({ databaseUrl: db.url, log, waitSeconds: 5, retentionDays, rollupRetentionDays });

  beforeAll(async () => {
    db = await freshDatabase("obs_migrate_tsdb", TIMESCALEDB_ADMIN_URL);
  });
  afterAll(() => db.drop());

  it("logs TimescaleDB's warnings with the migration, and what it enabled", async () => {
    await up(30, 400);
    // Dropped before: the operator never saw TimescaleDB's advice on the compression settings.
    expect(logged).toContainEqual(
      expect.objectContaining({ level: 40, migration: "0007_timescaledb", msg: 'column "trace_id" should be used for segmenting or ordering' }),
    );
    const summary = logged.find((l) => String(l.msg).startsWith("TimescaleDB: "));
    expect(summary).toMatchObject({
      msg: "TimescaleDB: 3 hypertable(s), 6 policy job(s)",
      hypertables: [
        { table: "span_rollups_1h", chunkInterval: "30 days", compression: true, segmentBy: rollupSegments, orderBy: "bucket DESC" },
        { table: "span_rollups_1m", chunkInterval: "7 days", compression: true, segmentBy: rollupSegments, orderBy: "bucket DESC" },
        { table: "spans", chunkInterval: "1 day", compression: true, segmentBy: "project_id", orderBy: "start_time DESC" },
      ],
      jobs: [
        { policy: "policy_compression", table: "spans", config: expect.objectContaining({ compress_after: "7 days" }) },
        { policy: "policy_compression", table: "span_rollups_1m", config: expect.objectContaining({ compress_after: "30 days" }) },
        { policy: "policy_compression", table: "span_rollups_1h", config: expect.objectContaining({ compress_after: "30 days" }) },
        { policy: "policy_retention", table: "spans", config: expect.objectContaining({ drop_after: "30 days" }) },
        { policy: "policy_retention", table: "span_rollups_1m", config: expect.objectContaining({ drop_after: "400 days" }) },
        { policy: "policy_retention", table: "span_rollups_1h", config: expect.objectContaining({ drop_after: "400 days" }) },
      ],
    });
  });

  it("keeps the retention jobs (same ids) across ups, and moves each window when RETENTION_DAYS or ROLLUP_RETENTION_DAYS changes", async () => {
    const jobs = await retentionJobs();
    expect(jobs.map((j) => [j.table, j.drop_after])).toEqual([["spans", "30 days"], ["span_rollups_1m", "400 days"], ["span_rollups_1h", "400 days"]]);
    await up(30, 400);
    expect(await retentionJobs()).toEqual(jobs);
    await up(14, 90);
    expect(await retentionJobs()).toEqual([
      { ...jobs[0], drop_after: "14 days" },
      { ...jobs[1], drop_after: "90 days" },
      { ...jobs[2], drop_after: "90 days" },
    ]);
  });

  it("compresses rollups older than 30 days and drops those beyond their window by the policies' own runs", async () => {
    for (const [table, unit] of [["span_rollups_1m", "minute"], ["span_rollups_1h", "hour"]]) {
      await query(`INSERT INTO ${table} (project_id, bucket, service_name, requests, errors, input_tokens, output_tokens,
          cached_input_tokens, reasoning_tokens, cost_usd, duration_ms_sum, duration_ms_max, latency_histogram)
        SELECT 'default', date_trunc('${unit}', now() - g * interval '5 days'), 'svc', 1, 0, 0, 0, 0, 0, 0, 1, 1, '{}'
          FROM generate_series(0, 39) g`);
    }
    // As the scheduler would run them: compression first, then retention (window 90 days, set above).
    const jobs = await query(
      "SELECT job_id FROM timescaledb_information.jobs WHERE hypertable_name LIKE 'span_rollups_%' ORDER BY proc_name = 'policy_retention', job_id",
    );
    // Their scheduled runs paused first: a background run of the same policy at the same moment
    // (TimescaleDB retries failed runs soon, and these builds record every run as failed, see
    // ../shared/timescaledb/README.md) would compress or drop the same chunks under this one.
    for (const { job_id } of jobs) await query(`SELECT alter_job(${job_id}, scheduled => false)`);
    for (let i = 0; i < 100 && (await query("SELECT 1 FROM timescaledb_information.job_stats WHERE job_status = 'Running'")).length > 0; i++) {
      await new Promise((r) => setTimeout(r, 100));
    }
    for (const { job_id } of jobs) await query(`CALL run_job(${job_id})`);
    for (const table of ["span_rollups_1m", "span_rollups_1h"]) {
      const [kept] = await query(`SELECT count(*)::int AS n, extract(day FROM now() - min(bucket))::int AS oldest FROM ${table}`);
      // 90 days back: the chunk the window cuts through is kept whole (drop_chunks drops whole chunks only).
      expect(kept.oldest).toBeLessThan(90 + (table === "span_rollups_1m" ? 7 : 30));
      expect(kept.n).toBeGreaterThanOrEqual(18);
      const [chunks] = await query(
        `SELECT count(*) FILTER (WHERE is_compressed)::int AS compressed, count(*) FILTER (WHERE range_end <= now() - interval '30 days' AND NOT is_compressed)::int AS old_uncompressed
           FROM timescaledb_information.chunks WHERE hypertable_name = '${table}'`,
      );
      expect(chunks).toMatchObject({ old_uncompressed: 0, compressed: expect.any(Number) });
      expect(chunks.compressed).toBeGreaterThan(0);
    }
    // A late span's upsert still adds to a compressed rollup row.
    await query(`INSERT INTO span_rollups_1h AS r (project_id, bucket, service_name, requests, errors, input_tokens, output_tokens,
        cached_input_tokens, reasoning_tokens, cost_usd, duration_ms_sum, duration_ms_max, latency_histogram)
      VALUES ('default', date_trunc('hour', now() - interval '60 days'), 'svc', 1, 0, 0, 0, 0, 0, 0, 1, 1, '{}')
      ON CONFLICT (project_id, bucket, service_name, environment, provider, model) DO UPDATE SET requests = r.requests + EXCLUDED.requests`);
    const [late] = await query("SELECT requests::int FROM span_rollups_1h WHERE bucket = date_trunc('hour', now() - interval '60 days')");
    expect(late).toEqual({ requests: 2 });
  });

  it("down makes the rollups plain tables again, rows kept; up makes them hypertables again", async () => {
    const count = "SELECT (SELECT count(*) FROM span_rollups_1m)::int AS m, (SELECT count(*) FROM span_rollups_1h)::int AS h";
    const [before] = await query(count);
    const reverted = await migrateDown({ databaseUrl: db.url, log, waitSeconds: 5 }, "0014_rollup_hypertables");
    expect(reverted.at(-1)).toBe("0014_rollup_hypertables");
    expect(await query("SELECT hypertable_name FROM timescaledb_information.hypertables")).toEqual([{ hypertable_name: "spans" }]);
    expect(await query(count)).toEqual([before]);
    expect(await up(14, 90)).toEqual([...reverted].reverse());
    expect((await retentionJobs()).map((j) => [j.table, j.drop_after])).toEqual([["spans", "14 days"], ["span_rollups_1m", "90 days"], ["span_rollups_1h", "90 days"]]);
    expect(await query(count)).toEqual([before]);
  });
});
