import pg from "pg";
import { afterAll, beforeAll, expect, test } from "vitest";
import { type TestDatabase, migratedDatabase } from "../support/database.js";

/** rollup_latency_percentile (migration 0008) against distributions whose quantiles are known. */
let db: TestDatabase;
let client: pg.Client;
beforeAll(async () => {
  db = await migratedDatabase("obs_api_pct");
  client = new pg.Client(db.url);
  await client.connect();
});
afterAll(async () => {
  await client?.end();
  await db?.drop();
});

/** Estimates (from the histogram of `values`) and exact quantiles (percentile_disc) side by side. */
async function estimate(values: string, qs: number[]) {
  const { rows } = await client.query(
    `WITH d AS (SELECT v::float8 AS ms FROM (${values}) AS x(v)),
          h AS (SELECT ARRAY(SELECT count(d.ms) FROM generate_series(1, cardinality(rollup_latency_bounds()) + 1) s
                             LEFT JOIN d ON rollup_latency_slot(d.ms) = s GROUP BY s ORDER BY s)::bigint[] AS hist,
                       (SELECT max(ms) FROM d) AS mx)
     SELECT q, rollup_latency_percentile(hist, q, mx) AS est,
            (SELECT percentile_disc(q) WITHIN GROUP (ORDER BY ms) FROM d) AS exact,
            (SELECT rollup_latency_slot(percentile_disc(q) WITHIN GROUP (ORDER BY ms)) FROM d) AS exact_slot,
            rollup_latency_slot(rollup_latency_percentile(hist, q, mx)) AS est_slot
     FROM h, unnest($1::float8[]) AS q ORDER BY q`,
    [qs],
  );
  return rows as { q: number; est: number; exact: number; exact_slot: number; est_slot: number }[];
}

test("uniform over 0..1000 ms: exact where a slot's bounds are the data's", async () => {
  const rows = await estimate("SELECT g + 0.5 FROM generate_series(0, 999) g", [0, 0.25, 0.5, 1]);
  expect(rows.map((r) => r.est)).toEqual([0, 250, 500, 999.5]);
});

test("a long-tailed (log-uniform 1 ms .. 100 s) set: each estimate lies in the slot of the true quantile", async () => {
  const rows = await estimate("SELECT power(10, g / 1000.0) FROM generate_series(0, 5000) g", [0.1, 0.5, 0.9, 0.95, 0.99]);
  for (const r of rows) expect(r.est_slot).toBe(r.exact_slot);
  // Inside its slot (250..500 ms) linear interpolation puts p50 at 335 ms for an exact 316 ms: 6% off.
  expect(rows[1]!.est).toBeCloseTo(335.2, 0);
  expect(rows[1]!.exact).toBeCloseTo(316.2, 0);
});

test("the open last slot ends at the maximum; one value; empty and invalid input", async () => {
  const tail = await estimate("VALUES (200000), (300000)", [0.5, 1]);
  expect(tail.map((r) => r.est)).toEqual([120000 + (300000 - 120000) * 0.5, 300000]);
  expect((await estimate("VALUES (42)", [0.5, 0.99])).map((r) => r.est)).toEqual([25 + 17 * 0.5, 25 + 17 * 0.99]);
  const { rows } = await client.query(
    "SELECT rollup_latency_percentile(ARRAY[0,0]::bigint[], 0.5, 1) AS empty, rollup_latency_percentile(ARRAY[1]::bigint[], 1.5, 1) AS bad_q",
  );
  expect(rows[0]).toEqual({ empty: null, bad_q: null });
});
