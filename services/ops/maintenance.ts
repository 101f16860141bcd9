import type pg from "pg";

const BIG_TABLES = ["spans", "span_rollups_1m", "span_rollups_1h"];

export interface MaintenanceReport {
  tables: { table: string; totalBytes: number; rows: number }[];
  /** Slowest statements by mean time, when pg_stat_statements is installed in this database. */
  slowest: { query: string; calls: number; meanMs: number; totalMs: number }[] | null;
}

export async function maintenance(db: pg.Pool): Promise<MaintenanceReport> {
  for (const table of BIG_TABLES) await db.query(`VACUUM (ANALYZE) ${table}`);
  // A hypertable's own table is empty (its rows are in chunks): TimescaleDB's functions add them up.
  const { rows: timescale } = await db.query("SELECT 1 FROM pg_extension WHERE extname = 'timescaledb'");
  const [size, count] =
    timescale.length > 0
      ? ["hypertable_size(c.oid)", "approximate_row_count(c.oid)"]
      : ["pg_total_relation_size(c.oid)", "reltuples"];
  const { rows: tables } = await db.query(
    `SELECT relname AS table, (CASE WHEN h.hypertable_name IS NULL THEN pg_total_relation_size(c.oid) ELSE ${size} END)::bigint AS "totalBytes",
            (CASE WHEN h.hypertable_name IS NULL THEN reltuples ELSE ${count} END)::bigint AS rows
       FROM pg_class c
       ${timescale.length > 0 ? "LEFT JOIN timescaledb_information.hypertables h ON h.hypertable_schema = 'public' AND h.hypertable_name = c.relname" : "CROSS JOIN (SELECT NULL::name AS hypertable_name) h"}
      WHERE c.relname = ANY ($1) AND c.relnamespace = 'public'::regnamespace
      ORDER BY 2 DESC`,
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
  return { tables: tables.map((t) => ({ table: t.table, totalBytes: Number(t.totalBytes), rows: Math.max(0, Number(t.rows)) })), slowest };
}
