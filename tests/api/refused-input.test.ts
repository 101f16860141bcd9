import { afterAll, beforeAll, expect, test } from "vitest";
import { MODELS_PER_PROVIDER } from "../../services/core/metric-labels.js";
import { likeToRegExp } from "../../services/core/pricing.js";
import { BOOTSTRAP_KEY, type Harness, type NativeSpan, get, startHarness } from "./support/api-harness.js";

/** Input that used to be coerced, mangled or answered 500: each now gets a status and a message. */

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ API_MAX_ANSWER_BYTES: String(ANSWER_LIMIT) });
});
afterAll(async () => h?.close());

const RANGE = "from=2025-03-10T00:00:00Z&to=2025-03-11T00:00:00Z";
const ANSWER_LIMIT = 200_000;

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

/** JSON text of a value nested `levels` deep (built as text: JSON.stringify itself would overflow). */
function nested(levels: number, kind: "array" | "object"): string {
  return kind === "array" ? `${"[".repeat(levels)}"leaf"${"]".repeat(levels)}` : `${'{"a":'.repeat(levels)}"leaf"${"}".repeat(levels)}`;
}

test("spans nested too deep are rejected one by one; a good span in the same request is stored", async () => {
  const good = nativeSpan();
  const deepAttributes = JSON.stringify(nativeSpan({ attributes: { deep: "DEEP" } })).replace('"DEEP"', nested(4_000, "array"));
  const deepInput = JSON.stringify(nativeSpan({ input: "DEEP" })).replace('"DEEP"', nested(6_000, "object"));
  const payload = `[${deepAttributes},${deepInput},${JSON.stringify(good)}]`;
  expect(payload.length).toBeLessThan(100_000);
  const r = await h.app.inject({ method: "POST", url: "/api/v1/spans", headers: { "x-api-key": h.keys.alpha.ingest, "content-type": "application/json" }, payload });
  expect(r.statusCode).toBe(200);
  const message = "attribute values nest arrays or maps deeper than 32 levels";
  expect(r.json()).toMatchObject({ accepted: 1, rejected: 2, errors: [{ index: 0, message }, { index: 1, message }] });
  const { rows } = await h.pool.query("SELECT count(*)::int AS n FROM spans WHERE attributes->>'llm.native.span_id' = $1", [good.span_id]);
  expect(rows[0].n).toBe(1);
});

test("absurd token counts and costs are ignored with a warning per span, the same as on the OTLP path", async () => {
  const counts = [1e20, -5, 1.5, 2_147_483_648, "x"];
  const body = [
    ...counts.map((n) => nativeSpan({ token_usage: { prompt_tokens: n } })),
    nativeSpan({ cost: { amount_usd: 1e20, currency: "USD" } }),
    nativeSpan({ cost: { amount_usd: -1, currency: "USD" } }),
    nativeSpan({ token_usage: { prompt_tokens: "1200" } }),
  ];
  const r = (await call("POST", "/api/v1/spans", h.keys.alpha.ingest, body)).json();
  expect([r.accepted, r.rejected]).toEqual([8, 0]);
  expect(r.warnings.map((w: { index: number }) => w.index)).toEqual([0, 1, 2, 3, 4, 5, 6]);
  expect(r.warnings[0].message).toBe("llm.usage.prompt_tokens ignored: a token count must be an integer from 0 to 2147483647");
  expect(r.warnings[5].message).toMatch(/^llm\.cost\.total_usd ignored: a cost must be a number of USD/);
  expect(r.error_message).toMatch(/llm\.usage\.prompt_tokens ignored/);
});

test("events and attributes are capped per span, and no answer is larger than API_MAX_ANSWER_BYTES", async () => {
  const events = Array.from({ length: 5_000 }, () => ({ name: "e" }));
  const attributes = Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`k${i}`, "v".repeat(1_000)]));
  const span = nativeSpan({ trace_id: "trace_capped", events, attributes });
  const r = (await call("POST", "/api/v1/spans", h.keys.alpha.ingest, span)).json();
  expect(r).toMatchObject({ accepted: 1, rejected: 0 });
  expect(r.warnings.map((w: { message: string }) => w.message)).toEqual([
    "attributes over 128 per span, event or resource dropped",
    "events over 128 per span dropped",
  ]);
  const tree = await get(h.app, "/api/v1/traces/trace_capped", h.keys.alpha.read);
  expect(tree.status).toBe(200);
  expect(tree.body.spans[0].events).toHaveLength(128);
  expect(tree.body.spans[0].attributes["observatory.dropped_events_count"]).toBe(5_000 - 128);

  // Two spans of 128 attributes of 1,000 characters are over the 200 kB this app allows.
  await call("POST", "/api/v1/spans", h.keys.alpha.ingest, [1, 2].map(() => nativeSpan({ trace_id: "trace_big", attributes })));
  const big = await get(h.app, "/api/v1/traces/trace_big", h.keys.alpha.read);
  expect([big.status, big.body.message]).toEqual([422, expect.stringMatching(/more than the limit of 200000 \(API_MAX_ANSWER_BYTES\)/)]);
});

test("the provider and model label values of /metrics are bounded, whatever clients send", async () => {
  const spans = Array.from({ length: 300 }, (_, i) => nativeSpan({ provider: i % 2 ? `made-up-${i}` : "openai", model: `model-${i}`, cost: { amount_usd: 1, currency: "USD" } }));
  expect((await call("POST", "/api/v1/spans", h.keys.alpha.ingest, spans)).json()).toMatchObject({ accepted: 300 });
  const text = (await h.app.inject({ method: "GET", url: "/metrics" })).body;
  const series = text.split("\n").filter((l) => l.startsWith("observatory_api_ingested_cost_usd_total{"));
  expect(series.filter((l) => l.includes('provider="openai"'))).toHaveLength(MODELS_PER_PROVIDER + 1);
  expect(series.filter((l) => l.includes("made-up"))).toEqual([]);
  expect(series).toContain('observatory_api_ingested_cost_usd_total{provider="other",model="other"} 150');
});

test("native times: a start at the epoch and an end out of range are rejected, each with its own message", async () => {
  const body = [
    nativeSpan({ latency: { start_time: "1970-01-01T00:00:00Z", total_ms: 5 } }),
    nativeSpan({ latency: { start_time: "2025-03-10T12:00:00Z", end_time: "10000-01-01T00:00:00Z" } }),
    nativeSpan({ latency: { start_time: "2025-03-10T12:00:00Z", total_ms: 1e15 } }),
    nativeSpan(),
  ];
  const r = (await call("POST", "/api/v1/spans", h.keys.alpha.ingest, body)).json();
  expect([r.accepted, r.rejected]).toEqual([1, 3]);
  expect(r.errors).toEqual([
    { index: 0, message: expect.stringMatching(/^start time is 0 \(the Unix epoch/) },
    { index: 1, message: "latency.end_time must be an RFC 3339 time from 1970 to 9999" },
    { index: 2, message: "end time is beyond year 9999" },
  ]);
});
