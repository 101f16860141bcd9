import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { nativeId } from "../../services/api/native-span.js";
import { type Harness, get, startHarness } from "./support/api-harness.js";
import { costNanos, figures, inRange, spansOf, startIso, startMs, traceRows } from "./support/fixture-totals.js";

const DAY = "from=2025-03-10T00:00:00Z&to=2025-03-11T00:00:00Z";
let h: Harness;
let key: string;

beforeAll(async () => {
  h = await startHarness();
  key = h.keys.alpha.read;
});
afterAll(async () => h?.close());

const traceIds = async (query: string) => {
  const r = await get(h.app, `/api/v1/traces?${DAY}&${query}`, key);
  expect(r.status).toBe(200);
  return r.body.traces.map((t: { trace_id: string }) => t.trace_id.slice(-2));
};

describe("GET /api/v1/traces", () => {
  test("one row per trace, newest first, with the figures of all its spans", async () => {
    const r = await get(h.app, `/api/v1/traces?${DAY}`, key);
    expect(r.status).toBe(200);
    expect(r.body.next_cursor).toBeNull();
    const rows = r.body.traces.map(({ root_span_id, environment, providers, models, ...rest }: Record<string, unknown>) => ({
      ...rest,
      models: [...(models as string[])].sort(),
    }));
    expect(rows).toEqual(traceRows("alpha"));
    expect(rows.map((t: { trace_id: string }) => t.trace_id.slice(-2))).toEqual(["a5", "a4", "a3", "a2", "a1"]);
  });

  test("each filter selects exactly the matching traces", async () => {
    expect(await traceIds("service=summarizer")).toEqual(["a2"]);
    expect(await traceIds("environment=staging")).toEqual(["a2"]);
    expect(await traceIds("status=error")).toEqual(["a2"]);
    expect(await traceIds("status=ok")).toEqual(["a5", "a4", "a3", "a1"]);
    expect(await traceIds("provider=anthropic")).toEqual(["a2"]);
    expect(await traceIds("model=gpt-4o")).toEqual(["a3", "a1"]);
    expect(await traceIds("provider=openai&model=gpt-4o-mini")).toEqual(["a5"]);
    expect(await traceIds("user_id=u1")).toEqual(["a3", "a1"]);
    expect(await traceIds("session_id=s3")).toEqual(["a3"]);
    expect(await traceIds("user_id=u1&session_id=s2")).toEqual([]);
    expect(await traceIds("name=REQUEST")).toEqual(["a5", "a3", "a1"]);
    expect(await traceIds("name=%25")).toEqual([]);
    expect(await traceIds("min_duration_ms=1200")).toEqual(["a5", "a2", "a1"]);
    expect(await traceIds("max_duration_ms=400")).toEqual(["a4", "a3"]);
    expect(await traceIds("min_cost_usd=0.0045")).toEqual(["a3", "a2"]);
    expect(await traceIds("max_cost_usd=0.00075")).toEqual(["a5", "a4", "a1"]);
    const r = await get(h.app, "/api/v1/traces?from=2025-03-10T10:15:00Z&to=2025-03-10T11:15:30Z", key);
    expect(r.body.traces.map((t: { trace_id: string }) => t.trace_id.slice(-2))).toEqual(["a2"]);
  });

  test("keyset pages cover every trace once, and a cursor only fits its own filters", async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const r: Awaited<ReturnType<typeof get>> = await get(h.app, `/api/v1/traces?${DAY}&limit=2${cursor ? `&cursor=${cursor}` : ""}`, key);
      expect(r.status).toBe(200);
      seen.push(...r.body.traces.map((t: { trace_id: string }) => t.trace_id.slice(-2)));
      cursor = r.body.next_cursor;
      pages++;
    } while (cursor);
    expect(seen).toEqual(["a5", "a4", "a3", "a2", "a1"]);
    expect(pages).toBe(3);

    const first = await get(h.app, `/api/v1/traces?${DAY}&limit=2`, key);
    const other = await get(h.app, `/api/v1/traces?${DAY}&limit=2&service=chat-app&cursor=${first.body.next_cursor}`, key);
    expect(other.status).toBe(400);
    expect(other.body.parameter).toBe("cursor");
  });
});

