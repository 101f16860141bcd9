import { type Query, atMicros, microsText } from "./sql.js";
import { summaryOf } from "./trace-summary.js";
import { type TraceKey, type TraceListFilters, traceListSql } from "./traces.js";

/** A candidate root's key, the order rounds take roots in: start, trace id, span id. */
export interface RootKey extends TraceKey {
  spanId: string;
}

export interface Round {
  /** Candidate roots this round takes, newest first. */
  candidates: number;
  /** The previous round's last candidate: this round starts after it. */
  before?: RootKey;
}

/** What every round answers besides its rows: how many candidates it took and the last one. */
export interface RoundProgress {
  candidates: number;
  last_start_us: string | null;
  last_trace_id: string | null;
  last_span_id: string | null;
}

/**
 * Candidates up to which a round's scan checks each span's trace id against the round's ids: about
 * a page's worth. The ids let TimescaleDB skip compressed batches by their bloom filter on
 * trace_id, but with more ids nearly every batch may hold one, and PostgreSQL checks a runtime
 * array id by id (a round of 3,264 ids took a second over three compressed days; rounds of 204
 * read as fast without the check). Bigger rounds find their spans by the join alone.
 */
const IDS_CHECKED_UP_TO = 64;

/**
 * One round of the trace list over compressed history, as CTEs ending in `listed` (the rows the
 * walk in traces.ts lists for the round's roots, unordered) and `progress` (one RoundProgress row).
 * The round takes the next `candidates` roots, drops each one that has an earlier candidate root
 * of its trace within the window (not its trace's first), and reads the spans of all the remaining
 * roots' traces in one scan, aggregated per root: on TimescaleDB each compressed batch that may
 * hold one of them (bloom filter on trace_id, within the roots' time span) is decompressed once
 * for the round instead of once per trace and lookup. The scan matches the project with `=`, so
 * only the project's compressed segments are checked.
 */
function roundSql(f: Omit<TraceListFilters, "limit">, round: Round) {
  const { p, from, to, project, window, root, trace, aggregates, ofTrace, listed } = traceListSql(f);
  const after = round.before
    ? [
        `(r.start_time, r.trace_id, r.span_id) < (${atMicros(p.add(round.before.startUs))}, ${p.add(round.before.traceId)}, ${p.add(round.before.spanId)})`,
      ]
    : [];
  const text = `
WITH candidates AS MATERIALIZED (
  SELECT r.project_id, r.trace_id, r.span_id, r.name, r.service_name, r.environment, r.start_time, r.user_id, r.session_id
  FROM spans r
  WHERE r.project_id = ${project}
    AND ${[...root, ...after].join("\n    AND ")}
  ORDER BY r.start_time DESC, r.trace_id DESC, r.span_id DESC
  LIMIT ${p.add(round.candidates)}
),
roots AS MATERIALIZED (
  SELECT * FROM (
    SELECT c.*, lag(c.start_time) OVER (PARTITION BY c.trace_id ORDER BY c.start_time, c.span_id) AS earlier
    FROM candidates c
  ) c
  WHERE c.earlier IS NULL OR c.earlier < c.start_time - ${window}
),
bounds AS MATERIALIZED (
  SELECT array_agg(trace_id) AS ids, min(start_time) - ${window} AS lo, max(start_time) + ${window} AS hi FROM roots
),
listed AS (
  SELECT ${listed("(t.root)", "t")}
  FROM (
    SELECT s.root, ${aggregates},
           bool_or(s.parent_span_id IS NULL AND (s.start_time, s.span_id) < ((s.root).start_time, (s.root).span_id)) AS after_earlier_root
    FROM (
      -- The spans of the window beside the root of their trace, if it is one of the round's. A full
      -- join can only be a hash or merge join: an inner join of the roots to the spans, both
      -- estimated at a row without statistics, became a nested loop over every pair of them.
      -- OFFSET 0 keeps the conditions outside from turning it back into an inner join.
      SELECT r AS root, s.*
      FROM roots r
      FULL JOIN (
        SELECT s.trace_id, s.project_id, s.span_id, s.parent_span_id, s.start_time, s.end_time, s.status_code, s.provider,
               s.request_model, s.response_model, s.input_tokens, s.output_tokens, s.cost_usd, s.user_id, s.session_id
        FROM spans s
        WHERE s.project_id = ${project}${round.candidates <= IDS_CHECKED_UP_TO ? " AND s.trace_id = ANY ((SELECT ids FROM bounds)::text[])" : ""}
          AND s.start_time >= ${from}::timestamptz - ${window} AND s.start_time < ${to}::timestamptz + ${window}
          AND s.start_time >= (SELECT lo FROM bounds) AND s.start_time < (SELECT hi FROM bounds)
      ) s ON s.trace_id = r.trace_id
      OFFSET 0
    ) s
    WHERE ${ofTrace("(s.root)")}
    GROUP BY s.root
  ) t
  WHERE NOT t.after_earlier_root
    ${trace.map((c) => `AND ${c}`).join("\n    ")}
),
progress AS (
  SELECT (SELECT count(*) FROM candidates)::int AS candidates, last.*
  FROM (SELECT 1) one
  LEFT JOIN (
    SELECT ${microsText("start_time")} AS last_start_us, trace_id AS last_trace_id, span_id AS last_span_id
    FROM candidates ORDER BY start_time, trace_id, span_id LIMIT 1
  ) last ON true
)`;
  return { p, text };
}

const NEWEST_FIRST = "ORDER BY start_us::bigint DESC, trace_id DESC";

/**
 * A round's rows, at most `f.limit` (the rows the page still needs), newest first, each prefixed
 * with the round's progress; one row of progress alone when none is listed.
 */
export function traceRoundQuery(f: TraceListFilters, round: Round): Query {
  const { p, text } = roundSql(f, round);
  return {
    text: `${text}
SELECT progress.*, l.* FROM progress
LEFT JOIN (SELECT * FROM listed ${NEWEST_FIRST} LIMIT ${p.add(f.limit)}) l ON true
ORDER BY l.start_us::bigint DESC, l.trace_id DESC`,
    values: p.values,
  };
}

/** A round's totals over its newest `cap` listed traces (the summary's), with its progress. */
export function traceRoundSummaryQuery(f: Omit<TraceListFilters, "limit">, round: Round, cap: number): Query {
  const { p, text } = roundSql(f, round);
  return {
    text: `${text}
SELECT progress.*, totals.* FROM progress, (${summaryOf(`SELECT * FROM listed ${NEWEST_FIRST} LIMIT ${p.add(cap + 1)}`, cap)}) totals`,
    values: p.values,
  };
}
