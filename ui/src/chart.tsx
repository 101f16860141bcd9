import { useEffect, useRef } from "preact/hooks";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";

export interface Series {
  label: string;
  /** Values per timestamp of `xs`; null where the series has no bucket. */
  values: (number | null)[];
}

const PALETTE = ["#3b82f6", "#f59e0b", "#10b981", "#ef4444", "#8b5cf6", "#06b6d4", "#ec4899", "#84cc16", "#64748b", "#f97316"];
export const colour = (i: number) => PALETTE[i % PALETTE.length]!;

/** The page's text colour (light or dark scheme) for axes drawn on the canvas. */
const ink = (el: Element) => getComputedStyle(el).color;

/** A uPlot time series chart sized to its container; redrawn when its data change. */
export function Chart({ title, xs, series, format, span }: { title: string; xs: number[]; series: Series[]; format: (v: number) => string; span: [number, number] }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = box.current;
    if (!el || xs.length === 0) return;
    const axis = { stroke: ink(el), grid: { stroke: "rgba(128,128,128,0.2)" }, ticks: { stroke: "rgba(128,128,128,0.3)" } };
    const plot = new uPlot(
      {
        width: el.clientWidth,
        height: 200,
        legend: { show: false },
        cursor: { drag: { x: false, y: false } },
        // The whole window, however few buckets have spans; points mark buckets a line cannot join.
        scales: { x: { time: true, range: () => span } },
        axes: [axis, { ...axis, size: 84, values: (_u, vals) => vals.map(format) }],
        series: [{}, ...series.map((s, i) => ({ label: s.label, stroke: colour(i), width: 1.5, spanGaps: false, points: { show: xs.length < 60 }, value: (_u: uPlot, v: number | null) => (v == null ? "–" : format(v)) }))],
      },
      [xs, ...series.map((s) => s.values)] as uPlot.AlignedData,
      el,
    );
    const resize = new ResizeObserver(() => plot.setSize({ width: el.clientWidth, height: 200 }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [xs, series, span[0], span[1]]);
  return <div class="chart" ref={box} role="img" aria-label={`${title} over time, one line per group (totals in the table below)`} />;
}
