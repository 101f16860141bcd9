import { beforeAll, describe, expect, test } from "vitest";
import { parse } from "yaml";
import { apiEnv } from "../../services/api/config.js";
import { collectorEnv } from "../../services/collector/config.js";
import { parseEnv } from "../../services/core/env.js";
import { migrateEnv } from "../../migrations/config.js";
import { grafanaPaths } from "../../infra/monitoring/grafana-provisioning.js";
import { prometheusPaths } from "../../infra/monitoring/prometheus-config.js";
import { topology } from "../../infra/topology.js";
import { failedMigrationLog, mockSecretValue, runStack, type RecordedResource, type StackName } from "../support/pulumi-stack.js";
import { containerOf, containersOf, envOf, uploadOf } from "./stack-queries.js";

/** Every `alias:port` the topology declares (replica aliases included). */
function declaredEndpoints(replicas: number): Set<string> {
  const endpoints = new Set<string>();
  for (const endpoint of Object.values(topology)) {
    const aliases = endpoint.alias === "api" || endpoint.alias === "collector"
      ? [endpoint.alias, ...Array.from({ length: replicas }, (_, i) => `${endpoint.alias}-${i + 1}`)]
      : [endpoint.alias];
    for (const alias of aliases) for (const p of Object.values(endpoint.ports)) endpoints.add(`${alias}:${p.port}`);
  }
  return endpoints;
}

const password = (name: string) => mockSecretValue(`secrets-${name}`);

describe.each(["dev", "prod"] as const)("the %s stack's wiring", (stack: StackName) => {
  let resources: RecordedResource[];
  const replicas = stack === "dev" ? 1 : 2;
  beforeAll(async () => {
    resources = (await runStack(stack)).resources;
  });

  test("every collector container's environment parses with the collector's own schema", () => {
    for (const c of containersOf(resources, "collector")) {
      const parsed = parseEnv(collectorEnv, envOf(c));
      expect(parsed.DATABASE_URL).toBe(`postgres://observatory_app:${password("db-app")}@timescaledb:5432/observatory`);
      expect(parsed.OTLP_GRPC_PORT).toBe(topology.collector.ports.otlpGrpc.port);
      expect(parsed.OTLP_HTTP_PORT).toBe(topology.collector.ports.otlpHttp.port);
      expect(parsed.COLLECTOR_AUTH_DISABLED).toBe(stack === "dev");
      expect(parsed.LOG_LEVEL).toBe(stack === "dev" ? "debug" : "info");
    }
  });

  test("every API container's environment parses with the API's own schema", () => {
    for (const c of containersOf(resources, "api")) {
      const parsed = parseEnv(apiEnv, envOf(c));
      expect(parsed.DATABASE_URL).toBe(`postgres://observatory_app:${password("db-app")}@timescaledb:5432/observatory`);
      expect(parsed.REDIS_URL).toBe(`redis://:${password("redis")}@redis:6379/0`);
      expect(parsed.API_PORT).toBe(topology.api.ports.http.port);
      expect(parsed.API_HOST).toBe("0.0.0.0");
      expect(parsed.BOOTSTRAP_ADMIN_KEY).toBe(password("bootstrap-admin-key"));
    }
  });

  test("the migrations job's environment parses with the runner's schema and connects as the owner", () => {
    const parsed = parseEnv(migrateEnv, envOf(containerOf(resources, "migrations")));
    expect(parsed.DATABASE_URL).toBe(`postgres://observatory:${password("db-owner")}@timescaledb:5432/observatory`);
    expect(parsed.DB_APP_PASSWORD).toBe(password("db-app"));
    expect(parsed.DB_READONLY_PASSWORD).toBe(password("db-readonly"));
    expect(parsed.DB_MONITOR_PASSWORD).toBe(password("db-monitor"));
    expect(parsed.RETENTION_DAYS).toBe(stack === "dev" ? 7 : 30);
    expect(parsed.ROLLUP_RETENTION_DAYS).toBe(stack === "dev" ? 90 : 400);
  });

  test("the postgres exporter connects as the monitor role the migrations create, not as the owner", () => {
    expect(envOf(containerOf(resources, "postgresExporter"))).toMatchObject({
      DATA_SOURCE_URI: "timescaledb:5432/observatory?sslmode=disable",
      DATA_SOURCE_USER: "observatory_monitor",
      DATA_SOURCE_PASS: password("db-monitor"),
    });
  });

  test("the database container's owner is the role the migrations connect as", () => {
    expect(envOf(containerOf(resources, "timescaledb"))).toEqual({
      POSTGRES_USER: "observatory", POSTGRES_DB: "observatory", POSTGRES_PASSWORD: password("db-owner"),
    });
  });

  test("every Prometheus scrape target names a declared alias and port, every replica included", () => {
    const config = parse(uploadOf(containerOf(resources, "prometheus"), prometheusPaths.config)) as {
      scrape_configs: { job_name: string; static_configs: { targets: string[] }[] }[];
      rule_files: string[];
    };
    const declared = declaredEndpoints(replicas);
    const targets = config.scrape_configs.flatMap((j) => j.static_configs.flatMap((s) => s.targets));
    for (const t of targets) expect(declared.has(t), t).toBe(true);
    expect(Object.fromEntries(config.scrape_configs.map((j) => [j.job_name, j.static_configs[0]!.targets]))).toEqual({
      collector: Array.from({ length: replicas }, (_, i) => `collector-${i + 1}:4318`),
      api: Array.from({ length: replicas }, (_, i) => `api-${i + 1}:8080`),
      prometheus: ["prometheus:9090"],
      "postgres-exporter": ["postgres-exporter:9187"],
      "redis-exporter": ["redis-exporter:9121"],
    });
    expect(config.rule_files).toEqual(["/etc/prometheus/rules/observatory.rules.yml"]);
    uploadOf(containerOf(resources, "prometheus"), config.rule_files[0]!);
  });

  test("every scraped alias is on a network Prometheus is on", () => {
    const prometheusNets = new Set(containerOf(resources, "prometheus").inputs.networksAdvanced.map((n) => n.name));
    for (const kind of ["api", "collector", "postgresExporter", "redisExporter"]) {
      for (const c of containersOf(resources, kind)) {
        expect(c.inputs.networksAdvanced.some((n) => prometheusNets.has(n.name)), c.name).toBe(true);
      }
    }
  });

  test("Grafana's datasources name declared aliases; PostgreSQL through the readonly role and its password", () => {
    const file = parse(uploadOf(containerOf(resources, "grafana"), grafanaPaths.datasources)) as {
      datasources: { type: string; url: string; user?: string; secureJsonData?: { password: string }; jsonData?: { database: string } }[];
    };
    const declared = declaredEndpoints(replicas);
    const [prom, pg] = file.datasources;
    expect(prom).toMatchObject({ type: "prometheus", url: "http://prometheus:9090" });
    expect(declared.has(new URL(prom!.url).host)).toBe(true);
    expect(pg).toMatchObject({ type: "grafana-postgresql-datasource", url: "timescaledb:5432", user: "observatory_readonly", jsonData: { database: "observatory" } });
    expect(declared.has(pg!.url)).toBe(true);
    expect(pg!.secureJsonData).toEqual({ password: password("db-readonly") });
  });

  test("what reads the schema is created only after the migrations ran, and takes no input from them", () => {
    const job = containerOf(resources, "migrations");
    const run = resources.find((r) => r.type === "command:local:Command")!;
    expect(job.opts?.dependsOn).toContain(containerOf(resources, "timescaledb").urn);
    expect(run.inputs).toMatchObject({ create: `docker start --attach llm-observatory-${stack}-migrations`, triggers: [`${job.name}-id`] });
    expect(run.opts?.dependsOn).toContain(job.urn);
    // The docker CLI that runs the job reaches the daemon the stack deploys to (prod names it; dev: DOCKER_HOST or the socket).
    expect(run.inputs["environment"]).toEqual(stack === "prod" ? { DOCKER_HOST: "ssh://deploy@observatory.example.com" } : undefined);
    for (const kind of ["api", "collector", "grafana", "postgresExporter", ...(stack === "prod" ? ["backup"] : [])]) {
      for (const c of containersOf(resources, kind)) {
        expect(c.opts?.dependsOn, c.name).toEqual(expect.arrayContaining([job.urn, run.urn]));
        // A dependsOn edge only: replacing the job (e.g. a new retentionDays) never replaces them.
        const inputsFromJob = Object.entries(c.opts?.propertyDependencies ?? {}).filter(([, urns]) => urns.includes(job.urn) || urns.includes(run.urn));
        expect(inputsFromJob, c.name).toEqual([]);
      }
    }
  });

  test("the API waits for Redis; the exporters for what they export (the postgres one for the migrations, which create its role)", () => {
    for (const c of containersOf(resources, "api")) expect(c.opts?.dependsOn).toContain(containerOf(resources, "redis").urn);
    expect(containerOf(resources, "postgresExporter").opts?.dependsOn).toContain(containerOf(resources, "migrations").urn);
    expect(containerOf(resources, "redisExporter").opts?.dependsOn).toContain(containerOf(resources, "redis").urn);
  });
});

