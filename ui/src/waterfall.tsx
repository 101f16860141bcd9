import type { Answer } from "./api";
import { duration } from "./format";

export type TraceTree = Answer<"/api/v1/traces/{traceId}">;
export type Span = NonNullable<TraceTree["spans"]>[number];

export interface Row {
  span: Span;
  depth: number;
}

/** The tree as rows, depth first: each span under its parent, siblings in start order (as the API sends them). */
export function flatten(spans: Span[]): Row[] {
  const rows: Row[] = [];
  const stack: Row[] = [...spans].reverse().map((span) => ({ span, depth: 0 }));
  while (stack.length > 0) {
    const row = stack.pop()!;
    rows.push(row);
    // The API describes children with the same shape as their parent (OpenAPI takes no recursion there).
    const children = (row.span.children ?? []) as Span[];
    for (let i = children.length - 1; i >= 0; i--) stack.push({ span: children[i]!, depth: row.depth + 1 });
  }
  return rows;
}

const ms = (iso?: string) => (iso ? Date.parse(iso) : 0);

/** Ticks of the time axis: about five round steps across the trace. */
function ticks(total: number): number[] {
  const raw = total / 5;
  const step = [1, 2, 5, 10].map((m) => m * 10 ** Math.floor(Math.log10(raw || 1))).find((s) => s >= raw) ?? raw;
  const out: number[] = [];
  for (let t = 0; t <= total && out.length < 12; t += step) out.push(t);
  return out;
}

/** Every span of the trace on one time axis: nesting by indent, errors in red, the selected one marked. */
export function Waterfall({ rows, selected, spanHref }: { rows: Row[]; selected?: string | undefined; spanHref: (spanId: string | undefined) => string }) {
  const start = Math.min(...rows.map((r) => ms(r.span.start_time)));
  const end = Math.max(...rows.map((r) => ms(r.span.end_time)));
  const total = Math.max(end - start, 0.001);
  const pct = (t: number) => `${((t / total) * 100).toFixed(3)}%`;
  return (
    <div class="waterfall">
      <div class="axis" aria-hidden="true">
        {ticks(total).map((t) => (
          <span style={{ left: pct(t) }}>{duration(t)}</span>
        ))}
      </div>
      <ol class="spans" aria-label="Spans on a time axis">
      {rows.map(({ span, depth }) => {
        const offset = ms(span.start_time) - start;
        const failed = span.status_code === 2;
        return (
          <li>
          <a
            class={`span-row${failed ? " failed" : ""}${span.span_id === selected ? " selected" : ""}`}
            href={spanHref(span.span_id)}
            aria-current={span.span_id === selected ? "true" : undefined}
            data-span-id={span.span_id}
          >
            <span class="span-name" style={{ paddingLeft: `${depth * 1.1}em` }}>
              {span.name}
            </span>
            <span class="track">
              <span class="bar" style={{ left: pct(offset), width: `max(2px, ${pct(span.duration_ms ?? 0)})` }} />
            </span>
            <span class="span-duration">{duration(span.duration_ms)}</span>
          </a>
          </li>
        );
      })}
      </ol>
    </div>
  );
}
