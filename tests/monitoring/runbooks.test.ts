import { readFileSync } from "node:fs";
import { expect, test } from "vitest";
import { alertRules } from "../../infra/monitoring/alert-rules.js";
import { configOf } from "./support/stack-files.js";

const runbooks = readFileSync(new URL("../../docs/runbooks.md", import.meta.url), "utf8");
/** GitHub's heading anchors: lower case, spaces to dashes, punctuation dropped. */
const anchors = [...runbooks.matchAll(/^##+ (.+)$/gm)].map((m) => m[1]!.toLowerCase().replace(/[^\w\- ]/g, "").replace(/ /g, "-"));

test("every alert links to its own section of docs/runbooks.md, and every section belongs to an alert", () => {
  const config = configOf("prod");
  const rules = alertRules(config);
  for (const r of rules) {
    expect(r.annotations.runbook_url).toBe(`${config.monitoring.runbookUrl}#${r.alert.toLowerCase()}`);
    expect(anchors, r.alert).toContain(r.alert.toLowerCase());
    expect(r.annotations.summary.length, r.alert).toBeGreaterThan(10);
    expect(r.annotations.description.length, r.alert).toBeGreaterThan(20);
  }
  expect(anchors.sort()).toEqual(rules.map((r) => r.alert.toLowerCase()).sort());
});

test("links between runbook sections point at existing sections", () => {
  const links = [...runbooks.matchAll(/\]\(#([\w-]+)\)/g)].map((m) => m[1]!);
  expect(links.length).toBeGreaterThan(5);
  expect(links.filter((l) => !anchors.includes(l))).toEqual([]);
});
