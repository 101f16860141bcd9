import pg from "pg";
import { Umzug, type UmzugStorage } from "umzug";
import { redactUrl, type Logger } from "../services/core/logger.js";
import { loadSqlMigrations, type SqlMigration } from "./files.js";
import { dbRoles } from "./roles.js";
import { scramVerifier } from "./scram.js";
import { MigrationError } from "./sql-error.js";
import { splitStatements, type Statement } from "./sql-statements.js";
import { updateTimescaleDb } from "./timescaledb-update.js";

export interface RunnerOptions {
  databaseUrl: string;
  log: Logger;
  /** Seconds to keep retrying the first connection (the database may still be starting). */
  waitSeconds?: number;
  /** Raw spans' window (TimescaleDB's retention policy on spans); unset leaves the policy as it is. */
  retentionDays?: number;
  /** The rollup tables' window (their retention policy); unset leaves it as it is. */
  rollupRetentionDays?: number;
  appPassword?: string;
  readonlyPassword?: string;
  monitorPassword?: string;
  /** Called as each migration starts, at each of its statements, and at its end (terminal progress). */
  onProgress?: (event: ProgressEvent) => void;
  migrations?: SqlMigration[];
}

export interface ProgressEvent {
  phase: "start" | "statement" | "end";
  name: string;
  direction: "up" | "down";
  statement?: number;
  statements?: number;
}

export interface MigrationState {
  name: string;
  state: "applied" | "skipped" | "pending";
  appliedAt?: Date;
  note?: string;
}

/** Any constant works; it only has to be the same for every runner of this schema. */
const LOCK_KEY = 74310501;

export async function connectWithRetry(url: string, waitSeconds: number, log: Logger): Promise<pg.Client> {
  const deadline = Date.now() + waitSeconds * 1000;
  for (let attempt = 1, delay = 250; ; attempt++, delay = Math.min(delay * 2, 5000)) {
    const client = new pg.Client({ connectionString: url });
    try {
      await client.connect();
      return client;
    } catch (err) {
      await client.end().catch(() => undefined);
      if (Date.now() + delay > deadline) {
        throw new Error(`database ${redactUrl(url)} not reachable after ${attempt} attempts: ${(err as Error).message}`);
      }
      log.info({ attempt, retryInMs: delay, reason: (err as Error).message }, "waiting for the database");
      await new Promise((r) => setTimeout(r, delay));
    }
  }
}

async function extensionUsable(client: pg.Client, extension: string): Promise<boolean> {
  const { rows } = await client.query(
    `SELECT EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = $1)
        AND (current_setting('shared_preload_libraries') ~ ('(^|[ ,])' || $1 || '([ ,]|$)')
             OR EXISTS (SELECT 1 FROM pg_extension WHERE extname = $1)) AS usable`,
    [extension],
  );
  return rows[0].usable === true;
}

/** Runs one migration and records it in the same transaction, so a failure leaves nothing behind. */
async function applyOne(client: pg.Client, m: SqlMigration, direction: "up" | "down", opts: RunnerOptions): Promise<void> {
  const { log } = opts;
  const statements = splitStatements(direction === "up" ? m.up : m.down);
  let current: Statement | undefined;
  // What the server says while a migration runs (TimescaleDB's advice on compression settings, say)
  // is the operator's to read: logged with the migration, a warning as a warning.
  const notice = (msg: { severity?: string; message?: string; detail?: string; hint?: string }) => {
    const entry = { migration: m.name, severity: msg.severity, ...(msg.detail ? { detail: msg.detail } : {}), ...(msg.hint ? { hint: msg.hint } : {}) };
    if (msg.severity === "WARNING") log.warn(entry, msg.message);
    else log.info(entry, msg.message);
  };
  const run = async () => {
    client.on("notice", notice);
    try {
      for (const [i, statement] of statements.entries()) {
        current = statement;
        opts.onProgress?.({ phase: "statement", name: m.name, direction, statement: i + 1, statements: statements.length });
        await client.query(statement.sql);
      }
    } finally {
      client.off("notice", notice);
    }
    current = undefined;
  };
  await client.query("BEGIN");
  try {
    if (direction === "up") {
      let skipped: string | null = null;
      if (m.requiresExtension && !(await extensionUsable(client, m.requiresExtension))) {
        skipped = `${m.requiresExtension} not available`;
        log.warn(
          { migration: m.name },
          `${m.requiresExtension} is not installed or not preloaded: skipped ${m.name}${m.withoutIt ? ` (${m.withoutIt})` : ""}`,
        );
      } else {
        await run();
        log.info({ migration: m.name }, "applied");
      }
      await client.query("INSERT INTO schema_migrations (name, skipped_reason) VALUES ($1, $2)", [m.name, skipped]);
    } else {
      const { rows } = await client.query("DELETE FROM schema_migrations WHERE name = $1 RETURNING skipped_reason", [m.name]);
      if (rows[0]?.skipped_reason == null) await run();
      log.info({ migration: m.name }, "reverted");
    }
    await client.query("COMMIT");
  } catch (err) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw new MigrationError(m.name, direction, current, err);
  }
}

