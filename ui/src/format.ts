/** How numbers, money, durations and times read everywhere in the UI. */
const integer = new Intl.NumberFormat("en", { maximumFractionDigits: 0 });
const compact = new Intl.NumberFormat("en", { notation: "compact", maximumFractionDigits: 1 });

export const count = (n: number | null | undefined): string => (n == null ? "–" : n >= 100_000 ? compact.format(n) : integer.format(n));

/** Dollars with enough digits for sub-cent LLM calls. */
export function usd(n: number | null | undefined): string {
  if (n == null) return "–";
  if (n === 0) return "$0";
  const digits = Math.abs(n) >= 1 ? 2 : Math.min(8, 2 - Math.floor(Math.log10(Math.abs(n))) + 1);
  return `$${n.toFixed(digits)}`;
}

export function duration(ms: number | null | undefined): string {
  if (ms == null) return "–";
  if (ms < 1) return `${(ms * 1000).toFixed(0)} µs`;
  if (ms < 1000) return `${ms.toFixed(ms < 10 ? 1 : 0)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(2)} s`;
  return `${(ms / 60_000).toFixed(1)} min`;
}

export const percent = (x: number | null | undefined): string => (x == null ? "–" : `${(x * 100).toFixed(x < 0.1 ? 1 : 0)}%`);

export const time = (iso: string): string =>
  new Date(iso).toLocaleString("en-GB", { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", second: "2-digit" });

/** A relative change, signed ("+12%"), or "new" when there was nothing before. */
export function change(now: number, before: number): string {
  if (before === 0) return now === 0 ? "±0%" : "new";
  const d = (now - before) / before;
  return `${d >= 0 ? "+" : ""}${(d * 100).toFixed(Math.abs(d) < 0.1 ? 1 : 0)}%`;
}
