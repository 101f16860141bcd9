import pg from "pg";

// int8 (COUNT, SUM of integers) and numeric arrive as strings by default; counts fit a double.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));

export interface PoolOptions {
  max?: number;
  /** Names the connection in pg_stat_activity, so operators can tell the services apart. */
  applicationName: string;
}

export function createPool(databaseUrl: string, { max = 10, applicationName }: PoolOptions): pg.Pool {
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max,
    application_name: applicationName,
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
  });
  // An idle client losing its connection (database restart) must not crash the process;
  // the pool replaces it and the next query reports the failure to its caller.
  pool.on("error", () => undefined);
  return pool;
}

/** True when the database answers a trivial query within the pool's timeout. */
export async function databaseReachable(pool: pg.Pool): Promise<boolean> {
  try {
    await pool.query("SELECT 1");
    return true;
  } catch {
    return false;
  }
}
