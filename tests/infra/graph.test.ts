import { beforeAll, describe, expect, test } from "vitest";
import { parseStackConfig, type StackConfig } from "../../infra/config.js";
import { appImage, pinnedImages } from "../../infra/images.js";
import { runStack, stackConfig, type RecordedResource, type StackName } from "../support/pulumi-stack.js";
import { containerOf, containers, containersOf, envOf } from "./stack-queries.js";

const ref = (key: keyof typeof pinnedImages) => pinnedImages[key].ref;

describe.each(["dev", "prod"] as const)("the %s stack's resource graph", (stack: StackName) => {
  let resources: RecordedResource[];
  let config: StackConfig;
  beforeAll(async () => {
    resources = (await runStack(stack)).resources;
    config = parseStackConfig(stackConfig(stack));
  });

  test("every third-party container runs its exactly pinned image, pulled by a RemoteImage", () => {
    const expected: Record<string, string> = {
      timescaledb: ref("timescaledb"), redis: ref("redis"), prometheus: ref("prometheus"), grafana: ref("grafana"),
      postgresExporter: ref("postgresExporter"), redisExporter: ref("redisExporter"),
      ...(stack === "prod" ? { proxy: ref("proxy"), backup: ref("timescaledb") } : {}),
    };
    for (const [kind, image] of Object.entries(expected)) expect(containerOf(resources, kind).inputs.image).toBe(image);
    const pulled = resources.filter((r) => r.type === "docker:index/remoteImage:RemoteImage").map((r) => r.inputs["name"]).sort();
    expect(pulled).toEqual([...new Set(Object.values(expected))].sort());
  });

  test("our image is built from the Dockerfile, not on preview, never pushed, with only the base as build arg", () => {
    const [image, ...more] = resources.filter((r) => r.type === "docker:index/image:Image");
    expect(more).toEqual([]);
    expect(image!.inputs).toEqual({
      imageName: "llm-observatory/app:0.1.0",
      skipPush: true,
      buildOnPreview: false,
      // No platform unless configured: the provider then builds for the machine running pulumi.
      build: { context: ".", dockerfile: "Dockerfile", args: { NODE_IMAGE: config.images.nodeBase ?? appImage.nodeBase } },
    });
  });

  test("our containers run the built image by its ID (repoDigest), so a rebuild replaces them", () => {
    const image = resources.find((r) => r.type === "docker:index/image:Image")!;
    const ours = ["api", "collector", "migrations"].flatMap((kind) => containersOf(resources, kind));
    expect(ours).toHaveLength(stack === "dev" ? 3 : 5);
    for (const c of ours) {
      expect(c.inputs.image, c.name).toMatch(/^sha256:[a-f0-9]{64}$/);
      expect(c.opts?.propertyDependencies?.["image"], c.name).toEqual([image.urn]);
    }
    expect(new Set(ours.map((c) => c.inputs.image)).size).toBe(1);
  });

  test("every container has its configured limits, json-file rotation and no privileges", () => {
    expect(containers(resources).length).toBe(stack === "dev" ? 9 : 13);
    for (const c of containers(resources)) {
      const kind = c.inputs.labels.find((l) => l.label === "org.llm-observatory.service")!.value as keyof StackConfig["limits"];
      expect(c.inputs.memory, c.name).toBe(config.limits[kind].memoryMb);
      expect(c.inputs.cpus, c.name).toBe(config.limits[kind].cpus);
      expect(c.inputs.logDriver).toBe("json-file");
      expect(c.inputs.logOpts).toEqual(stack === "dev" ? { "max-size": "10m", "max-file": "3" } : { "max-size": "50m", "max-file": "5" });
      expect(c.inputs.privileged).toBe(false);
      expect(c.inputs).toMatchObject({ securityOpts: ["no-new-privileges:true"] });
    }
  });

  test("long-running containers start, restart, wait until healthy and have a health check; the job is only created", () => {
    for (const c of containers(resources)) {
      const job = c.name === "migrations-container";
      expect(c.inputs.restart, c.name).toBe(job ? "no" : stack === "dev" ? "unless-stopped" : "always");
      expect(c.inputs).toMatchObject({ start: !job, wait: !job, mustRun: !job });
      expect(c.inputs.healthcheck === undefined, c.name).toBe(job);
    }
  });

  test("every container is stopped with time to shut down cleanly before SIGKILL", () => {
    const grace = Object.fromEntries(containers(resources).map((c) => [c.name.replace(/-\d+$/, ""), c.inputs.destroyGraceSeconds]));
    expect(grace).toMatchObject({
      "timescaledb-container": 60, "redis-container": 30, "prometheus-container": 30, "migrations-container": 30,
      // The collector drains for COLLECTOR_SHUTDOWN_TIMEOUT_SECONDS (30) first.
      collector: 40, api: 15, "grafana-container": 15,
    });
    for (const c of containers(resources)) {
      expect(c.inputs.destroyGraceSeconds, c.name).toBeGreaterThanOrEqual(10);
      expect(c.inputs.stopTimeout, c.name).toBe(c.inputs.destroyGraceSeconds);
    }
    for (const c of containersOf(resources, "collector")) expect(envOf(c)["COLLECTOR_SHUTDOWN_TIMEOUT_SECONDS"]).toBe("30");
  });

  test("read-only root filesystems where the image allows and nothing is uploaded", () => {
    const readOnly = containers(resources).filter((c) => c.inputs.readOnly).map((c) => c.name).sort();
    expect(readOnly).toEqual(
      [
        ...containersOf(resources, "api").map((c) => c.name),
        ...containersOf(resources, "collector").map((c) => c.name),
        "migrations-container", "redis-exporter-container",
        ...(stack === "prod" ? ["backup-container"] : []),
      ].sort(),
    );
    for (const c of containers(resources)) if (c.inputs.uploads?.length) expect(c.inputs.readOnly, c.name).toBe(false);
  });

  test("TimescaleDB preloads timescaledb and pg_stat_statements with the profile's settings, on a named volume", () => {
    const db = containerOf(resources, "timescaledb");
    const d = config.database;
    // sh -c <the password re-apply wrapper> sh <postgres and its settings> (tests/infra/owner-password.test.ts).
    expect(db.inputs.command!.slice(0, 2)).toEqual(["sh", "-c"]);
    expect(db.inputs.command!.slice(3)).toEqual([
      "sh",
      "postgres", "-c", "shared_preload_libraries=timescaledb,pg_stat_statements", "-c", `max_connections=${d.maxConnections}`,
      "-c", `shared_buffers=${d.sharedBuffers}`, "-c", `effective_cache_size=${d.effectiveCacheSize}`, "-c", `work_mem=${d.workMem}`,
      "-c", `maintenance_work_mem=${d.maintenanceWorkMem}`, "-c", "timescaledb.telemetry_level=off",
    ]);
    expect(db.inputs.volumes).toEqual([{ volumeName: `llm-observatory-${stack}-timescaledb`, containerPath: "/var/lib/postgresql/data" }]);
  });

  test("data lives in named volumes only (no host bind mounts without hot reload)", () => {
    const volumes = resources.filter((r) => r.type === "docker:index/volume:Volume").map((r) => r.inputs["name"]).sort();
    expect(volumes).toEqual(
      ["grafana", "prometheus", "redis", "timescaledb", ...(stack === "prod" ? ["backups", "proxy"] : [])].map((v) => `llm-observatory-${stack}-${v}`).sort(),
    );
    for (const c of containers(resources)) for (const v of c.inputs.volumes ?? []) expect(v.hostPath, c.name).toBeUndefined();
  });

  test("networks: prod keeps the backend internal; the database and Redis are only on it", () => {
    const nets = resources.filter((r) => r.type === "docker:index/network:Network").map((r) => [r.inputs["name"], r.inputs["internal"]]);
    expect(nets).toEqual([[`llm-observatory-${stack}-backend`, stack === "prod"], [`llm-observatory-${stack}-frontend`, false]]);
    for (const kind of ["timescaledb", "redis", "migrations", "postgresExporter", "redisExporter"]) {
      expect(containerOf(resources, kind).inputs.networksAdvanced.map((n) => n.name)).toEqual([`llm-observatory-${stack}-backend`]);
    }
  });

  test("published ports and their bind addresses per profile", () => {
    const published = containers(resources)
      .flatMap((c) => (c.inputs.ports ?? []).map((p) => `${c.inputs.name} ${p.ip}:${p.external}->${p.internal}/${p.protocol}`))
      .sort();
    const dev = [
      "llm-observatory-dev-api-1 127.0.0.1:8080->8080/tcp",
      "llm-observatory-dev-collector-1 127.0.0.1:4317->4317/tcp",
      "llm-observatory-dev-collector-1 127.0.0.1:4318->4318/tcp",
      "llm-observatory-dev-grafana 127.0.0.1:3000->3000/tcp",
      "llm-observatory-dev-prometheus 127.0.0.1:9090->9090/tcp",
      "llm-observatory-dev-redis 127.0.0.1:6379->6379/tcp",
      "llm-observatory-dev-timescaledb 127.0.0.1:5432->5432/tcp",
    ];
    const prod = [
      "llm-observatory-prod-proxy 0.0.0.0:3000->3000/tcp",
      "llm-observatory-prod-proxy 0.0.0.0:4317->4317/tcp",
      "llm-observatory-prod-proxy 0.0.0.0:4318->4318/tcp",
      "llm-observatory-prod-proxy 0.0.0.0:8080->8080/tcp",
    ];
    expect(published).toEqual(stack === "dev" ? dev : prod);
  });

  test("replicas per profile, each with its own alias besides the shared one", () => {
    const aliases = (kind: string) => containersOf(resources, kind).map((c) => c.inputs.networksAdvanced[0]!.aliases);
    const n = stack === "dev" ? 1 : 2;
    expect(aliases("api")).toEqual(Array.from({ length: n }, (_, i) => ["api", `api-${i + 1}`]));
    expect(aliases("collector")).toEqual(Array.from({ length: n }, (_, i) => ["collector", `collector-${i + 1}`]));
  });

  test("every component is a ComponentResource child of the stack, and every resource has a parent", () => {
    const components = resources.filter((r) => r.type.startsWith("llm-observatory:stack:")).map((r) => r.type.split(":")[2]).sort();
    expect(components).toEqual(
      ["Api", "AppImage", "Collector", "Grafana", "MigrationsJob", "Networks", "PostgresExporter", "Prometheus", "Redis",
        "RedisExporter", "Secrets", "ThirdPartyImages", "TimescaleDb", ...(stack === "prod" ? ["BackupJob", "ReverseProxy"] : [])].sort(),
    );
    for (const r of resources.filter((r) => r.type !== "pulumi:pulumi:Stack")) expect(r.opts?.parent, r.name).toBeDefined();
  });
});

test("dev hot reload mounts the checkout read-only and runs the services from source", async () => {
  const { resources } = await runStack("dev", { config: { hotReload: { hostPath: "/home/me/llm-observatory" } } });
  for (const [kind, entry] of [["api", "services/api/main.ts"], ["collector", "services/collector/main.ts"]] as const) {
    const c = containerOf(resources, kind);
    expect(c.inputs.command).toEqual(["--import", "tsx", "--watch", entry]);
    expect(c.inputs.volumes).toEqual([{ hostPath: "/home/me/llm-observatory", containerPath: "/workspace", readOnly: true }]);
    expect(c.inputs).toMatchObject({ workingDir: "/workspace" });
  }
});
