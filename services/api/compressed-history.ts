import type pg from "pg";

/** Whether the newest root a page of the trace list may show lies in compressed history. */
export interface History {
  compressedAt(top: Date): Promise<boolean>;
}

/**
 * Where compressed history ends: the end of the newest compressed chunk of spans (TimescaleDB),
 * read at most once per `ttlMs`. On plain PostgreSQL nothing is compressed. A failed read counts
 * as nothing compressed (the walk reads any history correctly, only slower) and is retried next time.
 */
export class CompressedHistory implements History {
  private end: Promise<Date | null> | undefined;
  private readAt = 0;

  constructor(
    private readonly pool: pg.Pool,
    private readonly ttlMs: number,
  ) {}

  async compressedAt(top: Date): Promise<boolean> {
    if (!this.end || Date.now() - this.readAt > this.ttlMs) {
      this.readAt = Date.now();
      this.end = this.read();
    }
    const end = await this.end;
    return end !== null && top.getTime() <= end.getTime();
  }

  private async read(): Promise<Date | null> {
    try {
      const { rows } = await this.pool.query(
        `SELECT max(range_end) AS end FROM timescaledb_information.chunks
         WHERE hypertable_schema = current_schema() AND hypertable_name = 'spans' AND is_compressed`,
      );
      return rows[0].end;
    } catch (err) {
      // 42P01: no timescaledb_information (plain PostgreSQL), for good; anything else: try again.
      if ((err as { code?: string }).code !== "42P01") this.readAt = 0;
      return null;
    }
  }
}
