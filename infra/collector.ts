import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import type { collectorEnv } from "../services/collector/config.js";
import type { EnvFor } from "../services/core/env.js";
import { appContainerSpec } from "./app-container.js";
import type { StackConfig } from "./config.js";
import { dbRoles } from "../migrations/roles.js";
import { postgresUrl } from "./connection-strings.js";
import { stackContainer } from "./container-spec.js";
import { replicaAlias, topology } from "./topology.js";

export interface CollectorArgs {
  config: StackConfig;
  image: pulumi.Input<string>;
  networks: pulumi.Input<string>[];
  appPassword: pulumi.Input<string>;
}

/** Seconds the collector drains on SIGTERM (COLLECTOR_SHUTDOWN_TIMEOUT_SECONDS); Docker waits longer before SIGKILL. */
export const collectorDrainSeconds = 30;

/** The collector's environment, typed by its own schema (a renamed variable fails to compile). */
export function collectorEnvFor(args: CollectorArgs): EnvFor<typeof collectorEnv, pulumi.Input<string>> {
  const { config } = args;
  return {
    DATABASE_URL: postgresUrl(dbRoles.app, args.appPassword, config.database.name),
    LOG_LEVEL: config.logLevel,
    OTLP_GRPC_PORT: String(topology.collector.ports.otlpGrpc.port),
    OTLP_HTTP_PORT: String(topology.collector.ports.otlpHttp.port),
    COLLECTOR_AUTH_DISABLED: String(config.collectorAuthDisabled),
    COLLECTOR_SHUTDOWN_TIMEOUT_SECONDS: String(collectorDrainSeconds),
  };
}

/** OTLP collector replicas: `collector-<n>` each, all answering to `collector` as well; created once the migrations ran (dependsOn). */
export class Collector extends pulumi.ComponentResource {
  readonly containers: docker.Container[];

  constructor(name: string, args: CollectorArgs, opts?: pulumi.ComponentResourceOptions) {
    super("llm-observatory:stack:Collector", name, {}, opts);
    const { config } = args;
    const { otlpGrpc, otlpHttp } = topology.collector.ports;
    const app = appContainerSpec({ config, program: "collector", image: args.image, healthPort: otlpHttp.port });
    this.containers = Array.from({ length: config.replicas.collector }, (_, i) =>
      stackContainer(
        `${name}-${i + 1}`,
        config,
        {
          ...app,
          kind: "collector",
          instance: replicaAlias("collector", i),
          env: collectorEnvFor(args),
          networks: args.networks.map((n) => ({ name: n, aliases: [topology.collector.alias, replicaAlias("collector", i)] })),
          // Without the proxy the single replica publishes OTLP itself.
          ports: config.proxy.enabled
            ? undefined
            : [
                { internal: otlpGrpc.port, external: config.ports.otlpGrpc },
                { internal: otlpHttp.port, external: config.ports.otlpHttp },
              ],
          stopGraceSeconds: collectorDrainSeconds + 10,
        },
        { parent: this, dependsOn: opts?.dependsOn, secrets: ["envs"] },
      ),
    );
    this.registerOutputs({});
  }
}
