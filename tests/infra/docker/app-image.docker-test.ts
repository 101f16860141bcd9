import { execFile } from "node:child_process";
import { promisify } from "node:util";
import pg from "pg";
import { afterAll, beforeAll, expect, test } from "vitest";
import { randomBytes } from "node:crypto";
import { runJobCommand } from "../../../infra/migrations-job.js";
import { appCommands, healthPath } from "../../../infra/topology.js";
import { adminQuery, urlFor } from "../../support/database.js";

const run = promisify(execFile);
// The classic builder unless told otherwise: it needs no buildx plugin (absent from Debian's docker.io).
const env = { ...process.env, DOCKER_BUILDKIT: process.env.DOCKER_BUILDKIT ?? "0" };
const docker = (...args: string[]) => run("docker", args, { maxBuffer: 64 * 1024 * 1024, env });

/**
 * The base to build on: the published default needs a registry. DOCKER_NODE_IMAGE names a local one,
 * by default the one scripts/docker-node-base.sh makes (named for the host's node).
 */
const nodeImage = process.env.DOCKER_NODE_IMAGE ?? `local/node:${process.versions.node}-bookworm-debootstrap`;
const tag = "llm-observatory/app:docker-test";
const names = { migrations: "obs-docker-test-migrations", collector: "obs-docker-test-collector", api: "obs-docker-test-api" };
// Created only after the job's first run, so that run fails the way a not-yet-ready database would.
const database = `obs_docker_${randomBytes(5).toString("hex")}`;
const db = { url: urlFor(database) };

beforeAll(async () => {
  await docker("build", "--network", "host", "--build-arg", `NODE_IMAGE=${nodeImage}`, "-t", tag, ".");
});

afterAll(async () => {
  await run("docker", ["rm", "-f", names.migrations, names.collector, names.api]).catch(() => undefined);
  await adminQuery(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
});

/** Host networking: the containers reach the host's PostgreSQL on 127.0.0.1. */
const hostRun = (name: string, env: Record<string, string>, command: readonly string[], detach: boolean) =>
  docker("run", ...(detach ? ["-d"] : []), "--name", name, "--network", "host", "--read-only", "--tmpfs", "/tmp",
    ...Object.entries(env).flatMap(([k, v]) => ["-e", `${k}=${v}`]), tag, ...command);

test("the image runs as the unprivileged node user with node as PID 1", async () => {
  const { stdout } = await docker("image", "inspect", tag, "--format", "{{.Config.User}} {{json .Config.Entrypoint}} {{json .Config.Cmd}}");
  expect(stdout.trim()).toBe('node ["node","--enable-source-maps"] ["dist/services/collector/main.js"]');
});

test("the migrations job runs as `pulumi up` runs it: a failure exits non-zero with the job's output, the next run retries and migrates", async () => {
  // As the Docker provider leaves it: created, not started (infra/migrations-job.ts).
  await docker("create", "--name", names.migrations, "--network", "host", "--read-only", "--tmpfs", "/tmp",
    ...Object.entries({ DATABASE_URL: db.url, DB_APP_PASSWORD: "app-password-123", DB_READONLY_PASSWORD: "readonly-password-123", MIGRATE_WAIT_SECONDS: "1" })
      .flatMap(([k, v]) => ["-e", `${k}=${v}`]),
    tag, ...appCommands.migrations);
  // What the migrations run (command.local.Command) executes: /bin/sh -c "<create>".
  const runJob = () => run("/bin/sh", ["-c", runJobCommand(names.migrations)], { env }).then(() => ({ code: 0, output: "" }), (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, output: e.stdout + e.stderr }));
  const failed = await runJob();
  expect(failed.code).not.toBe(0);
  expect(failed.output).toContain(`database "${database}" does not exist`);

  await adminQuery(`CREATE DATABASE ${database}`);
  expect((await runJob()).code).toBe(0);
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  try {
    const { rows } = await client.query(`SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename IN ('spans', 'projects') ORDER BY 1`);
    expect(rows).toEqual([{ tablename: "projects" }, { tablename: "spans" }]);
  } finally {
    await client.end();
  }
});

test("the collector from the image answers its health endpoint and stops cleanly on SIGTERM", async () => {
  const port = 14318;
  const url = new URL(db.url);
  url.username = "observatory_app";
  url.password = "app-password-123";
  await hostRun(names.collector, { DATABASE_URL: url.toString(), OTLP_HTTP_PORT: String(port), OTLP_GRPC_PORT: "14317" }, appCommands.collector, true);
  let status = 0;
  for (let i = 0; i < 60 && status !== 200; i++) {
    status = await fetch(`http://127.0.0.1:${port}${healthPath}`).then((r) => r.status, () => 0);
    if (status !== 200) await new Promise((r) => setTimeout(r, 500));
  }
  expect(status).toBe(200);
  await docker("stop", "--time", "20", names.collector);
  const { stdout } = await docker("inspect", names.collector, "--format", "{{.State.ExitCode}} {{.State.OOMKilled}}");
  expect(stdout.trim()).toBe("0 false");
});

test("the API from the image serves the built web UI under its Content-Security-Policy", async () => {
  const port = 18480;
  const url = new URL(db.url);
  url.username = "observatory_app";
  url.password = "app-password-123";
  await hostRun(names.api, { DATABASE_URL: url.toString(), API_HOST: "127.0.0.1", API_PORT: String(port) }, appCommands.api, true);
  let index: Response | undefined;
  for (let i = 0; i < 60 && index?.status !== 200; i++) {
    index = await fetch(`http://127.0.0.1:${port}/`).catch(() => undefined);
    if (index?.status !== 200) await new Promise((r) => setTimeout(r, 500));
  }
  expect(index?.status).toBe(200);
  expect(index!.headers.get("content-security-policy")).toMatch(/script-src 'self'/);
  const script = /src="(\/assets\/[^"]+\.js)"/.exec(await index!.text())?.[1];
  const asset = await fetch(`http://127.0.0.1:${port}${script}`);
  expect(asset.status).toBe(200);
  expect(asset.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
  await docker("stop", "--time", "20", names.api);
});
