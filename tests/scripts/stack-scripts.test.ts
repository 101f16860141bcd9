/**
 * scripts/health-check.sh and scripts/e2e-test.sh against a stack as prod presents it: HTTPS from a
 * CA of its own (Caddy's local CA, whose root lives in the proxy's volume), no published Prometheus
 * port, and the bootstrap admin key as the only key the stack outputs (the collector accepts project
 * keys only). The services are real: the API and the collector on a migrated PostgreSQL, behind an
 * HTTPS proxy with a certificate from a test CA (openssl). The Pulumi and Docker CLIs cannot run
 * here: `pulumi` answers with the stack's outputs and config, `docker` hands out the proxy's root
 * certificate (`docker cp`) and reports Prometheus healthy from inside its container (`docker exec`).
 */
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:https";
import { request } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, expect, test } from "vitest";
import { buildApi, type Api } from "../../services/api/app.js";
import { apiConfig, BOOTSTRAP_KEY, deleteRedisKeys } from "../api/support/api-harness.js";
import { spawnCollector, type CollectorProcess } from "../collector/support/collector-process.js";
import pg from "pg";
import { migratedDatabase, silentLog, type TestDatabase } from "../support/database.js";

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), "obs-stack-scripts-"));
const prefix = "obs:test:stack-scripts:";
const dockerHost = "ssh://deploy@observatory.example.com";
let db: TestDatabase;
let api: Api;
let collector: CollectorProcess;
const proxies: Server[] = [];

/** An HTTPS listener with the test CA's certificate for localhost, forwarding to a local HTTP port. */
async function httpsProxy(upstreamPort: number): Promise<number> {
  const tls = { key: readFileSync(join(dir, "server.key")), cert: readFileSync(join(dir, "server.crt")) };
  const server = createServer(tls, (req, res) => {
    const upstream = request({ host: "127.0.0.1", port: upstreamPort, path: req.url, method: req.method, headers: req.headers }, (up) => {
      res.writeHead(up.statusCode!, up.headers);
      up.pipe(res);
    });
    upstream.on("error", () => res.writeHead(502).end());
    req.pipe(upstream);
  });
  proxies.push(server);
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  return (server.address() as AddressInfo).port;
}

function executable(name: string, body: string): void {
  writeFileSync(join(dir, "bin", name), `#!/bin/sh\n${body}`, { mode: 0o755 });
}

beforeAll(async () => {
  const openssl = (...args: string[]) => run("openssl", args, { cwd: dir });
  await openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", "ca.key", "-out", "root.crt", "-days", "1", "-subj", "/CN=Test Local CA");
  await openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=localhost");
  writeFileSync(join(dir, "san.ext"), "subjectAltName=DNS:localhost,IP:127.0.0.1\n");
  await openssl("x509", "-req", "-in", "server.csr", "-CA", "root.crt", "-CAkey", "ca.key", "-CAcreateserial", "-out", "server.crt", "-days", "1", "-extfile", "san.ext");

  db = await migratedDatabase("obs_scripts");
  api = await buildApi(apiConfig(db.url, prefix), { log: silentLog });
  await api.listen({ host: "127.0.0.1", port: 0 });
  collector = await spawnCollector({ DATABASE_URL: db.url });
  const apiPort = await httpsProxy((api.server.address() as AddressInfo).port);
  const otlpPort = await httpsProxy(collector.httpPort);

  await run("mkdir", ["-p", join(dir, "bin")]);
  executable("pulumi", `case "$*" in
  "stack output --stack prod apiUrl") echo https://localhost:${apiPort} ;;
  "stack output --stack prod otlpHttpEndpoint") echo https://localhost:${otlpPort} ;;
  "stack output --stack prod bootstrapAdminKey --show-secrets") echo ${BOOTSTRAP_KEY} ;;
  "config get docker:host --stack prod") echo ${dockerHost} ;;
  *) echo "error: no output or config $*" >&2; exit 1 ;;
esac
`);
  executable("docker", `echo "DOCKER_HOST=$DOCKER_HOST $*" >> "${dir}/docker-calls"
case "$*" in
  "cp llm-observatory-prod-proxy:/data/caddy/pki/authorities/local/root.crt "*) cp "${dir}/root.crt" "$3" ;;
  "exec llm-observatory-prod-prometheus wget -q -O /dev/null http://127.0.0.1:9090/-/healthy") exit 0 ;;
  *) echo "Error: No such container" >&2; exit 1 ;;
esac
`);
}, 120_000);

afterAll(async () => {
  for (const p of proxies) p.close();
  await collector?.stop();
  await api?.close();
  await deleteRedisKeys(prefix);
  await db?.drop();
  rmSync(dir, { recursive: true, force: true });
});

/** The environment of an operator who only names the stack. */
function stackEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, PULUMI_STACK: "prod", PATH: `${join(dir, "bin")}:${process.env.PATH}` };
  for (const key of Object.keys(env)) if (key.startsWith("OBSERVATORY_") || key === "DOCKER_HOST") delete env[key];
  return env;
}

test("health-check.sh checks a prod stack over HTTPS from its own CA, and Prometheus from inside its container", async () => {
  const { stdout } = await run("bash", ["scripts/health-check.sh"], { env: stackEnv() });
  expect(stdout.trim().split("\n").map((l) => l.split(/\s+/).slice(0, 2).join(" "))).toEqual([
    "ok api", "ok api-ready", "ok collector", "ok collector-ready", "ok prometheus",
  ]);
  // The Docker CLI was pointed at the daemon the stack's config names.
  expect(readFileSync(join(dir, "docker-calls"), "utf8")).toContain(`DOCKER_HOST=${dockerHost} exec llm-observatory-prod-prometheus`);
}, 60_000);

test("e2e-test.sh passes against a prod stack with its bootstrap admin key, and revokes the key it made", async () => {
  const { stdout } = await run("bash", ["scripts/e2e-test.sh"], { env: stackEnv() });
  expect(stdout.trim().split("\n")).toEqual([
    "ok   health",
    "ok   native span accepted (200)",
    "ok   OTLP span accepted",
    "ok   native span read back",
    "ok   OTLP span read back",
    "PASS",
  ]);
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  const { rows } = await client.query("SELECT revoked_at IS NOT NULL AS revoked FROM api_keys WHERE name LIKE 'e2e-%'").finally(() => client.end());
  expect(rows).toEqual([{ revoked: true }]);
}, 60_000);
