import { afterAll, beforeAll, expect, test } from "vitest";
import { likeToRegExp } from "../../services/core/pricing.js";
import { BOOTSTRAP_KEY, type Harness, type NativeSpan, get, startHarness } from "./support/api-harness.js";

/** Input that used to be coerced, mangled or answered 500: each now gets a status and a message. */

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h?.close());

const RANGE = "from=2025-03-10T00:00:00Z&to=2025-03-11T00:00:00Z";

function call(method: "POST" | "DELETE", url: string, key: string, payload?: unknown) {
  return h.app.inject({ method, url, headers: { authorization: `Bearer ${key}` }, ...(payload === undefined ? {} : { payload: payload as object }) });
}

function nativeSpan(over: NativeSpan = {}): NativeSpan {
  return {
    trace_id: `trace_${Math.random()}`,
    span_id: `span_${Math.random()}`,
    name: "chat",
    provider: "openai",
    model: "gpt-4o",
    latency: { start_time: "2025-03-10T12:00:00Z", total_ms: 10 },
    ...over,
  };
}

const price = { provider: "openai", model_pattern: "gpt-x%", input_per_mtok: 1, output_per_mtok: 2, effective_from: "2026-01-01T00:00:00Z", source: "test" };

test("numbers are decimal and typed: hex in the query, strings and single values in bodies are 400s", async () => {
  for (const [url, parameter] of [
    [`/api/v1/traces?${RANGE}&limit=0x10`, "limit"],
    [`/api/v1/traces?${RANGE}&min_duration_ms=0x1A`, "min_duration_ms"],
    [`/api/v1/traces?${RANGE}&limit=%2010`, "limit"],
    [`/api/v1/traces?${RANGE}&limit=`, "limit"],
  ] as const) {
    const r = await get(h.app, url, h.keys.alpha.read);
    expect([url, r.status, r.body.parameter]).toEqual([url, 400, parameter]);
  }
  expect((await get(h.app, `/api/v1/traces?${RANGE}&limit=16&min_duration_ms=2.5e1`, h.keys.alpha.read)).status).toBe(200);

  const key = await call("POST", "/api/v1/keys", h.keys.alpha.admin, { name: "sneaky", scopes: "admin" });
  expect([key.statusCode, key.json().parameter]).toEqual([400, "scopes"]);
  const stringPrice = await call("POST", "/api/v1/prices", BOOTSTRAP_KEY, { ...price, input_per_mtok: "1" });
  expect([stringPrice.statusCode, stringPrice.json().parameter]).toEqual([400, "input_per_mtok"]);
});

test("unknown query parameters are 400 on routes that take none", async () => {
  const r = await get(h.app, "/api/v1/traces/000000000000000000000000000000a1?foo=1", h.keys.alpha.read);
  expect([r.status, r.body.parameter]).toEqual([400, "foo"]);
  const spans = await h.app.inject({ method: "POST", url: "/api/v1/spans?foo=1", headers: { "x-api-key": h.keys.alpha.ingest }, payload: nativeSpan() });
  expect([spans.statusCode, spans.json().parameter]).toEqual([400, "foo"]);
});

test("a trace posted with native ids is read back by its native trace id", async () => {
  const span = nativeSpan({ trace_id: "trace_456", span_id: "span_1" });
  const posted = await call("POST", "/api/v1/spans", h.keys.alpha.ingest, span);
  expect(posted.json()).toMatchObject({ accepted: 1, rejected: 0 });
  const r = await get(h.app, "/api/v1/traces/trace_456", h.keys.alpha.read);
  expect(r.status).toBe(200);
  expect(r.body.spans[0].attributes["llm.native.trace_id"]).toBe("trace_456");
  expect((await get(h.app, "/api/v1/traces/trace_456", h.keys.beta.read)).status).toBe(404);
});

test("prices: dates PostgreSQL cannot hold and patterns LIKE refuses are 400s; a price can be deleted", async () => {
  const year0 = await call("POST", "/api/v1/prices", BOOTSTRAP_KEY, { ...price, effective_from: "0000-01-01T00:00:00Z" });
  expect([year0.statusCode, year0.json().parameter]).toEqual([400, "effective_from"]);
  const backslash = await call("POST", "/api/v1/prices", BOOTSTRAP_KEY, { ...price, model_pattern: "abc\\" });
  expect([backslash.statusCode, backslash.json().parameter, backslash.json().message]).toEqual([400, "model_pattern", expect.stringMatching(/backslash/)]);
  expect((await call("POST", "/api/v1/prices", BOOTSTRAP_KEY, { ...price, model_pattern: "abc\\\\" })).statusCode).toBe(201);

  // A pattern stored before this check (or by hand) must not break the listing for everyone.
  await h.pool.query("INSERT INTO model_prices (provider, model_pattern, input_per_mtok, output_per_mtok, effective_from, source) VALUES ('openai', 'ab\\', 1, 1, now(), 'hand')");
  const listed = await get(h.app, "/api/v1/prices?model=abc", h.keys.alpha.read);
  expect(listed.status).toBe(200);

  const added = await call("POST", "/api/v1/prices", BOOTSTRAP_KEY, { ...price, model_pattern: "to-delete" });
  expect(added.statusCode).toBe(201);
  expect((await call("DELETE", `/api/v1/prices/${added.json().id}`, h.keys.alpha.admin)).statusCode).toBe(403);
  expect((await call("DELETE", `/api/v1/prices/${added.json().id}`, BOOTSTRAP_KEY)).statusCode).toBe(204);
  expect((await call("DELETE", `/api/v1/prices/${added.json().id}`, BOOTSTRAP_KEY)).statusCode).toBe(404);
  const { rows } = await h.pool.query("SELECT count(*)::int AS n FROM model_prices WHERE model_pattern = 'to-delete'");
  expect(rows[0].n).toBe(0);
});

test("the ingest matcher and PostgreSQL's LIKE agree on every pattern the API accepts", async () => {
  const patterns = ["big _!", "gpt-4_", "gpt-4%", "a\\%b", "a\\_b", "a\\\\b", "a\\xb", "caf_", "%🦀_", "x.y", "(a)|b", "a$"];
  const models = ["gpt-4o", "gpt-4", "gpt-4oo", "a%b", "axb", "a_b", "a\\b", "café", "big 🦀!", "x.y", "xzy", "(a)|b", "a", "a$"];
  for (const pattern of patterns) {
    const { rows } = await h.pool.query("SELECT m, m LIKE $1 AS hit FROM unnest($2::text[]) AS m", [pattern, models]);
    for (const { m, hit } of rows) expect([pattern, m, likeToRegExp(pattern).test(m)]).toEqual([pattern, m, hit]);
  }
});
