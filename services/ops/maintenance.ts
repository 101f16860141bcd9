import type pg from "pg";

const BIG_TABLES = ["spans", "span_rollups_1m", "span_rollups_1h"];

export interface MaintenanceReport {
  tables: { table: string; totalBytes: number; rows: number }[];
  /** Slowest statements by mean time, when pg_stat_statements is installed in this database. */
  slowest: { query: string; calls: number; meanMs: number; totalMs: number }[] | null;
}

export async function maintenance(db: pg.Pool): Promise<MaintenanceReport> {
  for (const table of BIG_TABLES) await db.query(`VACUUM (ANALYZE) ${table}`);
  const { rows: tables } = await db.query(
    `SELECT relname AS table, pg_total_relation_size(c.oid)::bigint AS "totalBytes", reltuples::bigint AS rows
       FROM pg_class c WHERE c.relname = ANY ($1) AND c.relnamespace = 'public'::regnamespace
      ORDER BY pg_total_relation_size(c.oid) DESC`,
    [BIG_TABLES],
  );
  const { rows: ext } = await db.query("SELECT 1 FROM pg_extension WHERE extname = 'pg_stat_statements'");
  let slowest: MaintenanceReport["slowest"] = null;
  if (ext.length > 0) {
    const { rows } = await db.query(
      `SELECT left(regexp_replace(query, '\\s+', ' ', 'g'), 200) AS query, calls::bigint AS calls,
              round(mean_exec_time::numeric, 2)::float8 AS "meanMs", round(total_exec_time::numeric, 1)::float8 AS "totalMs"
         FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
        ORDER BY mean_exec_time DESC LIMIT 10`,
    );
    slowest = rows;
  }
  return { tables: tables.map((t) => ({ ...t, rows: Math.max(0, t.rows) })), slowest };
}
