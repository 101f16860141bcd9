import { expect, test } from "vitest";
import { type SpanNode, type SpanRecord, buildTraceTree } from "../../services/api/trace-tree.js";

const span = (id: string, parent: string | null, cost: string | null, input = 1): SpanRecord => ({
  span_id: id,
  parent_span_id: parent,
  input_tokens: input,
  output_tokens: 2,
  cost_usd: cost,
});
const ids = (nodes: SpanNode[]): unknown => nodes.map((n) => [n.span_id, ids(n.children)]);

test("nests children in order, with exact subtree and total costs", () => {
  const { roots, totals } = buildTraceTree([
    span("r", null, "0.100000000000"),
    span("a", "r", "0.200000000000"),
    span("b", "r", null),
    span("a1", "a", "0.000000000001"),
  ]);
  expect(ids(roots)).toEqual([["r", [["a", [["a1", []]]], ["b", []]]]]);
  expect(totals).toEqual({ span_count: 4, input_tokens: 4, output_tokens: 8, cost_usd: 0.300000000001 });
  expect(roots[0]!.children[0]!.subtree).toEqual({ span_count: 2, input_tokens: 2, output_tokens: 4, cost_usd: 0.200000000001 });
  expect(roots[0]!.children[1]!.cost_usd).toBeNull();
});

test("orphans and parent cycles become roots; every span appears once", () => {
  const { roots, totals } = buildTraceTree([span("o", "missing", null), span("x", "y", null), span("y", "x", null), span("s", "s", null)]);
  expect(ids(roots)).toEqual([["o", []], ["s", []], ["x", [["y", []]]]]);
  expect(totals.span_count).toBe(4);
});

test("a deep chain does not overflow the stack", () => {
  const rows = Array.from({ length: 50_000 }, (_, i) => span(`s${i}`, i === 0 ? null : `s${i - 1}`, "0.000001000000"));
  const { totals } = buildTraceTree(rows);
  expect(totals).toEqual({ span_count: 50_000, input_tokens: 50_000, output_tokens: 100_000, cost_usd: 0.05 });
});
