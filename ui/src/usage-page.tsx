import { get } from "./api";
import { Chart, type Series, colour } from "./chart";
import { change, count, duration, percent, usd } from "./format";
import { useLiveTick } from "./live";
import { useLoad } from "./load";
import { ErrorNote } from "./notes";
import { href, navigate } from "./router";
import { DEFAULT_PRESET, PRESETS, resolveWindow } from "./time-range";
import { type Grouping, type Plot, align, ratio, series, sum } from "./usage-data";

const GROUPINGS: Grouping[] = ["model", "provider", "service"];
const PERCENTILES = ["p50", "p95", "p99"] as const;

function Legend({ plot, total, format, label }: { plot: Plot; total: (s: Series) => number | null; format: (v: number) => string; label: string }) {
  return (
    <table class="legend">
      <thead>
        <tr>
          <th scope="col">Group</th>
          <th scope="col" class="num">{label}</th>
        </tr>
      </thead>
      <tbody>
        {plot.series.map((s, i) => {
          const t = total(s);
          return (
            <tr data-group={s.label}>
              <th scope="row">
                <span class="swatch" style={{ background: colour(i) }} /> {s.label}
              </th>
              <td class="num">{t == null ? "–" : format(t)}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

interface PanelProps {
  title: string;
  span: [number, number];
  plot?: Plot | undefined;
  format: (v: number) => string;
  total: (s: Series) => number | null;
  label: string;
}

function Panel({ title, plot, format, total, label, span }: PanelProps) {
  return (
    <section class="card" aria-label={title} data-chart={title}>
      <h2>{title}</h2>
      {plot && plot.xs.length > 0 ? (
        <>
          <Chart title={title} xs={plot.xs} series={plot.series} format={format} span={span} />
          <Legend plot={plot} total={total} format={format} label={label} />
        </>
      ) : (
        <p class="empty">{plot ? "No spans in this range." : "Loading…"}</p>
      )}
    </section>
  );
}

const seriesSum = (s: Series) => sum(s.values);
const seriesMax = (s: Series) => s.values.reduce<number | null>((m, v) => (v == null ? m : Math.max(m ?? v, v)), null);

/** Cost attribution for one dimension over the window, with the previous period beside it. */
function Attribution({ title, group, window, tick }: { title: string; group: "user" | "session" | Grouping; window: { from: string; to: string }; tick: number }) {
  const { data, error } = useLoad(() => get("/api/v1/costs/summary", { group_by: group, limit: 10, ...window }), [group, window.from, window.to, tick]);
  return (
    <section class="card" aria-label={title}>
      <h2>{title}</h2>
      <ErrorNote error={error} />
      <div class="scroll">
        <table data-attribution={group}>
          <thead>
            <tr>
              <th scope="col">{group}</th>
              <th scope="col" class="num">Cost</th>
              <th scope="col" class="num">Previous</th>
              <th scope="col" class="num">Change</th>
              <th scope="col" class="num">Requests</th>
              <th scope="col" class="num">Tokens</th>
            </tr>
          </thead>
          <tbody>
            {data?.groups?.map((g) => (
              <tr data-group={g.key ?? "(none)"}>
                <th scope="row">{g.key ?? "(none)"}</th>
                <td class="num">{usd(g.cost_usd)}</td>
                <td class="num">{usd(g.previous?.cost_usd)}</td>
                <td class="num">{change(g.cost_usd ?? 0, g.previous?.cost_usd ?? 0)}</td>
                <td class="num">{count(g.requests)}</td>
                <td class="num">{count((g.input_tokens ?? 0) + (g.output_tokens ?? 0))}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function Prices() {
  const { data, error } = useLoad(() => get("/api/v1/prices"), []);
  return (
    <details class="card wide" aria-label="Model prices">
      <summary>
        <h2>Model prices (USD per million tokens{data?.prices ? `, ${data.prices.length} rows` : ""})</h2>
      </summary>
      <ErrorNote error={error} />
      <div class="scroll">
        <table>
          <thead>
            <tr>
              <th scope="col">Provider</th>
              <th scope="col">Model pattern</th>
              <th scope="col" class="num">Input</th>
              <th scope="col" class="num">Output</th>
              <th scope="col" class="num">Cached input</th>
              <th scope="col">Effective from</th>
              <th scope="col">Source</th>
            </tr>
          </thead>
          <tbody>
            {data?.prices?.map((p) => (
              <tr>
                <td>{p.provider}</td>
                <td>
                  <code>{p.model_pattern}</code>
                </td>
                <td class="num">{p.input_per_mtok}</td>
                <td class="num">{p.output_per_mtok}</td>
                <td class="num">{p.cached_input_per_mtok ?? "–"}</td>
                <td>{p.effective_from?.slice(0, 10)}</td>
                <td>{p.source}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </details>
  );
}

/** Usage over a window: series by model, provider or service; period over period; attribution; prices. */
export function UsagePage({ params }: { params: URLSearchParams }) {
  const tick = useLiveTick();
  const group = (GROUPINGS.find((g) => g === params.get("group_by")) ?? "model") as Grouping;
  const pct = PERCENTILES.find((p) => p === params.get("latency")) ?? "p95";
  const range = params.get("range") ?? DEFAULT_PRESET;
  const window = resolveWindow(params);
  const deps = [group, pct, window.from, window.to, tick];
  const span: [number, number] = [Date.parse(window.from) / 1000, Date.parse(window.to) / 1000];
  const set = (k: string, v: string) => navigate(href("usage", undefined, { ...Object.fromEntries(params), [k]: v }));

  const cost = useLoad(async () => align([await series("cost", group, window)], sum, 0), deps);
  const tokens = useLoad(async () => align(await Promise.all([series("input_tokens", group, window), series("output_tokens", group, window)]), sum, 0), deps);
  const requests = useLoad(async () => align([await series("requests", group, window)], sum, 0), deps);
  const errors = useLoad(async () => align(await Promise.all([series("errors", group, window), series("requests", group, window)]), ratio, null), deps);
  const latency = useLoad(async () => align([await series(`latency_${pct}`, group, window)], ([v]) => v ?? null, null), deps);

  return (
    <>
      <h1>Usage</h1>
      <form class="filters" aria-label="Usage options" onSubmit={(e) => e.preventDefault()}>
        <label>
          Time range
          <select value={range} onChange={(e) => set("range", e.currentTarget.value)}>
            {Object.keys(PRESETS).map((p) => (
              <option value={p}>Last {p}</option>
            ))}
          </select>
        </label>
        <label>
          Group by
          <select name="group_by" value={group} onChange={(e) => set("group_by", e.currentTarget.value)}>
            {GROUPINGS.map((g) => (
              <option value={g}>{g}</option>
            ))}
          </select>
        </label>
        <label>
          Latency
          <select value={pct} onChange={(e) => set("latency", e.currentTarget.value)}>
            {PERCENTILES.map((p) => (
              <option value={p}>{p}</option>
            ))}
          </select>
        </label>
      </form>
      <ErrorNote error={cost.error ?? tokens.error ?? requests.error ?? errors.error ?? latency.error} />
      <div class="grid">
        <Panel span={span} title="Cost" plot={cost.data} format={usd} total={seriesSum} label="Total" />
        <Panel span={span} title="Tokens" plot={tokens.data} format={count} total={seriesSum} label="Total" />
        <Panel span={span} title="Requests" plot={requests.data} format={count} total={seriesSum} label="Total" />
        <Panel span={span} title="Error rate" plot={errors.data} format={percent} total={seriesMax} label="Peak" />
        <Panel span={span} title={`Latency ${pct}`} plot={latency.data} format={duration} total={seriesMax} label="Peak" />
        <Attribution title={`Cost by ${group}, against the previous period`} group={group} window={window} tick={tick} />
        <Attribution title="Cost by user" group="user" window={window} tick={tick} />
        <Attribution title="Cost by session" group="session" window={window} tick={tick} />
        <Prices />
      </div>
    </>
  );
}
