import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { expect, test } from "vitest";
import { stringify } from "yaml";
import { prometheusUploads } from "../../infra/prometheus.js";
import { alertRules, type AlertRule } from "../../infra/monitoring/alert-rules.js";
import { prometheusPaths } from "../../infra/monitoring/prometheus-config.js";
import { alertCases, restartedCollector } from "./support/alert-cases.js";
import { promtool } from "./support/promtool.js";
import { configOf, writeUploads } from "./support/stack-files.js";

const config = configOf("prod");
const rules = alertRules(config);

const inputSeries = (series: Record<string, string>) => Object.entries(series).map(([s, values]) => ({ series: s, values }));

/** The annotations promtool must render: the rule's own, with the case's labels and summary filled in. */
function expectedAnnotations(rule: AlertRule, labels: Record<string, string>, summary: string) {
  const description = rule.annotations.description.replace(/\{\{ \$labels\.(\w+) \}\}/g, (_, l: string) => labels[l]!);
  expect(description, `${rule.alert}: description templates beyond $labels need an expected value`).not.toContain("{{");
  return { ...rule.annotations, summary, description };
}

function testGroups(rule: AlertRule) {
  const c = alertCases[rule.alert]!;
  const check = (series: Record<string, string>, alerts: object[]) => ({
    interval: "1m",
    input_series: inputSeries(series),
    alert_rule_test: [{ eval_time: c.evalTime, alertname: rule.alert, exp_alerts: alerts }],
  });
  const fired = { exp_labels: c.fire.labels, exp_annotations: expectedAnnotations(rule, c.fire.labels, c.fire.summary) };
  return [check(c.fire.series, [fired]), check(c.silent, []), ...(rule.alert === "NoSpansReceived" ? [check(restartedCollector, [])] : [])];
}

test("every alert of the prod stack has a firing and a silent case", () => {
  expect(Object.keys(alertCases).sort()).toEqual(rules.map((r) => r.alert).sort());
});

test("promtool test rules: each alert fires on its case (labels and rendered annotations) and stays silent on the other", async () => {
  const root = await writeUploads(prometheusUploads(config));
  const ruleFile = join(root, prometheusPaths.rulesDir, "observatory.rules.yml");
  const tests = join(root, "alerts.test.yml");
  await writeFile(tests, stringify({ rule_files: [ruleFile], evaluation_interval: "1m", tests: rules.flatMap(testGroups) }));
  const result = await promtool(["test", "rules", tests]);
  expect(result.output).toContain("SUCCESS");
  expect(result.code, result.output).toBe(0);
});

test("promtool test rules fails when an expectation is wrong (the check can fail)", async () => {
  const root = await writeUploads(prometheusUploads(config));
  const tests = join(root, "wrong.test.yml");
  const c = alertCases["PostgresDown"]!;
  const group = { interval: "1m", input_series: inputSeries(c.silent), alert_rule_test: [{ eval_time: c.evalTime, alertname: "PostgresDown", exp_alerts: [{ exp_labels: c.fire.labels }] }] };
  await writeFile(tests, stringify({ rule_files: [join(root, prometheusPaths.rulesDir, "observatory.rules.yml")], evaluation_interval: "1m", tests: [group] }));
  const result = await promtool(["test", "rules", tests]);
  expect(result.code).toBe(1);
  expect(result.output).toContain("alertname: PostgresDown");
});
