import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyRetention } from "../../services/ops/retention.js";
import { migratedDatabase, onTimescaleDb, type TestDatabase } from "../support/database.js";

describe("retention apply --days N (both databases)", () => {
  let db: TestDatabase;
  let pool: pg.Pool;
  let timescale: boolean;
  beforeAll(async () => {
    db = await migratedDatabase("obs_ops_retention");
    timescale = await onTimescaleDb(db.url);
    pool = new pg.Pool({ connectionString: db.url, max: 2 });
    // One span per 6 hours over 20 days, and one rollup row per span's hour.
    await pool.query(`INSERT INTO spans (project_id, trace_id, span_id, name, start_time, end_time, duration_ms)
      SELECT 'default', md5(g::text), left(md5('s' || g), 16), 'op', now() - g * interval '6 hours', now() - g * interval '6 hours', 1
        FROM generate_series(0, 79) g`);
    await pool.query(`INSERT INTO span_rollups_1h (project_id, bucket, service_name, requests, errors, input_tokens, output_tokens,
        cached_input_tokens, reasoning_tokens, cost_usd, duration_ms_sum, duration_ms_max, latency_histogram)
      SELECT 'default', date_trunc('hour', now() - g * interval '6 hours'), 'svc', 1, 0, 0, 0, 0, 0, 0, 1, 1, '{}'
        FROM generate_series(0, 79) g`);
  });
  afterAll(async () => {
    await pool.end();
    await db.drop();
  });

  it("removes exactly the spans older than N days, in batches, and keeps every rollup", async () => {
    const { rows: expected } = await pool.query(
      "SELECT count(*) FILTER (WHERE start_time < now() - interval '7 days')::int AS old, count(*)::int AS total FROM spans",
    );
    if (timescale) await pool.query("SELECT compress_chunk(c) FROM show_chunks('spans', older_than => now() - interval '5 days') c");
    const result = await applyRetention(pool, 7, { batchSize: 10 });
    // Plain PostgreSQL deletes in batches; TimescaleDB drops the older chunks (N, not its policy's
    // window, decides which: that was ignored) and deletes the rest of the one the cutoff cuts.
    expect(result).toMatchObject(
      timescale ? { spans: expected[0].old, batches: 1 } : { spans: expected[0].old, chunks: 0, batches: Math.ceil(expected[0].old / 10) },
    );
    // 12 or 13 whole days lie between the oldest span and the cutoff, by the time of day.
    if (timescale) expect(result.chunks).toBeGreaterThanOrEqual(12);
    const { rows } = await pool.query(
      "SELECT count(*)::int AS left, min(start_time) >= now() - interval '7 days' - interval '1 minute' AS recent_only FROM spans",
    );
    expect(rows[0]).toEqual({ left: expected[0].total - expected[0].old, recent_only: true });
    expect((await pool.query("SELECT count(*)::int AS n FROM span_rollups_1h")).rows[0].n).toBe(80);
  });
});
