import pg from "pg";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { dimensionColumns, llmUsageVariables } from "../../infra/monitoring/dashboards/llm-usage.js";
import { type Harness, startHarness } from "../api/support/api-harness.js";
import { dashboardsOf, sqlTargets } from "./support/dashboard-queries.js";
import { expandGrafanaSql, type GrafanaQueryContext } from "./support/grafana-sql.js";
import { configOf } from "./support/stack-files.js";

const hour = (h: number) => String(Date.UTC(2025, 2, 10, h) / 1000);
const costs = { a1: 0.00075, a2: 0.0105, a3: 0.0045, a5: 0.00012 };
const series = (rows: [number, string, number][]) => rows.map(([h, metric, value]) => ({ time: hour(h), metric, value }));

/** What each SQL target returns for project alpha, 09:00-14:00 on the fixtures' day, hourly, split by model. */
const expected: Record<string, Record<string, unknown>[]> = {
  "LLM usage / Requests / A": [{ value: 9 }],
  "LLM usage / Tokens / A": [{ value: 150 + 2300 + 1200 + 500 + 500 }],
  "LLM usage / Cost / A": [{ value: 0.01587 }],
  "LLM usage / Error rate / A": [{ value: 1 / 9 }],
  "LLM usage / Requests by $dimension / A": series([
    [10, "(none)", 2], [10, "claude-sonnet-4-5", 1], [10, "gpt-4o", 1], [11, "(none)", 1], [11, "gpt-4o", 1],
    [12, "(none)", 1], [12, "gpt-4o-mini", 1], [12, "mystery-embed", 1],
  ]),
  "LLM usage / Tokens by $dimension / A": series([
    [10, "(none)", 0], [10, "claude-sonnet-4-5", 2300], [10, "gpt-4o", 150], [11, "(none)", 0], [11, "gpt-4o", 1200],
    [12, "(none)", 0], [12, "gpt-4o-mini", 500], [12, "mystery-embed", 500],
  ]),
  "LLM usage / Cost by $dimension / A": series([
    [10, "(none)", 0], [10, "claude-sonnet-4-5", costs.a2], [10, "gpt-4o", costs.a1], [11, "(none)", 0], [11, "gpt-4o", costs.a3],
    [12, "(none)", 0], [12, "gpt-4o-mini", costs.a5], [12, "mystery-embed", 0],
  ]),
  // Hour 10 holds 100, 800, 1200 and 3000 ms: the median interpolates inside the (500, 1000] slot.
  "LLM usage / Latency p50 / p95 / p99 / A": [
    { time: hour(10), p50: 1000, p95: 2900, p99: 2980 },
    { time: hour(11), p50: 325, p95: 392.5, p99: 398.5 },
    { time: hour(12), p50: 5250, p95: 5925, p99: 5985 },
  ],
  "LLM usage / Error rate over time / A": [{ time: hour(10), error_rate: 0.25 }, { time: hour(11), error_rate: 0 }, { time: hour(12), error_rate: 0 }],
  "LLM usage / Top users by cost / A": [
    { user: "u2", spans: 1, traces: 1, tokens: 2300, cost_usd: costs.a2 },
    { user: "u1", spans: 4, traces: 2, tokens: 1350, cost_usd: 0.00525 },
    { user: "u3", spans: 2, traces: 1, tokens: 500, cost_usd: costs.a5 },
  ],
  "LLM usage / Top sessions by cost / A": [
    { session: "s2", spans: 1, traces: 1, tokens: 2300, cost_usd: costs.a2 },
    { session: "s3", spans: 2, traces: 1, tokens: 1200, cost_usd: costs.a3 },
    { session: "s1", spans: 2, traces: 1, tokens: 150, cost_usd: costs.a1 },
    { session: "s4", spans: 2, traces: 1, tokens: 500, cost_usd: costs.a5 },
  ],
  "LLM usage / Most expensive traces / A": [
    { trace_id: "000000000000000000000000000000a2", root_span: "summarize", started: new Date("2025-03-10T10:30:00Z"), spans: 1, tokens: 2300, cost_usd: costs.a2 },
    { trace_id: "000000000000000000000000000000a3", root_span: "chat-request", started: new Date("2025-03-10T11:15:30Z"), spans: 2, tokens: 1200, cost_usd: costs.a3 },
    { trace_id: "000000000000000000000000000000a1", root_span: "chat-request", started: new Date("2025-03-10T10:00:00Z"), spans: 3, tokens: 150, cost_usd: costs.a1 },
    { trace_id: "000000000000000000000000000000a5", root_span: "chat-request", started: new Date("2025-03-10T12:59:59.500Z"), spans: 2, tokens: 500, cost_usd: costs.a5 },
  ],
};

