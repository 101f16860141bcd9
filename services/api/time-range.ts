import { BadParameter } from "./errors.js";

export interface TimeRange {
  from: Date;
  to: Date;
}

export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;

// Outside these, timestamps are mistakes (and PostgreSQL and JS disagree about year 0).
const EARLIEST = Date.UTC(1970, 0, 1);
const LATEST = Date.UTC(9999, 11, 31);

export const floorTo = (ms: number, step: number) => Math.floor(ms / step) * step;
export const ceilTo = (ms: number, step: number) => Math.ceil(ms / step) * step;

function instant(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const ms = Date.parse(value);
  if (Number.isNaN(ms) || ms < EARLIEST || ms > LATEST) throw new BadParameter(name, "must be a date-time between 1970 and 9999");
  return ms;
}

/**
 * The [from, to) a request asks for, validated: `to` defaults to the end of the current minute
 * (so repeated requests share a cache entry), `from` to `defaultSpanMs` before `to`; `from`
 * must come first and the range may not exceed `maxDays`.
 */
export function resolveRange(
  query: { from?: string; to?: string },
  { maxDays, defaultSpanMs, now = Date.now() }: { maxDays: number; defaultSpanMs: number; now?: number },
): TimeRange {
  const to = instant("to", query.to, ceilTo(now + 1, MINUTE_MS));
  const from = instant("from", query.from, to - Math.min(defaultSpanMs, maxDays * DAY_MS));
  if (from >= to) throw new BadParameter("from", "must be before to");
  if (to - from > maxDays * DAY_MS) throw new BadParameter("from", `the range may span at most ${maxDays} days`);
  return { from: new Date(from), to: new Date(to) };
}

/** Optional bounds (a trace tree's window): each side validated if given, and `from` before `to`. */
export function resolveBounds(query: { from?: string; to?: string }): Partial<TimeRange> {
  const from = query.from === undefined ? undefined : instant("from", query.from, 0);
  const to = query.to === undefined ? undefined : instant("to", query.to, 0);
  if (from !== undefined && to !== undefined && from >= to) throw new BadParameter("from", "must be before to");
  return { ...(from === undefined ? {} : { from: new Date(from) }), ...(to === undefined ? {} : { to: new Date(to) }) };
}

/** The range widened to whole steps (buckets), as served from rollups. */
export function alignRange({ from, to }: TimeRange, stepMs: number): TimeRange {
  return { from: new Date(floorTo(from.getTime(), stepMs)), to: new Date(ceilTo(to.getTime(), stepMs)) };
}
