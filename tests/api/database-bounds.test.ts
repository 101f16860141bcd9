import { randomBytes } from "node:crypto";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Api, buildApi } from "../../services/api/app.js";
import { createPool } from "../../services/core/db.js";
import { ADMIN_URL, migratedDatabase, silentLog, type TestDatabase } from "../support/database.js";
import { FaultProxy } from "../support/fault-proxy.js";
import { apiConfig, BOOTSTRAP_KEY, deleteRedisKeys } from "./support/api-harness.js";

/**
 * Every database wait in an API route is bounded and answered 503 + Retry-After, not 500 and not
 * never: a pool with no free connection (issue 13: 3), and a database that stops answering without
 * refusing (issue 13: 2). /ready within a second during a black hole is in tests/api/faults.test.ts.
 */
let db: TestDatabase;
const prefix = `obs:test:${randomBytes(4).toString("hex")}:`;
const headers = { authorization: `Bearer ${BOOTSTRAP_KEY}` };
let n = 0;
/** Reads on the main pool (prices) and on the read pool (trace list), each new to the response cache. */
const reads = () => [`/api/v1/prices?model=bounds-${n++}`, `/api/v1/traces?limit=1&from=${new Date(Date.now() - 86_400_000 - n++).toISOString()}`];

/** Status, Retry-After and time taken; "no answer" when none came within `patienceMs`. */
async function timed(app: Api, url: string, patienceMs: number) {
  const t = performance.now();
  const res = await Promise.race([app.inject({ method: "GET", url, headers }), new Promise<null>((r) => setTimeout(() => r(null), patienceMs))]);
  if (!res) return { url, answer: "no answer", ms: performance.now() - t };
  return { url, answer: `${res.statusCode} retry-after=${res.headers["retry-after"]}`, ms: performance.now() - t };
}

beforeAll(async () => {
  db = await migratedDatabase("obs_api_bounds");
});
afterAll(async () => {
  await deleteRedisKeys(prefix);
  await db?.drop();
});

describe("a pool with no free connection", () => {
  let pool: pg.Pool;
  let app: Api;
  let held: pg.PoolClient | undefined;
  beforeAll(async () => {
    // The deployed pool's bounds (5 s connection wait), one connection, which the test holds; passed
    // in, it serves both the routes that query it directly and the per-project reads.
    pool = createPool(db.url, { max: 1, applicationName: "bounds-test", statementTimeoutMs: 10_000 });
    app = await buildApi(apiConfig(db.url, prefix), { pool, log: silentLog });
  });
  afterAll(async () => {
    held?.release();
    await app?.close();
    await pool?.end();
  });

  it("answers 503 + Retry-After once the connection wait times out (5 s), then serves again when a connection is free", async () => {
    held = await pool.connect();
    const answers = await Promise.all(reads().map((url) => timed(app, url, 15_000)));
    expect(answers.map((a) => a.answer)).toEqual(["503 retry-after=5", "503 retry-after=5"]);
    for (const a of answers) expect(a.ms).toBeGreaterThan(4_900);
    held.release();
    held = undefined;
    const after = await Promise.all(reads().map((url) => timed(app, url, 15_000)));
    expect(after.map((a) => a.answer)).toEqual(["200 retry-after=undefined", "200 retry-after=undefined"]);
  }, 30_000);
});

describe("a database that stops answering (black-holed)", () => {
  const STATEMENT_TIMEOUT_MS = 1_500;
  let proxy: FaultProxy;
  let app: Api;
  beforeAll(async () => {
    const admin = new URL(ADMIN_URL);
    proxy = await FaultProxy.start(admin.hostname, Number(admin.port || 5432));
    // The pools as deployed (buildApi makes them from the config), through the proxy.
    app = await buildApi(apiConfig(proxy.url(db.url), prefix, { API_STATEMENT_TIMEOUT_MS: String(STATEMENT_TIMEOUT_MS) }), { log: silentLog });
  });
  afterAll(async () => {
    proxy?.restore();
    await app?.close();
    await proxy?.close();
  });

  it("answers 503 + Retry-After within the statement timeout + 1 s on open connections, and serves again once it answers", async () => {
    // Both pools hold an open connection, as a serving API does.
    expect((await Promise.all(reads().map((url) => timed(app, url, 10_000)))).map((a) => a.answer)).toEqual(["200 retry-after=undefined", "200 retry-after=undefined"]);
    proxy.blackhole();
    const answers = await Promise.all(reads().map((url) => timed(app, url, 15_000)));
    proxy.restore();
    expect(answers.map((a) => a.answer)).toEqual(["503 retry-after=5", "503 retry-after=5"]);
    // The client gives up 1 s after the server would have cancelled (a fresh connection would wait
    // the 5 s connect bound instead); up to 3 s more for a busy CI machine, still far from "never".
    for (const a of answers) expect(a.ms).toBeLessThan(STATEMENT_TIMEOUT_MS + 1_000 + 3_000);
    await expect.poll(async () => (await Promise.all(reads().map((url) => timed(app, url, 10_000)))).map((a) => a.answer), { timeout: 15_000 }).toEqual([
      "200 retry-after=undefined",
      "200 retry-after=undefined",
    ]);
  }, 40_000);
});
