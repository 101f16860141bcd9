import type { Logger } from "./logger.js";
import { isTransientDbError } from "./db-errors.js";
import { normalizeSpan, type RejectReason } from "./normalization.js";
import type { PriceBook } from "./pricing.js";
import type { RawSpan, SpanRow } from "./span.js";
import type { SpanWriter, WriteResult } from "./span-writer.js";

/** The queue is full or the database is unreachable: the caller should retry after a while. */
export class BackpressureError extends Error {
  override name = "BackpressureError";
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
    readonly reason: "queue_full" | "database_unavailable" | "closing",
  ) {
    super(message);
  }
}

/** A problem with one span of a submit: `index` is its position in the submitted list. */
export interface SpanIssue {
  index: number;
  message: string;
}

/** One submit carries more spans than the queue holds: never accepted, the caller must split it. */
export class OversizedSubmitError extends Error {
  override name = "OversizedSubmitError";
  constructor(spans: number, capacity: number) {
    super(`${spans} spans in one request exceed the ingest queue's ${capacity}: send them in smaller requests`);
  }
}

export interface SubmitResult {
  accepted: number;
  rejected: number;
  /** Rejections, then warnings, each counted per message (OTLP's partial_success.error_message). */
  errorMessage?: string;
  /** Why each rejected span was rejected. */
  errors?: SpanIssue[];
  /** What was changed on stored spans (values ignored, limits applied). */
  warnings?: SpanIssue[];
}

/** "3 span(s): message; 1 span(s): other" */
function summary(issues: SpanIssue[]): string[] {
  const counts = new Map<string, number>();
  for (const { message } of issues) counts.set(message, (counts.get(message) ?? 0) + 1);
  return [...counts].map(([m, c]) => `${c} span(s): ${m}`);
}

/** Observers of the pipeline (the collector turns these into Prometheus metrics). */
export interface PipelineHooks {
  rejected?(reason: RejectReason | "write_failed", spans: number): void;
  unknownModel?(provider: string): void;
  queueDepth?(spans: number): void;
  batchWritten?(spans: number, seconds: number, result: WriteResult): void;
  writeFailed?(err: unknown): void;
}

export interface PipelineOptions {
  writer: SpanWriter;
  prices: PriceBook;
  /**
   * Spans held (queued or being written) at most: a submit that would go beyond gets backpressure,
   * one larger than this on its own is refused (OversizedSubmitError).
   */
  capacitySpans: number;
  batchMaxSpans: number;
  /** How long a small batch waits for company while another batch is being written. */
  batchMaxWaitMs: number;
  /** Batches written at the same time (each uses one connection). */
  writers: number;
  log: Logger;
  hooks?: PipelineHooks;
  retryBaseMs?: number;
  retryMaxMs?: number;
}

interface Entry {
  rows: SpanRow[];
  enqueuedAt: number;
  resolve(): void;
  reject(err: unknown): void;
}

/**
 * Normalizes spans, holds them in a bounded queue and writes them in batches. A submit resolves
 * only once its spans are committed. While the database is unreachable, held batches are retried
 * with exponential backoff and new submits get backpressure; nothing held is dropped.
 */
export class IngestPipeline {
  private readonly queue: Entry[] = [];
  private queuedSpans = 0;
  /** Spans queued or being written. */
  private held = 0;
  private active = 0;
  private failures = 0;
  private waitTimer: NodeJS.Timeout | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private closing = false;
  private drained: Array<() => void> = [];
  private readonly retryBaseMs: number;
  private readonly retryMaxMs: number;

  constructor(private readonly o: PipelineOptions) {
    this.retryBaseMs = o.retryBaseMs ?? 100;
    this.retryMaxMs = o.retryMaxMs ?? 5_000;
  }

  /** True when a submit would get backpressure now (readiness reports it). */
  get saturated(): boolean {
    return this.refusal(1) !== undefined;
  }

  /**
   * The backpressure a submit of `incoming` spans would get now, if any; servers ask with 1
   * before reading a body, so a saturated collector sheds load cheaply.
   */
  refusal(incoming: number): BackpressureError | undefined {
    if (this.closing) return new BackpressureError("collector is shutting down", 5, "closing");
    if (this.failures > 0) {
      const seconds = Math.ceil(this.backoffMs() / 1000);
      return new BackpressureError("database unavailable, retry later", seconds, "database_unavailable");
    }
    if (this.held + incoming > this.o.capacitySpans) {
      return new BackpressureError("ingest queue is full, retry later", 1, "queue_full");
    }
    return undefined;
  }

  get capacitySpans(): number {
    return this.o.capacitySpans;
  }

