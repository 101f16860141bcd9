import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postgresExporterQueries } from "../../infra/monitoring/postgres-exporter-queries.js";
import { migratedDatabase, onTimescaleDb, type TestDatabase } from "../support/database.js";

/** The exporter's query for TimescaleDbPolicyJobFailing, run as the exporter's role, on both databases. */
describe("the failing-jobs metric's query", () => {
  let db: TestDatabase;
  let client: pg.Client;
  const asExporter = async (): Promise<number> => {
    await client.query("SET ROLE observatory_monitor");
    try {
      return Number((await client.query(postgresExporterQueries.observatory_timescaledb_jobs.query)).rows[0].failing);
    } finally {
      await client.query("RESET ROLE");
    }
  };
  beforeAll(async () => {
    db = await migratedDatabase("obs_failing_jobs");
    client = new pg.Client({ connectionString: db.url });
    await client.connect();
  });
  afterAll(async () => {
    await client.end();
    await db.drop();
  });

  it("counts the jobs whose last run failed (TimescaleDB), 0 where there are no jobs (plain PostgreSQL)", async () => {
    if (!(await onTimescaleDb(db.url))) {
      expect(await asExporter()).toBe(0);
      return;
    }
    // A job that always fails, started by TimescaleDB's scheduler at once.
    await client.query(`CREATE PROCEDURE failing_job(job_id int, config jsonb) LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'broken on purpose'; END $$`);
    const { rows } = await client.query("SELECT add_job('failing_job', INTERVAL '1 hour', initial_start => now()) AS id");
    const failed = `SELECT count(*)::int AS n FROM timescaledb_information.job_stats WHERE last_run_status = 'Failed'`;
    for (let i = 0; i < 150; i++) {
      const { rows: stat } = await client.query("SELECT last_run_status FROM timescaledb_information.job_stats WHERE job_id = $1", [rows[0].id]);
      if (stat[0]?.last_run_status === "Failed") break;
      await new Promise((r) => setTimeout(r, 200));
    }
    const direct = (await client.query(failed)).rows[0].n as number;
    expect(direct).toBeGreaterThanOrEqual(1);
    expect(await asExporter()).toBe(direct);
  });
});
