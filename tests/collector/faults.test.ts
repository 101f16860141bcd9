import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pg from "pg";
import { ADMIN_URL, migratedDatabase, type TestDatabase } from "../support/database.js";
import { blackholePhase, LoadLoops, readyWithinASecond, resetCycles, sleep } from "../support/fault-load.js";
import { FaultProxy } from "../support/fault-proxy.js";
import { spawnCollector, type CollectorProcess } from "./support/collector-process.js";
import { protobufBody, randomSpanId } from "./support/otlp-bodies.js";

let db: TestDatabase;
let pool: pg.Pool;
let proxy: FaultProxy;
let collector: CollectorProcess;

beforeAll(async () => {
  db = await migratedDatabase("obs_faults");
  pool = new pg.Pool({ connectionString: db.url, max: 2 });
  const admin = new URL(ADMIN_URL);
  proxy = await FaultProxy.start(admin.hostname, Number(admin.port || 5432));
  collector = await spawnCollector({
    DATABASE_URL: proxy.url(db.url),
    COLLECTOR_AUTH_DISABLED: "true",
    COLLECTOR_BATCH_MAX_SPANS: "200",
    // Short, so a silent database is noticed within the test's patience.
    COLLECTOR_STATEMENT_TIMEOUT_MS: "2000",
  });
});
afterAll(async () => {
  proxy?.restore();
  await collector?.stop();
  await proxy?.close();
  await pool?.end();
  await db?.drop();
});

describe("the collector between faults of its PostgreSQL connection (reset, black hole, slow)", () => {
  it("keeps running, answers 503 + Retry-After and /ready within a second while the database is gone, resumes, and stores each acknowledged span once", async () => {
    const base = `http://127.0.0.1:${collector.httpPort}`;
    const exportSpans = (ids: string[], signal = AbortSignal.timeout(60_000)) =>
      fetch(`${base}/v1/traces`, {
        method: "POST",
        body: protobufBody(ids.map((spanId) => ({ spanId }))),
        headers: { "content-type": "application/x-protobuf" },
        signal,
      });
    const load = new LoadLoops(
      Array.from({ length: 4 }, () => async () => {
        const ids = Array.from({ length: 50 }, () => randomSpanId());
        return { ids, res: await exportSpans(ids) };
      }),
    );
    await expect.poll(() => load.ok, { timeout: 20_000 }).toBeGreaterThan(5);

    await resetCycles([proxy], `${base}/ready`);
    await blackholePhase(proxy, `${base}/ready`, (signal) => exportSpans([randomSpanId()], signal));
    proxy.slow(20);
    await sleep(2_000);
    proxy.restore();

    // Recovery without a restart: ready again, and new exports acknowledged.
    await expect.poll(() => readyWithinASecond(`${base}/ready`), { timeout: 30_000, interval: 500 }).toBe(200);
    const okBefore = load.ok;
    await expect.poll(() => load.ok, { timeout: 30_000 }).toBeGreaterThan(okBefore + 4);
    await load.stop();

    expect(collector.exitCode()).toBeNull();
    expect(load.wrong).toEqual([]);
    const { rows } = await pool.query<{ span_id: string; n: number }>(
      "SELECT span_id, count(*)::int AS n FROM spans WHERE span_id = ANY($1) GROUP BY span_id",
      [load.sent],
    );
    const stored = new Map(rows.map((r) => [r.span_id, r.n]));
    expect(load.acknowledged.filter((id) => stored.get(id) !== 1)).toEqual([]);
    expect(rows.filter((r) => r.n > 1)).toEqual([]);
  }, 180_000);
});
