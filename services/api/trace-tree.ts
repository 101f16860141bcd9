import { picoUsd, usdNumber } from "./usd.js";

/** A span row as traceSpansQuery returns it (cost as numeric text). */
export interface SpanRecord {
  span_id: string;
  parent_span_id: string | null;
  input_tokens: number | null;
  output_tokens: number | null;
  cost_usd: string | null;
  [column: string]: unknown;
}

export interface Totals {
  span_count: number;
  input_tokens: number;
  output_tokens: number;
  cost_usd: number;
}

export type SpanNode = Omit<SpanRecord, "cost_usd"> & { cost_usd: number | null; subtree: Totals; children: SpanNode[] };

interface Acc {
  spans: number;
  input: number;
  output: number;
  picos: bigint;
}

const toTotals = (a: Acc): Totals => ({ span_count: a.spans, input_tokens: a.input, output_tokens: a.output, cost_usd: usdNumber(a.picos) });

/**
 * Nests spans (in start order) under their parents, each with the totals of its subtree. A span
 * whose parent is not stored (yet) becomes a root; so does the earliest span of a parent cycle,
 * which stored data may contain, so every span appears exactly once.
 */
export function buildTraceTree(rows: SpanRecord[]): { roots: SpanNode[]; totals: Totals } {
  const nodes = new Map<string, { node: SpanNode; acc: Acc }>();
  for (const r of rows) {
    const node: SpanNode = { ...r, cost_usd: r.cost_usd === null ? null : usdNumber(picoUsd(r.cost_usd)), subtree: undefined!, children: [] };
    nodes.set(r.span_id, { node, acc: { spans: 0, input: 0, output: 0, picos: 0n } });
  }
  const children = new Map<string, SpanRecord[]>();
  for (const r of rows) {
    const parent = r.parent_span_id;
    if (parent === null || parent === r.span_id || !nodes.has(parent)) continue;
    const siblings = children.get(parent);
    if (siblings) siblings.push(r);
    else children.set(parent, [r]);
  }

  const placed = new Set<string>();
  const roots: SpanNode[] = [];
  const total: Acc = { spans: 0, input: 0, output: 0, picos: 0n };
  // Iterative post-order walk: deep traces must not overflow the stack.
  const attach = (root: SpanRecord) => {
    placed.add(root.span_id);
    const stack: { record: SpanRecord; next: number }[] = [{ record: root, next: 0 }];
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const kids = children.get(top.record.span_id) ?? [];
      const kid = kids[top.next++];
      if (kid && !placed.has(kid.span_id)) {
        placed.add(kid.span_id);
        nodes.get(top.record.span_id)!.node.children.push(nodes.get(kid.span_id)!.node);
        stack.push({ record: kid, next: 0 });
        continue;
      }
      if (kid) continue;
      stack.pop();
      const { node, acc } = nodes.get(top.record.span_id)!;
      acc.spans += 1;
      acc.input += top.record.input_tokens ?? 0;
      acc.output += top.record.output_tokens ?? 0;
      acc.picos += top.record.cost_usd === null ? 0n : picoUsd(top.record.cost_usd);
      node.subtree = toTotals(acc);
      const parent = stack[stack.length - 1];
      const into = parent ? nodes.get(parent.record.span_id)!.acc : total;
      into.spans += acc.spans;
      into.input += acc.input;
      into.output += acc.output;
      into.picos += acc.picos;
    }
    roots.push(nodes.get(root.span_id)!.node);
  };
  for (const r of rows) {
    const parent = r.parent_span_id;
    if (parent === null || parent === r.span_id || !nodes.has(parent)) attach(r);
  }
  for (const r of rows) if (!placed.has(r.span_id)) attach(r);
  return { roots, totals: toTotals(total) };
}