test("prod's proxy routes each public port to every replica, gRPC over h2c, with HTTPS for its configured host from Caddy's local CA", async () => {
  const { resources, outputs } = await runStack("prod");
  const caddyfile = uploadOf(containerOf(resources, "proxy"), "/etc/caddy/Caddyfile");
  // /metrics (every project's models and spend) is not public: Prometheus scrapes the services directly.
  expect(caddyfile).toContain("https://observatory.example.com:8080 {\n\ttls internal\n\trespond /metrics* 404\n\treverse_proxy api-1:8080 api-2:8080 {");
  expect(caddyfile).toContain("https://observatory.example.com:4317 {\n\ttls internal\n\treverse_proxy h2c://collector-1:4317 h2c://collector-2:4317 {");
  expect(caddyfile).toContain("https://observatory.example.com:4318 {\n\ttls internal\n\trespond /metrics* 404\n\treverse_proxy collector-1:4318 collector-2:4318 {");
  expect(caddyfile).toContain("https://observatory.example.com:3000 {\n\ttls internal\n\treverse_proxy grafana:3000 {");
  expect(outputs.apiUrl).toBe("https://observatory.example.com:8080");
  expect(containerOf(resources, "proxy").opts?.dependsOn).toEqual(
    expect.arrayContaining([...containersOf(resources, "api"), ...containersOf(resources, "collector"), containerOf(resources, "grafana")].map((c) => c.urn)),
  );
});

test("a failed migrations job fails the update, with the job's output, before anything that reads the schema is created", async () => {
  const failure = (await runStack("dev", { migrationsExitCode: 3 }).catch((e: unknown) => e)) as Error & { registered: RecordedResource[] };
  expect(failure.message).toContain(`exit status 3: running "docker start --attach llm-observatory-dev-migrations":\n${failedMigrationLog}`);
  const created = new Set(failure.registered.map((r) => r.name));
  expect(created).toContain("migrations-container");
  for (const name of ["api-1", "collector-1", "grafana-container", "postgres-exporter-container"]) expect(created, name).not.toContain(name);
});
