import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { mkdir, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { basename, join } from "node:path";
import type pg from "pg";
import { runPgTool } from "./pg-tools.js";

export interface BackupManifest {
  file: string;
  createdAt: string;
  sizeBytes: number;
  sha256: string;
  /** The last applied migration: a restore target must run the same schema (or migrate after). */
  schemaVersion: string | null;
  format: "pg_dump custom";
}

export const manifestPath = (backupFile: string) => `${backupFile}.manifest.json`;

export async function sha256File(path: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

export async function schemaVersion(db: pg.Pool): Promise<string | null> {
  const { rows } = await db.query(
    "SELECT max(name) AS name FROM schema_migrations WHERE to_regclass('public.schema_migrations') IS NOT NULL",
  ).catch(() => ({ rows: [{ name: null }] }));
  return rows[0]?.name ?? null;
}

export interface BackupOptions {
  databaseUrl: string;
  db: pg.Pool;
  dir: string;
  /** How many backups to keep in `dir`; older ones (and their manifests) are removed. */
  keep: number;
  onProgress?: (bytes: number) => void;
}

/** `pg_dump` in custom format, a manifest beside it, and rotation to the last `keep` backups. */
export async function backup({ databaseUrl, db, dir, keep, onProgress }: BackupOptions): Promise<BackupManifest> {
  await mkdir(dir, { recursive: true });
  const createdAt = new Date();
  const file = join(dir, `observatory-${createdAt.toISOString().replace(/[:.]/g, "-")}.dump`);
  const ticker = onProgress && setInterval(() => stat(file).then((s) => onProgress(s.size), () => undefined), 250);
  try {
    await runPgTool("pg_dump", databaseUrl, ["--format=custom", "--no-owner", "--file", file]);
  } finally {
    if (ticker) clearInterval(ticker);
  }
  const manifest: BackupManifest = {
    file: basename(file),
    createdAt: createdAt.toISOString(),
    sizeBytes: (await stat(file)).size,
    sha256: await sha256File(file),
    schemaVersion: await schemaVersion(db),
    format: "pg_dump custom",
  };
  await writeFile(manifestPath(file), JSON.stringify(manifest, null, 2) + "\n");
  // Recorded like the stack's backup job does, so the BackupTooOld alert sees this backup too.
  await db.query("INSERT INTO backup_runs (file, size_bytes) VALUES ($1, $2)", [manifest.file, manifest.sizeBytes]);
  await rotate(dir, keep);
  return manifest;
}

async function rotate(dir: string, keep: number): Promise<void> {
  const dumps = (await readdir(dir)).filter((f) => /^observatory-.*\.dump$/.test(f)).sort();
  for (const old of dumps.slice(0, Math.max(0, dumps.length - keep))) {
    await rm(join(dir, old), { force: true });
    await rm(manifestPath(join(dir, old)), { force: true });
  }
}

export async function readManifest(backupFile: string): Promise<BackupManifest> {
  try {
    return JSON.parse(await readFile(manifestPath(backupFile), "utf8")) as BackupManifest;
  } catch (err) {
    throw new Error(`no readable manifest for ${backupFile} (expected ${manifestPath(backupFile)}): ${(err as Error).message}`);
  }
}
