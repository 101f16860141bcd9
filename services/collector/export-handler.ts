import { hasScope, keyFromHeaders, type ApiKeyResolver } from "../core/api-keys.js";
import type { Logger } from "../core/logger.js";
import { BackpressureError, OversizedSubmitError, type IngestPipeline } from "../core/pipeline.js";
import { collectorMetrics } from "./metrics.js";
import { DecodeError, toRawSpans } from "./otlp-decode.js";
import type { ExportRequest } from "./otlp-protos.js";

export type Protocol = "grpc" | "http_protobuf" | "http_json";

/** What an export came to, independent of the protocol that carries the answer. */
export type ExportOutcome =
  | { kind: "ok"; rejected: number; errorMessage?: string }
  | { kind: "unauthenticated" | "forbidden" | "invalid" | "too_large" | "internal"; message: string }
  | { kind: "backpressure"; message: string; retryAfterSeconds: number; unavailable: boolean };

export type Headers = Record<string, string | string[] | undefined>;

/** Queue full is "too many requests"; a database outage or a shutdown is "unavailable". */
function backpressure(err: BackpressureError): ExportOutcome {
  return { kind: "backpressure", message: err.message, retryAfterSeconds: err.retryAfterSeconds, unavailable: err.reason !== "queue_full" };
}

/**
 * Authentication (API key → project; or the default project when auth is disabled, dev only),
 * then decoding, then the pipeline. Resolves once the accepted spans are committed.
 */
export class ExportHandler {
  constructor(
    private readonly pipeline: IngestPipeline,
    private readonly keys: ApiKeyResolver | null,
    private readonly defaultProject: string,
    private readonly log: Logger,
  ) {}

  async handle(protocol: Protocol, headers: Headers, decode: () => ExportRequest): Promise<ExportOutcome> {
    const started = process.hrtime.bigint();
    const outcome = await this.run(protocol, headers, decode);
    collectorMetrics.exportSeconds.observe({ protocol }, Number(process.hrtime.bigint() - started) / 1e9);
    if (outcome.kind === "backpressure") collectorMetrics.backpressure.inc({ protocol });
    return outcome;
  }

  /** A refusal to give before reading a body when the collector cannot take more now. */
  refuseEarly(protocol: Protocol): ExportOutcome | undefined {
    const refusal = this.pipeline.refusal(1);
    if (!refusal) return undefined;
    collectorMetrics.backpressure.inc({ protocol });
    return backpressure(refusal);
  }

  private async run(protocol: Protocol, headers: Headers, decode: () => ExportRequest): Promise<ExportOutcome> {
    try {
      const auth = await this.project(headers);
      if ("kind" in auth) return auth;
      let spans;
      try {
        spans = toRawSpans(decode());
      } catch (err) {
        if (err instanceof DecodeError) return { kind: "invalid", message: err.message };
        throw err;
      }
      collectorMetrics.spansReceived.inc({ protocol }, spans.length);
      const result = await this.pipeline.submit(auth.projectId, spans);
      return result.errorMessage === undefined
        ? { kind: "ok", rejected: result.rejected }
        : { kind: "ok", rejected: result.rejected, errorMessage: result.errorMessage };
    } catch (err) {
      if (err instanceof BackpressureError) return backpressure(err);
      if (err instanceof OversizedSubmitError) return { kind: "too_large", message: err.message };
      this.log.error({ err: (err as Error).message, protocol }, "export failed");
      return { kind: "internal", message: "spans could not be stored" };
    }
  }

  private async project(headers: Headers): Promise<{ projectId: string } | ExportOutcome> {
    if (this.keys === null) return { projectId: this.defaultProject };
    const key = keyFromHeaders(headers);
    if (key === undefined) return { kind: "unauthenticated", message: "missing API key (Authorization: Bearer <key> or x-api-key)" };
    let principal;
    try {
      principal = await this.keys.resolve(key);
    } catch {
      // The key cannot be checked while the database is down: the exporter should come back later.
      return { kind: "backpressure", message: "cannot verify the API key now, retry later", retryAfterSeconds: 5, unavailable: true };
    }
    if (principal === null) return { kind: "unauthenticated", message: "unknown or revoked API key" };
    if (!hasScope(principal, "ingest")) return { kind: "forbidden", message: "this API key lacks the ingest scope" };
    return { projectId: principal.projectId };
  }
}
