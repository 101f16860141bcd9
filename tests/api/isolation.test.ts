import { afterAll, beforeAll, expect, test } from "vitest";
import { type Harness, FIXTURES, get, startHarness } from "./support/api-harness.js";
import { figures, spansOf } from "./support/fixture-totals.js";

/**
 * Projects alpha and beta share a trace id, a service, a user, a session, a provider and a
 * model, with different figures. Every read, with every filter, must show only the key's own.
 */
let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h?.close());

const RANGE = "from=2025-03-10T00:00:00Z&to=2025-03-11T00:00:00Z";
const FILTERS = [
  "",
  "service=chat-app",
  "environment=production",
  "provider=openai",
  "model=gpt-4o",
  "user_id=u1",
  "session_id=s1",
  "service=beta-service",
  "user_id=u9",
  "status=error",
  "name=chat",
  "min_cost_usd=0",
  "provider=openai&model=gpt-4o&user_id=u1&session_id=s1&service=chat-app&environment=production",
];
const ownTraces = (project: "alpha" | "beta") => new Set(FIXTURES[project].map((s) => s.trace_id));

test("trace lists: only the key's project, whatever the filters", async () => {
  for (const project of ["alpha", "beta"] as const) {
    const other = project === "alpha" ? "beta" : "alpha";
    for (const filter of FILTERS) {
      const r = await get(h.app, `/api/v1/traces?${RANGE}&${filter}`, h.keys[project].read);
      expect(r.status).toBe(200);
      for (const t of r.body.traces) {
        expect(ownTraces(project).has(t.trace_id)).toBe(true);
        // The shared trace id a1 must carry this project's figures, not the other's.
        if (t.trace_id.endsWith("a1")) expect(t.cost_usd).toBe(figures(spansOf(project, (s) => s.trace_id === t.trace_id)).cost_usd);
      }
      const otherOnly = [...ownTraces(other)].filter((id) => !ownTraces(project).has(id));
      expect(r.body.traces.filter((t: { trace_id: string }) => otherOnly.includes(t.trace_id))).toEqual([]);
    }
  }
  const beta = await get(h.app, `/api/v1/traces?${RANGE}&user_id=u1`, h.keys.beta.read);
  expect(beta.body.traces.map((t: { cost_usd: number }) => t.cost_usd)).toEqual([0.5]);
});

test("trace trees: the shared trace id shows each project its own spans; the other's id is 404", async () => {
  const alpha = await get(h.app, "/api/v1/traces/000000000000000000000000000000a1", h.keys.alpha.read);
  const beta = await get(h.app, "/api/v1/traces/000000000000000000000000000000a1", h.keys.beta.read);
  expect(alpha.body.totals).toEqual({ span_count: 3, input_tokens: 100, output_tokens: 50, cost_usd: 0.00075 });
  expect(beta.body.totals).toEqual({ span_count: 2, input_tokens: 7, output_tokens: 3, cost_usd: 0.5 });
  expect((await get(h.app, "/api/v1/traces/000000000000000000000000000000b2", h.keys.alpha.read)).status).toBe(404);
  expect((await get(h.app, "/api/v1/traces/000000000000000000000000000000a2", h.keys.beta.read)).status).toBe(404);
});

test("time series and cost summaries: the project's own totals under every filter", async () => {
  const filters: [string, (s: Record<string, any>) => boolean][] = [
    ["", () => true],
    ["service=chat-app", (s) => s.service_name === "chat-app"],
    ["provider=openai", (s) => s.provider === "openai"],
    ["model=gpt-4o", (s) => s.model === "gpt-4o"],
    ["environment=production", (s) => s.metadata.environment === "production"],
    ["user_id=u1", (s) => s.metadata.user_id === "u1"],
    ["session_id=s1", (s) => s.metadata.session_id === "s1"],
  ];
  for (const project of ["alpha", "beta"] as const) {
    for (const [filter, where] of filters) {
      const expected = figures(spansOf(project, where));
      for (const metric of ["requests", "cost", "input_tokens"] as const) {
        const r = await get(h.app, `/api/v1/metrics/timeseries?metric=${metric}&interval=1d&${RANGE}&${filter}`, h.keys[project].read);
        expect(r.status).toBe(200);
        const total = r.body.series.flatMap((s: { points: { v: number }[] }) => s.points).reduce((n: number, p: { v: number }) => n + p.v, 0);
        expect(total).toBe(expected[metric === "cost" ? "cost_usd" : metric]);
      }
      if (filter.startsWith("user_id") || filter.startsWith("session_id")) continue;
      const c = await get(h.app, `/api/v1/costs/summary?${RANGE}&${filter}`, h.keys[project].read);
      const { errors, ...totals } = expected;
      expect({ ...c.body.totals, previous: undefined }).toEqual({ ...totals, previous: undefined });
    }
    for (const group of ["user", "session", "service", "provider", "environment"]) {
      const c = await get(h.app, `/api/v1/costs/summary?${RANGE}&group_by=${group}`, h.keys[project].read);
      expect(c.body.totals.requests).toBe(FIXTURES[project].length);
      expect(c.body.groups.reduce((n: number, g: { requests: number }) => n + g.requests, 0)).toBe(FIXTURES[project].length);
    }
  }
});

test("a key of one project cannot write into another: ingest lands in the key's project", async () => {
  const span = { ...FIXTURES.beta[2], trace_id: "0000000000000000000000000000c0de", project_id: "alpha" };
  const res = await h.app.inject({ method: "POST", url: "/api/v1/spans", headers: { "x-api-key": h.keys.beta.ingest }, payload: span });
  expect(res.json()).toEqual({ accepted: 1, rejected: 0 });
  expect((await get(h.app, "/api/v1/traces/0000000000000000000000000000c0de", h.keys.alpha.read)).status).toBe(404);
  expect((await get(h.app, "/api/v1/traces/0000000000000000000000000000c0de", h.keys.beta.read)).status).toBe(200);
});
