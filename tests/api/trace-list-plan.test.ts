import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { traceSpansQuery } from "../../services/api/queries/trace-tree.js";
import { traceListQuery } from "../../services/api/queries/traces.js";
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

  it("reads a trace tree through the key, not the project's history", async () => {
    const { touched } = await explain(client, traceSpansQuery("fresh", repeatTrace));
    expect(touched).toBeLessThan(4_000);
  });
});

const repeatTrace = "ab".repeat(16);
