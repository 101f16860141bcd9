import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pg from "pg";
import { migratedDatabase, type TestDatabase } from "../support/database.js";
import { spawnCollector } from "./support/collector-process.js";
import { protobufBody, randomSpanId } from "./support/otlp-bodies.js";

let db: TestDatabase;
let pool: pg.Pool;

beforeAll(async () => {
  db = await migratedDatabase("obs_sigterm");
  pool = new pg.Pool({ connectionString: db.url, max: 2 });
});
afterAll(async () => {
  await pool?.end();
  await db?.drop();
});

describe("SIGTERM under load", () => {
  it("drains and exits 0 without losing any acknowledged span", async () => {
    const collector = await spawnCollector({ DATABASE_URL: db.url, COLLECTOR_AUTH_DISABLED: "true", COLLECTOR_BATCH_MAX_SPANS: "200" });
    const url = `http://127.0.0.1:${collector.httpPort}/v1/traces`;
    const acknowledged: string[] = [];
    let refused = 0;
    let stop = false;
    const client = async () => {
      while (!stop) {
        const ids = Array.from({ length: 50 }, () => randomSpanId());
        try {
          const res = await fetch(url, { method: "POST", body: protobufBody(ids.map((spanId) => ({ spanId }))), headers: { "content-type": "application/x-protobuf" } });
          if (res.status === 200) acknowledged.push(...ids);
          else refused++;
        } catch {
          // The listener is gone: the collector is shutting down.
          refused++;
          await new Promise((r) => setTimeout(r, 20));
        }
      }
    };
    const clients = Array.from({ length: 6 }, client);
    await expect.poll(() => acknowledged.length, { timeout: 20_000 }).toBeGreaterThan(500);
    const exited = collector.stop();
    expect(await exited).toBe(0);
    stop = true;
    await Promise.all(clients);

    expect(refused).toBeGreaterThan(0);
    const { rows } = await pool.query("SELECT count(*)::int AS n, count(DISTINCT span_id)::int AS d FROM spans WHERE span_id = ANY($1)", [acknowledged]);
    expect(rows[0]).toEqual({ n: acknowledged.length, d: acknowledged.length });
  });
});
