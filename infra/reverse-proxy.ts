import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { caddyfile, proxyRoutes } from "./caddyfile.js";
import type { StackConfig } from "./config.js";
import { dockerName, stackContainer } from "./container-spec.js";
import { topology } from "./topology.js";

export interface ReverseProxyArgs {
  config: StackConfig;
  image: pulumi.Input<string>;
  network: pulumi.Input<string>;
}

/** Caddy in front of the API, collector and Grafana: the only container prod publishes. */
export class ReverseProxy extends pulumi.ComponentResource {
  readonly container: docker.Container;

  constructor(name: string, args: ReverseProxyArgs, opts?: pulumi.ComponentResourceOptions) {
    super("llm-observatory:stack:ReverseProxy", name, {}, opts);
    const { config } = args;
    // Caddy's local CA and certificates survive restarts, so clients keep trusting them.
    const volume = new docker.Volume(`${name}-data`, { name: dockerName("proxy") }, { parent: this });
    this.container = stackContainer(
      `${name}-container`,
      config,
      {
        kind: "proxy",
        instance: topology.proxy.alias,
        image: args.image,
        networks: [{ name: args.network, aliases: [topology.proxy.alias] }],
        healthcheck: ["CMD", "wget", "-q", "-O", "/dev/null", `http://127.0.0.1:${topology.proxy.ports.admin.port}/config/`],
        ports: proxyRoutes(config).map((r) => ({ internal: r.listen, external: config.ports[r.name] })),
        volumes: [{ volumeName: volume.name, containerPath: "/data" }],
        uploads: [{ file: "/etc/caddy/Caddyfile", content: caddyfile(config) }],
        readOnly: false,
        stopGraceSeconds: 15,
      },
      { parent: this, dependsOn: opts?.dependsOn },
    );
    this.registerOutputs({});
  }
}
