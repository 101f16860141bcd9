import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pg from "pg";
import { ADMIN_URL, migratedDatabase, type TestDatabase } from "../support/database.js";
import { blackholePhase, LoadLoops, readyWithinASecond, resetCycles, sleep } from "../support/fault-load.js";
import { FaultProxy } from "../support/fault-proxy.js";
import type { ServiceProcess } from "../support/service-process.js";
import { BOOTSTRAP_KEY, REDIS_URL, deleteRedisKeys } from "./support/api-harness.js";
import { spawnApi } from "./support/api-process.js";

let db: TestDatabase;
let pool: pg.Pool;
let pgProxy: FaultProxy;
let redisProxy: FaultProxy;
let api: ServiceProcess;
const prefix = `obs:test:${randomBytes(4).toString("hex")}:`;

beforeAll(async () => {
  db = await migratedDatabase("obs_api_faults");
  pool = new pg.Pool({ connectionString: db.url, max: 2 });
  await pool.query("INSERT INTO projects (id, name) VALUES ('default', 'default') ON CONFLICT DO NOTHING");
  const admin = new URL(ADMIN_URL);
  pgProxy = await FaultProxy.start(admin.hostname, Number(admin.port || 5432));
  const redis = new URL(REDIS_URL);
  redisProxy = await FaultProxy.start(redis.hostname, Number(redis.port || 6379));
  api = await spawnApi({
    DATABASE_URL: pgProxy.url(db.url),
    REDIS_URL: redisProxy.url(REDIS_URL),
    BOOTSTRAP_ADMIN_KEY: BOOTSTRAP_KEY,
    API_REDIS_KEY_PREFIX: prefix,
    API_RATE_LIMIT_PER_MINUTE: "100000",
    // Short, so a silent database is noticed within the test's patience.
    API_STATEMENT_TIMEOUT_MS: "2000",
  });
});
afterAll(async () => {
  pgProxy?.restore();
  redisProxy?.restore();
  await api?.stop();
  await Promise.all([pgProxy?.close(), redisProxy?.close()]);
  await deleteRedisKeys(prefix);
  await pool?.end();
  await db?.drop();
});

const hex = (bytes: number) => randomBytes(bytes).toString("hex");

function nativeSpan(spanId: string) {
  const start = new Date(Date.now() - 1_000);
  return {
    trace_id: hex(16),
    span_id: spanId,
    name: "chat",
    provider: "openai",
    model: "gpt-4o",
    latency: { total_ms: 1000, start_time: start.toISOString(), end_time: new Date(start.getTime() + 1_000).toISOString() },
    status: "OK",
  };
}

describe("the API process between faults of its PostgreSQL and Redis connections (reset, black hole, slow)", () => {
  it("keeps running, answers 503 + Retry-After (never 500) and /ready within a second while the database is gone, resumes, and stores each acknowledged span once", async () => {
    const base = `http://127.0.0.1:${api.port}`;
    const headers = { authorization: `Bearer ${BOOTSTRAP_KEY}` };
    const get = (path: string, signal = AbortSignal.timeout(60_000)) => fetch(`${base}${path}`, { headers, signal });
    // A range of its own per request, so no answer comes from the response cache.
    const freshList = () => `/api/v1/traces?limit=5&from=${new Date(Date.now() - 86_400_000).toISOString()}`;
    const ingest = async () => {
      const ids = Array.from({ length: 20 }, () => hex(8));
      const res = await fetch(`${base}/api/v1/spans`, {
        method: "POST",
        headers: { ...headers, "content-type": "application/json" },
        body: JSON.stringify(ids.map(nativeSpan)),
        signal: AbortSignal.timeout(60_000),
      });
      return { ids, res };
    };
    const load = new LoadLoops([
      ingest,
      ingest,
      async () => ({ ids: [], res: await get(freshList()) }),
      async () => ({ ids: [], res: await get("/api/v1/costs/summary") }),
    ]);
    await expect.poll(() => load.ok, { timeout: 20_000 }).toBeGreaterThan(10);

    await resetCycles([pgProxy, redisProxy], `${base}/ready`);
    await blackholePhase(pgProxy, `${base}/ready`, (signal) => get(freshList(), signal));
    pgProxy.slow(20);
    redisProxy.slow(20);
    await sleep(2_000);
    pgProxy.restore();
    redisProxy.restore();

    await expect.poll(() => readyWithinASecond(`${base}/ready`), { timeout: 30_000, interval: 500 }).toBe(200);
    const okBefore = load.ok;
    await expect.poll(() => load.ok, { timeout: 30_000 }).toBeGreaterThan(okBefore + 8);
    await load.stop();

    expect(api.exitCode()).toBeNull();
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
