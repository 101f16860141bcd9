import { randomBytes } from "node:crypto";
import pg from "pg";
import { pino } from "pino";
import { migrateUp } from "../../migrations/runner.js";

/** The server every integration test uses; CI starts it (see .ci/run). */
export const ADMIN_URL = process.env.TEST_ADMIN_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

export const silentLog = pino({ level: "silent" });

export function urlFor(database: string, user?: string, password?: string): string {
  const u = new URL(ADMIN_URL);
  u.pathname = `/${database}`;
  if (user) u.username = user;
  if (password !== undefined) u.password = password;
  return u.toString();
}

export async function adminQuery<T extends pg.QueryResultRow = pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
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
export async function freshDatabase(prefix = "obs_test"): Promise<TestDatabase> {
  const name = `${prefix}_${randomBytes(5).toString("hex")}`;
  await adminQuery(`CREATE DATABASE ${name}`);
  return {
    name,
    url: urlFor(name),
    drop: async () => void (await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)),
  };
}

/** A fresh database with every migration applied. */
export async function migratedDatabase(prefix = "obs_test"): Promise<TestDatabase> {
  const db = await freshDatabase(prefix);
  await migrateUp({ databaseUrl: db.url, log: silentLog, waitSeconds: 5 });
  return db;
}
