import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { maintenance } from "../../services/ops/maintenance.js";
import { migratedDatabase, onTimescaleDb, type TestDatabase } from "../support/database.js";

describe("ops maintenance", () => {
  let db: TestDatabase;
  let pool: pg.Pool;
  beforeAll(async () => {
    db = await migratedDatabase("obs_ops_maintenance");
    pool = new pg.Pool({ connectionString: db.url, max: 2 });
    // 6,000 spans over three days, each with a few hundred bytes of attributes.
    await pool.query(`INSERT INTO spans (project_id, trace_id, span_id, name, start_time, end_time, duration_ms, attributes)
      SELECT 'default', md5(g::text), left(md5('s' || g), 16), 'op', now() - g * interval '40 seconds', now() - g * interval '40 seconds', 1,
             jsonb_build_object('prompt', repeat(md5(g::text), 8))
        FROM generate_series(1, 6000) g`);
    if (await onTimescaleDb(db.url)) await pool.query("SELECT compress_chunk(c) FROM show_chunks('spans', older_than => now() - interval '1 day') c");
  });
  afterAll(async () => {
    await pool.end();
    await db.drop();
  });

  it("reports the spans table's real size and rows (on TimescaleDB, its chunks', compressed or not)", async () => {
    const report = await maintenance(pool);
    const spans = report.tables.find((t) => t.table === "spans")!;
    // The hypertable's own (empty) table showed 0 rows and a few kB on TimescaleDB.
    expect(spans.rows).toBeGreaterThan(5_700);
    expect(spans.rows).toBeLessThan(6_300);
    expect(spans.totalBytes).toBeGreaterThan(500_000);
  });
});
