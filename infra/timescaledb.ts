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

/**
 * The container's command: the image's entrypoint with `postgres <settings>` in the background, then,
 * once the server accepts TCP connections, the owner's password from POSTGRES_PASSWORD re-applied over
 * the local socket (trusted by the image's pg_hba.conf: initdb's default `local all all trust`; the
 * entrypoint only adds `host all all all scram-sha-256`, docker-library/postgres docker-entrypoint.sh).
 * The image applies POSTGRES_PASSWORD only when it initialises an empty data folder, so without this a
 * data volume kept across `pulumi destroy` + `up` (prod) would refuse the stack's new password.
 * sh is PID 1 here: it forwards the stop signal (the image's SIGINT: fast shutdown) to the server and
 * exits with its status. The password never appears on a command line (psql reads it with printenv).
 */
export function databaseCommand(db: StackConfig["database"]): string[] {
  const port = topology.timescaledb.ports.postgres.port;
  const script = [
    "set -eu",
    'docker-entrypoint.sh "$@" &',
    "pid=$!",
    `trap 'kill -INT "$pid" 2>/dev/null' INT TERM`,
    `until pg_isready -q -h 127.0.0.1 -p ${port}; do kill -0 "$pid" 2>/dev/null || break; sleep 1; done`,
    'if kill -0 "$pid" 2>/dev/null; then',
    `  psql -v ON_ERROR_STOP=1 -q -p ${port} -U "$POSTGRES_USER" -d "$POSTGRES_DB" <<'SQL' || echo "could not re-apply the owner's password" >&2`,
    "\\set pw `printenv POSTGRES_PASSWORD`",
    "ALTER ROLE CURRENT_USER PASSWORD :'pw';",
    "SQL",
    "fi",
    'status=0; wait "$pid" || status=$?',
    'while kill -0 "$pid" 2>/dev/null; do status=0; wait "$pid" || status=$?; done',
    'exit "$status"',
  ].join("\n");
  return ["sh", "-c", script, "sh", ...postgresCommand(db)];
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
        command: databaseCommand(config.database),
        env: { POSTGRES_USER: config.database.owner, POSTGRES_DB: config.database.name, POSTGRES_PASSWORD: args.ownerPassword },
        networks: [{ name: args.network, aliases: [topology.timescaledb.alias] }],
        // Over TCP: the entrypoint's temporary init server listens on the socket only, so this
        // reports healthy only once the real server is up.
        healthcheck: ["CMD", "pg_isready", "-h", "127.0.0.1", "-p", String(port), "-U", config.database.owner, "-d", config.database.name],
        healthStartSeconds: 60,
        ports: config.profile === "dev" ? [{ internal: port, external: config.ports.postgres }] : undefined,
        volumes: [{ volumeName: this.volume.name, containerPath: "/var/lib/postgresql/data" }],
        // The entrypoint writes the socket dir and initdb files outside the volume.
        readOnly: false,
        // A fast shutdown ends with a checkpoint: give it time before SIGKILL (then crash recovery).
        stopGraceSeconds: 60,
      },
      { parent: this, dependsOn: opts?.dependsOn, secrets: ["envs"] },
    );
    this.registerOutputs({});
  }
}
