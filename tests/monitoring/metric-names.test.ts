import { describe, expect, test } from "vitest";
import { registry as collectorRegistry } from "../../services/collector/metrics.js";
import { ApiMetrics } from "../../services/api/metrics.js";
import { alertRules } from "../../infra/monitoring/alert-rules.js";
import { readFileSync } from "node:fs";
import { pinnedImages } from "../../infra/images.js";
import { customQueryMetrics, exporterMetrics } from "../../infra/monitoring/exporter-metrics.js";
import { parseImageReference } from "../../policies/image-reference.js";
import { recordingRules } from "../../infra/monitoring/recording-rules.js";
import type { Registry } from "prom-client";
import { dashboardsOf, promTargets } from "./support/dashboard-queries.js";
import { promtool } from "./support/promtool.js";
import { metricNames } from "./support/promql-names.js";
import { configOf } from "./support/stack-files.js";

const apiRegistry = new ApiMetrics().registry;

/**
 * What the pinned exporter image exports, read from its source at the pinned tag
 * (tests/monitoring/fixtures/<owner>_<name>@<version>.txt): moving a pin without checking the
 * names again fails here, as the file for the new tag does not exist yet.
 */
function exportedByPinned(key: "postgresExporter" | "redisExporter"): Set<string> {
  const image = parseImageReference(pinnedImages[key].ref);
  if (image.kind !== "name" || !image.tag) throw new Error(`${key} is not pinned by tag`);
  const file = new URL(`./fixtures/${image.repository.replace("/", "_")}@${image.tag.replace(/-alpine$/, "")}.txt`, import.meta.url);
  return new Set(readFileSync(file, "utf8").split("\n").filter((l) => l && !l.startsWith("#")));
}

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

  test.each(["postgresExporter", "redisExporter"] as const)("the pinned %s exports every metric declared for it", (key) => {
    const exported = exportedByPinned(key);
    const declared = exporterMetrics[key].filter((m) => !customQueryMetrics.includes(m));
    expect(declared.length).toBeGreaterThan(4);
    expect(declared.filter((m) => !exported.has(m))).toEqual([]);
  });

  test("the exporters' lists catch a renamed metric (postgres-exporter 0.20 renamed pg_replication_slot_*)", () => {
    const exported = exportedByPinned("postgresExporter");
    expect(exported.has("pg_replication_slot_slot_is_active")).toBe(false);
    expect(exported.has("pg_replication_slots_slot_is_active")).toBe(true);
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
