import { randomBytes } from "node:crypto";
import pg from "pg";
import { pino } from "pino";
import { migrateUp } from "../../migrations/runner.js";

/** The server every integration test uses; CI starts it (see .ci/run). */
export const ADMIN_URL = process.env.TEST_ADMIN_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

/** A TimescaleDB server, for the tests of what only TimescaleDB does (compression, policies). */
export const TIMESCALEDB_ADMIN_URL = process.env.TEST_TIMESCALEDB_ADMIN_URL ?? "postgres://postgres@127.0.0.1:5433/postgres";

export const silentLog = pino({ level: "silent" });

export function urlFor(database: string, user?: string, password?: string, adminUrl = ADMIN_URL): string {
  const u = new URL(adminUrl);
  u.pathname = `/${database}`;
  if (user) u.username = user;
  if (password !== undefined) u.password = password;
  return u.toString();
}

export async function adminQuery<T extends pg.QueryResultRow = pg.QueryResultRow>(sql: string, params: unknown[] = [], adminUrl = ADMIN_URL): Promise<T[]> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

/** True when the migrations made spans a hypertable there (the server preloads TimescaleDB). */
export async function onTimescaleDb(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query("SELECT 1 FROM pg_extension WHERE extname = 'timescaledb'")).rows.length > 0;
  } finally {
    await client.end();
  }
}

export interface TestDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/** A database of its own for one test file, dropped afterwards (even with open connections). */
export async function freshDatabase(prefix = "obs_test", adminUrl = ADMIN_URL): Promise<TestDatabase> {
  const name = `${prefix}_${randomBytes(5).toString("hex")}`;
  await adminQuery(`CREATE DATABASE ${name}`, [], adminUrl);
  return {
    name,
    url: urlFor(name, undefined, undefined, adminUrl),
    drop: async () => {
      // pool.end() resolves before its connections have closed: those get up to a second to go,
      // so FORCE ends only connections still open (a terminated one is an error in its client).
      await adminQuery(
        `DO $$ BEGIN
           FOR i IN 1..50 LOOP
             EXIT WHEN NOT EXISTS (SELECT 1 FROM pg_stat_activity WHERE datname = '${name}');
             PERFORM pg_sleep(0.02);
           END LOOP;
         END $$`,
        [],
        adminUrl,
      );
      await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`, [], adminUrl);
    },
  };
}

/** A fresh database with every migration applied. */
export async function migratedDatabase(prefix = "obs_test", adminUrl = ADMIN_URL): Promise<TestDatabase> {
  const db = await freshDatabase(prefix, adminUrl);
  await migrateUp({ databaseUrl: db.url, log: silentLog, waitSeconds: 5 });
  return db;
}
