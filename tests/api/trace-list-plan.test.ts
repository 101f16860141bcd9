import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { traceSpansQuery } from "../../services/api/queries/trace-tree.js";
import { traceListQuery } from "../../services/api/queries/traces.js";
import { type RunQuery, listTraces, summarizeTraces } from "../../services/api/trace-rounds.js";
import { migratedDatabase, type TestDatabase } from "../support/database.js";
import { day, explain, insertTraces } from "./support/query-plans.js";

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

  it("reads the list and its totals in rounds (as over compressed history) in linear work", async () => {
    let touched = 0;
    const run: RunQuery = async (q) => {
      touched += (await explain(client, q)).touched;
      return client.query(q);
    };
    const inRounds = { compressedAt: async () => true };
    // A round reads the spans around its roots (here the whole day: 6,000) once, through a few
    // plan nodes; rounds grow while the page is short. Pairing every root with every span, as a
    // nested loop did without statistics, touched 27 million rows for the totals.
    const linear = 25 * 6_000;
    const rows = await listTraces(run, inRounds, { projectId: "fresh", ...day, name: "many", limit: 10 });
    expect(rows.map((r) => [r.root_span_id, r.span_count])).toEqual([[(1_000_500).toString(16).padStart(16, "0"), 500]]);
    expect(touched).toBeLessThan(linear);
    touched = 0;
    expect(await listTraces(run, inRounds, { projectId: "fresh", ...day, limit: 1 })).toHaveLength(1);
    expect(touched).toBeLessThan(linear);
    touched = 0;
    expect((await summarizeTraces(run, inRounds, { projectId: "fresh", ...day }, 10_000)).traces).toBe(5_001);
    expect(touched).toBeLessThan(linear);
  });

  it("reads a trace tree through the key, not the project's history", async () => {
    const { touched } = await explain(client, traceSpansQuery("fresh", repeatTrace));
    expect(touched).toBeLessThan(4_000);
  });
});

const repeatTrace = "ab".repeat(16);
