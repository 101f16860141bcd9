import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import type { EnvFor } from "../services/core/env.js";
import type { migrateEnv } from "../migrations/config.js";
import type { StackConfig } from "./config.js";
import { postgresUrl } from "./connection-strings.js";
import { dockerName, stackContainer } from "./container-spec.js";
import { appCommands } from "./topology.js";

export interface MigrationsJobArgs {
  config: StackConfig;
  image: pulumi.Input<string>;
  network: pulumi.Input<string>;
  ownerPassword: pulumi.Input<string>;
  appPassword: pulumi.Input<string>;
  readonlyPassword: pulumi.Input<string>;
  monitorPassword: pulumi.Input<string>;
}

/** The migrations job's environment, typed by the runner's own schema. */
export function migrationsEnv(args: MigrationsJobArgs): EnvFor<typeof migrateEnv, pulumi.Input<string>> {
  const { database } = args.config;
  return {
    DATABASE_URL: postgresUrl(database.owner, args.ownerPassword, database.name),
    LOG_LEVEL: args.config.logLevel,
    DB_APP_PASSWORD: args.appPassword,
    DB_READONLY_PASSWORD: args.readonlyPassword,
    DB_MONITOR_PASSWORD: args.monitorPassword,
    RETENTION_DAYS: String(database.retentionDays),
    MIGRATE_WAIT_SECONDS: "120",
  };
}

/**
 * `migrations/cli.js up` as a one-shot container: `pulumi up` waits for it to exit, and `gate`
 * fails the update unless it exited 0, so nothing that reads it (API, collector, Grafana) starts
 * on an unmigrated schema.
 */
export class MigrationsJob extends pulumi.ComponentResource {
  readonly container: docker.Container;
  /** Resolves to "exit 0"; throws (failing `pulumi up`) on any other exit code. */
  readonly gate: pulumi.Output<string>;

  constructor(name: string, args: MigrationsJobArgs, opts?: pulumi.ComponentResourceOptions) {
    super("llm-observatory:stack:MigrationsJob", name, {}, opts);
    this.container = stackContainer(
      `${name}-container`,
      args.config,
      {
        kind: "migrations",
        instance: "migrations",
        image: args.image,
        command: [...appCommands.migrations],
        env: migrationsEnv(args),
        networks: [{ name: args.network, aliases: [] }],
        readOnly: true,
        tmpfs: { "/tmp": "rw,noexec,nosuid,size=16m" },
        dropAllCapabilities: true,
        user: "node",
        job: true,
      },
      { parent: this, dependsOn: opts?.dependsOn, secrets: ["envs"] },
    );
    this.gate = this.container.exitCode.apply((code) => {
      if (code !== 0) throw new Error(`migrations job exited with code ${code}; see: docker logs ${dockerName("migrations")}`);
      return `exit ${code}`;
    });
    this.registerOutputs({ gate: this.gate });
  }
}