const context = (dimension: string): GrafanaQueryContext => ({
  from: new Date("2025-03-10T09:00:00Z"),
  to: new Date("2025-03-10T14:00:00Z"),
  interval: "1h",
  variables: { project: "alpha", dimension },
});

/** node-postgres returns bigint and numeric as strings; Grafana reads them as numbers. */
const numeric = (row: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(row).map(([k, v]) => [k, typeof v === "string" && k !== "time" && /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : v]));

describe("every SQL panel, macros expanded as Grafana does, on fixture spans ingested through the API's pipeline", () => {
  let h: Harness;
  let readonly: pg.Client;
  const targets = sqlTargets(dashboardsOf(configOf("prod").monitoring));
  const run = async (sql: string, dimension = "model") => {
    const result = await readonly.query(expandGrafanaSql(sql, context(dimension)));
    return { columns: result.fields.map((f) => f.name), rows: result.rows.map(numeric) };
  };

  beforeAll(async () => {
    h = await startHarness();
    readonly = new pg.Client({ connectionString: h.db.url });
    await readonly.connect();
    // Grafana's datasource logs in as this role: its grants are part of what is tested.
    await readonly.query("SET ROLE observatory_readonly");
  });
  afterAll(async () => {
    await readonly?.end();
    await h?.close();
  });

  test("each SQL target has its expected result here", () => {
    expect(targets.map((t) => t.where).sort()).toEqual(Object.keys(expected).sort());
  });

  test.each(Object.keys(expected))("%s", async (where) => {
    const { target } = targets.find((t) => t.where === where)!;
    const { columns, rows } = await run(target.rawSql!);
    expect(rows).toEqual(expected[where]);
    expect(columns).toEqual(Object.keys(expected[where]![0]!));
    if (target.format === "time_series") expect(columns[0]).toBe("time");
  });

  test("the series split by provider and by service name one series per value", async () => {
    const requests = targets.find((t) => t.where === "LLM usage / Requests by $dimension / A")!.target.rawSql!;
    const metrics = async (dimension: string) => [...new Set((await run(requests, dimension)).rows.map((r) => r["metric"]))].sort();
    expect(dimensionColumns).toEqual(["model", "provider", "service_name"]);
    expect(await metrics("provider")).toEqual(["(none)", "anthropic", "openai"]);
    expect(await metrics("service_name")).toEqual(["chat-app", "indexer", "summarizer"]);
  });

  test("the project variable lists the projects", async () => {
    const project = llmUsageVariables.find((v) => v.name === "project")!;
    expect((await readonly.query(project.query!)).rows).toEqual([{ id: "alpha" }, { id: "beta" }, { id: "default" }]);
  });
});

describe("Grafana's macro expansion", () => {
  test("matches the expansion Grafana's PostgreSQL datasource produces", () => {
    const ctx = { from: new Date("2025-03-10T09:00:00.250Z"), to: new Date("2025-03-10T14:00:00Z"), interval: "5m", variables: { project: "alpha" } };
    expect(expandGrafanaSql("SELECT $__timeGroupAlias(bucket, $__interval), x FROM t WHERE $__timeFilter(bucket) AND p = '$project'", ctx)).toBe(
      `SELECT floor(extract(epoch from bucket)/300)*300 AS "time", x FROM t WHERE bucket BETWEEN '2025-03-10T09:00:00.25Z' AND '2025-03-10T14:00:00Z' AND p = 'alpha'`,
    );
    // The pre-5.3 form: $__timeGroup followed by a comma is aliased.
    expect(expandGrafanaSql("SELECT $__timeGroup(t, '1h'), v, $__timeGroup(t, '1m') AS b", ctx)).toBe(
      'SELECT floor(extract(epoch from t)/3600)*3600 AS "time", v, floor(extract(epoch from t)/60)*60 AS b',
    );
    expect(() => expandGrafanaSql("SELECT $__unknown(x)", ctx)).toThrow('unknown macro "__unknown"');
  });
});
