import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import type { StackConfig } from "./config.js";
import { dbRoles } from "../migrations/roles.js";
import { dockerName, stackContainer } from "./container-spec.js";
import { grafanaDashboardProviders, grafanaDashboards, grafanaDatasources, grafanaPaths } from "./monitoring/grafana-provisioning.js";
import { topology } from "./topology.js";

export interface GrafanaArgs {
  config: StackConfig;
  image: pulumi.Input<string>;
  networks: pulumi.Input<string>[];
  adminPassword: pulumi.Input<string>;
  readonlyPassword: pulumi.Input<string>;
  /** The URL users open (through the proxy in prod). */
  rootUrl: string;
}

/** Grafana; created once the migrations ran (dependsOn): its readonly role logs in with the password they set. */
export class Grafana extends pulumi.ComponentResource {
  readonly container: docker.Container;

  constructor(name: string, args: GrafanaArgs, opts?: pulumi.ComponentResourceOptions) {
    super("llm-observatory:stack:Grafana", name, {}, opts);
    const { config } = args;
    const port = topology.grafana.ports.http.port;
    const volume = new docker.Volume(`${name}-data`, { name: dockerName("grafana") }, { parent: this });
    const dashboards = Object.entries(grafanaDashboards(config.monitoring)).map(([file, content]) => ({ file: `${grafanaPaths.dashboardsDir}/${file}`, content }));
    this.container = stackContainer(
      `${name}-container`,
      config,
      {
        kind: "grafana",
        instance: topology.grafana.alias,
        image: args.image,
        env: {
          GF_SERVER_HTTP_PORT: String(port),
          GF_SERVER_ROOT_URL: args.rootUrl,
          GF_SECURITY_ADMIN_USER: "admin",
          GF_SECURITY_ADMIN_PASSWORD: args.adminPassword,
          GF_USERS_ALLOW_SIGN_UP: "false",
          GF_AUTH_ANONYMOUS_ENABLED: "false",
          GF_ANALYTICS_REPORTING_ENABLED: "false",
          GF_LOG_LEVEL: config.logLevel === "trace" ? "debug" : config.logLevel === "fatal" ? "critical" : config.logLevel,
        },
        networks: args.networks.map((n) => ({ name: n, aliases: [topology.grafana.alias] })),
        healthcheck: ["CMD", "wget", "-q", "-O", "/dev/null", `http://127.0.0.1:${port}/api/health`],
        healthStartSeconds: 60,
        stopGraceSeconds: 15,
        ports: config.proxy.enabled ? undefined : [{ internal: port, external: config.ports.grafana }],
        volumes: [{ volumeName: volume.name, containerPath: "/var/lib/grafana" }],
        uploads: [
          {
            file: grafanaPaths.datasources,
            content: grafanaDatasources({ database: config.database.name, readonlyUser: dbRoles.readonly, readonlyPassword: args.readonlyPassword }),
          },
          { file: grafanaPaths.dashboardProviders, content: grafanaDashboardProviders() },
          ...dashboards,
        ],
        readOnly: false,
      },
      { parent: this, dependsOn: opts?.dependsOn, secrets: ["envs", "uploads"] },
    );
    this.registerOutputs({});
  }
}
