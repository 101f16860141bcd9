/**
 * An existing deployment's database, made with the TimescaleDB the stack pinned before (2.14.2) and
 * holding compressed chunks, meets a server that ships 2.28.3 (the TimescaleDB cluster on 5433 has
 * both, ../shared/timescaledb): the runner updates the extension and every row survives.
 */
import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { migrateUp } from "../../migrations/runner.js";
import { silentLog } from "../support/database.js";

const TSDB_ADMIN_URL = process.env.TEST_TIMESCALEDB_ADMIN_URL ?? "postgres://postgres@127.0.0.1:5433/postgres";
const urlOf = (database: string) => Object.assign(new URL(TSDB_ADMIN_URL), { pathname: `/${database}` }).toString();

async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

const extversion = (url: string) =>
  withClient(url, async (c) => (await c.query("SELECT extversion FROM pg_extension WHERE extname = 'timescaledb'")).rows[0]?.extversion as string);

/** What must survive the update: every reading, and which chunks are compressed. */
const snapshot = (url: string) =>
  withClient(url, async (c) => ({
    readings: (await c.query("SELECT device, count(*)::int AS n, sum(v)::float8 AS total FROM readings GROUP BY device ORDER BY device")).rows,
    compressed: (await c.query("SELECT count(*)::int AS n FROM timescaledb_information.chunks WHERE hypertable_name = 'readings' AND is_compressed")).rows[0].n as number,
  }));

describe("the runner updates TimescaleDB from 2.14.2 to 2.28.3", () => {
  const name = `obs_test_tsdb_update_${randomBytes(4).toString("hex")}`;
  const url = urlOf(name);
  let before: Awaited<ReturnType<typeof snapshot>>;

  beforeAll(async () => {
    await withClient(TSDB_ADMIN_URL, (c) => c.query(`CREATE DATABASE ${name}`));
    await withClient(url, async (c) => {
      await c.query("CREATE EXTENSION timescaledb VERSION '2.14.2'");
      await c.query("CREATE TABLE readings (t timestamptz NOT NULL, device int NOT NULL, v float8 NOT NULL)");
      await c.query("SELECT create_hypertable('readings', 't', chunk_time_interval => INTERVAL '1 day')");
      await c.query(`INSERT INTO readings SELECT t, d, d * 1000 + extract(epoch FROM t)::bigint % 997
                       FROM generate_series(now() - INTERVAL '10 days', now(), INTERVAL '5 minutes') t, generate_series(1, 4) d`);
      await c.query("ALTER TABLE readings SET (timescaledb.compress, timescaledb.compress_segmentby = 'device')");
      await c.query("SELECT compress_chunk(ch) FROM show_chunks('readings', older_than => INTERVAL '3 days') ch");
    });
    expect(await extversion(url)).toBe("2.14.2");
    before = await snapshot(url);
    expect(before.compressed).toBeGreaterThanOrEqual(6);
  }, 120_000);

  afterAll(async () => {
    await withClient(TSDB_ADMIN_URL, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
  });

  test("migrateUp updates the extension, then applies every migration; compressed data is intact and still usable", async () => {
    const logged: object[] = [];
    const log = Object.assign(Object.create(silentLog) as typeof silentLog, { info: (o: object) => void logged.push(o) });
    await migrateUp({ databaseUrl: url, log, waitSeconds: 5 });
    expect(await extversion(url)).toBe("2.28.3");
    expect(logged).toContainEqual({ from: "2.14.2", to: "2.28.3" });
    expect(await snapshot(url)).toEqual(before);
    await withClient(url, async (c) => {
      // The stack's own schema went on the updated extension: spans is a hypertable with compression.
      const { rows } = await c.query("SELECT compression_enabled FROM timescaledb_information.hypertables WHERE hypertable_name = 'spans'");
      expect(rows).toEqual([{ compression_enabled: true }]);
      // A compressed chunk decompresses under the new version.
      const chunk = (await c.query("SELECT ch FROM show_chunks('readings', older_than => INTERVAL '3 days') ch LIMIT 1")).rows[0].ch as string;
      await c.query("SELECT decompress_chunk($1::regclass)", [chunk]);
    });
  }, 120_000);

  test("a second run finds nothing to update", async () => {
    const logged: object[] = [];
    const log = Object.assign(Object.create(silentLog) as typeof silentLog, { info: (o: object) => void logged.push(o) });
    await migrateUp({ databaseUrl: url, log, waitSeconds: 5 });
    expect(logged.filter((o) => "from" in o)).toEqual([]);
    expect(await extversion(url)).toBe("2.28.3");
  });
});
