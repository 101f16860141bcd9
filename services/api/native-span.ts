import { createHash } from "node:crypto";
import type { AttributeValue, Attributes, RawSpan, RawSpanEvent } from "../core/span.js";

/**
 * Decoder of the native JSON of the original LLM Observatory (`POST /api/v1/spans`): its LlmSpan
 * as serde writes it (span_id, trace_id, parent_span_id, name, provider, model, input, output,
 * token_usage, cost, latency, metadata, status, attributes, events), one object or an array.
 * Fields become the original SDKs' `llm.*` attributes, which normalization maps to columns like
 * every other dialect. Plus one extension: a top-level `service_name`.
 */

export type DecodedSpan = { ok: true; span: RawSpan } | { ok: false; message: string };

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);
const given = (v: unknown): AttributeValue | undefined => (v === null || v === undefined ? undefined : (v as AttributeValue));
const num = (v: unknown): number | undefined => (typeof v === "number" && Number.isFinite(v) ? v : undefined);

const RFC3339 = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/i;

/** RFC 3339 time → nanoseconds since the epoch, keeping sub-millisecond digits. */
export function rfc3339ToNanos(text: string): string | undefined {
  const m = RFC3339.exec(text);
  if (!m) return undefined;
  const ms = Date.parse(`${m[1]}${m[3]}`);
  if (Number.isNaN(ms) || ms < 0) return undefined;
  return (BigInt(ms) * 1_000_000n + BigInt((m[2] ?? "").padEnd(9, "0"))).toString();
}

/**
 * OTLP ids are hex; the original's were free strings ("span_123"). A free string maps to the
 * first bytes of its SHA-256, the same everywhere, so parent links and repeated posts still line up.
 */
export function nativeId(id: string, hexChars: 32 | 16): string {
  if (new RegExp(`^[0-9a-fA-F]{${hexChars}}$`).test(id)) return id.toLowerCase();
  return createHash("sha256").update(id).digest("hex").slice(0, hexChars);
}

const STATUS: Record<string, number> = { UNSET: 0, OK: 1, ERROR: 2 };

/** serde writes Provider::Custom("x") as {"custom": "x"}. */
function providerName(v: unknown): string | undefined {
  if (isObject(v)) return str(v.custom);
  return str(v);
}

/** The body came from JSON.parse, so any object in it is already a JSON attribute map. */
function attributesOf(v: unknown): Attributes {
  return isObject(v) ? { ...(v as Attributes) } : {};
}

function set(attrs: Attributes, key: string, value: AttributeValue | undefined): void {
  if (value !== undefined) attrs[key] = value;
}

export function decodeNativeSpan(input: unknown): DecodedSpan {
  if (!isObject(input)) return { ok: false, message: "a span must be a JSON object" };
  const traceId = str(input.trace_id);
  const spanId = str(input.span_id);
  const name = str(input.name);
  if (!traceId || !spanId) return { ok: false, message: "trace_id and span_id must be non-empty strings" };
  if (!name) return { ok: false, message: "name must be a non-empty string" };
  const latency = isObject(input.latency) ? input.latency : {};
  const start = typeof latency.start_time === "string" ? rfc3339ToNanos(latency.start_time) : undefined;
  if (!start) return { ok: false, message: "latency.start_time must be an RFC 3339 time from 1970 to 9999" };
  // An end time that is given but unreadable is an error, not a reason to fall back to total_ms.
  const givenEnd = latency.end_time ?? undefined;
  const end =
    givenEnd === undefined
      ? (BigInt(start) + BigInt(Math.round((num(latency.total_ms) ?? 0) * 1e6))).toString()
      : typeof givenEnd === "string"
        ? rfc3339ToNanos(givenEnd)
        : undefined;
  if (!end) return { ok: false, message: "latency.end_time must be an RFC 3339 time from 1970 to 9999" };

  const attributes: Attributes = {};
  const metadata = isObject(input.metadata) ? input.metadata : {};
  Object.assign(attributes, attributesOf(metadata.attributes), attributesOf(input.attributes));
  set(attributes, "llm.system", providerName(input.provider));
  set(attributes, "llm.request.model", str(input.model));
  const usage = isObject(input.token_usage) ? input.token_usage : {};
  // Counts and costs as given: normalization applies one rule to every path and warns of what it ignores.
  set(attributes, "llm.usage.prompt_tokens", given(usage.prompt_tokens));
  set(attributes, "llm.usage.completion_tokens", given(usage.completion_tokens));
  set(attributes, "llm.usage.total_tokens", given(usage.total_tokens));
  const cost = isObject(input.cost) ? input.cost : {};
  // Only a USD amount is a cost; another currency is kept as given and the span is priced instead.
  if ((cost.currency ?? "USD") === "USD") set(attributes, "llm.cost.total_usd", given(cost.amount_usd));
  if (Object.keys(cost).length > 0) attributes["llm.cost"] = attributesOf(cost);
  set(attributes, "llm.latency.ttft_ms", num(latency.ttft_ms));
  set(attributes, "llm.user.id", str(metadata.user_id));
  set(attributes, "llm.session.id", str(metadata.session_id));
  set(attributes, "llm.request.id", str(metadata.request_id));
  if (Array.isArray(metadata.tags)) attributes["llm.tags"] = metadata.tags.filter((t): t is string => typeof t === "string");
  if (input.input !== undefined) attributes["llm.input"] = input.input as AttributeValue;
  const output = isObject(input.output) ? input.output : undefined;
  if (output) {
    set(attributes, "llm.output.content", str(output.content));
    set(attributes, "llm.response.finish_reason", str(output.finish_reason));
  }
  const parent = str(input.parent_span_id);
  const ids = { trace_id: nativeId(traceId, 32), span_id: nativeId(spanId, 16), parent_span_id: parent && nativeId(parent, 16) };
  // A mapped id keeps its original beside it, so the span can still be found by it.
  if (ids.trace_id !== traceId.toLowerCase()) attributes["llm.native.trace_id"] = traceId;
  if (ids.span_id !== spanId.toLowerCase()) attributes["llm.native.span_id"] = spanId;
  if (parent && ids.parent_span_id !== parent.toLowerCase()) attributes["llm.native.parent_span_id"] = parent;

  const resourceAttributes: Attributes = {};
  set(resourceAttributes, "service.name", str(input.service_name) ?? str(attributes["service.name"]));
  set(resourceAttributes, "deployment.environment.name", str(metadata.environment));

  const events: RawSpanEvent[] = (Array.isArray(input.events) ? input.events : []).filter(isObject).map((e) => ({
    name: str(e.name) ?? "event",
    timeUnixNano: (typeof e.timestamp === "string" ? rfc3339ToNanos(e.timestamp) : undefined) ?? start,
    attributes: attributesOf(e.attributes),
  }));

  return {
    ok: true,
    span: {
      traceId: ids.trace_id,
      spanId: ids.span_id,
      ...(ids.parent_span_id ? { parentSpanId: ids.parent_span_id } : {}),
      name,
      // CLIENT for a call to a model (as the GenAI conventions have it), INTERNAL otherwise.
      kind: attributes["llm.system"] === undefined ? 1 : 3,
      startTimeUnixNano: start,
      endTimeUnixNano: end,
      statusCode: STATUS[String(input.status ?? "UNSET").toUpperCase()] ?? 0,
      attributes,
      resourceAttributes,
      events,
    },
  };
}
