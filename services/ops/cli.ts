import { runIfMain } from "../core/run-main.js";
import { parseEnv } from "../core/env.js";
import { createPool } from "../core/db.js";
import { backup } from "./backup.js";
import { opsEnv } from "./config.js";
import { maintenance } from "./maintenance.js";
import { restore } from "./restore.js";
import { applyRetention, type Removed } from "./retention.js";

const usage = `usage: npm run ops -- <command>
  backup [--keep N]               pg_dump (custom format) into BACKUP_DIR with a manifest; keeps the last N
  restore FILE [--force]          verify FILE's checksum and restore it (--force replaces existing data)
  retention apply --days N [--rollup-days M]
                                  delete raw spans older than N days and rollups older than M days
                                  (default ROLLUP_RETENTION_DAYS, 400) now, on either database
  maintenance                     VACUUM (ANALYZE) the big tables; sizes and slowest statements`;

function option(args: string[], flag: string): string | undefined {
  const i = args.indexOf(flag);
  return i === -1 ? undefined : args[i + 1];
}

function positive(value: string | undefined, flag: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${flag} needs a positive whole number\n${usage}`);
  return n;
}

/** Progress on an interactive terminal only; pipes and containers get the final report alone. */
const progress = (text: string) => process.stderr.isTTY && process.stderr.write(`\r\x1b[2K${text}`);
const mib = (bytes: number) => `${(bytes / 1048576).toFixed(1)} MiB`;

function removedLine(what: string, r: Removed): string {
  const chunks = r.chunks > 0 ? `, ${r.chunks} TimescaleDB chunk(s) dropped whole` : "";
  return `${r.rows} ${what} older than ${r.cutoff.toISOString()} (${r.batches} delete batch(es)${chunks})`;
}

export async function main(args: string[]): Promise<number> {
  const [command, ...rest] = args;
  if (!command || !["backup", "restore", "retention", "maintenance"].includes(command)) {
    console.error(usage);
    return 2;
  }
  const config = parseEnv(opsEnv);
  const db = createPool(config.DATABASE_URL, { max: 2, applicationName: "observatory-ops" });
  try {
    switch (command) {
      case "backup": {
        const keep = rest.includes("--keep") ? positive(option(rest, "--keep"), "--keep") : config.BACKUP_KEEP;
        const manifest = await backup({
          databaseUrl: config.DATABASE_URL, db, dir: config.BACKUP_DIR, keep,
          onProgress: (bytes) => progress(`backing up … ${mib(bytes)}`),
        });
        progress("");
        console.log(JSON.stringify({ backup: `${config.BACKUP_DIR}/${manifest.file}`, ...manifest }, null, 2));
        return 0;
      }
      case "restore": {
        const file = rest[0];
        if (!file || file.startsWith("--")) throw new Error(`restore needs a FILE\n${usage}`);
        progress(`restoring ${file} …`);
        const counts = await restore({ databaseUrl: config.DATABASE_URL, db, file, force: rest.includes("--force") });
        progress("");
        console.log(JSON.stringify({ restored: file, rows: counts }, null, 2));
        return 0;
      }
      case "retention": {
        if (rest[0] !== "apply") throw new Error(`retention needs the subcommand apply\n${usage}`);
        const days = positive(option(rest, "--days"), "--days");
        const rollupDays = rest.includes("--rollup-days") ? positive(option(rest, "--rollup-days"), "--rollup-days") : config.ROLLUP_RETENTION_DAYS;
        const result = await applyRetention(db, { days, rollupDays }, { onBatch: (table, n) => progress(`deleted ${n} rows of ${table} …`) });
        progress("");
        console.log(`deleted ${removedLine("spans", result.spans)}\ndeleted ${removedLine("rollup rows", result.rollups)}`);
        return 0;
      }
      default: {
        console.log(JSON.stringify(await maintenance(db), null, 2));
        return 0;
      }
    }
  } finally {
    await db.end();
  }
}

runIfMain(import.meta.url, "ops", main);