describe("GET /api/v1/traces/:traceId", () => {
  test("the spans as a tree with per-span, subtree and total figures", async () => {
    const r = await get(h.app, "/api/v1/traces/000000000000000000000000000000A1", key);
    expect(r.status).toBe(200);
    const expected = figures(spansOf("alpha", (s) => s.trace_id.endsWith("a1")));
    expect(r.body.totals).toEqual({ span_count: 3, input_tokens: expected.input_tokens, output_tokens: expected.output_tokens, cost_usd: expected.cost_usd });
    expect(r.body.spans).toHaveLength(1);
    const root = r.body.spans[0];
    expect(root.span_id).toBe("0000000000000011");
    expect(root.subtree).toEqual(r.body.totals);
    expect(root.children.map((c: { span_id: string }) => c.span_id)).toEqual(["0000000000000013", "0000000000000012"]);
    const llm = root.children[1];
    expect([llm.provider, llm.request_model, llm.input_tokens, llm.output_tokens, llm.cost_usd]).toEqual(["openai", "gpt-4o", 100, 50, 0.00075]);
    expect(llm.subtree).toEqual({ span_count: 1, input_tokens: 100, output_tokens: 50, cost_usd: 0.00075 });
  });

  test("from and to bound where the spans are looked for (by start time), and are checked", async () => {
    const spans = spansOf("alpha", (s) => s.trace_id.endsWith("a1")).sort((a, b) => startMs(a) - startMs(b));
    const tree = (query: string) => get(h.app, `/api/v1/traces/000000000000000000000000000000a1?${query}`, key);
    const iso = (ms: number) => new Date(ms).toISOString();
    const first = startMs(spans[0]!);
    const whole = await tree(`from=${iso(first - 1)}&to=${iso(first + 86_400_000)}`);
    expect(whole.status).toBe(200);
    expect(whole.body).toEqual((await get(h.app, "/api/v1/traces/000000000000000000000000000000a1", key)).body);
    // The root alone: its children start later.
    const root = await tree(`to=${iso(first + 1)}`);
    expect(root.body.totals.span_count).toBe(spans.filter((s) => startMs(s) < first + 1).length);
    expect(root.body.totals.span_count).toBeLessThan(spans.length);
    expect((await tree(`from=${iso(startMs(spans[spans.length - 1]!) + 1)}`)).status).toBe(404);
    const none = await tree(`from=${iso(first - 2)}&to=${iso(first - 1)}`);
    expect([none.status, none.body.message]).toEqual([404, "no such trace in this project between from and to"]);
    const reversed = await tree(`from=${iso(first)}&to=${iso(first)}`);
    expect([reversed.status, reversed.body.parameter]).toEqual([400, "from"]);
    expect((await tree("to=yesterday")).status).toBe(400);
    expect((await tree("start=2025-03-10T00:00:00Z")).status).toBe(400);
  });

  test("a trace priced from the price table, and an unknown trace", async () => {
    const r = await get(h.app, "/api/v1/traces/000000000000000000000000000000a3", key);
    expect(r.body.totals.cost_usd).toBe(0.0045);
    expect((await get(h.app, "/api/v1/traces/000000000000000000000000000000ff", key)).status).toBe(404);
  });
});

