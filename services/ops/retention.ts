import type pg from "pg";

export interface RetentionResult {
  /** Spans removed: in whole chunks (TimescaleDB) plus those deleted row by row. */
  spans: number;
  /** TimescaleDB chunks dropped whole (0 on plain PostgreSQL). */
  chunks: number;
  /** Transactions of the row-by-row delete (the rest of a chunk the cutoff cuts through). */
  batches: number;
  cutoff: Date;
}

/** True when 0007_timescaledb ran for real (not skipped): spans is then a hypertable. */
async function isHypertable(db: pg.Pool): Promise<boolean> {
  const { rows } = await db.query("SELECT 1 FROM schema_migrations WHERE name = '0007_timescaledb' AND skipped_reason IS NULL");
  return rows.length > 0;
}

/**
 * Removes raw spans older than `days`, now, whatever the retention policy says (on TimescaleDB the
 * policy keeps its own window, RETENTION_DAYS). Chunks entirely older are dropped whole; the rest is
 * deleted a batch per transaction so ingest never waits on one long lock. Rollups are left alone:
 * dashboards keep their history after raw spans are gone.
 */
export async function applyRetention(
  db: pg.Pool,
  days: number,
  { batchSize = 5_000, onBatch }: { batchSize?: number; onBatch?: (deleted: number) => void } = {},
): Promise<RetentionResult> {
  const cutoff = new Date(Date.now() - days * 86_400_000);
  const result: RetentionResult = { spans: 0, chunks: 0, batches: 0, cutoff };
  if (await isHypertable(db)) return timescaleRetention(db, result);
  for (;;) {
    const { rowCount } = await db.query(
      `DELETE FROM spans WHERE ctid = ANY (ARRAY(
         SELECT ctid FROM spans WHERE start_time < $1 LIMIT $2))`,
      [cutoff, batchSize],
    );
    if (!rowCount) break;
    result.spans += rowCount;
    result.batches++;
    onBatch?.(result.spans);
  }
  return result;
}

/**
 * Drops the chunks entirely older than the cutoff, then deletes the rest of the one it cuts
 * through in one transaction (at most a chunk's interval of spans): a ctid is only unique within a
 * chunk, and that chunk may be compressed, so the delete may decompress more than the per-statement
 * limit allows an application (timescaledb.max_tuples_decompressed_per_dml_transaction, lifted here).
 */
async function timescaleRetention(db: pg.Pool, result: RetentionResult): Promise<RetentionResult> {
  const client = await db.connect();
  try {
    await client.query("BEGIN");
    const { rows } = await client.query(
      `SELECT count(*)::int AS chunks, max(range_end) AS boundary FROM timescaledb_information.chunks
        WHERE hypertable_name = 'spans' AND range_end <= $1`,
      [result.cutoff],
    );
    if (rows[0].chunks > 0) {
      const counted = await client.query("SELECT count(*)::bigint AS n FROM spans WHERE start_time < $1", [rows[0].boundary]);
      await client.query("SELECT drop_chunks('spans', older_than => $1::timestamptz)", [result.cutoff]);
      result.chunks = rows[0].chunks;
      result.spans = Number(counted.rows[0].n);
    }
    await client.query("SET LOCAL timescaledb.max_tuples_decompressed_per_dml_transaction = 0");
    const { rowCount } = await client.query("DELETE FROM spans WHERE start_time < $1", [result.cutoff]);
    result.spans += rowCount ?? 0;
    result.batches = rowCount ? 1 : 0;
    await client.query("COMMIT");
    return result;
  } catch (err) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}
