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

/** What storing an attribute map takes: nothing (the usual case), a cleaned copy, or refusing it. */
export type AttributeCheck = "as_is" | "copy" | "too_deep";

/**
 * Walks a map without recursion (hostile input nests thousands of levels): too deep when an array
 * or map sits under `maxDepth` others; a copy is needed for unstorable characters, non-finite
 * numbers and strings longer than `maxChars`.
 */
export function checkAttributes(attrs: Attributes, maxDepth: number, maxChars: number): AttributeCheck {
  let copy = false;
  const values: AttributeValue[] = [];
  const depths: number[] = [];
  const push = (map: Attributes, depth: number) => {
    for (const key in map) {
      if (HAS_UNSTORABLE.test(key)) copy = true;
      values.push(map[key] as AttributeValue);
      depths.push(depth);
    }
  };
  push(attrs, 0);
  while (values.length > 0) {
    const v = values.pop()!;
    const depth = depths.pop()!;
    if (typeof v === "string") {
      if (v.length > maxChars || HAS_UNSTORABLE.test(v)) copy = true;
    } else if (typeof v === "number") {
      if (!Number.isFinite(v)) copy = true;
    } else if (v !== null && typeof v === "object") {
      if (depth >= maxDepth) return "too_deep";
      if (Array.isArray(v)) for (const item of v) values.push(item), depths.push(depth + 1);
      else push(v, depth + 1);
    }
  }
  return copy ? "copy" : "as_is";
}

/**
 * A storable copy of a value checkAttributes did not find too deep (so the recursion is bounded):
 * unstorable characters replaced, strings cut to `maxChars` (counted in `cut.values`).
 */
export function storableValue(v: AttributeValue, maxChars: number, cut: { values: number }): AttributeValue {
  if (typeof v === "string") {
    if (v.length <= maxChars) return cleanText(v);
    cut.values++;
    return cleanText(v.slice(0, maxChars));
  }
  if (Array.isArray(v)) return v.map((x) => storableValue(x, maxChars, cut));
  if (v !== null && typeof v === "object") return storableAttributes(v, maxChars, cut);
  // NaN and ±Infinity have no JSON form; JSON.stringify would turn them into null anyway.
  if (typeof v === "number" && !Number.isFinite(v)) return null;
  return v;
}

export function storableAttributes(attrs: Attributes, maxChars: number, cut: { values: number }): Attributes {
  const out: Attributes = {};
  for (const key of Object.keys(attrs)) out[cleanText(key)] = storableValue(attrs[key] as AttributeValue, maxChars, cut);
  return out;
}

/** Cuts a string used as an index or rollup key, whose B-tree entries have a size limit. */
export function clip(s: string, max: number): string {
  return s.length > max ? s.slice(0, max) : s;
}
