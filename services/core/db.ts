import pg from "pg";

// int8 (COUNT, SUM of integers) and numeric arrive as strings by default; counts fit a double.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));

/** Longest wait for a connection: a free pool slot, then connecting (a black-holed server included). */
export const CONNECT_TIMEOUT_MS = 5_000;
/** How much longer than the server's statement timeout the client waits before giving up on a silent server. */
const READ_GRACE_MS = 1_000;

export interface PoolOptions {
  max?: number;
  /** Names the connection in pg_stat_activity, so operators can tell the services apart. */
  applicationName: string;
  /**
   * The server cancels a statement running longer than this (and ends a session idle in a
   * transaction as long); the client gives up READ_GRACE_MS later when no answer comes at all.
   * Unset for maintenance work, which may rightly run for long.
   */
  statementTimeoutMs?: number;
  /** Server settings of every connection (sent at connect, as `-c name=value` options). */
  settings?: Record<string, string>;
}

export function createPool(databaseUrl: string, { max = 10, applicationName, statementTimeoutMs, settings }: PoolOptions): pg.Pool {
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max,
    application_name: applicationName,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    idleTimeoutMillis: 30_000,
    keepAlive: true,
    ...(settings === undefined ? {} : { options: Object.entries(settings).map(([name, value]) => `-c ${name}=${value}`).join(" ") }),
    ...(statementTimeoutMs === undefined
      ? {}
      : { statement_timeout: statementTimeoutMs, idle_in_transaction_session_timeout: statementTimeoutMs, query_timeout: statementTimeoutMs + READ_GRACE_MS }),
  });
  // A connection lost while idle (database restart) or while checked out (a reset in the middle of
  // a COPY) must not crash the process: the pool replaces an idle one, and a checked-out one's
  // failure reaches the query in flight, whose caller decides.
  pool.on("error", () => undefined);
  pool.on("connect", (client) => client.on("error", () => undefined));
  return pool;
}

/**
 * Whether the database answers a trivial query, known within `boundMs` whatever the database
 * does: one probe at a time (callers during a probe share it), and a probe still running after the
 * bound counts as unreachable (it goes on, bounded by the pool's own timeouts).
 */
export class ReachabilityProbe {
  private pending: Promise<boolean> | undefined;

  constructor(
    private readonly pool: pg.Pool,
    private readonly boundMs = 500,
  ) {}

  async reachable(): Promise<boolean> {
    this.pending ??= this.pool.query("SELECT 1").then(
      () => true,
      () => false,
    );
    const probe = this.pending;
    void probe.finally(() => {
      if (this.pending === probe) this.pending = undefined;
    });
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), this.boundMs)));
    try {
      return await Promise.race([probe, late]);
    } finally {
      clearTimeout(timer);
    }
  }
}
