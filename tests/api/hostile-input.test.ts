import { afterAll, beforeAll, expect, test } from "vitest";
import { type Harness, FIXTURES, get, startHarness } from "./support/api-harness.js";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h?.close());

const RANGE = "from=2025-03-10T00:00:00Z&to=2025-03-11T00:00:00Z";
const NASTY = [
  "' OR '1'='1",
  "'; DROP TABLE spans; --",
  "alpha' UNION SELECT * FROM api_keys --",
  '" OR ""="',
  "%",
  "_",
  "\\",
  "$1",
  "chat-app') OR project_id <> ('x",
  "\u0000",
  "x".repeat(10_000),
  "🦀' OR 1=1 /*",
];
const STRING_PARAMS: Record<string, string[]> = {
  "/api/v1/traces": ["service", "environment", "provider", "model", "user_id", "session_id", "name", "status", "cursor", "from", "to", "limit"],
  "/api/v1/metrics/timeseries?metric=requests": ["service", "environment", "provider", "model", "user_id", "session_id", "interval", "group_by", "from", "to"],
  "/api/v1/costs/summary": ["service", "environment", "provider", "model", "group_by", "from", "to", "limit"],
  "/api/v1/prices": ["provider", "model"],
};
const betaOnly = new Set(FIXTURES.beta.map((s) => s.trace_id).filter((id) => !FIXTURES.alpha.some((a) => a.trace_id === id)));

test("injection strings in every string parameter: 400 naming it, or an empty answer; never a 500 or a foreign row", async () => {
  for (const [path, params] of Object.entries(STRING_PARAMS)) {
    for (const param of params) {
      for (const value of NASTY) {
        const sep = path.includes("?") ? "&" : "?";
        const range = param === "from" || param === "to" || path.endsWith("prices") ? "" : `${RANGE}&`;
        const url = `${path}${sep}${range}${param}=${encodeURIComponent(value)}`;
        const r = await get(h.app, url, h.keys.alpha.read);
        expect([200, 400], `${url} -> ${r.status}`).toContain(r.status);
        if (r.status === 400) expect(r.body.parameter, url).toBe(param);
        if (r.status === 200 && r.body.traces) expect(r.body.traces).toEqual([]);
        if (r.status === 200 && r.body.series) expect(r.body.series).toEqual([]);
        if (r.status === 200 && r.body.groups) expect(r.body.groups).toEqual([]);
        if (r.status === 200 && r.body.prices) expect(r.body.prices).toEqual([]);
        expect(JSON.stringify(r.body).includes("beta-only")).toBe(false);
      }
    }
  }
  const sqlInPath = await get(h.app, `/api/v1/traces/${encodeURIComponent("' OR 1=1 --")}`, h.keys.alpha.read);
  // A free-text trace id is a native one (hashed like at ingest): not found, not injected.
  expect(sqlInPath.status).toBe(404);
  const controlInPath = await get(h.app, `/api/v1/traces/${encodeURIComponent("a\u0001b")}`, h.keys.alpha.read);
  expect([controlInPath.status, controlInPath.body.parameter]).toEqual([400, "traceId"]);
  const spans = await h.pool.query("SELECT count(*)::int AS n FROM spans");
  expect(spans.rows[0].n).toBe(FIXTURES.alpha.length + FIXTURES.beta.length);
  expect(betaOnly.size).toBe(1);
});

test("limits, ranges and numbers out of bounds are 400s naming the parameter", async () => {
  const cases: [string, string][] = [
    ["/api/v1/traces?limit=1001", "limit"],
    ["/api/v1/traces?limit=0", "limit"],
    ["/api/v1/traces?limit=99999999999999999999", "limit"],
    ["/api/v1/traces?limit=1.5", "limit"],
    ["/api/v1/traces?min_cost_usd=-1", "min_cost_usd"],
    ["/api/v1/traces?max_duration_ms=1e400", "max_duration_ms"],
    ["/api/v1/traces?from=2025-03-11T00:00:00Z&to=2025-03-10T00:00:00Z", "from"],
    ["/api/v1/traces?from=2025-03-10T00:00:00Z&to=2025-03-10T00:00:00Z", "from"],
    ["/api/v1/traces?from=1970-01-01T00:00:00Z&to=2025-03-10T00:00:00Z", "from"],
    ["/api/v1/traces?from=0001-01-01T00:00:00Z&to=0001-01-02T00:00:00Z", "to"],
    ["/api/v1/traces?to=9999-12-31T23:59:59Z", "to"],
    ["/api/v1/traces?from=yesterday", "from"],
    ["/api/v1/traces?from=2025-02-30T00:00:00Z", "from"],
    ["/api/v1/traces?service=a&service=b", "service"],
    ["/api/v1/traces?project_id=beta", "project_id"],
    ["/api/v1/metrics/timeseries", "metric"],
    ["/api/v1/metrics/timeseries?metric=requests&interval=1m&from=2025-01-01T00:00:00Z&to=2025-03-01T00:00:00Z", "interval"],
    ["/api/v1/metrics/timeseries?metric=requests;DROP", "metric"],
    ["/api/v1/costs/summary?group_by=project_id", "group_by"],
    ["/api/v1/costs/summary?limit=100000", "limit"],
  ];
  for (const [url, parameter] of cases) {
    const r = await get(h.app, url, h.keys.alpha.read);
    expect([url, r.status, r.body.parameter]).toEqual([url, 400, parameter]);
  }
});

test("malformed, forged and foreign cursors are refused; a cursor from another project reveals nothing", async () => {
  const forged = (o: unknown) => Buffer.from(JSON.stringify(o)).toString("base64url");
  for (const cursor of ["!!!", "AAAA", forged({ t: "1", id: "x", f: "y" }), forged({ t: "-1", id: "0".repeat(32), f: "" }), forged([1, 2]), forged(null), "a".repeat(600)]) {
    const r = await get(h.app, `/api/v1/traces?${RANGE}&cursor=${cursor}`, h.keys.alpha.read);
    expect([r.status, r.body.parameter]).toEqual([400, "cursor"]);
  }
  const beta = await get(h.app, `/api/v1/traces?${RANGE}&limit=1`, h.keys.beta.read);
  const reused = await get(h.app, `/api/v1/traces?${RANGE}&limit=1&cursor=${beta.body.next_cursor}`, h.keys.alpha.read);
  expect(reused.status).toBe(200);
  for (const t of reused.body.traces) expect(betaOnly.has(t.trace_id)).toBe(false);
});

test("bodies: not JSON, too large, wrong shapes", async () => {
  const post = (payload: string, type = "application/json") =>
    h.app.inject({ method: "POST", url: "/api/v1/spans", headers: { "x-api-key": h.keys.alpha.ingest, "content-type": type }, payload });
  expect((await post("{not json")).statusCode).toBe(400);
  expect((await post('"a string"')).statusCode).toBe(400);
  expect((await post("[]")).statusCode).toBe(400);
  expect((await post(JSON.stringify({ pad: "x".repeat(1_100_000) }))).statusCode).toBe(413);
  expect((await post("a=b", "application/x-www-form-urlencoded")).statusCode).toBe(415);
  const keys = await h.app.inject({
    method: "POST",
    url: "/api/v1/keys",
    headers: { "x-api-key": h.keys.alpha.admin },
    payload: { name: "x", scopes: ["read", "root"] },
  });
  expect([keys.statusCode, keys.json().parameter]).toEqual([400, "scopes.1"]);
});
