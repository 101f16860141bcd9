import { runIfMain } from "../core/run-main.js";
import { parseEnv } from "../core/env.js";
import { createPool } from "../core/db.js";
import { backup } from "./backup.js";
import { opsEnv } from "./config.js";
import { maintenance } from "./maintenance.js";
import { restore } from "./restore.js";
import { applyRetention } from "./retention.js";

const usage = `usage: npm run ops -- <command>
  backup [--keep N]               pg_dump (custom format) into BACKUP_DIR with a manifest; keeps the last N
  restore FILE [--force]          verify FILE's checksum and restore it (--force replaces existing data)
  retention apply --days N        delete raw spans older than N days now, on either database (rollups are kept)
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
        const result = await applyRetention(db, days, { onBatch: (n) => progress(`deleted ${n} spans …`) });
        progress("");
        const chunks = result.chunks > 0 ? `, ${result.chunks} TimescaleDB chunk(s) dropped whole` : "";
        console.log(`deleted ${result.spans} spans older than ${result.cutoff.toISOString()} (${result.batches} delete batch(es)${chunks}); rollups kept`);
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
