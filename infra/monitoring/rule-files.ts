import { stringify } from "yaml";
import { type AlertOptions, alertRules } from "./alert-rules.js";
import { recordingGroup } from "./recording-rules.js";

/** A rule file the Prometheus container loads from its rules directory. */
export interface RuleFile {
  name: string;
  content: string;
}

/** The stack's one rule file: the recording rules, then the alerts that read them. */
export function prometheusRuleFiles(options: AlertOptions): RuleFile[] {
  const groups = [recordingGroup(), { name: "observatory-alerts", rules: alertRules(options) }];
  return [{ name: "observatory.rules.yml", content: stringify({ groups }, { lineWidth: 0 }) }];
}
