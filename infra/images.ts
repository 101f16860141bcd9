/**
 * Third-party images the stack runs, pinned to exact published tags, and the binaries each image
 * provides for health checks. A stack may override a reference in config (`images.<key>`), for
 * example to add a digest (`redis:7.2.4-alpine@sha256:...`); the binaries table still applies.
 *
 * Sources (a published tag was seen in use before it was pinned here; never invented):
 * - timescale/timescaledb:2.14.2-pg16: named in DESIGN.md; Alpine-based postgres image (pg_isready,
 *   pg_dump, busybox sh/find).
 * - redis:7.2.4-alpine: official image, Alpine variant (redis-cli, busybox sh/sed/grep).
 * - prom/prometheus:v2.51.2: Renovate bump "docker.io/prom/prometheus v2.51.2 -> v2.52.0"
 *   (gitlab.com/kevindurb/infra/-/merge_requests/28); built FROM quay.io/prometheus/busybox (wget).
 * - grafana/grafana:10.4.2: Alpine-based default variant (busybox wget); the -ubuntu variant is separate.
 * - prometheuscommunity/postgres-exporter:v0.15.0: FROM quay.io/prometheus/busybox (wget); last line
 *   that accepts DATA_SOURCE_URI/USER/PASS without an auth_modules file.
 * - oliver006/redis_exporter:v1.58.0-alpine: the plain tag is FROM scratch (no shell, no wget), so
 *   the -alpine variant is pinned for its busybox wget.
 * - caddy:2.7.6-alpine: official image, Alpine variant (busybox wget, caddy).
 * - node:20.12.2-bookworm-slim: our image's default base (node); overridable with --build-arg NODE_IMAGE.
 */

export interface PinnedImage {
  ref: string;
  /** Executables present in the image (health checks may only call these). */
  binaries: readonly string[];
  /** Whether the container can run with a read-only root filesystem. */
  readOnlyRoot: boolean;
}

const busybox = ["sh", "wget", "grep", "sed", "find"] as const;

export const pinnedImages = {
  timescaledb: { ref: "timescale/timescaledb:2.14.2-pg16", binaries: [...busybox, "pg_isready", "pg_dump", "psql"], readOnlyRoot: false },
  redis: { ref: "redis:7.2.4-alpine", binaries: [...busybox, "redis-cli", "redis-server"], readOnlyRoot: false },
  prometheus: { ref: "prom/prometheus:v2.51.2", binaries: [...busybox, "prometheus", "promtool"], readOnlyRoot: false },
  grafana: { ref: "grafana/grafana:10.4.2", binaries: [...busybox, "grafana"], readOnlyRoot: false },
  postgresExporter: { ref: "prometheuscommunity/postgres-exporter:v0.15.0", binaries: [...busybox, "postgres_exporter"], readOnlyRoot: true },
  redisExporter: { ref: "oliver006/redis_exporter:v1.58.0-alpine", binaries: [...busybox, "redis_exporter"], readOnlyRoot: true },
  proxy: { ref: "caddy:2.7.6-alpine", binaries: [...busybox, "caddy"], readOnlyRoot: false },
} as const satisfies Record<string, PinnedImage>;

export type ThirdPartyImage = keyof typeof pinnedImages;

/** The Node base of our own image (Dockerfile ARG NODE_IMAGE) and what our image provides. */
export const appImage = {
  nodeBase: "node:20.12.2-bookworm-slim",
  binaries: ["node"],
  readOnlyRoot: true,
} as const;

/** An exact tag (not `latest`, not a bare major like `16` or `7-alpine`) and optionally a digest. */
export const pinnedRefPattern = /^[a-z0-9]+(?:[._/-][a-z0-9]+)*:v?\d+\.\d+\.\d+[\w.-]*(?:@sha256:[a-f0-9]{64})?$/;
