import { describe, expect, test } from "vitest";
import { registry as collectorRegistry } from "../../services/collector/metrics.js";
import { ApiMetrics } from "../../services/api/metrics.js";
import { alertRules } from "../../infra/monitoring/alert-rules.js";
import { exporterMetrics } from "../../infra/monitoring/exporter-metrics.js";
import { recordingRules } from "../../infra/monitoring/recording-rules.js";
import type { Registry } from "prom-client";
import { dashboardsOf, promTargets } from "./support/dashboard-queries.js";
import { promtool } from "./support/promtool.js";
import { metricNames } from "./support/promql-names.js";
import { configOf } from "./support/stack-files.js";

const apiRegistry = new ApiMetrics().registry;

/** Every series name a registry exposes (histograms as _bucket, _sum and _count). */
async function exposed(registry: Registry): Promise<string[]> {
  const suffixes = { histogram: ["_bucket", "_sum", "_count"], summary: ["", "_sum", "_count"] } as Record<string, string[]>;
  return (await registry.getMetricsAsJSON()).flatMap((m) => (suffixes[String(m.type)] ?? [""]).map((s) => `${m.name}${s}`));
}

const config = configOf("prod");
const expressions = [
  ...Object.entries(recordingRules).map(([name, expr]) => ({ where: `recording rule ${name}`, expr })),
  ...alertRules(config).map((r) => ({ where: `alert ${r.alert}`, expr: r.expr })),
  ...promTargets(dashboardsOf(config.monitoring)).map((t) => ({ where: t.where, expr: t.target.expr! })),
];

describe("metric names in rules and dashboards", () => {
  test("the name extraction finds exactly the selected metrics", () => {
    expect(metricNames('sum by (le) (rate(a_bucket{route!~"/metrics|x"}[5m])) / on() group_left(b) c:d:e > bool 0.99 and max(time() - f)')).toEqual(["a_bucket", "c:d:e", "f"]);
  });

  test("every metric a rule or panel names is exported by a service, a declared exporter metric or a recording rule", async () => {
    const known = new Set([
      ...(await exposed(collectorRegistry)),
      ...(await exposed(apiRegistry)),
      ...Object.values(exporterMetrics).flat(),
      ...Object.keys(recordingRules),
    ]);
    const unknown = expressions.flatMap(({ where, expr }) => metricNames(expr).filter((n) => !known.has(n)).map((n) => `${where}: ${n}`));
    expect(unknown).toEqual([]);
    // The check bites: a misspelt name is reported.
    expect(metricNames("rate(observatory_collector_spans_recieved_total[5m])").filter((n) => !known.has(n))).toEqual(["observatory_collector_spans_recieved_total"]);
  });

  test("every recording rule is read by a dashboard or an alert", () => {
    const read = new Set(expressions.filter((e) => !e.where.startsWith("recording rule")).flatMap((e) => metricNames(e.expr)));
    expect(Object.keys(recordingRules).filter((r) => !read.has(r))).toEqual([]);
  });

  test.each([["collector", collectorRegistry], ["API", apiRegistry]] as const)("the %s's own metrics pass promtool check metrics", async (_, registry) => {
    // Only the observatory_* families: prom-client's default nodejs_* gauges end in _total, which the linter flags.
    const text = (await registry.metrics()).split("\n").filter((l) => /^(# (HELP|TYPE) )?observatory_/.test(l)).join("\n") + "\n";
    expect(text).toContain("# TYPE observatory_");
    const result = await promtool(["check", "metrics"], text);
    expect(result, result.output).toEqual({ code: 0, output: "" });
  });
});
