/**
 * What Prometheus 3 changed that Debian's promtool 2.42 cannot see, held against what the stack
 * generates. The changes are those of Prometheus's migration guide (docs/migration.md at v3.13.2);
 * promtool 2.42 still checks the syntax of the configuration and rules, parses every expression and
 * runs the alert tests, because everything the stack uses is common to 2.42 and 3.x.
 */
import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, test } from "vitest";
import { parse } from "yaml";
import { pinnedImages } from "../../infra/images.js";
import { alertRules } from "../../infra/monitoring/alert-rules.js";
import { prometheusPaths } from "../../infra/monitoring/prometheus-config.js";
import { recordingRules } from "../../infra/monitoring/recording-rules.js";
import { prometheusUploads } from "../../infra/prometheus.js";
import { ApiMetrics } from "../../services/api/metrics.js";
import { registry as collectorRegistry } from "../../services/collector/metrics.js";
import { containerOf } from "../infra/stack-queries.js";
import { runStack } from "../support/pulumi-stack.js";
import { dashboardsOf, promTargets } from "./support/dashboard-queries.js";
import { configOf } from "./support/stack-files.js";

const config = configOf("prod");
const expressions = [
  ...Object.values(recordingRules),
  ...alertRules(config).map((r) => r.expr),
  ...promTargets(dashboardsOf(config.monitoring)).map((t) => t.target.expr!),
];

/** Every key of a parsed YAML document, at any depth. */
const keysOf = (value: unknown): string[] =>
  Array.isArray(value) ? value.flatMap(keysOf) : value && typeof value === "object" ? Object.entries(value).flatMap(([k, v]) => [k, ...keysOf(v)]) : [];

/** The flags of the pinned line, read from its source (fixtures/prom_prometheus@v<major.minor>-flags.txt). */
function pinnedFlags(): Set<string> {
  const line = /:v(\d+\.\d+)\./.exec(pinnedImages.prometheus.ref)![1];
  const file = new URL(`./fixtures/prom_prometheus@v${line}-flags.txt`, import.meta.url);
  return new Set(readFileSync(file, "utf8").split("\n").filter((l) => l && !l.startsWith("#")));
}

const flagName = (arg: string) => /^--(?:no-)?([a-z0-9._-]+)/.exec(arg)?.[1];

describe("the stack's Prometheus configuration against the 3.x changes", () => {
  let command: string[];
  beforeAll(async () => {
    command = containerOf((await runStack("prod")).resources, "prometheus").inputs.command!;
  });

  test("every flag of the container's command exists in the pinned line (2.x's --storage.tsdb.retention would not)", () => {
    const flags = pinnedFlags();
    expect(command.length).toBeGreaterThan(2);
    expect(command.map(flagName).filter((f) => !f || !flags.has(f))).toEqual([]);
    expect(flags.has("storage.tsdb.retention")).toBe(false);
  });

  test("no feature flag that 3.x removed or made default is passed", () => {
    const removed = ["promql-at-modifier", "promql-negative-offset", "new-service-discovery-manager", "expand-external-labels",
      "no-default-scrape-port", "agent", "remote-write-receiver", "auto-gomemlimit", "auto-gomaxprocs", "native-histograms"];
    const features = command.filter((a) => a.startsWith("--enable-feature=")).flatMap((a) => a.split("=")[1]!.split(","));
    expect(features.filter((f) => removed.includes(f))).toEqual([]);
  });

  test("the uploaded files use no configuration key 3.x renamed, and no Alertmanager v1 API", () => {
    const documents = prometheusUploads(config).map((u) => parse(u.content) as unknown);
    const keys = documents.flatMap(keysOf);
    expect(keys).toContain("scrape_configs");
    expect(keys.filter((k) => k === "scrape_classic_histograms")).toEqual([]);
    const config3 = documents[0] as { alerting?: { alertmanagers?: { api_version?: string }[] } };
    expect((config3.alerting?.alertmanagers ?? []).filter((a) => a.api_version === "v1")).toEqual([]);
    expect(prometheusUploads(config)[0]!.file).toBe(prometheusPaths.config);
  });

  test("no expression calls holt_winters (renamed double_exponential_smoothing, behind a feature flag)", () => {
    expect(expressions.length).toBeGreaterThan(30);
    expect(expressions.filter((e) => /\bholt_winters\s*\(/.test(e))).toEqual([]);
  });

  test("no expression matches a le or quantile value, which 3.x normalises on ingestion (le=\"1\" becomes \"1.0\")", () => {
    expect(expressions.filter((e) => /\b(le|quantile)\s*(=|!=|=~|!~)\s*"/.test(e))).toEqual([]);
  });
});

test.each([
  ["collector", collectorRegistry.contentType],
  ["API", new ApiMetrics().registry.contentType],
])("the %s's /metrics answers with a Content-Type 3.x accepts (it fails a scrape without one)", (_, contentType) => {
  const accepted = ["text/plain;version=0.0.4", "text/plain;version=1.0.0", "application/openmetrics-text;version=0.0.1", "application/openmetrics-text;version=1.0.0"];
  const [media, ...params] = contentType.split(";").map((p) => p.trim().toLowerCase());
  const version = params.find((p) => p.startsWith("version="));
  expect(accepted).toContain(`${media};${version}`);
});
