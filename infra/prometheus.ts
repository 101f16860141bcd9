import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import type { StackConfig } from "./config.js";
import { dockerName, stackContainer } from "./container-spec.js";
import { prometheusConfig, prometheusPaths } from "./monitoring/prometheus-config.js";
import { prometheusRuleFiles } from "./monitoring/rule-files.js";
import { topology } from "./topology.js";

export interface PrometheusArgs {
  config: StackConfig;
  image: pulumi.Input<string>;
  networks: pulumi.Input<string>[];
}

/** The files the Prometheus container receives: prometheus.yml and every rule file. */
export function prometheusUploads(config: StackConfig): { file: string; content: string }[] {
  const rules = prometheusRuleFiles(config);
  const options = { replicas: config.replicas, scrapeInterval: config.prometheus.scrapeInterval };
  return [
    { file: prometheusPaths.config, content: prometheusConfig(options, rules.map((r) => r.name)) },
    ...rules.map((r) => ({ file: `${prometheusPaths.rulesDir}/${r.name}`, content: r.content })),
  ];
}

export class Prometheus extends pulumi.ComponentResource {
  readonly container: docker.Container;

  constructor(name: string, args: PrometheusArgs, opts?: pulumi.ComponentResourceOptions) {
    super("llm-observatory:stack:Prometheus", name, {}, opts);
    const { config } = args;
    const port = topology.prometheus.ports.http.port;
    const volume = new docker.Volume(`${name}-data`, { name: dockerName("prometheus") }, { parent: this });
    this.container = stackContainer(
      `${name}-container`,
      config,
      {
        kind: "prometheus",
        instance: topology.prometheus.alias,
        image: args.image,
        command: [
          `--config.file=${prometheusPaths.config}`,
          "--storage.tsdb.path=/prometheus",
          `--storage.tsdb.retention.time=${config.prometheus.retention}`,
          `--web.listen-address=:${port}`,
        ],
        networks: args.networks.map((n) => ({ name: n, aliases: [topology.prometheus.alias] })),
        healthcheck: ["CMD", "wget", "-q", "-O", "/dev/null", `http://127.0.0.1:${port}/-/healthy`],
        ports: config.profile === "dev" ? [{ internal: port, external: config.ports.prometheus }] : undefined,
        volumes: [{ volumeName: volume.name, containerPath: "/prometheus" }],
        uploads: prometheusUploads(config),
        readOnly: false,
        // The TSDB head is written out on SIGTERM.
        stopGraceSeconds: 30,
      },
      { parent: this, dependsOn: opts?.dependsOn },
    );
    this.registerOutputs({});
  }
}
