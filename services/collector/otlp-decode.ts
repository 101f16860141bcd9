import type { AttributeValue, Attributes, RawSpan } from "../core/span.js";
import { SPAN_LIMITS } from "../core/span-limits.js";
import { wireProblem } from "./otlp-wire.js";
import { ExportTraceServiceRequest, type ExportRequest, type Int64, type OtlpAnyValue, type OtlpKeyValue } from "./otlp-protos.js";

/** The body is not a valid export request; answered with 400 / INVALID_ARGUMENT. */
export class DecodeError extends Error {
  override name = "DecodeError";
}

export function decodeProtobuf(body: Uint8Array): ExportRequest {
  const problem = wireProblem(body);
  if (problem) throw new DecodeError(`invalid protobuf ExportTraceServiceRequest: ${problem}`);
  try {
    return ExportTraceServiceRequest.decode(body);
  } catch (err) {
    throw new DecodeError(`invalid protobuf ExportTraceServiceRequest: ${(err as Error).message}`);
  }
}

const ID_FIELDS = ["traceId", "spanId", "parentSpanId"] as const;
const TIME_FIELDS = ["startTimeUnixNano", "endTimeUnixNano", "timeUnixNano"] as const;
const HEX = /^(?:[0-9a-fA-F]{2})*$/;
const INVALID_ID = Buffer.from([0xff]);
const UINT64_MAX = 18_446_744_073_709_551_615n;

/**
 * OTLP/JSON fields protobufjs would misread, made explicit before fromObject (for spans, their
 * events and links). Ids are hex where the protobuf JSON mapping expects base64; Buffer.from(v,
 * "hex") stops at the first non-hex digit (and reads full-width letters as hex), so an id that is
 * not plain hex becomes one 0xff byte, which normalization rejects for that span alone (an empty
 * id would make a bad parent a root). A time beyond 64 bits would wrap around (3e20 became a date
 * in 2123): it becomes the largest 64-bit value, which normalization refuses as beyond year 9999.
 */
function fixJsonFields(item: unknown): void {
  if (item === null || typeof item !== "object") return;
  const record = item as Record<string, unknown>;
  for (const f of ID_FIELDS) {
    const v = record[f];
    if (typeof v === "string") record[f] = HEX.test(v) ? Buffer.from(v, "hex") : INVALID_ID;
  }
  for (const f of TIME_FIELDS) {
    const v = record[f];
    if ((typeof v === "string" && /^\d{20,}$/.test(v) && BigInt(v) > UINT64_MAX) || (typeof v === "number" && v > Number(UINT64_MAX))) {
      record[f] = UINT64_MAX.toString();
    }
  }
}

function each(list: unknown, fn: (item: unknown) => void): void {
  if (Array.isArray(list)) for (const item of list) fn(item);
}

/** OTLP/JSON (lowerCamelCase keys, hex ids, integer enums, 64-bit integers as strings or numbers). */
export function decodeJson(body: Uint8Array): ExportRequest {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString("utf8"));
  } catch (err) {
    throw new DecodeError(`invalid JSON: ${(err as Error).message}`);
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
    throw new DecodeError("invalid OTLP/JSON: the body must be an ExportTraceServiceRequest object");
  }
  const request = parsed as Record<string, unknown>;
  each(request.resourceSpans, (rs) =>
    each((rs as Record<string, unknown> | null)?.scopeSpans, (ss) =>
      each((ss as Record<string, unknown> | null)?.spans, (span) => {
        fixJsonFields(span);
        each((span as Record<string, unknown> | null)?.events, fixJsonFields);
        each((span as Record<string, unknown> | null)?.links, fixJsonFields);
      }),
    ),
  );
  try {
    return ExportTraceServiceRequest.fromObject(request);
  } catch (err) {
    throw new DecodeError(`invalid OTLP/JSON ExportTraceServiceRequest: ${(err as Error).message}`);
  }
}

function hex(id: Uint8Array | null | undefined): string {
  return id ? Buffer.from(id.buffer, id.byteOffset, id.byteLength).toString("hex") : "";
}

/** protobufjs's Long: two 32-bit halves (Long#toString is a slow division loop, so it is not used). */
interface LongBits {
  low: number;
  high: number;
  unsigned: boolean;
}

