import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { dbRoles } from "../migrations/roles.js";
import type { StackConfig } from "./config.js";
import { stackContainer } from "./container-spec.js";
import { postgresExporterQueriesFile, postgresExporterQueriesPath } from "./monitoring/postgres-exporter-queries.js";
import { topology } from "./topology.js";

export interface PostgresExporterArgs {
  config: StackConfig;
  image: pulumi.Input<string>;
  network: pulumi.Input<string>;
  /** Of observatory_monitor (migration 0011): pg_monitor and backup_runs, nothing else. */
  monitorPassword: pulumi.Input<string>;
}

export class PostgresExporter extends pulumi.ComponentResource {
  readonly container: docker.Container;

  constructor(name: string, args: PostgresExporterArgs, opts?: pulumi.ComponentResourceOptions) {
    super("llm-observatory:stack:PostgresExporter", name, {}, opts);
    const { config } = args;
    const port = topology.postgresExporter.ports.http.port;
    const db = `${topology.timescaledb.alias}:${topology.timescaledb.ports.postgres.port}/${config.database.name}`;
    this.container = stackContainer(
      `${name}-container`,
      config,
      {
        kind: "postgresExporter",
        instance: topology.postgresExporter.alias,
        image: args.image,
        command: [`--web.listen-address=:${port}`],
        env: {
          DATA_SOURCE_URI: `${db}?sslmode=disable`,
          DATA_SOURCE_USER: dbRoles.monitor,
          DATA_SOURCE_PASS: args.monitorPassword,
          PG_EXPORTER_EXTEND_QUERY_PATH: postgresExporterQueriesPath,
        },
        uploads: [{ file: postgresExporterQueriesPath, content: postgresExporterQueriesFile() }],
        networks: [{ name: args.network, aliases: [topology.postgresExporter.alias] }],
        healthcheck: ["CMD", "wget", "-q", "-O", "/dev/null", `http://127.0.0.1:${port}/metrics`],
        // Docker copies uploads into the container's root filesystem, which must then be writable.
        readOnly: false,
        dropAllCapabilities: true,
        stopGraceSeconds: 10,
      },
      { parent: this, dependsOn: opts?.dependsOn, secrets: ["envs"] },
    );
    this.registerOutputs({});
  }
}
