import { ADMIN_URL, TIMESCALEDB_ADMIN_URL } from "../tests/support/database.js";

export interface BenchDatabase {
  kind: "postgresql" | "timescaledb";
  /** The server the benchmark's fresh database is created on (as superuser: CHECKPOINT, compression). */
  adminUrl: string;
}

/**
 * BENCH_DATABASE picks the server: `postgresql` (default, 127.0.0.1:5432 or TEST_ADMIN_DATABASE_URL)
 * or `timescaledb` (127.0.0.1:5433 or TEST_TIMESCALEDB_ADMIN_URL), where spans and rollups are hypertables.
 */
export function benchDatabase(env: NodeJS.ProcessEnv = process.env): BenchDatabase {
  const kind = env.BENCH_DATABASE || "postgresql";
  if (kind === "postgresql") return { kind, adminUrl: ADMIN_URL };
  if (kind === "timescaledb") return { kind, adminUrl: TIMESCALEDB_ADMIN_URL };
  throw new Error(`BENCH_DATABASE must be postgresql or timescaledb, not ${kind}`);
}