describe("GET /api/v1/metrics/timeseries", () => {
  const series = async (query: string) => {
    const r = await get(h.app, `/api/v1/metrics/timeseries?${query.includes("from=") ? "" : `${DAY}&`}${query}`, key);
    expect(r.status).toBe(200);
    return r.body;
  };
  const hourly = (metric: keyof ReturnType<typeof figures>, where = (_: Record<string, any>) => true) =>
    ["10", "11", "12"]
      .map((h) => ({ t: `2025-03-10T${h}:00:00.000Z`, v: figures(spansOf("alpha", (s) => where(s) && inRange(`2025-03-10T${h}:00:00Z`, `2025-03-10T${h}:59:59.999Z`)(s)))[metric] }))
      .filter((p) => p.v !== 0 || metric !== "requests");

  test("counts, tokens and cost per hour from the hourly rollup", async () => {
    for (const metric of ["requests", "errors", "input_tokens", "output_tokens", "cost"] as const) {
      const body = await series(`metric=${metric}&interval=1h`);
      expect(body.source).toBe("span_rollups_1h");
      expect(body.series).toEqual([{ group: null, points: hourly(metric === "cost" ? "cost_usd" : metric) }]);
    }
  });

  test("one day from the hourly rollup, minutes from the per-minute one, groups by model", async () => {
    const day = await series("metric=requests&interval=1d");
    expect(day.series).toEqual([{ group: null, points: [{ t: "2025-03-10T00:00:00.000Z", v: 9 }] }]);
    const minutes = await series("metric=cost&interval=1m&from=2025-03-10T12:00:00Z&to=2025-03-10T13:00:00Z");
    expect(minutes.source).toBe("span_rollups_1m");
    expect(minutes.series[0].points).toEqual([
      { t: "2025-03-10T12:05:00.000Z", v: 0 },
      { t: "2025-03-10T12:59:00.000Z", v: 0.00012 },
    ]);
    const byModel = await series("metric=input_tokens&interval=1d&group_by=model");
    expect(byModel.series).toEqual([
      { group: null, points: [{ t: "2025-03-10T00:00:00.000Z", v: 0 }] },
      { group: "claude-sonnet-4-5", points: [{ t: "2025-03-10T00:00:00.000Z", v: 2000 }] },
      { group: "gpt-4o", points: [{ t: "2025-03-10T00:00:00.000Z", v: 1100 }] },
      { group: "gpt-4o-mini", points: [{ t: "2025-03-10T00:00:00.000Z", v: 400 }] },
      { group: "mystery-embed", points: [{ t: "2025-03-10T00:00:00.000Z", v: 500 }] },
    ]);
  });

  test("user and session filters read raw spans, whose latency goes through the same estimator", async () => {
    const raw = await series("metric=requests&interval=1h&user_id=u1");
    expect(raw.source).toBe("spans");
    expect(raw.series[0].points).toEqual(hourly("requests", (s) => s.metadata.user_id === "u1"));
    // 10:00-11:00 holds 100, 800, 1200 and 3000 ms: the median falls in the 500-1000 ms slot.
    const rolled = await series("metric=latency_p50&interval=1h&from=2025-03-10T10:00:00Z&to=2025-03-10T11:00:00Z");
    expect(rolled.series[0].points).toEqual([{ t: "2025-03-10T10:00:00.000Z", v: 1000 }]);
    // u1 then has 800 and 1200 ms: rank 0.99 * 2 lies in the 1000-2500 slot, capped at its 1200 ms maximum.
    const u1 = await series("metric=latency_p99&interval=1h&from=2025-03-10T10:00:00Z&to=2025-03-10T11:00:00Z&user_id=u1");
    expect(u1.source).toBe("spans");
    expect(u1.series[0].points).toEqual([{ t: "2025-03-10T10:00:00.000Z", v: 1000 + 200 * 0.98 }]);
  });
});

