import * as command from "@pulumi/command";
import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import type { EnvFor } from "../services/core/env.js";
import type { migrateEnv } from "../migrations/config.js";
import type { StackConfig } from "./config.js";
import { postgresUrl } from "./connection-strings.js";
import { stackContainer } from "./container-spec.js";
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
    ROLLUP_RETENTION_DAYS: String(database.rollupRetentionDays),
    MIGRATE_WAIT_SECONDS: "120",
  };
}

/**
 * What runs the job: starts the created container, streams its output and exits with its exit code
 * (`docker start --attach`, run again on a stopped container it runs the job again).
 */
export const runJobCommand = (containerName: string) => `docker start --attach ${containerName}`;

/**
 * `migrations/cli.js up` as a one-shot job in two resources:
 * - `container`: the job's docker.Container (image, environment with its secrets, limits, network),
 *   created but not started by the Docker provider;
 * - `run`: a command.local.Command that runs it with `docker start --attach` and fails on a non-zero
 *   exit with the job's output in its error (pulumi-command local/commandOutputs.go: the error carries
 *   stdout and stderr). A failed create is not recorded in the state (pulumi-go-provider
 *   infer/resource.go: an error without an ID), so the next `pulumi up` runs the job again; a
 *   replaced container (new image, new environment) replaces `run` through its trigger.
 * Everything that reads the schema depends on this component, so it is created only after `run`
 * succeeded; a dependsOn edge never replaces a dependent when the job is replaced (pulumi/pulumi
 * pkg/resource/deploy/step_generator.go calculateDependentReplacements).
 */
export class MigrationsJob extends pulumi.ComponentResource {
  readonly container: docker.Container;
  readonly run: command.local.Command;

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
        // Each migration runs in a transaction: a stop rolls it back, and the next run resumes.
        stopGraceSeconds: 30,
      },
      { parent: this, dependsOn: opts?.dependsOn, secrets: ["envs"] },
    );
    const dockerHost = args.config.dockerHost;
    this.run = new command.local.Command(
      `${name}-run`,
      {
        create: this.container.name.apply(runJobCommand),
        // The Docker CLI reaches the daemon the provider deploys to.
        ...(dockerHost ? { environment: { DOCKER_HOST: dockerHost } } : {}),
        triggers: [this.container.id],
      },
      { parent: this, dependsOn: [this.container] },
    );
    this.registerOutputs({});
  }
}
