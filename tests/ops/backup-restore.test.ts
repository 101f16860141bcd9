import { execFile } from "node:child_process";
import { mkdtemp, readdir, writeFile, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeManifestCommand } from "../../infra/backup-job.js";
import { loadSqlMigrations } from "../../migrations/files.js";
import { backup, readManifest, sha256File } from "../../services/ops/backup.js";
import { restore, RestoreRefused } from "../../services/ops/restore.js";
import { migratedDatabase, type TestDatabase } from "../support/database.js";

const run = promisify(execFile);

async function seed(db: pg.Pool): Promise<void> {
  await db.query(`INSERT INTO spans (project_id, trace_id, span_id, name, start_time, end_time, duration_ms, provider, request_model, input_tokens, cost_usd, attributes)
    SELECT 'default', md5(g::text), left(md5('s' || g), 16), 'chat ' || g, now() - g * interval '1 minute',
           now() - g * interval '1 minute' + interval '1 second', 1000, 'openai', 'gpt-4o', g, g * 0.000001, jsonb_build_object('n', g)
      FROM generate_series(1, 500) g`);
  await db.query(`INSERT INTO span_rollups_1h (project_id, bucket, service_name, requests, errors, input_tokens, output_tokens,
      cached_input_tokens, reasoning_tokens, cost_usd, duration_ms_sum, duration_ms_max, latency_histogram)
    SELECT 'default', date_trunc('hour', now() - g * interval '10 days'), 'svc', g, 0, 0, 0, 0, 0, 0, 1, 1, '{1}'
      FROM generate_series(0, 9) g`);
  await db.query(`INSERT INTO api_keys (project_id, name, key_hash, key_prefix, scopes) VALUES ('default', 'k', sha256('k'), 'lok_k', '{read}')`);
}

async function fingerprint(db: pg.Pool): Promise<{ spans: number; checksum: string; rollups: string }> {
  const { rows } = await db.query(
    `SELECT count(*)::int AS spans, md5(string_agg(s::text, '|' ORDER BY trace_id, span_id)) AS checksum,
            (SELECT count(*) || ' ' || md5(string_agg(r::text, '|' ORDER BY bucket)) FROM span_rollups_1h r) AS rollups
       FROM spans s`,
  );
  return rows[0];
}

/** TimescaleDB's side of the data: hypertables, policy jobs, compressed chunks (none on plain PostgreSQL). */
async function timescaleLayout(db: pg.Pool): Promise<{ hypertables: string[]; jobs: unknown[]; compressedChunks: number } | null> {
  if ((await db.query("SELECT 1 FROM pg_extension WHERE extname = 'timescaledb'")).rows.length === 0) return null;
  const q = async (sql: string) => (await db.query(sql)).rows;
  return {
    hypertables: (await q("SELECT hypertable_name FROM timescaledb_information.hypertables ORDER BY 1")).map((r) => r.hypertable_name),
    jobs: await q("SELECT job_id, proc_name, hypertable_name, schedule_interval::text, config FROM timescaledb_information.jobs WHERE hypertable_name IS NOT NULL ORDER BY 1"),
    compressedChunks: (await q("SELECT count(*)::int AS n FROM timescaledb_information.chunks WHERE is_compressed"))[0].n,
  };
}

