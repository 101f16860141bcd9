import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import type { apiEnv } from "../services/api/config.js";
import type { EnvFor } from "../services/core/env.js";
import { appContainerSpec } from "./app-container.js";
import type { StackConfig } from "./config.js";
import { dbRoles } from "../migrations/roles.js";
import { postgresUrl, redisUrl } from "./connection-strings.js";
import { stackContainer } from "./container-spec.js";
import { replicaAlias, topology } from "./topology.js";

export interface ApiArgs {
  config: StackConfig;
  image: pulumi.Input<string>;
  networks: pulumi.Input<string>[];
  appPassword: pulumi.Input<string>;
  redisPassword: pulumi.Input<string>;
  bootstrapAdminKey: pulumi.Input<string>;
}

/** The API's environment, typed by its own schema (a renamed variable fails to compile). */
export function apiEnvFor(args: ApiArgs): EnvFor<typeof apiEnv, pulumi.Input<string>> {
  const { config } = args;
  return {
    DATABASE_URL: postgresUrl(dbRoles.app, args.appPassword, config.database.name),
    REDIS_URL: redisUrl(args.redisPassword),
    LOG_LEVEL: config.logLevel,
    API_HOST: "0.0.0.0",
    API_PORT: String(topology.api.ports.http.port),
    BOOTSTRAP_ADMIN_KEY: args.bootstrapAdminKey,
  };
}

/** Query API replicas: `api-<n>` each, all answering to `api` as well; created once the migrations ran (dependsOn). */
export class Api extends pulumi.ComponentResource {
  readonly containers: docker.Container[];

  constructor(name: string, args: ApiArgs, opts?: pulumi.ComponentResourceOptions) {
    super("llm-observatory:stack:Api", name, {}, opts);
    const { config } = args;
    const { http } = topology.api.ports;
    const app = appContainerSpec({ config, program: "api", image: args.image, healthPort: http.port });
    this.containers = Array.from({ length: config.replicas.api }, (_, i) =>
      stackContainer(
        `${name}-${i + 1}`,
        config,
        {
          ...app,
          kind: "api",
          instance: replicaAlias("api", i),
          env: apiEnvFor(args),
          networks: args.networks.map((n) => ({ name: n, aliases: [topology.api.alias, replicaAlias("api", i)] })),
          ports: config.proxy.enabled ? undefined : [{ internal: http.port, external: config.ports.api }],
          // In-flight requests finish; fastify closes on SIGTERM.
          stopGraceSeconds: 15,
        },
        { parent: this, dependsOn: opts?.dependsOn, secrets: ["envs"] },
      ),
    );
    this.registerOutputs({});
  }
}
