import pg from "pg";
import { readManifest, sha256File } from "./backup.js";
import { restoreInOneTransaction, runPgTool } from "./pg-tools.js";

export class RestoreRefused extends Error {
  override name = "RestoreRefused";
}

/** Rows per table in the public schema, for the report after a restore. */
export async function rowCounts(db: pg.Pool): Promise<Record<string, number>> {
  const { rows: tables } = await db.query<{ t: string }>(
    "SELECT tablename AS t FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename",
  );
  const counts: Record<string, number> = {};
  for (const { t } of tables) {
    const { rows } = await db.query(`SELECT count(*)::bigint AS n FROM public.${pg.escapeIdentifier(t)}`);
    counts[t] = Number(rows[0].n);
  }
  return counts;
}

async function holdsData(db: pg.Pool): Promise<boolean> {
  const counts = await rowCounts(db);
  // A freshly migrated database holds only its seed rows (migrations, prices, the default project).
  return (counts.spans ?? 0) > 0 || (counts.api_keys ?? 0) > 0;
}

/**
 * TimescaleDB's documented restore, in one transaction: its catalog (hypertables, chunks, policy
 * jobs) is part of the dump, so the extension is dropped with everything in the public schema and
 * the dump recreates it; pg_restore --clean cannot (TimescaleDB refuses ALTER TABLE ONLY on a
 * hypertable). The dump sets an empty search_path, hence the qualified post_restore.
 */
const TIMESCALEDB_BEFORE = `SELECT timescaledb_pre_restore();
DROP SCHEMA public CASCADE;
CREATE SCHEMA public;
ALTER SCHEMA public OWNER TO pg_database_owner;
GRANT USAGE ON SCHEMA public TO PUBLIC;`;
const TIMESCALEDB_AFTER = "SELECT public.timescaledb_post_restore();";

export interface RestoreOptions {
  databaseUrl: string;
  db: pg.Pool;
  file: string;
  force: boolean;
}

/** Verifies the checksum, refuses to overwrite data without `force`, restores, and counts rows. */
export async function restore({ databaseUrl, db, file, force }: RestoreOptions): Promise<Record<string, number>> {
  const manifest = await readManifest(file);
  const actual = await sha256File(file).catch((err: Error) => {
    throw new RestoreRefused(`cannot read backup ${file}: ${err.message}`);
  });
  if (actual !== manifest.sha256) {
    throw new RestoreRefused(
      `backup ${file} is corrupt: its SHA-256 is ${actual}, the manifest says ${manifest.sha256}; nothing was restored`,
    );
  }
  if (!force && (await holdsData(db))) {
    throw new RestoreRefused("the target database already holds spans or API keys; pass --force to replace its contents");
  }
  const { rows } = await db.query("SELECT 1 FROM pg_extension WHERE extname = 'timescaledb'");
  if (rows.length === 0) {
    await runPgTool("pg_restore", databaseUrl, ["--clean", "--if-exists", "--no-owner", "--exit-on-error", "--single-transaction", file]);
    return rowCounts(db);
  }
  await restoreInOneTransaction(databaseUrl, file, TIMESCALEDB_BEFORE, TIMESCALEDB_AFTER);
  // Sessions opened before the extension was recreated hold its old catalog: count on a new one.
  const fresh = new pg.Pool({ connectionString: databaseUrl, max: 1 });
  try {
    return await rowCounts(fresh);
  } finally {
    await fresh.end();
  }
}
