import { useEffect, useMemo, useState } from "preact/hooks";
import { type Query, get } from "./api";
import { count, duration, percent, time, usd } from "./format";
import { useLiveTick } from "./live";
import { useLoad } from "./load";
import { ErrorNote } from "./notes";
import { href } from "./router";
import { resolveWindow } from "./time-range";
import { FILTER_NAMES, TraceFilters } from "./trace-filters";
import { treeWindow } from "./tree-window";

type Filters = Query<"/api/v1/traces/summary">;

/** The address's filters over a fixed window, as the API takes them. */
export function traceQuery(params: URLSearchParams, now: number): Filters {
  const q: Record<string, string> = { ...resolveWindow(params, now) };
  for (const name of FILTER_NAMES) {
    const v = params.get(name);
    if (v) q[name] = v;
  }
  return q as Filters;
}

const PAGE = 50;

/** Newest traces first with the address's filters, totals for the filter, and cursor pages. */
export function TraceList({ params }: { params: URLSearchParams }) {
  const [cursors, setCursors] = useState<string[]>([]);
  const tick = useLiveTick();
  const paging = cursors.length > 0;
  // The window is fixed while paging (a cursor belongs to its filter); live refresh moves it on page
  // one. Other filters mount a new list (the app keys it by the address).
  const [now, setNow] = useState(Date.now);
  useEffect(() => void (tick > 0 && !paging && setNow(Date.now())), [tick]);
  const filters = useMemo(() => traceQuery(params, now), [now]);
  const cursor = cursors[cursors.length - 1];
  const list = useLoad(() => get("/api/v1/traces", { ...filters, limit: PAGE, ...(cursor ? { cursor } : {}) }), [filters, cursor]);
  const summary = useLoad(() => get("/api/v1/traces/summary", filters), [filters]);
  const s = summary.data;

  return (
    <>
      <h1>Traces</h1>
      <TraceFilters params={params} />
      <dl class="totals" aria-label="Totals for this filter" aria-busy={summary.loading}>
        <div>
          <dt>Traces</dt>
          <dd data-testid="total-traces">{s ? `${count(s.traces)}${s.capped ? "+" : ""}` : "…"}</dd>
        </div>
        <div>
          <dt>Tokens</dt>
          <dd>{s ? count((s.input_tokens ?? 0) + (s.output_tokens ?? 0)) : "…"}</dd>
        </div>
        <div>
          <dt>Cost</dt>
          <dd data-testid="total-cost">{s ? usd(s.cost_usd) : "…"}</dd>
        </div>
        <div>
          <dt>Error rate</dt>
          <dd>{s ? percent(s.error_rate) : "…"}</dd>
        </div>
      </dl>
      {s?.capped && <p class="hint">Totals cover the newest 10,000 matching traces; narrow the filter for exact totals.</p>}
      <ErrorNote error={list.error ?? summary.error} />
      <div class="scroll">
        <table class="traces" aria-busy={list.loading}>
          <thead>
            <tr>
              <th scope="col">Started</th>
              <th scope="col">Name</th>
              <th scope="col">Service</th>
              <th scope="col">Models</th>
              <th scope="col" class="num">Spans</th>
              <th scope="col" class="num">Duration</th>
              <th scope="col" class="num">Tokens</th>
              <th scope="col" class="num">Cost</th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {list.data?.traces?.map((t) => (
              <tr class={t.status === "error" ? "failed" : undefined}>
                <td>{t.start_time && time(t.start_time)}</td>
                <td>
                  <a href={href("traces", t.trace_id, treeWindow(t))}>{t.name}</a>
                </td>
                <td>{t.service}</td>
                <td>{t.models?.join(", ")}</td>
                <td class="num">{count(t.span_count)}</td>
                <td class="num">{duration(t.duration_ms)}</td>
                <td class="num">{count(t.total_tokens)}</td>
                <td class="num">{usd(t.cost_usd)}</td>
                <td>
                  <span class={`status ${t.status}`}>{t.status}</span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {list.data?.traces?.length === 0 && <p class="empty">No traces match these filters in this time range.</p>}
      <nav class="pager" aria-label="Pages of traces">
        <button type="button" disabled={!paging} onClick={() => setCursors([])}>
          Newest
        </button>
        <button type="button" disabled={!paging} onClick={() => setCursors(cursors.slice(0, -1))}>
          Newer
        </button>
        <button type="button" disabled={!list.data?.next_cursor} onClick={() => setCursors([...cursors, list.data!.next_cursor!])}>
          Older
        </button>
      </nav>
    </>
  );
}
