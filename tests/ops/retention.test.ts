import pg from "pg";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { main } from "../../services/ops/cli.js";
import { applyRetention } from "../../services/ops/retention.js";
import { migratedDatabase, onTimescaleDb, type TestDatabase } from "../support/database.js";

const ROLLUPS = ["span_rollups_1m", "span_rollups_1h"] as const;

describe("retention apply --days N --rollup-days M (both databases)", () => {
  let db: TestDatabase;
  let pool: pg.Pool;
  let timescale: boolean;
  /** Rows of each rollup table, and how many of them are older than `days`. */
  const rollupCounts = async (days: number) => {
    const counts: Record<string, { old: number; total: number }> = {};
    for (const table of ROLLUPS) {
      const { rows } = await pool.query(
        `SELECT count(*) FILTER (WHERE bucket < now() - make_interval(days => $1))::int AS old, count(*)::int AS total FROM ${table}`,
        [days],
      );
      counts[table] = rows[0];
    }
    return counts;
  };
  const oldest = async (table: string) =>
    (await pool.query(`SELECT extract(day FROM now() - min(bucket))::int AS days FROM ${table}`)).rows[0].days as number;

  beforeAll(async () => {
    db = await migratedDatabase("obs_ops_retention");
    timescale = await onTimescaleDb(db.url);
    pool = new pg.Pool({ connectionString: db.url, max: 2 });
    // One span per 6 hours over 20 days; one rollup row per 5 days over 500 days, in both tables.
    await pool.query(`INSERT INTO spans (project_id, trace_id, span_id, name, start_time, end_time, duration_ms)
      SELECT 'default', md5(g::text), left(md5('s' || g), 16), 'op', now() - g * interval '6 hours', now() - g * interval '6 hours', 1
        FROM generate_series(0, 79) g`);
    for (const [table, unit] of [["span_rollups_1m", "minute"], ["span_rollups_1h", "hour"]]) {
      await pool.query(`INSERT INTO ${table} (project_id, bucket, service_name, requests, errors, input_tokens, output_tokens,
          cached_input_tokens, reasoning_tokens, cost_usd, duration_ms_sum, duration_ms_max, latency_histogram)
        SELECT 'default', date_trunc('${unit}', now() - g * interval '5 days'), 'svc', 1, 0, 0, 0, 0, 0, 0, 1, 1, '{}'
          FROM generate_series(0, 99) g`);
    }
    // On TimescaleDB older history is compressed, rollups as well as spans: retention must get through it.
    if (timescale) {
      await pool.query("SELECT compress_chunk(c, if_not_compressed => true) FROM show_chunks('spans', older_than => now() - interval '5 days') c");
      for (const table of ROLLUPS) await pool.query(`SELECT compress_chunk(c, if_not_compressed => true) FROM show_chunks('${table}', older_than => now() - interval '30 days') c`);
    }
  });
  afterAll(async () => {
    await pool.end();
    await db.drop();
  });

  it("removes exactly the spans older than N days and the rollups older than M days, in batches", async () => {
    const { rows: expected } = await pool.query(
      "SELECT count(*) FILTER (WHERE start_time < now() - interval '7 days')::int AS old, count(*)::int AS total FROM spans",
    );
    const rollups = await rollupCounts(400);
    const oldRollups = rollups.span_rollups_1m!.old + rollups.span_rollups_1h!.old;
    expect(oldRollups).toBe(40); // 5-day steps from 400 to 495 days back, in each table
    const result = await applyRetention(pool, { days: 7, rollupDays: 400 }, { batchSize: 10 });
    // Plain PostgreSQL deletes in batches; TimescaleDB drops the older chunks (N, not its policy's
    // window, decides which: that was ignored) and deletes the rest of the one the cutoff cuts.
    expect(result.spans).toMatchObject(
      timescale ? { rows: expected[0].old, batches: 1 } : { rows: expected[0].old, chunks: 0, batches: Math.ceil(expected[0].old / 10) },
    );
    // 12 or 13 whole days lie between the oldest span and the cutoff, by the time of day.
    if (timescale) expect(result.spans.chunks).toBeGreaterThanOrEqual(12);
    expect(result.rollups).toMatchObject(timescale ? { rows: oldRollups } : { rows: oldRollups, chunks: 0, batches: 4 });
    if (timescale) expect(result.rollups.chunks).toBeGreaterThan(0);

    const { rows } = await pool.query(
      "SELECT count(*)::int AS left, min(start_time) >= now() - interval '7 days' - interval '1 minute' AS recent_only FROM spans",
    );
    expect(rows[0]).toEqual({ left: expected[0].total - expected[0].old, recent_only: true });
    // Every rollup inside the window stays, far beyond the spans' 7 days.
    for (const table of ROLLUPS) {
      expect((await rollupCounts(400))[table]).toEqual({ old: 0, total: rollups[table]!.total - rollups[table]!.old });
      expect(await oldest(table)).toBe(395);
    }
  });

  it("takes the rollup window from ROLLUP_RETENTION_DAYS when --rollup-days is not given, and leaves spans inside N alone", async () => {
    const spansBefore = (await pool.query("SELECT count(*)::int AS n FROM spans")).rows[0].n;
    const expected = await rollupCounts(100);
    vi.stubEnv("DATABASE_URL", db.url);
    vi.stubEnv("ROLLUP_RETENTION_DAYS", "100");
    const printed: unknown[] = [];
    const out = vi.spyOn(console, "log").mockImplementation((line) => void printed.push(line));
    try {
      expect(await main(["retention", "apply", "--days", "7"])).toBe(0);
    } finally {
      vi.unstubAllEnvs();
      out.mockRestore();
    }
    expect(printed.join("\n")).toMatch(new RegExp(`deleted ${expected.span_rollups_1m!.old + expected.span_rollups_1h!.old} rollup rows older than`));
    for (const table of ROLLUPS) {
      expect((await rollupCounts(100))[table]).toEqual({ old: 0, total: expected[table]!.total - expected[table]!.old });
      expect(await oldest(table)).toBe(95);
    }
    expect((await pool.query("SELECT count(*)::int AS n FROM spans")).rows[0].n).toBe(spansBefore);
  });
});
