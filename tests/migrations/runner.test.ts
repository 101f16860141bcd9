import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pino } from "pino";
import { loadSqlMigrations, parseSqlMigration, type SqlMigration } from "../../migrations/files.js";
import { migrateDown, migrateUp, migrationStatus, type RunnerOptions } from "../../migrations/runner.js";
import { adminQuery, freshDatabase, onTimescaleDb, silentLog, urlFor, type TestDatabase } from "../support/database.js";

const all = loadSqlMigrations().map((m) => m.name);

/** Everything a migration can change in the public schema, in a stable textual form. */
async function schemaDump(url: string): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const parts = await Promise.all([
      `SELECT table_name, column_name, data_type, is_nullable, column_default, numeric_precision, numeric_scale
         FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> 'schema_migrations'
         ORDER BY 1, 2`,
      `SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename <> 'schema_migrations' ORDER BY 1, 2`,
      `SELECT conrelid::regclass::text AS rel, conname, pg_get_constraintdef(oid) AS def FROM pg_constraint
         WHERE connamespace = 'public'::regnamespace AND conrelid::regclass::text <> 'schema_migrations' ORDER BY 1, 2`,
      `SELECT proname, pg_get_function_identity_arguments(oid) AS args, md5(prosrc) AS src FROM pg_proc
         WHERE pronamespace = 'public'::regnamespace ORDER BY 1, 2`,
      `SELECT grantee, table_name, privilege_type FROM information_schema.role_table_grants
         WHERE table_schema = 'public' AND grantee LIKE 'observatory_%' ORDER BY 1, 2, 3`,
      `SELECT defaclrole::regrole::text AS owner, defaclobjtype, defaclacl::text FROM pg_default_acl ORDER BY 1, 2`,
    ].map((sql) => client.query(sql).then((r) => JSON.stringify(r.rows))));
    return parts.join("\n");
  } finally {
    await client.end();
  }
}

describe("migrations runner", () => {
  let db: TestDatabase;
  let opts: RunnerOptions;
  beforeAll(async () => {
    db = await freshDatabase("obs_migrate");
    opts = { databaseUrl: db.url, log: silentLog, waitSeconds: 5 };
  });
  afterAll(() => db.drop());

  it("applies every migration on an empty database; TimescaleDB's is skipped on plain PostgreSQL, applied on TimescaleDB", async () => {
    expect(await migrateUp(opts)).toEqual(all);
    const status = await migrationStatus(opts);
    expect(status.map((s) => s.name)).toEqual(all);
    const timescale = await onTimescaleDb(db.url);
    expect(status.find((s) => s.name === "0007_timescaledb")).toMatchObject({ state: timescale ? "applied" : "skipped" });
    expect(status.filter((s) => s.state === "pending")).toEqual([]);
  });

  it("re-running up is a no-op", async () => {
    const before = await schemaDump(db.url);
    expect(await migrateUp(opts)).toEqual([]);
    expect(await schemaDump(db.url)).toBe(before);
  });

  it("round-trips: down to zero leaves nothing, up again rebuilds an identical schema", async () => {
    const before = await schemaDump(db.url);
    expect(await migrateDown(opts, 0)).toEqual([...all].reverse());
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    const { rows } = await client.query(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> 'schema_migrations'",
    );
    await client.end();
    expect(rows).toEqual([]);
    expect(await migrateUp(opts)).toEqual(all);
    expect(await schemaDump(db.url)).toBe(before);
  });

  it("down --to NAME reverts the migrations down to and including NAME", async () => {
    expect(await migrateDown(opts, "0004_model_prices")).toEqual(all.filter((n) => n >= "0004_model_prices").reverse());
    expect(await migrateUp(opts)).toEqual(all.filter((n) => n >= "0004_model_prices"));
  });
});

describe("concurrent runners", () => {
  let db: TestDatabase;
  beforeAll(async () => (db = await freshDatabase("obs_migrate_race")));
  afterAll(() => db.drop());

  it("apply each migration exactly once", async () => {
    const opts = { databaseUrl: db.url, log: silentLog, waitSeconds: 5 };
    const [a, b] = await Promise.all([migrateUp(opts), migrateUp(opts)]);
    expect([...a!, ...b!].sort()).toEqual(all);
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    const { rows } = await client.query("SELECT name FROM schema_migrations ORDER BY name");
    await client.end();
    expect(rows.map((r) => r.name)).toEqual(all);
  });
});

describe("a broken migration", () => {
  let db: TestDatabase;
  beforeAll(async () => (db = await freshDatabase("obs_migrate_broken")));
  afterAll(() => db.drop());

  it("leaves no partial change and is reported by name and statement", async () => {
    const good: SqlMigration = { name: "0001_good", up: "CREATE TABLE good (id int);", down: "DROP TABLE good;" };
    const broken: SqlMigration = {
      name: "0002_broken",
      up: "CREATE TABLE half_done (id int);\nINSERT INTO half_done VALUES (1);\nALTER TABLE no_such_table ADD COLUMN x int;\n",
      down: "DROP TABLE half_done;",
    };
    const opts = { databaseUrl: db.url, log: silentLog, waitSeconds: 5, migrations: [good, broken] };
    const error = await migrateUp(opts).then(() => undefined, (e: Error) => e);
    expect(error?.message).toMatch(/^migration 0002_broken \(up\) failed at line 3, in statement: ALTER TABLE no_such_table ADD COLUMN x int;: relation "no_such_table" does not exist$/);
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    const tables = await client.query("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1");
    const applied = await client.query("SELECT name FROM schema_migrations");
    await client.end();
    expect(tables.rows.map((r) => r.table_name)).toEqual(["good", "schema_migrations"]);
    expect(applied.rows.map((r) => r.name)).toEqual(["0001_good"]);
  });
});

