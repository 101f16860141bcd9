import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { parse, stringify } from "yaml";
import { prometheusUploads } from "../../infra/prometheus.js";
import { alertRules } from "../../infra/monitoring/alert-rules.js";
import { prometheusPaths } from "../../infra/monitoring/prometheus-config.js";
import { recordingRules } from "../../infra/monitoring/recording-rules.js";
import { promtool } from "./support/promtool.js";
import { configOf, writeUploads } from "./support/stack-files.js";

describe.each(["dev", "prod"] as const)("what the %s stack uploads into Prometheus", (stack) => {
  const config = configOf(stack);
  const uploads = prometheusUploads(config);
  const ruleCount = Object.keys(recordingRules).length + alertRules(config).length;

  test("promtool check config accepts prometheus.yml as uploaded", async () => {
    const root = await writeUploads(uploads);
    const result = await promtool(["check", "config", "--syntax-only", join(root, prometheusPaths.config)]);
    expect(result, result.output).toMatchObject({ code: 0 });
  });

  test("promtool check config loads every rule file it names from the uploads", async () => {
    const root = await writeUploads(uploads);
    // The uploaded file names absolute container paths; here they live under the temp dir.
    const config = parse(uploads.find((u) => u.file === prometheusPaths.config)!.content) as { rule_files: string[] };
    const local = join(root, "prometheus.local.yml");
    await writeFile(local, stringify({ ...config, rule_files: config.rule_files.map((f) => join(root, f)) }));
    const result = await promtool(["check", "config", "--lint=all", "--lint-fatal", local]);
    expect(result.code, result.output).toBe(0);
    expect(result.output).toContain(`SUCCESS: ${ruleCount} rules found`);
  });

  test("promtool check rules accepts every uploaded rule file", async () => {
    const root = await writeUploads(uploads);
    const ruleFiles = uploads.filter((u) => u.file.startsWith(`${prometheusPaths.rulesDir}/`)).map((u) => join(root, u.file));
    expect(ruleFiles).toHaveLength(1);
    const result = await promtool(["check", "rules", "--lint=all", "--lint-fatal", ...ruleFiles]);
    expect(result.code, result.output).toBe(0);
    expect(result.output).toContain(`SUCCESS: ${ruleCount} rules found`);
  });

  test("backups have an alert exactly when the stack runs backups", () => {
    expect(alertRules(config).some((r) => r.alert === "BackupTooOld")).toBe(config.backup.enabled);
  });
});
