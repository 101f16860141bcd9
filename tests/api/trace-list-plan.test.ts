import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Query } from "../../services/api/queries/sql.js";
import { traceSpansQuery } from "../../services/api/queries/trace-tree.js";
import { traceListQuery } from "../../services/api/queries/traces.js";
import { migratedDatabase, type TestDatabase } from "../support/database.js";

/**
 * The trace list's and tree's plans, counted rather than timed: rows every plan node produced or
 * filtered away, times its loops. A plan linear in the spans it lists stays near their number;
 * the quadratic plans (a lookup per root over the project's whole history) touch millions.
 */
interface PlanNode {
  "Node Type": string;
  "Actual Rows": number;
  "Actual Loops": number;
  "Rows Removed by Filter"?: number;
  Plans?: PlanNode[];
}

function rowsTouched(node: PlanNode): number {
  const own = (node["Actual Rows"] + (node["Rows Removed by Filter"] ?? 0)) * node["Actual Loops"];
  return own + (node.Plans ?? []).reduce((sum, child) => sum + rowsTouched(child), 0);
}

async function explain(client: pg.Client, q: Query): Promise<{ touched: number; plan: PlanNode }> {
  const { rows } = await client.query(`EXPLAIN (ANALYZE, FORMAT JSON) ${q.text}`, q.values);
  const plan = rows[0]["QUERY PLAN"][0].Plan as PlanNode;
  return { touched: rowsTouched(plan), plan };
}

const now = new Date();
const day = { from: new Date(now.getTime() - 86_400_000), to: new Date(now.getTime() + 60_000) };

/** One-span traces `ago` back, one per millisecond, and one trace of `roots` root spans before them. */
async function insertTraces(client: pg.Client, project: string, traces: number, roots: number): Promise<void> {
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

describe("trace list plan without planner statistics", () => {
  let db: TestDatabase;
  let client: pg.Client;

  beforeAll(async () => {
    db = await migratedDatabase("obs_plan");
    client = new pg.Client({ connectionString: db.url });
    await client.connect();
    // A table the planner has never analyzed (a new deployment, or a burst before autovacuum).
    await client.query("ALTER TABLE spans SET (autovacuum_enabled = false)");
    await client.query("INSERT INTO projects (id, name) VALUES ('fresh', 'fresh')");
    await insertTraces(client, "fresh", 5_000, 500);
  });

  afterAll(async () => {
    await client?.end();
    await db?.drop();
  });

  it("lists the newest trace touching rows linear in the project's roots", async () => {
    const { touched } = await explain(client, traceListQuery({ projectId: "fresh", ...day, limit: 1 }));
    // 5,500 roots, each looked up once: a few rows apiece. The quadratic plan touched millions.
    expect(touched).toBeLessThan(50_000);
  });

  it("lists a trace of 500 root spans once, under its earliest root, in linear work", async () => {
    const q = traceListQuery({ projectId: "fresh", ...day, name: "many", limit: 10 });
    const { rows } = await client.query(q.text, q.values);
    expect(rows.map((r) => [r.root_span_id, r.span_count])).toEqual([[(1_000_500).toString(16).padStart(16, "0"), 500]]);
    expect((await explain(client, q)).touched).toBeLessThan(50_000);
  });

  it("reads a trace tree through the key, not the project's history", async () => {
    const { touched } = await explain(client, traceSpansQuery("fresh", repeatTrace));
    expect(touched).toBeLessThan(2_500);
  });
});

const repeatTrace = "ab".repeat(16);
