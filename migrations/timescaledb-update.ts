import type pg from "pg";
import type { Logger } from "../services/core/logger.js";

export interface ExtensionUpdateOptions {
  /** Opens a new session (no statement run on it yet). */
  connect: () => Promise<pg.Client>;
  log: Logger;
  /** The runner's advisory lock: no other runner has TimescaleDB loaded while the version changes. */
  lockKey: number;
}

/** An installed TimescaleDB older than the one the server's image ships (`default_version`). */
interface Versions {
  installed: string;
  available: string;
}

const numeric = (v: string) => v.split(/[.-]/).map((p) => Number.parseInt(p, 10) || 0);
const newer = (a: string, b: string) => {
  const [x, y] = [numeric(a), numeric(b)];
  for (let i = 0; i < Math.max(x.length, y.length); i++) if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) > (y[i] ?? 0);
  return false;
};

/**
 * `ALTER EXTENSION timescaledb UPDATE` when the image brings a newer TimescaleDB than the database
 * has (a `pulumi up` that moved timescale/timescaledb to a newer tag on the same data volume).
 * TimescaleDB refuses the update in a session that has already loaded the old version's library,
 * which any statement in a database with the extension does ("cannot be updated after the old
 * version has already been loaded ... execute ALTER EXTENSION as the first command", its loader;
 * TimescaleDB's "Update TimescaleDB" docs: psql -X, first command). So one session takes the lock and
 * reads the versions, and a fresh session runs the update as its first statement. Runs before any
 * migration opens its own session, so those load the new library.
 */
export async function updateTimescaleDb(opts: ExtensionUpdateOptions): Promise<Versions | undefined> {
  const checker = await opts.connect();
  try {
    await checker.query("SELECT pg_advisory_lock($1)", [opts.lockKey]);
    const { rows } = await checker.query<Versions>(
      `SELECT e.extversion AS installed, a.default_version AS available
         FROM pg_extension e JOIN pg_available_extensions a ON a.name = e.extname
        WHERE e.extname = 'timescaledb'`,
    );
    const versions = rows[0];
    if (!versions || versions.installed === versions.available) return undefined;
    if (newer(versions.installed, versions.available)) {
      throw new Error(
        `the database has TimescaleDB ${versions.installed}, newer than the ${versions.available} this server provides: run an image with TimescaleDB ${versions.installed} or later`,
      );
    }
    const updater = await opts.connect();
    try {
      await updater.query("ALTER EXTENSION timescaledb UPDATE");
    } finally {
      await updater.end().catch(() => undefined);
    }
    opts.log.info({ from: versions.installed, to: versions.available }, "TimescaleDB extension updated");
    return versions;
  } finally {
    await checker.query("SELECT pg_advisory_unlock_all()").catch(() => undefined);
    await checker.end().catch(() => undefined);
  }
}
