import { describe, expect, it } from "vitest";
import { normalizeSpan } from "../../services/core/normalization.js";
import { DROPPED_KEYS, SPAN_LIMITS, TOO_DEEP } from "../../services/core/span-limits.js";
import type { AttributeValue, Attributes, RawSpan } from "../../services/core/span.js";

function raw(attributes: Attributes, over: Partial<RawSpan> = {}): RawSpan {
  return {
    traceId: "0af7651916cd43dd8448eb211c80319c",
    spanId: "b7ad6b7169203331",
    name: "chat",
    kind: 3,
    startTimeUnixNano: "1700000000000000000",
    endTimeUnixNano: "1700000001250000000",
    statusCode: 0,
    attributes,
    resourceAttributes: { "service.name": "checkout" },
    events: [],
    ...over,
  };
}

function normalized(attributes: Attributes, over: Partial<RawSpan> = {}) {
  const n = normalizeSpan("acme", raw(attributes, over));
  if (!n.ok) throw new Error(n.message);
  return n;
}

function nested(levels: number, kind: "array" | "object"): AttributeValue {
  let v: AttributeValue = "leaf";
  for (let i = 0; i < levels; i++) v = kind === "array" ? [v] : { a: v };
  return v;
}

describe("span limits, the same for every way in", () => {
  it("rejects values nested deeper than 32 levels without exhausting the stack (4,000 arrays, 6,000 objects)", () => {
    for (const attributes of [{ deep: nested(4_000, "array") }, { "llm.input": nested(6_000, "object") }, { x: nested(33, "array") }] as Attributes[]) {
      expect(normalizeSpan("acme", raw(attributes))).toEqual({ ok: false, reason: "invalid_attributes", message: TOO_DEEP });
    }
    const eventTooDeep = raw({}, { events: [{ name: "e", timeUnixNano: "1", attributes: { x: nested(40, "object") } }] });
    expect(normalizeSpan("acme", eventTooDeep)).toMatchObject({ ok: false, reason: "invalid_attributes" });
    expect(normalized({ x: nested(32, "array") }).row.attributes.x).toEqual(nested(32, "array"));
  });

  it("keeps the first 128 attributes and events, cuts long strings, and counts what was cut on the span", () => {
    const many = Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`k${i}`, i]));
    const events = Array.from({ length: 1_000 }, () => ({ name: "", timeUnixNano: "1700000000000000000", attributes: {} }));
    const n = normalized({ ...many, long: "x".repeat(100_000) }, { events });
    expect(Object.keys(n.row.attributes).filter((k) => k.startsWith("k"))).toHaveLength(128);
    expect(n.row.events).toHaveLength(SPAN_LIMITS.events);
    expect(n.row.attributes[DROPPED_KEYS.attributes]).toBe(201 - 128);
    expect(n.row.attributes[DROPPED_KEYS.events]).toBe(1_000 - 128);
    expect(n.warnings).toEqual([
      "attributes over 128 per span, event or resource dropped",
      "events over 128 per span dropped",
    ]);
    const long = normalized({ long: "x".repeat(100_000), list: ["y".repeat(70_000)] });
    expect([(long.row.attributes.long as string).length, ((long.row.attributes.list as string[])[0] as string).length]).toEqual([65_536, 65_536]);
    expect(long.row.attributes[DROPPED_KEYS.values]).toBe(2);
    expect(long.warnings).toEqual(["string values cut to 65536 characters"]);
  });

  it("stores a span within the limits as it came, with no warning", () => {
    const attributes = { "gen_ai.usage.input_tokens": 10, note: "ok", list: [1, [2, { a: 3 }]] };
    const n = normalized(attributes);
    expect([n.row.attributes, n.warnings]).toEqual([attributes, []]);
  });

  it("keeps the sender's own dropped counts and counts links as dropped (links are not stored)", () => {
    const n = normalized({}, { dropped: { attributes: 3, events: 0, links: 2 } });
    expect([n.row.attributes[DROPPED_KEYS.attributes], n.row.attributes[DROPPED_KEYS.links], n.warnings]).toEqual([3, 2, []]);
  });
});

describe("token counts and costs: one rule, and a warning for what is ignored", () => {
  it("warns of each absurd count or cost, names the attribute, and keeps the span", () => {
    for (const bad of [1e20, -5, 1.5, 2_147_483_648, "0x10", " 12", true]) {
      const n = normalized({ "llm.usage.prompt_tokens": bad as AttributeValue });
      expect([bad, n.row.inputTokens, n.warnings]).toEqual([bad, null, ["llm.usage.prompt_tokens ignored: a token count must be an integer from 0 to 2147483647"]]);
    }
    for (const bad of [1e20, -1, "lots"]) {
      const n = normalized({ "llm.cost.total_usd": bad });
      expect([n.row.costUsd, n.warnings[0]]).toEqual([null, expect.stringMatching(/^llm\.cost\.total_usd ignored: a cost must be/)]);
    }
  });

  it("reads decimal strings as numbers on every path", () => {
    const n = normalized({ "gen_ai.usage.input_tokens": "1200", "llm.cost.total_usd": "0.25" });
    expect([n.row.inputTokens, n.row.costUsd, n.warnings]).toEqual([1200, "0.25", []]);
  });
});
