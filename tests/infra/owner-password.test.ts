/**
 * Point 6: prod keeps the database volume across `pulumi destroy` + `up`, but the stack's state (and
 * so the owner's generated password) is new. The TimescaleDB image applies POSTGRES_PASSWORD only to
 * an empty data folder, so the container's command must re-apply it on every start.
 *
 * Runs the database container's command exactly as the program declares it, the way Docker starts it
 * (the image's ENTRYPOINT docker-entrypoint.sh followed by the command), with real sh, pg_isready and
 * psql against this machine's PostgreSQL on 127.0.0.1:5432 and its local socket (trust, as in the
 * image). The entrypoint is a stand-in: given `postgres ...` it runs a placeholder for the server it
 * would start (the one already running here), which, like postgres, ends a fast shutdown on SIGINT
 * with status 0; like postgres it sets its own handler (a background job of sh starts with SIGINT ignored).
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, expect, test } from "vitest";
import { scramVerifier } from "../../migrations/scram.js";
import { adminQuery } from "../support/database.js";
import { runStack } from "../support/pulumi-stack.js";
import { containerOf } from "./stack-queries.js";

const role = `obs_owner_${randomBytes(4).toString("hex")}`;
const volumePassword = "password-the-kept-volume-has-0123";
const stackPassword = "password-the-new-stack-generated-4567";
const dir = mkdtempSync(join(tmpdir(), "obs-entrypoint-"));

/** Whether `password` is the one PostgreSQL stores for `role` (its SCRAM verifier, recomputed with the stored salt). */
async function hasPassword(password: string): Promise<boolean> {
  const [row] = await adminQuery<{ rolpassword: string }>("SELECT rolpassword FROM pg_authid WHERE rolname = $1", [role]);
  const [, iterations, salt] = /^SCRAM-SHA-256\$(\d+):([^$]+)\$/.exec(row!.rolpassword) ?? [];
  return row!.rolpassword === scramVerifier(password, Number(iterations), Buffer.from(salt!, "base64"));
}

beforeAll(async () => {
  await adminQuery(`CREATE ROLE ${role} LOGIN PASSWORD '${volumePassword}'`);
  writeFileSync(
    join(dir, "docker-entrypoint.sh"),
    `#!/bin/sh\nif [ "$1" = postgres ]; then echo $$ > "${dir}/server.pid"; exec "${process.execPath}" -e "process.on('SIGINT', () => process.exit(0)); setInterval(() => {}, 1000)"; fi\nexec "$@"\n`,
    { mode: 0o755 },
  );
});

afterAll(async () => {
  await adminQuery(`DROP ROLE IF EXISTS ${role}`);
  rmSync(dir, { recursive: true, force: true });
});

test("the database container re-applies the stack's owner password on start, and forwards the stop signal to the server", async () => {
  const { resources } = await runStack("prod");
  const db = containerOf(resources, "timescaledb");
  expect(await hasPassword(volumePassword)).toBe(true);

  const container = spawn(join(dir, "docker-entrypoint.sh"), db.inputs.command!, {
    env: { PATH: `${dir}:${process.env.PATH}`, POSTGRES_USER: role, POSTGRES_DB: "postgres", POSTGRES_PASSWORD: stackPassword },
    stdio: ["ignore", "inherit", "inherit"],
  });
  const exited = new Promise<number | null>((done) => container.once("exit", (code, signal) => done(code ?? (signal ? -1 : null))));
  try {
    let applied = false;
    for (const deadline = Date.now() + 10_000; !applied && Date.now() < deadline; ) {
      applied = await hasPassword(stackPassword);
      if (!applied) await new Promise((r) => setTimeout(r, 200));
    }
    expect(applied, "the stack's password was not applied to the kept role").toBe(true);
  } finally {
    container.kill("SIGTERM");
  }
  // Docker stops the container by signalling PID 1 (the command's sh): the server must get it too.
  expect(await exited).toBe(0);
  const serverPid = Number(readFileSync(join(dir, "server.pid"), "utf8"));
  expect(() => process.kill(serverPid, 0)).toThrow();
}, 30_000);
