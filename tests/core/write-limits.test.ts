import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { IngestPipeline } from "../../services/core/pipeline.js";
import { PriceBook } from "../../services/core/pricing.js";
import type { RawSpan } from "../../services/core/span.js";
import { MAX_TUPLES_DECOMPRESSED_PER_BATCH, SpanWriter } from "../../services/core/span-writer.js";
import { migratedDatabase, silentLog, type TestDatabase } from "../support/database.js";

let seq = 0;
function raw(): RawSpan {
  seq++;
  return {
    traceId: seq.toString(16).padStart(32, "e"),
    spanId: seq.toString(16).padStart(16, "f"),
    name: "s",
    kind: 0,
    startTimeUnixNano: "1700000000000000000",
    endTimeUnixNano: "1700000000100000000",
    statusCode: 0,
    attributes: {},
    resourceAttributes: {},
    events: [],
  };
}

/**
 * A batch that fails with SQLSTATE 53400, as TimescaleDB 2.14.2 failed a re-export into a compressed
 * day ("tuple decompression limit exceeded by operation"): here a trigger raises the same error
 * for one project, through the real writer and pipeline, on either database.
 */
describe("a batch over a configured limit (SQLSTATE 53400)", () => {
  let db: TestDatabase;
  let pool: pg.Pool;
  let pipeline: IngestPipeline;

  beforeAll(async () => {
    db = await migratedDatabase("obs_write_limits");
    pool = new pg.Pool({ connectionString: db.url, max: 4 });
    await pool.query("INSERT INTO projects (id, name) VALUES ('over', 'over'), ('other', 'other')");
    await pool.query("CREATE TABLE seen_limits (value text)");
    await pool.query(`CREATE FUNCTION over_limit() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO seen_limits VALUES (current_setting('timescaledb.max_tuples_decompressed_per_dml_transaction', true));
        IF NEW.project_id = 'over' THEN
          RAISE EXCEPTION 'tuple decompression limit exceeded by operation' USING ERRCODE = '53400';
        END IF;
        RETURN NEW;
      END $$`);
    await pool.query("CREATE TRIGGER over_limit BEFORE INSERT ON spans FOR EACH ROW EXECUTE FUNCTION over_limit()");
    pipeline = new IngestPipeline({
      writer: new SpanWriter(pool),
      prices: new PriceBook(pool, 60_000),
      capacitySpans: 1_000,
      batchMaxSpans: 500,
      batchMaxWaitMs: 5,
      writers: 2,
      log: silentLog,
      retryBaseMs: 10,
      retryMaxMs: 40,
    });
  });

  afterAll(async () => {
    await pipeline?.close();
    await pool?.end();
    await db?.drop();
  });

  it("fails that export, is not retried forever, and leaves other projects' exports and readiness alone", async () => {
    const over = pipeline.submit("over", [raw(), raw()]).catch((e: unknown) => e);
    const other = pipeline.submit("other", [raw()]);
    expect(await over).toMatchObject({ code: "53400" });
    expect(await other).toEqual({ accepted: 1, rejected: 0 });
    expect(pipeline.saturated).toBe(false);
    expect(await pipeline.submit("other", [raw()])).toEqual({ accepted: 1, rejected: 0 });
    const { rows } = await pool.query("SELECT project_id, count(*)::int AS n FROM spans GROUP BY 1");
    expect(rows).toEqual([{ project_id: "other", n: 2 }]);
  });

  it("writes each batch under a bounded decompression limit of its own", async () => {
    const { rows } = await pool.query("SELECT DISTINCT value FROM seen_limits");
    expect(rows).toEqual([{ value: String(MAX_TUPLES_DECOMPRESSED_PER_BATCH) }]);
  });
});
