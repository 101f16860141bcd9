import { afterAll, beforeAll, expect, test } from "vitest";
import { type Harness, BOOTSTRAP_KEY, get, startHarness } from "./support/api-harness.js";

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ API_KEY_CACHE_SECONDS: "1" });
});
afterAll(async () => h?.close());

const call = (method: "POST" | "DELETE", url: string, key: string | undefined, payload?: object) =>
  h.app.inject({ method, url, headers: key ? { authorization: `Bearer ${key}` } : {}, ...(payload ? { payload } : {}) });

test("no key, unknown key, missing scope: 401, 401, 403; admin implies read", async () => {
  const none = await h.app.inject({ method: "GET", url: "/api/v1/prices" });
  expect([none.statusCode, none.headers["www-authenticate"]]).toEqual([401, 'Bearer realm="observatory"']);
  expect((await get(h.app, "/api/v1/prices", "lok_not-a-key")).status).toBe(401);
  expect((await get(h.app, "/api/v1/prices", h.keys.alpha.ingest)).status).toBe(403);
  expect((await call("POST", "/api/v1/spans", h.keys.alpha.read, {})).statusCode).toBe(403);
  expect((await get(h.app, "/api/v1/prices", h.keys.alpha.admin)).status).toBe(200);
});

test("keys: created once in plaintext, scoped to the admin's project, revoked within the key cache time", async () => {
  const created = await call("POST", "/api/v1/keys", h.keys.alpha.admin, { name: "ci", scopes: ["read"] });
  expect(created.statusCode).toBe(201);
  const { id, key, project_id, scopes } = created.json();
  expect([project_id, scopes, key.startsWith("lok_")]).toEqual(["alpha", ["read"], true]);
  const stored = await h.pool.query("SELECT key_hash, key_prefix FROM api_keys WHERE id = $1", [id]);
  expect(stored.rows[0].key_prefix).toBe(key.slice(0, 10));
  expect((await get(h.app, "/api/v1/traces/000000000000000000000000000000a1", key)).status).toBe(200);
  expect((await get(h.app, "/api/v1/traces/000000000000000000000000000000b2", key)).status).toBe(404);

  // A project admin can neither create keys elsewhere nor revoke another project's keys.
  expect((await call("POST", "/api/v1/keys", h.keys.alpha.admin, { name: "x", scopes: ["read"], project_id: "beta" })).statusCode).toBe(403);
  expect((await call("DELETE", `/api/v1/keys/${id}`, h.keys.beta.admin)).statusCode).toBe(404);

  expect((await call("DELETE", `/api/v1/keys/${id}`, h.keys.alpha.admin)).statusCode).toBe(204);
  expect((await call("DELETE", `/api/v1/keys/${id}`, h.keys.alpha.admin)).statusCode).toBe(404);
  await new Promise((r) => setTimeout(r, 1_100));
  expect((await get(h.app, "/api/v1/prices", key)).status).toBe(401);
});

test("the bootstrap key administers the deployment: new projects, prices", async () => {
  const created = await call("POST", "/api/v1/keys", BOOTSTRAP_KEY, { name: "gamma ingest", scopes: ["ingest", "read"], project_id: "gamma" });
  expect([created.statusCode, created.json().project_id]).toEqual([201, "gamma"]);
  expect((await get(h.app, "/api/v1/traces?from=2025-03-10T00:00:00Z&to=2025-03-11T00:00:00Z", created.json().key)).body.traces).toEqual([]);

  const price = { provider: "openai", model_pattern: "gpt-9", input_per_mtok: 1.25, output_per_mtok: 5, effective_from: "2026-01-01T00:00:00Z", source: "test" };
  expect((await call("POST", "/api/v1/prices", h.keys.alpha.admin, price)).statusCode).toBe(403);
  const added = await call("POST", "/api/v1/prices", BOOTSTRAP_KEY, price);
  expect(added.statusCode).toBe(201);
  expect(added.json()).toMatchObject({ provider: "openai", model_pattern: "gpt-9", input_per_mtok: 1.25, output_per_mtok: 5, cached_input_per_mtok: null });
  expect((await call("POST", "/api/v1/prices", BOOTSTRAP_KEY, price)).statusCode).toBe(409);
  const bad = await call("POST", "/api/v1/prices", BOOTSTRAP_KEY, { ...price, input_per_mtok: -1 });
  expect([bad.statusCode, bad.json().parameter]).toEqual([400, "input_per_mtok"]);
});

test("health, readiness, Prometheus metrics by route template, OpenAPI at /docs", async () => {
  expect((await h.app.inject({ method: "GET", url: "/health" })).json()).toEqual({ status: "ok" });
  expect((await h.app.inject({ method: "GET", url: "/ready" })).json()).toEqual({ status: "ok", database: "up", redis: "up" });
  await get(h.app, "/api/v1/traces/000000000000000000000000000000a1", h.keys.alpha.read);
  await h.app.inject({ method: "GET", url: "/no/such/path" });
  const metrics = (await h.app.inject({ method: "GET", url: "/metrics" })).body;
  // One tree read here, one in the keys test above.
  expect(metrics).toMatch(/^observatory_api_requests_total\{route="\/api\/v1\/traces\/:traceId",method="GET",status_code="200"\} 2$/m);
  expect(metrics).toMatch(/^observatory_api_requests_total\{route="unmatched",method="GET",status_code="404"\} 1$/m);
  expect(metrics).toMatch(/^observatory_api_request_duration_seconds_bucket\{le="0.005",route="\/api\/v1\/traces\/:traceId",method="GET"\} \d+$/m);
  // Every span of the harness came through POST /api/v1/spans: the counter holds their stored cost.
  const counted = [...metrics.matchAll(/^observatory_api_ingested_cost_usd_total\{[^}]*\} (\S+)$/gm)].reduce((sum, m) => sum + Number(m[1]), 0);
  const stored = await h.pool.query("SELECT sum(cost_usd)::float8 AS usd FROM spans");
  expect(stored.rows[0].usd).toBeGreaterThan(0);
  expect(counted).toBeCloseTo(stored.rows[0].usd, 9);
  for (const name of ["observatory_api_cache_hits_total", "observatory_api_cache_misses_total", "observatory_api_rate_limited_total", "observatory_api_redis_up 1", "process_cpu_seconds_total"]) {
    expect(metrics).toContain(name);
  }
  const spec = (await h.app.inject({ method: "GET", url: "/docs/json" })).json();
  expect(Object.keys(spec.paths).sort()).toEqual([
    "/api/v1/costs/summary",
    "/api/v1/keys",
    "/api/v1/keys/current",
    "/api/v1/keys/{id}",
    "/api/v1/metrics/timeseries",
    "/api/v1/prices",
    "/api/v1/prices/{id}",
    "/api/v1/spans",
    "/api/v1/traces",
    "/api/v1/traces/summary",
    "/api/v1/traces/{traceId}",
    "/health",
    "/ready",
  ]);
  expect((await h.app.inject({ method: "GET", url: "/docs" })).statusCode).toBeLessThan(400);
});

test("readiness is 503 when the database is gone", async () => {
  const { buildApi } = await import("../../services/api/app.js");
  const { apiConfig } = await import("./support/api-harness.js");
  const { silentLog } = await import("../support/database.js");
  const app = await buildApi(apiConfig("postgres://postgres@127.0.0.1:1/none", `${h.prefix}down:`), { log: silentLog });
  try {
    const r = await app.inject({ method: "GET", url: "/ready" });
    expect([r.statusCode, r.json().database]).toEqual([503, "down"]);
  } finally {
    await app.close();
  }
});
