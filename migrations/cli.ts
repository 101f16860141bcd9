import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { runIfMain } from "../services/core/run-main.js";
import { parseEnv } from "../services/core/env.js";
import { createLogger } from "../services/core/logger.js";
import { migrateEnv } from "./config.js";
import { defaultSqlDir, nextMigrationNumber } from "./files.js";
import { terminalProgress } from "./progress.js";
import { migrateDown, migrateUp, migrationStatus, type RunnerOptions } from "./runner.js";

const usage = `usage: npm run migrate -- <command>
  up [--to NAME]      apply pending migrations (up to and including NAME)
  down [--to NAME|0]  revert the last migration, or down to and including NAME (0: everything)
  status              list migrations and whether each is applied, skipped or pending
  create NAME         add migrations/sql/NNNN_NAME.sql and its .down.sql`;

function option(args: string[], flag: string): string | undefined {
  const i = args.indexOf(flag);
  if (i === -1) return undefined;
  const value = args[i + 1];
  if (!value) throw new Error(`${flag} needs a value\n${usage}`);
  return value;
}

export async function main(args: string[]): Promise<number> {
  const [command, ...rest] = args;
  if (command === "create") {
    const name = rest[0];
    if (!name || !/^[a-z0-9_]+$/.test(name)) throw new Error(`create needs a NAME of [a-z0-9_]\n${usage}`);
    const base = `${nextMigrationNumber()}_${name}`;
    writeFileSync(join(defaultSqlDir, `${base}.sql`), `-- ${base}: what this migration changes and why\n`, { flag: "wx" });
    writeFileSync(join(defaultSqlDir, `${base}.down.sql`), `-- reverts ${base}\n`, { flag: "wx" });
    console.log(`created migrations/sql/${base}.sql and ${base}.down.sql`);
    return 0;
  }
  if (!command || !["up", "down", "status"].includes(command)) {
    console.error(usage);
    return 2;
  }
  const config = parseEnv(migrateEnv);
  const log = createLogger("migrate", config.LOG_LEVEL);
  const progress = terminalProgress();
  const opts: RunnerOptions = {
    databaseUrl: config.DATABASE_URL,
    log,
    waitSeconds: config.MIGRATE_WAIT_SECONDS,
    retentionDays: config.RETENTION_DAYS,
    rollupRetentionDays: config.ROLLUP_RETENTION_DAYS,
    ...(config.DB_APP_PASSWORD ? { appPassword: config.DB_APP_PASSWORD } : {}),
    ...(config.DB_READONLY_PASSWORD ? { readonlyPassword: config.DB_READONLY_PASSWORD } : {}),
    ...(config.DB_MONITOR_PASSWORD ? { monitorPassword: config.DB_MONITOR_PASSWORD } : {}),
    ...(progress ? { onProgress: progress } : {}),
  };
  switch (command) {
    case "up": {
      const applied = await migrateUp(opts, option(rest, "--to"));
      log.info({ applied }, applied.length ? `applied ${applied.length} migration(s)` : "schema is up to date");
      return 0;
    }
    case "down": {
      const to = option(rest, "--to");
      const reverted = await migrateDown(opts, to === "0" ? 0 : to);
      log.info({ reverted }, `reverted ${reverted.length} migration(s)`);
      return 0;
    }
    default: {
      for (const m of await migrationStatus(opts)) {
        console.log(`${m.state.padEnd(8)} ${m.name}${m.appliedAt ? `  ${m.appliedAt.toISOString()}` : ""}${m.note ? `  (${m.note})` : ""}`);
      }
      return 0;
    }
  }
}

runIfMain(import.meta.url, "migrate", main);
