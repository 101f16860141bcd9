import type pg from "pg";

export type RetentionResult =
  | { mode: "timescaledb"; policy: string }
  | { mode: "deleted"; spans: number; batches: number; cutoff: Date };

/** True when 0007_timescaledb ran for real (not skipped): TimescaleDB's own policy then applies. */
async function timescaleRetention(db: pg.Pool): Promise<string | null> {
  const { rows } = await db.query(
    "SELECT 1 FROM schema_migrations WHERE name = '0007_timescaledb' AND skipped_reason IS NULL",
  );
  if (rows.length === 0) return null;
  const policy = await db.query(
    `SELECT config->>'drop_after' AS drop_after FROM timescaledb_information.jobs
      WHERE proc_name = 'policy_retention' AND hypertable_name = 'spans'`,
  );
  return policy.rows[0]?.drop_after ?? "none configured";
}

/**
 * Deletes raw spans older than `days`, a batch per transaction so ingest never waits on one long
 * lock. Rollups are left alone: dashboards keep their history after raw spans are gone.
 */
export async function applyRetention(
  db: pg.Pool,
  days: number,
  { batchSize = 5_000, onBatch }: { batchSize?: number; onBatch?: (deleted: number) => void } = {},
): Promise<RetentionResult> {
  const policy = await timescaleRetention(db);
  if (policy) return { mode: "timescaledb", policy };
  const cutoff = new Date(Date.now() - days * 86_400_000);
  let spans = 0;
  let batches = 0;
  for (;;) {
    const { rowCount } = await db.query(
      `DELETE FROM spans WHERE ctid = ANY (ARRAY(
         SELECT ctid FROM spans WHERE start_time < $1 LIMIT $2))`,
      [cutoff, batchSize],
    );
    if (!rowCount) break;
    spans += rowCount;
    batches++;
    onBatch?.(spans);
  }
  return { mode: "deleted", spans, batches, cutoff };
}
