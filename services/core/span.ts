/**
 * The two shapes a span takes between the wire and the table.
 *
 * RawSpan is protocol-neutral: OTLP (gRPC, protobuf, JSON) and the native JSON endpoint both
 * decode into it. SpanRow is what the writer stores: one column per field of `spans`.
 */

export type AttributeValue = string | number | boolean | null | AttributeValue[] | { [key: string]: AttributeValue };
export type Attributes = Record<string, AttributeValue>;

export interface RawSpanEvent {
  name: string;
  timeUnixNano: string;
  attributes: Attributes;
}

export interface RawSpan {
  /** Lower-case hex, 32 chars; validated by normalization, not by decoders. */
  traceId: string;
  /** Lower-case hex, 16 chars. */
  spanId: string;
  parentSpanId?: string;
  name: string;
  /** OTLP SpanKind (0 unspecified .. 5 consumer). */
  kind: number;
  /** Nanoseconds since the epoch, as a decimal string (64-bit values do not fit a double). */
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  /** OTLP StatusCode: 0 unset, 1 ok, 2 error. */
  statusCode: number;
  statusMessage?: string;
  attributes: Attributes;
  resourceAttributes: Attributes;
  events: RawSpanEvent[];
  /** What the sender dropped (OTLP's dropped_*_count), plus links: they are not stored. */
  dropped?: { attributes?: number; events?: number; links?: number };
  /** Events past SPAN_LIMITS.events that a decoder did not even convert. */
  eventsOverLimit?: number;
}

export interface SpanRow {
  projectId: string;
  traceId: string;
  spanId: string;
  parentSpanId: string | null;
  name: string;
  kind: number;
  serviceName: string;
  environment: string | null;
  startTime: Date;
  endTime: Date;
  durationMs: number;
  statusCode: number;
  statusMessage: string | null;
  operation: string | null;
  provider: string | null;
  requestModel: string | null;
  responseModel: string | null;
  inputTokens: number | null;
  outputTokens: number | null;
  cachedInputTokens: number | null;
  reasoningTokens: number | null;
  totalTokens: number | null;
  /** USD as a decimal string, to keep sub-cent precision exact. */
  costUsd: string | null;
  finishReasons: string[] | null;
  userId: string | null;
  sessionId: string | null;
  attributes: Attributes;
  resourceAttributes: Attributes;
  events: RawSpanEvent[];
}
