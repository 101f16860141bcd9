import type pg from "pg";
import type { History } from "./compressed-history.js";
import type { Query } from "./queries/sql.js";
import { type Round, type RoundProgress, traceRoundQuery, traceRoundSummaryQuery } from "./queries/trace-round.js";
import { traceSummaryQuery } from "./queries/trace-summary.js";
import { type TraceListFilters, traceListQuery } from "./queries/traces.js";

export type RunQuery = (q: Query) => Promise<pg.QueryResult>;

/** Candidate roots a later round takes at most. */
const MAX_CANDIDATES = 10_000;

/** The newest root a list may show: before `to`, and before the cursor's trace when it has one. */
function pageTop(f: Omit<TraceListFilters, "limit">): Date {
  const afterMs = f.after ? Number(BigInt(f.after.startUs) / 1000n) : Infinity;
  return new Date(Math.min(f.to.getTime(), afterMs));
}

/**
 * Rounds of candidate roots, newest first, until the list has `needed` rows or no root is left.
 * The first round takes `needed` candidates; each later one as many as the rows still missing
 * need at the rate the rounds so far passed the filters (with a margin), at most four times the
 * round before and MAX_CANDIDATES. `take` gets each round's rows and says how many it listed.
 */
async function rounds(run: RunQuery, needed: number, query: (round: Round) => Query, take: (rows: pg.QueryResultRow[]) => number): Promise<void> {
  let round: Round = { candidates: needed };
  let candidates = 0;
  let listed = 0;
  for (;;) {
    const { rows } = await run(query(round));
    const progress = rows[0] as RoundProgress;
    listed += take(rows);
    candidates += progress.candidates;
    if (listed >= needed || progress.candidates < round.candidates) return;
    const wanted = Math.ceil(((needed - listed) * candidates * 1.25) / Math.max(listed, 1));
    round = {
      candidates: Math.max(needed - listed, Math.min(wanted, round.candidates * 4, MAX_CANDIDATES)),
      before: { startUs: progress.last_start_us!, traceId: progress.last_trace_id!, spanId: progress.last_span_id! },
    };
  }
}

/**
 * The trace list's rows (traces.ts has what they hold). Over uncompressed history one walk, each
 * listed trace looked up through the primary key; a page whose newest root lies in compressed
 * history is read in rounds (trace-round.ts), since there each lookup would decompress a batch.
 */
export async function listTraces(run: RunQuery, history: History, f: TraceListFilters): Promise<pg.QueryResultRow[]> {
  if (!(await history.compressedAt(pageTop(f)))) return (await run(traceListQuery(f))).rows;
  const listed: pg.QueryResultRow[] = [];
  await rounds(
    run,
    f.limit,
    (round) => traceRoundQuery({ ...f, limit: f.limit - listed.length }, round),
    (rows) => {
      const before = listed.length;
      for (const { candidates, last_start_us, last_trace_id, last_span_id, ...row } of rows) if (row.trace_id !== null) listed.push(row);
      return listed.length - before;
    },
  );
  return listed;
}

export interface TraceTotals {
  traces: number;
  spans: number;
  error_traces: number;
  input_tokens: number;
  output_tokens: number;
  cost_usd: number;
  capped: boolean;
}

const SUMS = ["traces", "spans", "error_traces", "input_tokens", "output_tokens", "cost_usd"] as const;

/** Totals over the newest `cap` traces the list would show, read the way the list reads them. */
export async function summarizeTraces(run: RunQuery, history: History, f: Omit<TraceListFilters, "limit" | "after">, cap: number): Promise<TraceTotals> {
  if (!(await history.compressedAt(pageTop(f)))) return (await run(traceSummaryQuery(f, cap))).rows[0] as TraceTotals;
  const totals: TraceTotals = { traces: 0, spans: 0, error_traces: 0, input_tokens: 0, output_tokens: 0, cost_usd: 0, capped: false };
  await rounds(
    run,
    cap + 1,
    (round) => traceRoundSummaryQuery(f, round, cap - totals.traces),
    ([round]) => {
      for (const key of SUMS) totals[key] += round![key];
      totals.capped = round!.capped;
      // The trace beyond the cap is not in the totals, but it was listed.
      return round!.traces + (totals.capped ? 1 : 0);
    },
  );
  return totals;
}
