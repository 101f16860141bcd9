import type pg from "pg";

export interface CompressedTable {
  table: string;
  chunks: number;
  beforeBytes: number;
  afterBytes: number;
}

/**
 * Compresses every chunk of every public hypertable that ends more than `days` ago, now (the
 * policies would take up to their schedule, and rollups only after 30 days), so a benchmark
 * reads compressed history. Returns what each hypertable's compressed chunks weigh before and after.
 */
export async function compressHistory(pool: pg.Pool, days: number): Promise<CompressedTable[]> {
  const { rows: tables } = await pool.query("SELECT hypertable_name AS table FROM timescaledb_information.hypertables WHERE hypertable_schema = 'public' ORDER BY 1");
  const out: CompressedTable[] = [];
  for (const { table } of tables) {
    const { rows } = await pool.query(
      "SELECT count(compress_chunk(c, if_not_compressed => true))::int AS n FROM show_chunks($1::regclass, older_than => now() - make_interval(days => $2)) c",
      [table, days],
    );
    const { rows: stats } = await pool.query(
      "SELECT coalesce(sum(before_compression_total_bytes), 0)::bigint AS before, coalesce(sum(after_compression_total_bytes), 0)::bigint AS after FROM chunk_compression_stats($1::regclass)",
      [table],
    );
    out.push({ table, chunks: rows[0].n, beforeBytes: Number(stats[0].before), afterBytes: Number(stats[0].after) });
  }
  return out;
}
