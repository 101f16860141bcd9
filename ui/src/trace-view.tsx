import { useEffect, useMemo } from "preact/hooks";
import { get } from "./api";
import { count, duration, usd } from "./format";
import { useLoad } from "./load";
import { ErrorNote } from "./notes";
import { href } from "./router";
import { SpanPanel } from "./span-panel";
import { Waterfall, flatten } from "./waterfall";

/**
 * One trace: its totals, the waterfall of its spans and the selected span's panel (`?span=`).
 * `?from=&to=` (set by the list, see treeWindow) bound where its spans are looked for.
 */
export function TraceView({ traceId, params }: { traceId: string; params: URLSearchParams }) {
  const spanId = params.get("span");
  const window = { from: params.get("from") ?? undefined, to: params.get("to") ?? undefined };
  const tree = useLoad(() => get(`/api/v1/traces/${traceId}` as "/api/v1/traces/{traceId}", window), [traceId, window.from, window.to]);
  const rows = useMemo(() => flatten(tree.data?.spans ?? []), [tree.data]);
  const selected = rows.find((r) => r.span.span_id === spanId)?.span ?? rows[0]?.span;
  useEffect(() => {
    if (spanId) document.getElementById("span-panel")?.focus({ preventScroll: true });
  }, [spanId, tree.data]);
  const t = tree.data?.totals;
  const errors = rows.filter((r) => r.span.status_code === 2).length;
  return (
    <>
      <p>
        <a href={href("traces")}>← Traces</a>
      </p>
      <h1>
        Trace <code>{traceId}</code>
      </h1>
      <ErrorNote error={tree.error} />
      {t && (
        <dl class="totals">
          <div>
            <dt>Spans</dt>
            <dd>{count(t.span_count)}</dd>
          </div>
          <div>
            <dt>Duration</dt>
            <dd>{duration(rows[0]?.span.duration_ms)}</dd>
          </div>
          <div>
            <dt>Tokens</dt>
            <dd>{count((t.input_tokens ?? 0) + (t.output_tokens ?? 0))}</dd>
          </div>
          <div>
            <dt>Cost</dt>
            <dd>{usd(t.cost_usd)}</dd>
          </div>
          <div>
            <dt>Errors</dt>
            <dd>{count(errors)}</dd>
          </div>
        </dl>
      )}
      {tree.data?.truncated && <p class="hint">This trace has more spans than one view holds; the first ones are shown.</p>}
      {rows.length > 0 && (
        <div class="trace-layout">
          <Waterfall rows={rows} selected={selected?.span_id} spanHref={(span) => href("traces", traceId, { ...window, span })} />
          {selected && <SpanPanel span={selected} />}
        </div>
      )}
    </>
  );
}
