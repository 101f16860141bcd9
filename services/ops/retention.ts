import type pg from "pg";

/** The tables retention trims, each by the column its rows age by. */
const AGE_COLUMN = { spans: "start_time", span_rollups_1m: "bucket", span_rollups_1h: "bucket" } as const;
type AgedTable = keyof typeof AGE_COLUMN;
const ROLLUP_TABLES: AgedTable[] = ["span_rollups_1m", "span_rollups_1h"];

export interface Removed {
  /** Rows removed: in whole chunks (TimescaleDB) plus those deleted row by row. */
  rows: number;
  /** TimescaleDB chunks dropped whole (0 on plain PostgreSQL). */
  chunks: number;
  /** Transactions of the row-by-row delete (the rest of a chunk the cutoff cuts through). */
  batches: number;
  cutoff: Date;
}

export interface RetentionResult {
  spans: Removed;
  /** Both rollup tables together. */
  rollups: Removed;
}

export interface RetentionWindows {
  /** Raw spans older than this many days go. */
  days: number;
  /** Rollups older than this many days go (a longer window: dashboards outlive raw spans). */
  rollupDays: number;
}

interface Options {
  batchSize?: number;
  /** Rows removed so far from `table`, after each batch. */
  onBatch?: (table: AgedTable, deleted: number) => void;
}

/** The public tables TimescaleDB partitions (none without the extension). */
async function hypertables(db: pg.Pool): Promise<Set<string>> {
  const { rows: ext } = await db.query("SELECT 1 FROM pg_extension WHERE extname = 'timescaledb'");
  if (ext.length === 0) return new Set();
  const { rows } = await db.query("SELECT hypertable_name FROM timescaledb_information.hypertables WHERE hypertable_schema = 'public'");
  return new Set(rows.map((r) => r.hypertable_name as string));
}

/**
 * Removes raw spans older than `days` and rollups older than `rollupDays`, now, whatever the
 * retention policies say (on TimescaleDB they keep their own windows, RETENTION_DAYS and
 * ROLLUP_RETENTION_DAYS). A hypertable's chunks entirely older are dropped whole; the rest is
 * deleted a batch per transaction so ingest never waits on one long lock.
 */
export async function applyRetention(db: pg.Pool, windows: RetentionWindows, { batchSize = 5_000, onBatch }: Options = {}): Promise<RetentionResult> {
  const partitioned = await hypertables(db);
  const cutoff = (days: number) => new Date(Date.now() - days * 86_400_000);
  const trim = (table: AgedTable, before: Date): Promise<Removed> => {
    const removed: Removed = { rows: 0, chunks: 0, batches: 0, cutoff: before };
    return partitioned.has(table)
      ? timescaleRetention(db, table, removed)
      : batchedDelete(db, table, removed, batchSize, (n) => onBatch?.(table, n));
  };
  const spans = await trim("spans", cutoff(windows.days));
  // One cutoff for both rollup tables, so the per-minute and per-hour history end together.
  const rollups: Removed = { rows: 0, chunks: 0, batches: 0, cutoff: cutoff(windows.rollupDays) };
  for (const table of ROLLUP_TABLES) {
    const one = await trim(table, rollups.cutoff);
    rollups.rows += one.rows;
    rollups.chunks += one.chunks;
    rollups.batches += one.batches;
  }
  return { spans, rollups };
}

/** Plain PostgreSQL: `batchSize` rows per transaction, until none is older than the cutoff. */
async function batchedDelete(db: pg.Pool, table: AgedTable, removed: Removed, batchSize: number, onBatch: (n: number) => void): Promise<Removed> {
  for (;;) {
    const { rowCount } = await db.query(
      `DELETE FROM ${table} WHERE ctid = ANY (ARRAY(
         SELECT ctid FROM ${table} WHERE ${AGE_COLUMN[table]} < $1 LIMIT $2))`,
      [removed.cutoff, batchSize],
    );
    if (!rowCount) return removed;
    removed.rows += rowCount;
    removed.batches++;
    onBatch(removed.rows);
  }
}

/**
 * Drops the chunks entirely older than the cutoff, then deletes the rest of the one it cuts
 * through in one transaction (at most a chunk's interval of rows): a ctid is only unique within a
 * chunk, and that chunk may be compressed, so the delete may decompress more than the per-statement
 * limit allows an application (timescaledb.max_tuples_decompressed_per_dml_transaction, lifted here).
 */
async function timescaleRetention(db: pg.Pool, table: AgedTable, removed: Removed): Promise<Removed> {
  const column = AGE_COLUMN[table];
  const client = await db.connect();
  try {
    await client.query("BEGIN");
    const { rows } = await client.query(
      `SELECT count(*)::int AS chunks, max(range_end) AS boundary FROM timescaledb_information.chunks
        WHERE hypertable_schema = 'public' AND hypertable_name = $1 AND range_end <= $2`,
      [table, removed.cutoff],
    );
    if (rows[0].chunks > 0) {
      const counted = await client.query(`SELECT count(*)::bigint AS n FROM ${table} WHERE ${column} < $1`, [rows[0].boundary]);
      await client.query("SELECT drop_chunks($1::regclass, older_than => $2::timestamptz)", [table, removed.cutoff]);
      removed.chunks = rows[0].chunks;
      removed.rows = Number(counted.rows[0].n);
    }
    await client.query("SET LOCAL timescaledb.max_tuples_decompressed_per_dml_transaction = 0");
    const { rowCount } = await client.query(`DELETE FROM ${table} WHERE ${column} < $1`, [removed.cutoff]);
    removed.rows += rowCount ?? 0;
    removed.batches = rowCount ? 1 : 0;
    await client.query("COMMIT");
    return removed;
  } catch (err) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}
