import type { Attributes, RawSpan } from "./span.js";
import { checkAttributes, storableAttributes } from "./text.js";

/**
 * What one span may hold, the same for every way in (OTLP and the native endpoint). Counts are
 * the OpenTelemetry SDKs' default span limits; the nesting depth is what OTLP decoders accept.
 * What is cut is counted, stored with the span (DROPPED_KEYS) and reported to the sender.
 */
export const SPAN_LIMITS = {
  /** Attributes per span, per event and per resource; the first ones are kept. */
  attributes: 128,
  events: 128,
  /** Links are not stored at all; a span's links are counted as dropped. */
  links: 128,
  /** Characters of one string value (attribute, or inside an array or map value); longer ones are cut. */
  valueChars: 65_536,
  /** Arrays and maps inside an attribute value; a span nested deeper is rejected. */
  depth: 32,
} as const;

/** Attributes a cut span carries, so readers know it is not whole (named after OTLP's fields). */
export const DROPPED_KEYS = {
  attributes: "observatory.dropped_attributes_count",
  events: "observatory.dropped_events_count",
  links: "observatory.dropped_links_count",
  values: "observatory.truncated_values_count",
} as const;

export type DropCounts = Record<keyof typeof DROPPED_KEYS, number>;

export const TOO_DEEP = `attribute values nest arrays or maps deeper than ${SPAN_LIMITS.depth} levels`;

/** Drops counted by the sender (OTLP's dropped_*_count) plus this span's own. */
export function dropCounts(raw: RawSpan): DropCounts {
  return { attributes: raw.dropped?.attributes ?? 0, events: raw.dropped?.events ?? 0, links: raw.dropped?.links ?? 0, values: 0 };
}

/**
 * A map within the limits: its first SPAN_LIMITS.attributes entries, long strings cut, unstorable
 * characters replaced; the input itself when nothing needs changing (the usual case, no copy).
 * Undefined when a value is nested too deep.
 */
export function limitAttributes(attrs: Attributes, dropped: DropCounts): Attributes | undefined {
  let kept = attrs;
  let count = 0;
  for (const _ in attrs) if (++count > SPAN_LIMITS.attributes) break;
  if (count > SPAN_LIMITS.attributes) {
    const keys = Object.keys(attrs);
    dropped.attributes += keys.length - SPAN_LIMITS.attributes;
    kept = {};
    for (const key of keys.slice(0, SPAN_LIMITS.attributes)) kept[key] = attrs[key]!;
  }
  const check = checkAttributes(kept, SPAN_LIMITS.depth, SPAN_LIMITS.valueChars);
  if (check === "too_deep") return undefined;
  return check === "copy" ? storableAttributes(kept, SPAN_LIMITS.valueChars, dropped) : kept;
}

/** What was cut, for the sender (empty when nothing was). */
export function dropWarnings(d: DropCounts, raw: RawSpan): string[] {
  const own = { attributes: d.attributes - (raw.dropped?.attributes ?? 0), events: d.events - (raw.dropped?.events ?? 0) };
  const out: string[] = [];
  if (own.attributes > 0) out.push(`attributes over ${SPAN_LIMITS.attributes} per span, event or resource dropped`);
  if (own.events > 0) out.push(`events over ${SPAN_LIMITS.events} per span dropped`);
  if (d.values > 0) out.push(`string values cut to ${SPAN_LIMITS.valueChars} characters`);
  return out;
}

/** The span's attributes with its drop counts added (a copy, when there are any). */
export function withDropCounts(attrs: Attributes, d: DropCounts): Attributes {
  const keys = Object.keys(DROPPED_KEYS) as Array<keyof DropCounts>;
  if (keys.every((k) => d[k] === 0)) return attrs;
  const out = { ...attrs };
  for (const k of keys) if (d[k] > 0) out[DROPPED_KEYS[k]] = d[k];
  return out;
}
