import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import type { StackConfig } from "./config.js";
import { stackContainer } from "./container-spec.js";
import { topology } from "./topology.js";

export interface RedisExporterArgs {
  config: StackConfig;
  image: pulumi.Input<string>;
  network: pulumi.Input<string>;
  redisPassword: pulumi.Input<string>;
}

export class RedisExporter extends pulumi.ComponentResource {
  readonly container: docker.Container;

  constructor(name: string, args: RedisExporterArgs, opts?: pulumi.ComponentResourceOptions) {
    super("llm-observatory:stack:RedisExporter", name, {}, opts);
    const port = topology.redisExporter.ports.http.port;
    this.container = stackContainer(
      `${name}-container`,
      args.config,
      {
        kind: "redisExporter",
        instance: topology.redisExporter.alias,
        image: args.image,
        env: {
          REDIS_ADDR: `redis://${topology.redis.alias}:${topology.redis.ports.redis.port}`,
          REDIS_PASSWORD: args.redisPassword,
          REDIS_EXPORTER_WEB_LISTEN_ADDRESS: `:${port}`,
        },
        networks: [{ name: args.network, aliases: [topology.redisExporter.alias] }],
        healthcheck: ["CMD", "wget", "-q", "-O", "/dev/null", `http://127.0.0.1:${port}/metrics`],
        readOnly: true,
        dropAllCapabilities: true,
        stopGraceSeconds: 10,
      },
      { parent: this, dependsOn: opts?.dependsOn, secrets: ["envs"] },
    );
    this.registerOutputs({});
  }
}
