import { afterAll, beforeAll, expect, test } from "vitest";
import { type Api, buildApi } from "../../services/api/app.js";
import { silentLog } from "../support/database.js";
import { type Harness, FIXTURES, apiConfig, get, startHarness } from "./support/api-harness.js";
import { FaultProxy } from "../support/fault-proxy.js";

const TRACES = "/api/v1/traces?from=2025-03-10T00:00:00Z&to=2025-03-11T00:00:00Z";
let h: Harness;
beforeAll(async () => {
  h = await startHarness({ API_CACHE_TTL_TRACES_SECONDS: "1" });
});
afterAll(async () => h?.close());

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const waitFor = async (check: () => Promise<boolean>) => {
  for (let i = 0; i < 100 && !(await check()); i++) await sleep(50);
};
const metric = async (app: Api, line: string) => {
  const text = (await app.inject({ method: "GET", url: "/metrics" })).body;
  return Number(new RegExp(`^${line.replace(/[{}"/]/g, "\\$&")} (\\S+)$`, "m").exec(text)?.[1] ?? "NaN");
};

test("miss, then hit with the same body; ETag and 304; per project; expiry after the TTL", async () => {
  const key = h.keys.alpha.read;
  const first = await get(h.app, TRACES, key);
  const second = await get(h.app, TRACES, key);
  expect([first.headers["x-cache"], second.headers["x-cache"]]).toEqual(["miss", "hit"]);
  expect(second.body).toEqual(first.body);
  expect(second.headers.etag).toBe(first.headers.etag);
  expect([second.headers["content-type"], second.headers["content-length"]]).toEqual([first.headers["content-type"], first.headers["content-length"]]);
  expect(await metric(h.app, 'observatory_api_cache_hits_total{route="/api/v1/traces"}')).toBe(1);
  expect(await metric(h.app, 'observatory_api_cache_misses_total{route="/api/v1/traces"}')).toBe(1);

  const notModified = await get(h.app, TRACES, key, { "if-none-match": String(first.headers.etag) });
  expect([notModified.status, notModified.body]).toEqual([304, null]);
  const other = await get(h.app, TRACES, h.keys.beta.read);
  expect(other.headers["x-cache"]).toBe("miss");
  expect(other.body.traces).toHaveLength(2);

  // New data stays invisible until the entry expires.
  const span = { ...FIXTURES.alpha[3], trace_id: "000000000000000000000000000000f1", span_id: "00000000000000f1" };
  await h.app.inject({ method: "POST", url: "/api/v1/spans", headers: { "x-api-key": h.keys.alpha.ingest }, payload: span });
  expect((await get(h.app, TRACES, key)).body.traces).toHaveLength(5);
  await sleep(1_100);
  const fresh = await get(h.app, TRACES, key);
  expect([fresh.headers["x-cache"], fresh.body.traces.length]).toEqual(["miss", 6]);
  expect((await get(h.app, TRACES, key, { "if-none-match": String(first.headers.etag) })).status).toBe(200);
});

test("a hit sends the very bytes of the miss, non-ASCII text included", async () => {
  const name = "résumé · 要約 📄";
  const span = { ...FIXTURES.alpha[3], trace_id: "000000000000000000000000000000e1", span_id: "00000000000000e1", parent_span_id: null, name };
  const ingested = await h.app.inject({ method: "POST", url: "/api/v1/spans", headers: { "x-api-key": h.keys.alpha.ingest }, payload: span });
  expect(ingested.statusCode).toBe(200);
  const url = "/api/v1/traces/000000000000000000000000000000e1";
  const [miss, hit] = [await h.app.inject({ url, headers: { "x-api-key": h.keys.alpha.read } }), await h.app.inject({ url, headers: { "x-api-key": h.keys.alpha.read } })];
  expect([miss.headers["x-cache"], hit.headers["x-cache"]]).toEqual(["miss", "hit"]);
  expect(hit.rawPayload.equals(miss.rawPayload)).toBe(true);
  expect(hit.json().spans[0].name).toBe(name);
});

test("token bucket per key: 429 with Retry-After and RateLimit headers, other keys unaffected", async () => {
  const app = await buildApi(apiConfig(h.db.url, `${h.prefix}rl:`, { API_RATE_LIMIT_PER_MINUTE: "3" }), { log: silentLog });
  try {
    // A new API does not wait for Redis: until it is connected, requests pass unlimited.
    await waitFor(async () => (await metric(app, "observatory_api_redis_up")) === 1);
    const answers = [];
    for (let i = 0; i < 4; i++) answers.push(await get(app, "/api/v1/prices?provider=openai", h.keys.alpha.read));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 429]);
    expect(answers.map((a) => a.headers["ratelimit-remaining"])).toEqual(["2", "1", "0", "0"]);
    expect(answers[3]!.headers["retry-after"]).toBe("20");
    expect(answers[3]!.headers["ratelimit-limit"]).toBe("3");
    expect((await get(app, "/api/v1/prices?provider=openai", h.keys.beta.read)).status).toBe(200);
    expect(await metric(app, "observatory_api_rate_limited_total")).toBe(1);
  } finally {
    await app.close();
  }
});

test("Redis cut mid-test: answers go on uncached and unlimited, /ready degrades; caching resumes when it returns", async () => {
  const proxy = await FaultProxy.start("127.0.0.1", 6379);
  const app = await buildApi(
    apiConfig(h.db.url, `${h.prefix}outage:`, { REDIS_URL: `redis://127.0.0.1:${proxy.port}`, API_RATE_LIMIT_PER_MINUTE: "4" }),
    { log: silentLog },
  );
  const key = h.keys.alpha.read;
  const url = "/api/v1/costs/summary?from=2025-03-10T00:00:00Z&to=2025-03-11T00:00:00Z";
  try {
    await waitFor(async () => (await metric(app, "observatory_api_redis_up")) === 1);
    const warm = await get(app, url, key);
    expect([warm.headers["x-cache"], (await get(app, url, key)).headers["x-cache"]]).toEqual(["miss", "hit"]);

    proxy.reset();
    await waitFor(async () => (await metric(app, "observatory_api_redis_up")) === 0);
    const started = Date.now();
    const during = [];
    for (let i = 0; i < 4; i++) during.push(await get(app, url, key));
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(during.map((r) => [r.status, r.headers["x-cache"], r.headers["ratelimit-remaining"]])).toEqual(
      Array(4).fill([200, "bypass", undefined]),
    );
    expect(during[3]!.body).toEqual(warm.body);
    const ready = await app.inject({ method: "GET", url: "/ready" });
    expect([ready.statusCode, ready.json()]).toEqual([200, { status: "degraded", database: "up", redis: "down" }]);

    proxy.restore();
    await waitFor(async () => (await app.inject({ method: "GET", url: "/ready" })).json().redis === "up");
    expect(await metric(app, "observatory_api_redis_up")).toBe(1);
    const back = await get(app, "/api/v1/costs/summary?from=2025-03-10T00:00:00Z&to=2025-03-10T12:00:00Z", key);
    const again = await get(app, "/api/v1/costs/summary?from=2025-03-10T00:00:00Z&to=2025-03-10T12:00:00Z", key);
    expect([back.headers["x-cache"], again.headers["x-cache"]]).toEqual(["miss", "hit"]);
    // Limits resume too: the bucket of 4 holds what the 2 warm-up requests left (outage requests took nothing).
    expect([back.headers["ratelimit-remaining"], again.headers["ratelimit-remaining"]]).toEqual(["1", "0"]);
  } finally {
    await app.close();
    await proxy.close();
  }
});