describe("backup and restore", () => {
  let db: TestDatabase;
  let pool: pg.Pool;
  let dir: string;
  /**
   * On TimescaleDB a restore recreates the extension, and sessions opened before it keep the old
   * catalog ("could not open relation"): as the collector and API are restarted after a restore,
   * the test opens new connections.
   */
  const restored = async (counts: Promise<Record<string, number>>) => {
    const result = await counts;
    await pool.end();
    pool = new pg.Pool({ connectionString: db.url, max: 2 });
    return result;
  };
  beforeAll(async () => {
    db = await migratedDatabase("obs_ops_backup");
    pool = new pg.Pool({ connectionString: db.url, max: 2 });
    dir = await mkdtemp(join(tmpdir(), "obs-backup-"));
    await seed(pool);
  });
  afterAll(async () => {
    await pool.end();
    await db.drop();
  });

  it("backs up, is wiped, restores, and holds the same data", async () => {
    const before = await fingerprint(pool);
    expect(before.spans).toBe(500);
    const manifest = await backup({ databaseUrl: db.url, db: pool, dir, keep: 3 });
    const file = join(dir, manifest.file);
    expect(manifest).toMatchObject({ schemaVersion: loadSqlMigrations().at(-1)!.name, format: "pg_dump custom", sha256: await sha256File(file) });
    expect(await readManifest(file)).toEqual(manifest);
    const { rows: runs } = await pool.query("SELECT file, size_bytes FROM backup_runs");
    expect(runs).toEqual([{ file: manifest.file, size_bytes: String(manifest.sizeBytes) }]);

    await pool.query("TRUNCATE spans, span_rollups_1h, api_keys");
    expect((await fingerprint(pool)).spans).toBe(0);

    const counts = await restored(restore({ databaseUrl: db.url, db: pool, file, force: false }));
    expect(counts).toMatchObject({ spans: 500, api_keys: 1, projects: 1 });
    expect(await fingerprint(pool)).toEqual(before);
  });

  it("on TimescaleDB keeps the hypertable, its policy jobs and compressed chunks (plain PostgreSQL has none)", async () => {
    const timescale = (await timescaleLayout(pool)) !== null;
    if (timescale) {
      for (const table of ["spans", "span_rollups_1h"]) await pool.query(`SELECT compress_chunk(c, if_not_compressed => true) FROM show_chunks('${table}') c`);
    }
    const before = { layout: await timescaleLayout(pool), data: await fingerprint(pool) };
    if (timescale) expect(before.layout).toMatchObject({ hypertables: ["span_rollups_1h", "span_rollups_1m", "spans"], compressedChunks: expect.any(Number) });
    if (timescale) expect(before.layout!.compressedChunks).toBeGreaterThan(0);
    const manifest = await backup({ databaseUrl: db.url, db: pool, dir, keep: 3 });
    await pool.query("TRUNCATE spans, span_rollups_1h, api_keys");
    await restored(restore({ databaseUrl: db.url, db: pool, file: join(dir, manifest.file), force: false }));
    expect({ layout: await timescaleLayout(pool), data: await fingerprint(pool) }).toEqual(before);
  });

  it("refuses to overwrite a database holding data without --force", async () => {
    const manifest = await backup({ databaseUrl: db.url, db: pool, dir, keep: 3 });
    const file = join(dir, manifest.file);
    await expect(restore({ databaseUrl: db.url, db: pool, file, force: false })).rejects.toThrow(
      new RestoreRefused("the target database already holds spans or API keys; pass --force to replace its contents"),
    );
    await pool.query("DELETE FROM spans WHERE name = 'chat 1'");
    expect(await restored(restore({ databaseUrl: db.url, db: pool, file, force: true }))).toMatchObject({ spans: 500 });
  });

  it("refuses a corrupt backup with a clear message and changes nothing", async () => {
    const manifest = await backup({ databaseUrl: db.url, db: pool, dir, keep: 3 });
    const file = join(dir, manifest.file);
    const bytes = await readFile(file);
    const middle = Math.floor(bytes.length / 2);
    bytes[middle] = bytes[middle]! ^ 0xff;
    await writeFile(file, bytes);
    await pool.query("TRUNCATE spans");
    const error = await restore({ databaseUrl: db.url, db: pool, file, force: true }).catch((e: Error) => e);
    expect(error).toBeInstanceOf(RestoreRefused);
    expect((error as Error).message).toMatch(new RegExp(`^backup ${file} is corrupt: its SHA-256 is [0-9a-f]{64}, the manifest says ${manifest.sha256}; nothing was restored$`));
    expect((await fingerprint(pool)).spans).toBe(0);
  });

  it("restores a dump made by the stack's backup job, whose manifest the job writes in shell", async () => {
    await pool.query("TRUNCATE spans, span_rollups_1h, api_keys");
    await seed(pool);
    const file = join(dir, "observatory-2026-01-01T00-00-00-000Z.dump");
    const u = new URL(db.url);
    const env = { ...process.env, PGHOST: u.hostname, PGPORT: u.port || "5432", PGUSER: u.username, PGDATABASE: db.name };
    await run("sh", ["-c", `f=${file}; pg_dump --format=custom --no-owner --file="$f" && ${writeManifestCommand()}`], { env });
    expect(await readManifest(file)).toMatchObject({
      file: "observatory-2026-01-01T00-00-00-000Z.dump",
      sha256: await sha256File(file),
      schemaVersion: loadSqlMigrations().at(-1)!.name,
      format: "pg_dump custom",
    });
    await pool.query("TRUNCATE spans");
    expect(await restored(restore({ databaseUrl: db.url, db: pool, file, force: true }))).toMatchObject({ spans: 500 });
  });

  it("keeps only the last N backups, through the CLI", async () => {
    const env = { ...process.env, DATABASE_URL: db.url, BACKUP_DIR: dir, LOG_LEVEL: "silent" };
    for (let i = 0; i < 2; i++) await run("npx", ["tsx", "services/ops/cli.ts", "backup", "--keep", "2"], { env });
    const dumps = (await readdir(dir)).filter((f) => f.endsWith(".dump"));
    const manifests = (await readdir(dir)).filter((f) => f.endsWith(".manifest.json"));
    expect(dumps).toHaveLength(2);
    expect(manifests.sort()).toEqual(dumps.map((d) => `${d}.manifest.json`).sort());
  });
});