describe("GET /api/v1/costs/summary", () => {
  test("per model with totals, the previous period beside", async () => {
    const r = await get(h.app, "/api/v1/costs/summary?from=2025-03-10T11:00:00Z&to=2025-03-10T13:00:30Z", key);
    expect(r.status).toBe(200);
    // Widened to whole minutes: 11:00 to 13:01, the previous period 08:59 to 11:00.
    expect([r.body.from, r.body.to, r.body.previous_from]).toEqual(["2025-03-10T11:00:00.000Z", "2025-03-10T13:01:00.000Z", "2025-03-10T08:59:00.000Z"]);
    const { errors, ...now } = figures(spansOf("alpha", inRange("2025-03-10T11:00:00Z", "2025-03-10T13:01:00Z")));
    const { errors: _, ...before } = figures(spansOf("alpha", inRange("2025-03-10T08:59:00Z", "2025-03-10T11:00:00Z")));
    expect(r.body.totals).toEqual({ ...now, previous: before });
    expect(r.body.groups.map((g: { key: string; cost_usd: number }) => [g.key, g.cost_usd])).toEqual([
      ["gpt-4o", 0.0045],
      ["gpt-4o-mini", 0.00012],
      [null, 0],
      ["claude-sonnet-4-5", 0], // only in the previous period
      ["mystery-embed", 0],
    ]);
    const gpt4o = r.body.groups[0];
    expect(gpt4o.previous).toEqual({ cost_usd: 0.00075, input_tokens: 100, output_tokens: 50, requests: 1 });
  });

  test("per user from raw spans, per service with a filter", async () => {
    const r = await get(h.app, "/api/v1/costs/summary?group_by=user&from=2025-03-10T09:00:00Z&to=2025-03-10T14:00:00Z", key);
    const users = ["u2", "u1", "u3", null].map((u) => {
      const { errors, ...f } = figures(spansOf("alpha", (s) => (s.metadata.user_id ?? null) === u));
      return { key: u, ...f };
    });
    expect(r.body.groups.map(({ previous, ...g }: Record<string, unknown>) => g)).toEqual(users);
    const s = await get(h.app, "/api/v1/costs/summary?group_by=service&provider=openai&from=2025-03-10T09:00:00Z&to=2025-03-10T14:00:00Z", key);
    expect(s.body.groups.map((g: { key: string; requests: number }) => [g.key, g.requests])).toEqual([
      ["chat-app", 3],
      ["indexer", 1],
    ]);
  });
});

describe("POST /api/v1/spans and GET /api/v1/prices", () => {
  test("the original workflow's test_span.json is stored once, whatever the repeats", async () => {
    const body = readFileSync(new URL("../fixtures/test_span.json", import.meta.url), "utf8");
    const span = JSON.parse(body);
    for (let i = 0; i < 2; i++) {
      const res = await h.app.inject({
        method: "POST",
        url: "/api/v1/spans",
        headers: { "x-api-key": h.keys.alpha.ingest, "content-type": "application/json" },
        payload: body,
      });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ accepted: 1, rejected: 0 });
    }
    const tree = await get(h.app, `/api/v1/traces/${nativeId(span.trace_id, 32)}`, key);
    expect(tree.body.totals).toEqual({ span_count: 1, input_tokens: 15, output_tokens: 8, cost_usd: costNanos(span)! / 1e9 });
    const stored = tree.body.spans[0];
    expect([stored.user_id, stored.session_id, stored.environment, stored.service_name, stored.start_time]).toEqual([
      "user_123",
      "session_abc",
      "development",
      "chat-app",
      startIso(span),
    ]);
    expect(stored.attributes["llm.native.trace_id"]).toBe("trace_456");
  });

  test("a body of only undecodable spans is a 400; a mixed one stores the good ones", async () => {
    const post = (payload: unknown) =>
      h.app.inject({ method: "POST", url: "/api/v1/spans", headers: { "x-api-key": h.keys.alpha.ingest }, payload: payload as object });
    const bad = await post([{ trace_id: "t" }]);
    expect(bad.statusCode).toBe(400);
    const mixed = await post([{ name: "x" }, { ...JSON.parse(readFileSync(new URL("../fixtures/test_span.json", import.meta.url), "utf8")), span_id: "other" }]);
    expect(mixed.json()).toMatchObject({ accepted: 1, rejected: 1 });
    expect((await post([{ trace_id: "t" }])).json().parameter).toBe("body");
  });

  test("prices by provider and by a model name matching patterns", async () => {
    const r = await get(h.app, "/api/v1/prices?provider=openai&model=gpt-4o-2024-08-06", key);
    expect(r.status).toBe(200);
    expect(r.body.prices.map((p: { model_pattern: string }) => p.model_pattern)).toEqual(["gpt-4o-2024-%"]);
  });
});
