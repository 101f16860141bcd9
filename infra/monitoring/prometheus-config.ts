import { stringify } from "yaml";
import { replicaAlias, topology, type ServiceName } from "../topology.js";

/** Where the Prometheus container reads what the stack uploads. */
export const prometheusPaths = {
  config: "/etc/prometheus/prometheus.yml",
  rulesDir: "/etc/prometheus/rules",
} as const;

export interface ScrapeJob {
  job: string;
  metricsPath: string;
  /** `alias:port` of every instance, each alias declared in the topology. */
  targets: string[];
}

export interface ScrapeOptions {
  replicas: { api: number; collector: number };
  scrapeInterval: string;
}

function targetsOf(service: ServiceName, replicas: ScrapeOptions["replicas"]): string[] {
  const endpoint = topology[service];
  if (!("metrics" in endpoint)) return [];
  const port = (endpoint.ports as Record<string, { port: number }>)[endpoint.metrics.port]!.port;
  if (service === "api" || service === "collector") {
    return Array.from({ length: replicas[service] }, (_, i) => `${replicaAlias(service, i)}:${port}`);
  }
  return [`${endpoint.alias}:${port}`];
}

/** One scrape job per service that exposes metrics in the topology (every replica a target). */
export function scrapeJobs(options: ScrapeOptions): ScrapeJob[] {
  return (Object.keys(topology) as ServiceName[]).flatMap((service) => {
    const endpoint = topology[service];
    if (!("metrics" in endpoint)) return [];
    return [{ job: endpoint.alias, metricsPath: endpoint.metrics.path, targets: targetsOf(service, options.replicas) }];
  });
}

/** prometheus.yml: global settings, the rule files the stack uploads, and the scrape jobs. */
export function prometheusConfig(options: ScrapeOptions, ruleFiles: string[]): string {
  return stringify({
    global: { scrape_interval: options.scrapeInterval, evaluation_interval: options.scrapeInterval },
    rule_files: ruleFiles.map((f) => `${prometheusPaths.rulesDir}/${f}`),
    scrape_configs: scrapeJobs(options).map((j) => ({
      job_name: j.job,
      metrics_path: j.metricsPath,
      static_configs: [{ targets: j.targets }],
    })),
  });
}