  async submit(projectId: string, spans: RawSpan[]): Promise<SubmitResult> {
    this.refuseIfBusy(0);
    const rows: SpanRow[] = [];
    const errors: SpanIssue[] = [];
    const warnings: SpanIssue[] = [];
    spans.forEach((raw, index) => {
      const n = normalizeSpan(projectId, raw);
      if (n.ok) {
        rows.push(n.row);
        for (const message of n.warnings) warnings.push({ index, message });
        return;
      }
      errors.push({ index, message: n.message });
      this.o.hooks?.rejected?.(n.reason, 1);
    });
    if (rows.length > this.o.capacitySpans) throw new OversizedSubmitError(rows.length, this.o.capacitySpans);
    if (rows.length > 0) {
      this.refuseIfBusy(rows.length);
      await new Promise<void>((resolve, reject) => {
        this.queue.push({ rows, enqueuedAt: Date.now(), resolve, reject });
        this.queuedSpans += rows.length;
        this.held += rows.length;
        this.o.hooks?.queueDepth?.(this.held);
        this.pump();
      });
    }
    const result: SubmitResult = { accepted: rows.length, rejected: errors.length };
    if (errors.length > 0) result.errors = errors;
    if (warnings.length > 0) result.warnings = warnings;
    if (errors.length + warnings.length > 0) result.errorMessage = [...summary(errors), ...summary(warnings)].join("; ");
    return result;
  }

  /** Stops accepting and resolves once every held span is committed. */
  async close(): Promise<void> {
    this.closing = true;
    clearTimeout(this.waitTimer);
    this.pump();
    if (this.held > 0) await new Promise<void>((resolve) => this.drained.push(resolve));
  }

  private refuseIfBusy(incoming: number): void {
    const refusal = this.refusal(incoming);
    if (refusal) throw refusal;
  }

  private backoffMs(): number {
    return Math.min(this.retryBaseMs * 2 ** Math.max(this.failures - 1, 0), this.retryMaxMs);
  }

  /**
   * Starts batches while writers are free. An idle pipeline writes at once (low latency); while a
   * batch is being written, the next waits until it is full or has waited batchMaxWaitMs.
   */
  private pump(): void {
    clearTimeout(this.waitTimer);
    this.waitTimer = undefined;
    while (this.active < this.o.writers && this.queue.length > 0 && this.retryTimer === undefined) {
      const waited = Date.now() - this.queue[0]!.enqueuedAt;
      if (!this.closing && this.active > 0 && this.queuedSpans < this.o.batchMaxSpans && waited < this.o.batchMaxWaitMs) {
        this.waitTimer = setTimeout(() => this.pump(), this.o.batchMaxWaitMs - waited);
        return;
      }
      const batch = this.take();
      this.active++;
      void this.write(batch).finally(() => {
        this.active--;
        this.pump();
        if (this.held === 0) for (const done of this.drained.splice(0)) done();
      });
    }
  }

  private take(): Entry[] {
    const batch: Entry[] = [];
    let spans = 0;
    while (this.queue.length > 0) {
      const next = this.queue[0]!;
      if (batch.length > 0 && spans + next.rows.length > this.o.batchMaxSpans) break;
      batch.push(this.queue.shift()!);
      spans += next.rows.length;
    }
    this.queuedSpans -= spans;
    return batch;
  }

  private async write(batch: Entry[]): Promise<void> {
    const rows = batch.flatMap((e) => e.rows);
    try {
      await this.o.prices.ensureFresh();
      const unpriced = rows.filter((row) => this.o.prices.price(row) === "unknown");
      const started = process.hrtime.bigint();
      const result = await this.o.writer.write(rows);
      this.o.hooks?.batchWritten?.(rows.length, Number(process.hrtime.bigint() - started) / 1e9, result);
      // Counted once stored, so a batch retried through an outage is not counted twice.
      for (const row of unpriced) this.o.hooks?.unknownModel?.(row.provider ?? "");
      if (this.failures > 0) this.o.log.info({ failures: this.failures }, "database writes resumed");
      this.failures = 0;
      this.settle(batch);
    } catch (err) {
      this.o.hooks?.writeFailed?.(err);
      if (isTransientDbError(err)) this.retryLater(batch, err);
      else await this.isolate(batch, err);
    }
  }

  private settle(batch: Entry[], err?: unknown): void {
    for (const e of batch) {
      this.held -= e.rows.length;
      if (err === undefined) e.resolve();
      else e.reject(err);
    }
    this.o.hooks?.queueDepth?.(this.held);
  }

  /** Puts the batch back at the head of the queue and pauses writing for the backoff delay. */
  private retryLater(batch: Entry[], err: unknown): void {
    this.failures++;
    this.queue.unshift(...batch);
    this.queuedSpans += batch.reduce((n, e) => n + e.rows.length, 0);
    const delay = this.backoffMs();
    this.o.log.warn({ err: errorText(err), failures: this.failures, retryInMs: delay }, "database write failed, will retry");
    this.retryTimer ??= setTimeout(() => {
      this.retryTimer = undefined;
      this.pump();
    }, delay);
  }

  /** A permanent error: write each submit alone so one bad submit does not fail its neighbours. */
  private async isolate(batch: Entry[], err: unknown): Promise<void> {
    if (batch.length === 1) {
      this.o.log.error({ err: errorText(err), spans: batch[0]!.rows.length }, "spans could not be stored");
      this.o.hooks?.rejected?.("write_failed", batch[0]!.rows.length);
      this.settle(batch, err);
      return;
    }
    for (const entry of batch) await this.write([entry]);
  }
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
