import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import type { StackConfig } from "./config.js";
import { dockerName, stackContainer } from "./container-spec.js";
import { topology } from "./topology.js";

export interface TimescaleDbArgs {
  config: StackConfig;
  image: pulumi.Input<string>;
  network: pulumi.Input<string>;
  ownerPassword: pulumi.Input<string>;
}

/** PostgreSQL settings per profile; the preload list is what TimescaleDB and the slow-query views need. */
export function postgresCommand(db: StackConfig["database"]): string[] {
  const settings: Record<string, string> = {
    shared_preload_libraries: "timescaledb,pg_stat_statements",
    max_connections: String(db.maxConnections),
    shared_buffers: db.sharedBuffers,
    effective_cache_size: db.effectiveCacheSize,
    work_mem: db.workMem,
    maintenance_work_mem: db.maintenanceWorkMem,
    "timescaledb.telemetry_level": "off",
  };
  return ["postgres", ...Object.entries(settings).flatMap(([k, v]) => ["-c", `${k}=${v}`])];
}

export class TimescaleDb extends pulumi.ComponentResource {
  readonly container: docker.Container;
  readonly volume: docker.Volume;

  constructor(name: string, args: TimescaleDbArgs, opts?: pulumi.ComponentResourceOptions) {
    super("llm-observatory:stack:TimescaleDb", name, {}, opts);
    const { config } = args;
    const port = topology.timescaledb.ports.postgres.port;
    this.volume = new docker.Volume(`${name}-data`, { name: dockerName("timescaledb") }, { parent: this, retainOnDelete: config.profile === "prod" });
    this.container = stackContainer(
      `${name}-container`,
      config,
      {
        kind: "timescaledb",
        instance: topology.timescaledb.alias,
        image: args.image,
        command: postgresCommand(config.database),
        env: { POSTGRES_USER: config.database.owner, POSTGRES_DB: config.database.name, POSTGRES_PASSWORD: args.ownerPassword },
        networks: [{ name: args.network, aliases: [topology.timescaledb.alias] }],
        // Over TCP: the entrypoint's temporary init server listens on the socket only, so this
        // reports healthy only once the real server is up.
        healthcheck: ["CMD", "pg_isready", "-h", "127.0.0.1", "-p", String(port), "-U", config.database.owner, "-d", config.database.name],
        healthStartPeriod: "60s",
        ports: config.profile === "dev" ? [{ internal: port, external: config.ports.postgres }] : undefined,
        volumes: [{ volumeName: this.volume.name, containerPath: "/var/lib/postgresql/data" }],
        // The entrypoint writes the socket dir and initdb files outside the volume.
        readOnly: false,
      },
      { parent: this, dependsOn: opts?.dependsOn, secrets: ["envs"] },
    );
    this.registerOutputs({});
  }
}