describe("a migration that requires an extension", () => {
  let db: TestDatabase;
  beforeAll(async () => (db = await freshDatabase("obs_migrate_ext")));
  afterAll(() => db.drop());

  it("is recorded as skipped where the extension is missing, with one line saying what is left out", async () => {
    const lines: string[] = [];
    const log = pino({ level: "info" }, { write: (line: string) => void lines.push(JSON.parse(line).msg) });
    const needsExt = parseSqlMigration(
      "0001_fancy",
      "-- requires-extension: no_such_extension\n-- without-it: no fancy index\nCREATE EXTENSION no_such_extension;",
      "DROP EXTENSION no_such_extension;",
    );
    const opts = { databaseUrl: db.url, log, waitSeconds: 5, migrations: [needsExt] };
    expect(await migrateUp(opts)).toEqual(["0001_fancy"]);
    expect(lines).toContain("no_such_extension is not installed or not preloaded: skipped 0001_fancy (no fancy index)");
    expect(await migrationStatus(opts)).toEqual([
      expect.objectContaining({ name: "0001_fancy", state: "skipped", note: "no_such_extension not available" }),
    ]);
    // Reverting a skipped migration does not run its down SQL (which would fail here).
    expect(await migrateDown(opts, 0)).toEqual(["0001_fancy"]);
  });
});

describe("database roles", () => {
  let db: TestDatabase;
  const appPassword = "app-password-for-tests";
  beforeAll(async () => {
    db = await freshDatabase("obs_migrate_roles");
    await migrateUp({
      databaseUrl: db.url, log: silentLog, waitSeconds: 5, appPassword,
      readonlyPassword: "readonly-password-for-tests", monitorPassword: "monitor-password-for-tests",
    });
  });
  afterAll(() => db.drop());

  async function as<T>(role: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
    const client = new pg.Client({ connectionString: urlFor(db.name, role, "unused-with-trust-auth") });
    await client.connect();
    try {
      return await fn(client);
    } finally {
      await client.end();
    }
  }

  const insertSpan = `INSERT INTO spans (project_id, trace_id, span_id, name, start_time, end_time, duration_ms)
    VALUES ('default', repeat('a', 32), repeat('b', 16), 'chat', now(), now(), 0)`;

  it("stores login passwords as SCRAM verifiers, never as plaintext", async () => {
    const rows = await adminQuery<{ rolname: string; rolcanlogin: boolean; rolpassword: string }>(
      "SELECT rolname, rolcanlogin, rolpassword FROM pg_authid WHERE rolname IN ('observatory_app', 'observatory_monitor', 'observatory_readonly') ORDER BY 1",
    );
    expect(rows.map((r) => r.rolcanlogin)).toEqual([true, true, true]);
    for (const r of rows) expect(r.rolpassword).toMatch(/^SCRAM-SHA-256\$4096:[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+$/);
    expect(rows.some((r) => r.rolpassword.includes(appPassword))).toBe(false);
  });

  it("the app role can insert and select spans but cannot alter tables", async () => {
    await as("observatory_app", async (c) => {
      await c.query(insertSpan);
      expect((await c.query("SELECT count(*) AS n FROM spans")).rows[0].n).toBe("1");
      await expect(c.query("ALTER TABLE spans ADD COLUMN evil int")).rejects.toThrow(/must be owner/);
      await expect(c.query("CREATE TABLE evil (id int)")).rejects.toThrow(/permission denied/);
      await expect(c.query("TRUNCATE spans")).rejects.toThrow(/permission denied/);
    });
  });

  it("the readonly role can only select, and cannot read key hashes", async () => {
    await as("observatory_readonly", async (c) => {
      expect((await c.query("SELECT count(*) AS n FROM spans")).rows[0].n).toBe("1");
      await expect(c.query(insertSpan.replace(/'b'/, "'c'"))).rejects.toThrow(/permission denied/);
      await expect(c.query("DELETE FROM spans")).rejects.toThrow(/permission denied/);
      await expect(c.query("SELECT key_hash FROM api_keys")).rejects.toThrow(/permission denied/);
    });
  });

  it("the monitor role reads statistics and backup_runs, and no data", async () => {
    await as("observatory_monitor", async (c) => {
      const { rows } = await c.query("SELECT count(*)::int AS n FROM pg_stat_activity WHERE query IS NOT NULL AND usename <> current_user");
      expect(rows[0].n).toBeGreaterThan(0);
      expect((await c.query("SELECT count(*)::int AS n FROM backup_runs")).rows[0].n).toBe(0);
      await expect(c.query("SELECT count(*) FROM spans")).rejects.toThrow(/permission denied/);
      await expect(c.query("SELECT count(*) FROM api_keys")).rejects.toThrow(/permission denied/);
    });
  });
});
