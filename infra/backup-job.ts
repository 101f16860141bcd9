import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import type { StackConfig } from "./config.js";
import { dockerName, stackContainer } from "./container-spec.js";
import { topology } from "./topology.js";

export interface BackupJobArgs {
  config: StackConfig;
  /** The TimescaleDB image: its pg_dump matches the server version. */
  image: pulumi.Input<string>;
  network: pulumi.Input<string>;
  ownerPassword: pulumi.Input<string>;
}

const backupDir = "/backups";

/**
 * Records the finished dump `$f` in backup_runs (migration 0009), forgetting rows as old as the
 * dumps rotation deletes: the postgres exporter publishes the newest for the BackupTooOld alert.
 */
export function recordBackupCommand(keepDays: number): string {
  return `psql -v ON_ERROR_STOP=1 -qc "INSERT INTO backup_runs (file, size_bytes) VALUES ('$(basename "$f")', $(stat -c %s "$f")); DELETE FROM backup_runs WHERE finished_at < now() - interval '${keepDays} days'"`;
}

/**
 * Writes `$f.manifest.json` in the shape `npm run ops -- restore` verifies (BackupManifest in
 * services/ops/backup.ts), so a dump made by the stack restores like one made by hand.
 */
export function writeManifestCommand(): string {
  return [
    `printf '{"file":"%s","createdAt":"%s","sizeBytes":%s,"sha256":"%s","schemaVersion":"%s","format":"pg_dump custom"}\\n'`,
    `"$(basename "$f")" "$(date -u +%Y-%m-%dT%H:%M:%S.000Z)" "$(stat -c %s "$f")" "$(sha256sum "$f" | cut -d' ' -f1)"`,
    `"$(psql -tAc 'SELECT max(name) FROM schema_migrations')" > "$f.manifest.json"`,
  ].join(" ");
}

/**
 * The loop the backup container runs: a custom-format pg_dump every interval, written under a
 * temporary name, renamed, given its manifest and recorded when complete, then dumps (and their
 * manifests) older than keepDays are removed.
 */
export function backupScript(backup: StackConfig["backup"]): string {
  return [
    "set -eu",
    "while true; do",
    `  f=${backupDir}/observatory-$(date -u +%Y-%m-%dT%H-%M-%S-000Z).dump`,
    `  pg_dump --format=custom --no-owner --file="$f.partial" && mv "$f.partial" "$f" && ${writeManifestCommand()} && ${recordBackupCommand(backup.keepDays)} || echo "backup failed" >&2`,
    `  find ${backupDir} -name 'observatory-*' -mtime +${backup.keepDays} -delete`,
    `  sleep ${backup.intervalHours * 3600}`,
    "done",
  ].join("\n");
}

/** Periodic pg_dump into a named volume; healthy while the newest dump is younger than two intervals. */
export class BackupJob extends pulumi.ComponentResource {
  readonly container: docker.Container;
  readonly volume: docker.Volume;

  constructor(name: string, args: BackupJobArgs, opts?: pulumi.ComponentResourceOptions) {
    super("llm-observatory:stack:BackupJob", name, {}, opts);
    const { config } = args;
    this.volume = new docker.Volume(`${name}-data`, { name: dockerName("backups") }, { parent: this, retainOnDelete: true });
    const freshMinutes = config.backup.intervalHours * 120;
    this.container = stackContainer(
      `${name}-container`,
      config,
      {
        kind: "backup",
        instance: "backup",
        image: args.image,
        command: ["sh", "-c", backupScript(config.backup)],
        env: {
          PGHOST: topology.timescaledb.alias,
          PGPORT: String(topology.timescaledb.ports.postgres.port),
          PGUSER: config.database.owner,
          PGDATABASE: config.database.name,
          PGPASSWORD: args.ownerPassword,
        },
        networks: [{ name: args.network, aliases: [] }],
        healthcheck: ["CMD-SHELL", `find ${backupDir} -name '*.dump' -mmin -${freshMinutes} | grep -q .`],
        healthStartSeconds: 300,
        volumes: [{ volumeName: this.volume.name, containerPath: backupDir }],
        readOnly: true,
        tmpfs: { "/tmp": "rw,noexec,nosuid,size=16m" },
        // A dump in progress is written under a temporary name; nothing is lost by stopping it.
        stopGraceSeconds: 10,
      },
      { parent: this, dependsOn: opts?.dependsOn, secrets: ["envs"] },
    );
    this.registerOutputs({});
  }
}