/**
 * Holds a connection and the advisory lock for the duration of `fn`, so that two runners (two
 * replicas of the job, or a person and the job) never interleave.
 */
async function withLockedClient<T>(opts: RunnerOptions, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = await connectWithRetry(opts.databaseUrl, opts.waitSeconds ?? 60, opts.log);
  try {
    await client.query("SET client_min_messages = warning");
    await client.query("SELECT pg_advisory_lock($1)", [LOCK_KEY]);
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      name text PRIMARY KEY,
      applied_at timestamptz NOT NULL DEFAULT now(),
      skipped_reason text)`);
    return await fn(client);
  } finally {
    await client.query("SELECT pg_advisory_unlock_all()").catch(() => undefined);
    await client.end().catch(() => undefined);
  }
}

function migrator(client: pg.Client, opts: RunnerOptions, migrations: SqlMigration[]): Umzug<pg.Client> {
  // Each migration records itself inside its own transaction (applyOne); the storage only reads.
  const storage: UmzugStorage<pg.Client> = {
    async executed() {
      const { rows } = await client.query("SELECT name FROM schema_migrations ORDER BY name");
      return rows.map((r) => r.name as string);
    },
    async logMigration() {},
    async unlogMigration() {},
  };
  const umzug = new Umzug<pg.Client>({
    migrations: migrations.map((m) => ({
      name: m.name,
      up: () => applyOne(client, m, "up", opts),
      down: () => applyOne(client, m, "down", opts),
    })),
    context: client,
    storage,
    logger: undefined,
  });
  umzug.on("migrating", ({ name }) => opts.onProgress?.({ phase: "start", name, direction: "up" }));
  umzug.on("migrated", ({ name }) => opts.onProgress?.({ phase: "end", name, direction: "up" }));
  umzug.on("reverting", ({ name }) => opts.onProgress?.({ phase: "start", name, direction: "down" }));
  umzug.on("reverted", ({ name }) => opts.onProgress?.({ phase: "end", name, direction: "down" }));
  return umzug;
}

/** umzug wraps what a migration throws; surface ours, which names the migration and statement. */
async function unwrap<T>(p: Promise<T>): Promise<T> {
  try {
    return await p;
  } catch (err) {
    const cause = (err as { cause?: unknown }).cause;
    throw cause instanceof MigrationError ? cause : err;
  }
}

async function setRolePasswords(client: pg.Client, opts: RunnerOptions): Promise<void> {
  for (const [role, password] of [
    [dbRoles.app, opts.appPassword],
    [dbRoles.readonly, opts.readonlyPassword],
    [dbRoles.monitor, opts.monitorPassword],
  ] as const) {
    if (!password) continue;
    // The verifier is base64 and `$:` only, so it is safe inside a literal; the plaintext never leaves.
    await client.query(`ALTER ROLE ${role} WITH LOGIN PASSWORD '${scramVerifier(password)}'`);
    opts.log.info({ role }, "login password set");
  }
}

/**
 * Policy windows set on every `up` (configuration, not SQL), each by the function of the migration
 * that created it, where that migration ran (not skipped).
 */
const retentionWindows = [
  { migration: "0007_timescaledb", setter: "observatory_set_retention", days: (o: RunnerOptions) => o.retentionDays },
  { migration: "0014_rollup_hypertables", setter: "observatory_set_rollup_retention", days: (o: RunnerOptions) => o.rollupRetentionDays },
] as const;

/** Which of the retention windows' migrations ran for real (not skipped for want of TimescaleDB). */
async function ranWindowMigrations(client: pg.Client): Promise<Set<string>> {
  const { rows } = await client.query("SELECT name FROM schema_migrations WHERE name = ANY ($1) AND skipped_reason IS NULL", [
    retentionWindows.map((w) => w.migration),
  ]);
  return new Set(rows.map((r) => r.name as string));
}

async function setRetentionWindows(client: pg.Client, opts: RunnerOptions, ran: Set<string>): Promise<void> {
  for (const w of retentionWindows) {
    const days = w.days(opts);
    if (days && ran.has(w.migration)) await client.query(`SELECT ${w.setter}($1)`, [days]);
  }
}

/** What TimescaleDB does for the schema, said once per `up`: hypertables, compression, policy jobs. */
async function logTimescaleDb(client: pg.Client, log: Logger): Promise<void> {
  const { rows: hypertables } = await client.query(
    `SELECT h.hypertable_name AS table, d.time_interval::text AS "chunkInterval", h.compression_enabled AS compression,
            (SELECT string_agg(attname, ', ' ORDER BY segmentby_column_index) FROM timescaledb_information.compression_settings s
              WHERE s.hypertable_name = h.hypertable_name AND segmentby_column_index IS NOT NULL) AS "segmentBy",
            (SELECT string_agg(attname || CASE WHEN orderby_asc THEN '' ELSE ' DESC' END, ', ' ORDER BY orderby_column_index)
               FROM timescaledb_information.compression_settings s
              WHERE s.hypertable_name = h.hypertable_name AND orderby_column_index IS NOT NULL) AS "orderBy"
       FROM timescaledb_information.hypertables h
       JOIN timescaledb_information.dimensions d ON d.hypertable_name = h.hypertable_name AND d.dimension_number = 1
      WHERE h.hypertable_schema = 'public' ORDER BY 1`,
  );
  const { rows: jobs } = await client.query(
    `SELECT job_id AS id, proc_name AS policy, hypertable_name AS table, schedule_interval::text AS every, config
       FROM timescaledb_information.jobs WHERE hypertable_schema = 'public' ORDER BY job_id`,
  );
  log.info({ hypertables, jobs }, `TimescaleDB: ${hypertables.length} hypertable(s), ${jobs.length} policy job(s)`);
}

export async function migrateUp(opts: RunnerOptions, to?: string): Promise<string[]> {
  const migrations = opts.migrations ?? loadSqlMigrations();
  await updateTimescaleDb({ connect: () => connectWithRetry(opts.databaseUrl, opts.waitSeconds ?? 60, opts.log), log: opts.log, lockKey: LOCK_KEY });
  return withLockedClient(opts, async (client) => {
    const applied = await unwrap(migrator(client, opts, migrations).up(to ? { to } : {}));
    await setRolePasswords(client, opts);
    const ran = await ranWindowMigrations(client);
    await setRetentionWindows(client, opts, ran);
    if (ran.has("0007_timescaledb")) await logTimescaleDb(client, opts.log);
    return applied.map((m) => m.name);
  });
}

/** Reverts the last migration, or down to `to` (0 reverts everything). */
export async function migrateDown(opts: RunnerOptions, to?: string | 0): Promise<string[]> {
  const migrations = opts.migrations ?? loadSqlMigrations();
  return withLockedClient(opts, async (client) => {
    const reverted = await unwrap(migrator(client, opts, migrations).down(to === undefined ? {} : { to }));
    return reverted.map((m) => m.name);
  });
}

export async function migrationStatus(opts: RunnerOptions): Promise<MigrationState[]> {
  const migrations = opts.migrations ?? loadSqlMigrations();
  return withLockedClient(opts, async (client) => {
    const { rows } = await client.query("SELECT name, applied_at, skipped_reason FROM schema_migrations");
    const done = new Map(rows.map((r) => [r.name as string, r]));
    return migrations.map(({ name }): MigrationState => {
      const row = done.get(name);
      if (!row) return { name, state: "pending" };
      return row.skipped_reason
        ? { name, state: "skipped", appliedAt: row.applied_at, note: row.skipped_reason }
        : { name, state: "applied", appliedAt: row.applied_at };
    });
  });
}
