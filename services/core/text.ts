import type { AttributeValue, Attributes } from "./span.js";

/**
 * PostgreSQL text and jsonb reject NUL characters and unpaired UTF-16 surrogates (which JSON
 * bodies can carry as escapes). One such string would fail a whole batch, so they are replaced
 * with U+FFFD before a span is queued.
 */
const UNSTORABLE = /\0|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const HAS_UNSTORABLE = new RegExp(UNSTORABLE.source);

export function cleanText(s: string): string {
  return HAS_UNSTORABLE.test(s) ? s.replace(UNSTORABLE, "\uFFFD") : s;
}

/** True when a value holds nothing cleanValue would change (the usual case: no copy is made). */
function isClean(v: AttributeValue): boolean {
  if (typeof v === "string") return !HAS_UNSTORABLE.test(v);
  if (typeof v === "number") return Number.isFinite(v);
  if (Array.isArray(v)) return v.every(isClean);
  if (v !== null && typeof v === "object") return attributesClean(v);
  return true;
}

function attributesClean(attrs: Attributes): boolean {
  for (const key in attrs) if (HAS_UNSTORABLE.test(key) || !isClean(attrs[key] as AttributeValue)) return false;
  return true;
}

export function cleanValue(v: AttributeValue): AttributeValue {
  if (typeof v === "string") return cleanText(v);
  if (Array.isArray(v)) return v.map(cleanValue);
  if (v !== null && typeof v === "object") return cleanAttributes(v);
  // NaN and ±Infinity have no JSON form; JSON.stringify would turn them into null anyway.
  if (typeof v === "number" && !Number.isFinite(v)) return null;
  return v;
}

export function cleanAttributes(attrs: Attributes): Attributes {
  if (attributesClean(attrs)) return attrs;
  const out: Attributes = {};
  for (const key of Object.keys(attrs)) out[cleanText(key)] = cleanValue(attrs[key] as AttributeValue);
  return out;
}

/** Cuts a string used as an index or rollup key, whose B-tree entries have a size limit. */
export function clip(s: string, max: number): string {
  return s.length > max ? s.slice(0, max) : s;
}
