import type pg from "pg";
import type { Query } from "../../../services/api/queries/sql.js";

/**
 * The trace list's and tree's plans, counted rather than timed: rows every plan node produced or
 * filtered away, times its loops. A plan linear in the spans it lists stays near their number;
 * the quadratic plans (a lookup per root over the project's whole history) touch millions.
 */
export interface PlanNode {
  "Node Type": string;
  "Actual Rows": number;
  "Actual Loops": number;
  "Rows Removed by Filter"?: number;
  "Relation Name"?: string;
  Plans?: PlanNode[];
}

export function rowsTouched(node: PlanNode): number {
  const own = (node["Actual Rows"] + (node["Rows Removed by Filter"] ?? 0)) * node["Actual Loops"];
  return own + (node.Plans ?? []).reduce((sum, child) => sum + rowsTouched(child), 0);
}

export async function explain(client: pg.Client, q: Query): Promise<{ touched: number; plan: PlanNode }> {
  const { rows } = await client.query(`EXPLAIN (ANALYZE, FORMAT JSON) ${q.text}`, q.values);
  const plan = rows[0]["QUERY PLAN"][0].Plan as PlanNode;
  return { touched: rowsTouched(plan), plan };
}

export const now = new Date();
export const day = { from: new Date(now.getTime() - 86_400_000), to: new Date(now.getTime() + 60_000) };

/** One-span traces `ago` back, one per millisecond, and one trace of `roots` root spans before them. */
export async function insertTraces(client: pg.Client, project: string, traces: number, roots: number): Promise<void> {
  await client.query(
    `INSERT INTO spans (project_id, trace_id, span_id, name, start_time, end_time, duration_ms)
     SELECT $1, lpad(to_hex(g), 32, '0'), lpad(to_hex(g), 16, '0'), 'one', $2::timestamptz - g * interval '1 ms',
            $2::timestamptz - g * interval '1 ms' + interval '5 ms', 5
     FROM generate_series(1, $3::int) g`,
    [project, now, traces],
  );
  await client.query(
    `INSERT INTO spans (project_id, trace_id, span_id, name, start_time, end_time, duration_ms)
     SELECT $1, repeat('ab', 16), lpad(to_hex(g + 1000000), 16, '0'), 'many', $2::timestamptz - interval '1 minute' - g * interval '1 ms',
            $2::timestamptz - interval '1 minute', 5
     FROM generate_series(1, $3::int) g`,
    [project, now, roots],
  );
}

