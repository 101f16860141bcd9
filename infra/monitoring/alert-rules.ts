import { stringify } from "yaml";
import { topology } from "../topology.js";

/** A rule file the Prometheus container loads from its rules directory. */
export interface RuleFile {
  name: string;
  content: string;
}

const runbookBase = "https://github.com/llm-observatory/llm-observatory/blob/main/README.md#runbooks";

/** Minimal alerting: every scraped service is up. Issue 7 extends this file with the full rule set. */
export function alertRuleFiles(): RuleFile[] {
  const groups = [
    {
      name: "observatory-availability",
      rules: [
        {
          alert: "ScrapeTargetDown",
          expr: "up == 0",
          for: "2m",
          labels: { severity: "critical" },
          annotations: {
            summary: "{{ $labels.job }} target {{ $labels.instance }} is down",
            runbook_url: `${runbookBase}-target-down`,
          },
        },
        {
          alert: "DatabaseDown",
          expr: `pg_up{job="${topology.postgresExporter.alias}"} == 0`,
          for: "1m",
          labels: { severity: "critical" },
          annotations: { summary: "PostgreSQL is not answering the exporter", runbook_url: `${runbookBase}-database-down` },
        },
        {
          alert: "RedisDown",
          expr: `redis_up{job="${topology.redisExporter.alias}"} == 0`,
          for: "1m",
          labels: { severity: "warning" },
          annotations: { summary: "Redis is not answering the exporter", runbook_url: `${runbookBase}-redis-down` },
        },
      ],
    },
  ];
  return [{ name: "observatory.rules.yml", content: stringify({ groups }) }];
}