function isLong(v: Int64): v is LongBits & Int64 {
  return typeof v === "object" && typeof (v as Partial<LongBits>).high === "number";
}

/** The decimal text of a 64-bit integer. */
function int64Text(v: Int64): string {
  if (!isLong(v)) return String(v);
  const big = (BigInt(v.high) << 32n) | BigInt(v.low >>> 0);
  return (v.unsigned ? BigInt.asUintN(64, big) : big).toString();
}

function nanos(v: Int64 | null | undefined): string {
  return v === null || v === undefined ? "0" : int64Text(v);
}

/** A number where it is exact, else the decimal text. */
function int64(v: Int64 | undefined): number | string {
  if (v === undefined || typeof v === "number") return v ?? 0;
  if (isLong(v)) {
    const high = v.unsigned ? v.high >>> 0 : v.high;
    // |high| < 2^21: the value is below 2^53 in magnitude, so the arithmetic is exact.
    if (high >= -0x200000 && high < 0x200000) return high * 0x1_0000_0000 + (v.low >>> 0);
  }
  const s = int64Text(v);
  const n = Number(s);
  return Number.isSafeInteger(n) ? n : s;
}

function anyValue(v: OtlpAnyValue | null | undefined, depth: number): AttributeValue {
  // Conversion stops under the limit, leaving a container there: normalization rejects this span
  // (too deep) by the rule every path shares, and the rest of the export is stored.
  if (depth > SPAN_LIMITS.depth) return [];
  switch (v?.value) {
    case "stringValue":
      return v.stringValue ?? "";
    case "boolValue":
      return v.boolValue ?? false;
    case "intValue":
      return int64(v.intValue);
    case "doubleValue":
      return v.doubleValue ?? 0;
    case "arrayValue":
      return (v.arrayValue?.values ?? []).map((x) => anyValue(x, depth + 1));
    case "kvlistValue":
      return keyValues(v.kvlistValue?.values, depth + 1);
    case "bytesValue":
      return v.bytesValue ? Buffer.from(v.bytesValue).toString("base64") : "";
    default:
      return null;
  }
}

function keyValues(list: OtlpKeyValue[] | null | undefined, depth = 0): Attributes {
  const out: Attributes = {};
  if (list) for (const kv of list) out[kv.key ?? ""] = anyValue(kv.value, depth);
  return out;
}

/** Flattens a decoded request into protocol-neutral spans, each with its resource's attributes. */
export function toRawSpans(request: ExportRequest): RawSpan[] {
  const spans: RawSpan[] = [];
  for (const rs of request.resourceSpans ?? []) {
    const resourceAttributes = keyValues(rs.resource?.attributes);
    for (const ss of rs.scopeSpans ?? []) {
      for (const s of ss.spans ?? []) {
        const parent = hex(s.parentSpanId);
        const span: RawSpan = {
          traceId: hex(s.traceId),
          spanId: hex(s.spanId),
          name: s.name ?? "",
          kind: s.kind ?? 0,
          startTimeUnixNano: nanos(s.startTimeUnixNano),
          endTimeUnixNano: nanos(s.endTimeUnixNano),
          statusCode: s.status?.code ?? 0,
          attributes: keyValues(s.attributes),
          resourceAttributes,
          // Events past the limit are only counted (an export may carry a million).
          events: (s.events ?? [])
            .slice(0, SPAN_LIMITS.events)
            .map((e) => ({ name: e.name ?? "", timeUnixNano: nanos(e.timeUnixNano), attributes: keyValues(e.attributes) })),
        };
        const overLimit = (s.events?.length ?? 0) - SPAN_LIMITS.events;
        if (overLimit > 0) span.eventsOverLimit = overLimit;
        const dropped = { attributes: s.droppedAttributesCount ?? 0, events: s.droppedEventsCount ?? 0, links: (s.droppedLinksCount ?? 0) + (s.links?.length ?? 0) };
        if (dropped.attributes + dropped.events + dropped.links > 0) span.dropped = dropped;
        if (parent !== "") span.parentSpanId = parent;
        if (s.status?.message) span.statusMessage = s.status.message;
        spans.push(span);
      }
    }
  }
  return spans;
}
