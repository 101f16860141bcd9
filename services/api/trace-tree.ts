import { picoUsd, usdNumber } from "./usd.js";

/** The columns of a span row the tree reads; every other column passes through. */
interface SpanColumns {
  span_id: string;
  parent_span_id: string | null;
  input_tokens: number | null;
  output_tokens: number | null;
  [column: string]: unknown;
}

/** A span row as traceSpansQuery returns it (cost as numeric text). */
export interface SpanRecord extends SpanColumns {
  cost_usd: string | null;
}

export interface Totals {
  span_count: number;
  input_tokens: number;
  output_tokens: number;
  cost_usd: number;
}

export interface SpanNode extends SpanColumns {
  cost_usd: number | null;
  subtree: Totals;
  children: SpanNode[];
}

interface Acc {
  spans: number;
  input: number;
  output: number;
  picos: bigint;
}

const UNWALKED: Totals = { span_count: 0, input_tokens: 0, output_tokens: 0, cost_usd: 0 };

const toTotals = (a: Acc): Totals => ({ span_count: a.spans, input_tokens: a.input, output_tokens: a.output, cost_usd: usdNumber(a.picos) });

/**
 * Nests spans (in start order) under their parents, each with the totals of its subtree. A span
 * whose parent is not stored (yet) becomes a root; so does the earliest span of a parent cycle,
 * which stored data may contain, so every span appears exactly once. The rows become the nodes
 * in place (they are the caller's to give away): copying every column of every span cost more
 * than the query.
 */
export function buildTraceTree(rows: SpanRecord[]): { roots: SpanNode[]; totals: Totals } {
  const nodes = new Map<string, { node: SpanNode; picos: bigint; acc: Acc }>();
  for (const r of rows) {
    const picos = r.cost_usd === null ? 0n : picoUsd(r.cost_usd);
    const node = r as unknown as SpanNode;
    node.cost_usd = r.cost_usd === null ? null : usdNumber(picos);
    node.subtree = UNWALKED; // set by the walk below; assigned here to keep it before children in the JSON
    node.children = [];
    nodes.set(r.span_id, { node, picos, acc: { spans: 0, input: 0, output: 0, picos: 0n } });
  }
  const isRoot = (n: SpanNode) => n.parent_span_id === null || n.parent_span_id === n.span_id || !nodes.has(n.parent_span_id);
  const children = new Map<string, SpanNode[]>();
  for (const { node } of nodes.values()) {
    if (isRoot(node)) continue;
    const siblings = children.get(node.parent_span_id!);
    if (siblings) siblings.push(node);
    else children.set(node.parent_span_id!, [node]);
  }

  const placed = new Set<string>();
  const roots: SpanNode[] = [];
  const total: Acc = { spans: 0, input: 0, output: 0, picos: 0n };
  // Iterative post-order walk: deep traces must not overflow the stack.
  const attach = (root: SpanNode) => {
    placed.add(root.span_id);
    const stack: { node: SpanNode; next: number }[] = [{ node: root, next: 0 }];
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const kid = (children.get(top.node.span_id) ?? [])[top.next++];
      if (kid && !placed.has(kid.span_id)) {
        placed.add(kid.span_id);
        top.node.children.push(kid);
        stack.push({ node: kid, next: 0 });
        continue;
      }
      if (kid) continue;
      stack.pop();
      const { node, picos, acc } = nodes.get(top.node.span_id)!;
      acc.spans += 1;
      acc.input += node.input_tokens ?? 0;
      acc.output += node.output_tokens ?? 0;
      acc.picos += picos;
      node.subtree = toTotals(acc);
      const parent = stack[stack.length - 1];
      const into = parent ? nodes.get(parent.node.span_id)!.acc : total;
      into.spans += acc.spans;
      into.input += acc.input;
      into.output += acc.output;
      into.picos += acc.picos;
    }
    roots.push(root);
  };
  for (const { node } of nodes.values()) if (isRoot(node)) attach(node);
  for (const { node } of nodes.values()) if (!placed.has(node.span_id)) attach(node);
  return { roots, totals: toTotals(total) };
}
