import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { appImage, pinnedImages, pinnedRefPattern } from "./images.js";
import { cpusReadBack } from "./provider-semantics.js";

/** Namespace of this project's keys in Pulumi.<stack>.yaml. */
export const configNamespace = "llm-observatory";

const imageRef = z.string().regex(pinnedRefPattern, "must be an exact version tag (optionally @sha256:<digest>), not latest or a floating tag");
const memoryMb = z.number().int().min(16).max(65536);
// Sent in the form the Docker provider reads back ("0.50" → "0.5", "1" → "1.0"): `cpus` replaces the
// container when it differs, so any other form would replace it after every refresh.
const cpus = z.string().transform((value, ctx) => {
  const readBack = cpusReadBack(value);
  if (readBack === undefined) {
    ctx.addIssue({ code: "custom", message: 'must be a number of CPUs as a string, e.g. "0.5", that the Docker provider reads back unchanged' });
    return z.NEVER;
  }
  return readBack;
});
const limit = z.strictObject({ memoryMb, cpus });
const hostPort = z.number().int().min(1).max(65535);
const pgSize = z.string().regex(/^\d+(kB|MB|GB)$/, "must be a PostgreSQL size such as 256MB");

/** Every container the stack runs; each must have limits (the policy pack checks them too). */
export const containerKinds = [
  "timescaledb", "redis", "migrations", "api", "collector", "prometheus", "grafana",
  "postgresExporter", "redisExporter", "proxy", "backup",
] as const;
export type ContainerKind = (typeof containerKinds)[number];

const limits = z.strictObject(
  Object.fromEntries(containerKinds.map((k) => [k, limit])) as Record<ContainerKind, typeof limit>,
);

const imageOverrides = z.strictObject({
  ...(Object.fromEntries(Object.keys(pinnedImages).map((k) => [k, imageRef.optional()])) as Record<
    keyof typeof pinnedImages,
    z.ZodOptional<typeof imageRef>
  >),
  nodeBase: imageRef.optional(),
});

export const stackConfigSchema = z.strictObject({
  /** dev: everything on 127.0.0.1, debug logs, auth off for the collector. prod: proxy, backups, internal backend network. */
  profile: z.enum(["dev", "prod"]),
  logLevel: z.enum(["fatal", "error", "warn", "info", "debug", "trace"]),
  /** Host address published ports bind to: 127.0.0.1 in dev; the public interface in prod. */
  bindAddress: z.union([z.ipv4(), z.ipv6()]),
  /** Host ports (dev publishes all of them; prod publishes api, otlp and grafana through the proxy). */
  ports: z.strictObject({
    api: hostPort, otlpGrpc: hostPort, otlpHttp: hostPort, grafana: hostPort,
    prometheus: hostPort, postgres: hostPort, redis: hostPort,
  }),
  images: imageOverrides.default({}),
  /** Platform our image is built for (`docker build --platform`), e.g. linux/arm64; unset: the machine running pulumi. */
  platform: z.string().regex(/^linux\/(amd64|arm64|arm\/v7|arm\/v6|386|ppc64le|s390x|riscv64)$/, "must be a Linux platform such as linux/amd64 or linux/arm64").optional(),
  replicas: z.strictObject({ api: z.number().int().min(1).max(8), collector: z.number().int().min(1).max(8) }),
  limits,
  logs: z.strictObject({ maxSize: z.string().regex(/^\d+[kmg]$/, "must look like 10m"), maxFiles: z.number().int().min(1).max(20) }),
  restart: z.enum(["unless-stopped", "always", "on-failure"]),
  database: z.strictObject({
    name: z.string().regex(/^[a-z_][a-z0-9_]*$/),
    owner: z.string().regex(/^[a-z_][a-z0-9_]*$/),
    sharedBuffers: pgSize,
    effectiveCacheSize: pgSize,
    workMem: pgSize,
    maintenanceWorkMem: pgSize,
    maxConnections: z.number().int().min(10).max(1000),
    /** Raw spans' window (TimescaleDB's retention policy). */
    retentionDays: z.number().int().min(1),
    /** The rollups' window (what dashboards read): longer than raw spans'. */
    rollupRetentionDays: z.number().int().min(1),
  }),
  redis: z.strictObject({
    maxmemoryMb: z.number().int().min(8),
    maxmemoryPolicy: z.enum(["allkeys-lru", "allkeys-lfu", "volatile-lru", "volatile-lfu", "noeviction"]),
    persistence: z.boolean(),
  }),
  prometheus: z.strictObject({ scrapeInterval: z.string().regex(/^\d+[smh]$/), retention: z.string().regex(/^\d+[hdw]$/) }),
  /** Alert thresholds (infra/monitoring/alert-rules.ts) and where the alerts' runbook links point. */
  monitoring: z.strictObject({
    /** NoSpansReceived fires when no span was committed for this long (a Prometheus duration). */
    noSpansWindow: z.string().regex(/^\d+[mh]$/, "must be a duration in minutes or hours, e.g. 30m"),
    /** CostBurnAboveBudget fires when the cost of the last hour's spans exceeds this (USD). */
    hourlyCostBudgetUsd: z.number().positive(),
    /** docs/runbooks.md as your users reach it; each alert links to its section. */
    runbookUrl: z.url(),
  }),
  collectorAuthDisabled: z.boolean(),
  backup: z.strictObject({ enabled: z.boolean(), intervalHours: z.number().int().min(1).max(168), keepDays: z.number().int().min(1) }),
  /**
   * Reverse proxy in front of the replicas (prod); `internal` serves HTTPS from Caddy's local CA (clients
   * trust its root from the proxy volume). `host` is the name or address clients use: Caddy serves a site
   * only to requests for it and issues its certificate for it.
   */
  proxy: z.strictObject({
    enabled: z.boolean(),
    host: z.string().regex(/^[A-Za-z0-9.:[\]-]+$/, "must be a host name or IP address").optional(),
    tls: z.enum(["off", "internal"]),
  }),
  /** Dev only: mount this checkout (absolute path) into api/collector and run from source with tsx --watch. */
  hotReload: z.strictObject({ hostPath: z.string().startsWith("/", "must be an absolute path") }).optional(),
}).superRefine((c, ctx) => {
  if (c.profile === "prod" && c.hotReload) ctx.addIssue({ code: "custom", path: ["hotReload"], message: "is for dev stacks only" });
  if ((c.replicas.api > 1 || c.replicas.collector > 1) && !c.proxy.enabled)
    ctx.addIssue({ code: "custom", path: ["proxy", "enabled"], message: "must be true when api or collector run more than one replica" });
  // Dashboards read rollups where raw spans are gone; shorter would lose history the spans still hold.
  if (c.database.rollupRetentionDays < c.database.retentionDays)
    ctx.addIssue({ code: "custom", path: ["database", "rollupRetentionDays"], message: "must be at least database.retentionDays" });
  if (c.proxy.enabled && !c.proxy.host)
    ctx.addIssue({
      code: "custom",
      path: ["proxy", "host"],
      message: "must be set to the name or address clients reach this host by (pulumi config set --path proxy.host observatory.example.com)",
    });
});

/** The validated stack config, plus the Docker daemon it deploys to (the provider's own `docker:host`). */
export type StackConfig = z.output<typeof stackConfigSchema> & { dockerHost?: string };

/** The Docker provider's config key for the daemon to deploy to (unset: DOCKER_HOST, else the local socket). */
export const dockerHostKey = "docker:host";

export class StackConfigError extends Error {
  override name = "StackConfigError";
}

/** Structured values arrive as JSON strings, scalars as plain strings ("dev", "true", "3"). */
function decode(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

/** Validates this project's keys of a raw config map; errors name each bad key as `llm-observatory:a.b`. */
export function parseStackConfig(raw: Record<string, string>): StackConfig {
  const prefix = `${configNamespace}:`;
  const values = Object.fromEntries(
    Object.entries(raw)
      .filter(([k]) => k.startsWith(prefix))
      .map(([k, v]) => [k.slice(prefix.length), decode(v)]),
  );
  const result = stackConfigSchema.safeParse(values);
  const dockerHost = raw[dockerHostKey];
  const problems = result.success
    ? []
    : result.error.issues.map((issue) => {
        const keys = issue.code === "unrecognized_keys" ? issue.keys.map((k) => [...issue.path, k].join(".")) : [issue.path.join(".")];
        const label = issue.code === "unrecognized_keys" ? "is not a known key" : issue.message;
        return keys.map((k) => `${prefix}${k}: ${label}`).join("; ");
      });
  // prod deploys to the daemon its config names, never to whatever DOCKER_HOST the operator has set.
  if (values["profile"] === "prod" && !dockerHost) {
    problems.push(`${dockerHostKey}: must be set for a prod stack to the Docker daemon it deploys to (pulumi config set docker:host ssh://deploy@observatory.example.com)`);
  }
  if (!result.success || problems.length > 0) throw new StackConfigError(`invalid stack config: ${problems.join("; ")}`);
  return { ...result.data, ...(dockerHost ? { dockerHost } : {}) };
}

/** The running stack's validated config. */
export function loadStackConfig(): StackConfig {
  return parseStackConfig(pulumi.runtime.allConfig());
}

/** The image reference for a third-party service: the stack's override, else the pinned default. */
export function imageFor(config: StackConfig, key: keyof typeof pinnedImages): string {
  return config.images[key] ?? pinnedImages[key].ref;
}

export function nodeBaseImage(config: StackConfig): string {
  return config.images.nodeBase ?? appImage.nodeBase;
}
