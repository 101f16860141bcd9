/**
 * Third-party images the stack runs, pinned to exact published tags, and the binaries each image
 * provides for health checks. A stack may override a reference in config (`images.<key>`), for
 * example to add a digest (`redis:8.2.9-alpine@sha256:...`); the binaries table still applies.
 * Each image's release line, its end of life and the floor the policy pack enforces live in
 * policies/release-lines.json; `npm run versions` prints them with the days left (docs/versions.md).
 *
 * Why each pin (every tag was seen published before it was pinned here; none is invented; checked 2026-12-02):
 * - timescale/timescaledb:2.28.3-pg16: the TimescaleDB release the tests run (../shared/timescaledb),
 *   on PostgreSQL 16, the major the stack ran before (2.14.2-pg16), so an existing deployment
 *   upgrades in place: same data directory, then the migrations job runs ALTER EXTENSION timescaledb
 *   UPDATE (migrations/timescaledb-update.ts). PostgreSQL 16 is supported until 2028-11-09
 *   (postgresql.org versioning policy); moving to 17 or 18 is a dump and restore (docs/versions.md).
 *   The tag is in use in public compose files (e.g. "image: timescale/timescaledb:2.28.3-pg16");
 *   2.28.3-pg17 and -pg18 are published too. 2.29.x is not taken: it drops PostgreSQL 15, on which
 *   this machine tests the extension. FROM postgres:16-alpine (pg_isready, pg_dump, psql, busybox),
 *   with the previous releases' libraries kept so old versions can be updated
 *   (timescale/timescaledb-docker Dockerfile, "Grab old versions from previous version").
 * - redis:8.2.9-alpine: Redis 8.2 is the Redis 8 line with a published end of life, 2030-09-01 (redis.io
 *   version-management table, imported by endoflife.date commit 87a73a4); 8.4 to 8.10 have no date and
 *   are supported only until the next minors. Tag listed in docker-library/official-images library/redis
 *   (commit 37079fb, 2026-08-21). Redis 8 is licensed RSALv2/SSPLv1/AGPLv3 at the user's choice (7.2
 *   was the last BSD line); its modules are not loaded by our redis.conf. Alpine variant: busybox.
 * - prom/prometheus:v3.13.4: 3.13 is the Prometheus LTS line, supported until 2027-07-31 (prometheus.io
 *   release cycle; endoflife.date products/prometheus.md); the other 3.x minors end six weeks after
 *   their release. v3.13.4 is pinned in public compose files ("prom/prometheus:v3.13.4, the 3.13 LTS
 *   line"). FROM quay.io/prometheus/busybox (wget), as the Dockerfile at v3.13.2 shows.
 * - grafana/grafana:12.4.11: 12.4 is the last minor of Grafana 12 and has extended support until
 *   2027-05-24 (Grafana's "when to upgrade" policy: 15 months for a major's last minor; endoflife.date),
 *   later than 13.2's 2027-05-18. Grafana 13 makes the v2 dashboard schema the default; moving to it
 *   is the next step (docs/versions.md). Tag: "captured from the official images grafana/grafana:12.4.11
 *   (commit 96836a94)" (2026-09-28). Alpine-based default variant (busybox wget, curl).
 * - prometheuscommunity/postgres-exporter:v0.20.1 (2026-07-07): the newest release; only the newest is
 *   supported. Source read at the tag: every metric the rules name exists (0.20 moved stat_activity and
 *   settings into standalone collectors, names unchanged); DATA_SOURCE_URI/USER/PASS and
 *   --extend.query-path (deprecated, still present) are read. FROM quay.io/prometheus/busybox (wget).
 * - oliver006/redis_exporter:v1.88.0-alpine (2026-07-23): the newest release whose source could be read
 *   (fetched snapshot of 2026-08-05) to check the metric names; v1.93.0-alpine is published, so it is
 *   the next move once its source is checked. The plain tag is FROM scratch (no wget), hence -alpine.
 * - caddy:2.11.7-alpine: Caddy supports only its newest release; 2.11.7-alpine is pinned in public code
 *   ("CADDY_IMAGE = caddy:2.11.7-alpine"); official-images listed 2.11.4 on 2026-08-21. Busybox wget.
 * - node:24.21.0-trixie-slim: Node.js 24 is maintenance LTS until 2028-04-30 (Node.js release schedule);
 *   26 became active LTS on 2026-10-28, but 24 is the supported line closest to the Node 20 the tests run
 *   on, so what runs in the image is what was tested. Debian 13 (trixie): bookworm left regular security
 *   support on 2026-07-11. Tag: "Node.js 24.21.0 LTS Krypton, node:24.21.0-trixie-slim@sha256:8ec5d755...".
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
  timescaledb: { ref: "timescale/timescaledb:2.28.3-pg16", binaries: [...busybox, "pg_isready", "pg_dump", "psql"], readOnlyRoot: false },
  redis: { ref: "redis:8.2.9-alpine", binaries: [...busybox, "redis-cli", "redis-server"], readOnlyRoot: false },
  prometheus: { ref: "prom/prometheus:v3.13.4", binaries: [...busybox, "prometheus", "promtool"], readOnlyRoot: false },
  grafana: { ref: "grafana/grafana:12.4.11", binaries: [...busybox, "grafana"], readOnlyRoot: false },
  postgresExporter: { ref: "prometheuscommunity/postgres-exporter:v0.20.1", binaries: [...busybox, "postgres_exporter"], readOnlyRoot: true },
  redisExporter: { ref: "oliver006/redis_exporter:v1.88.0-alpine", binaries: [...busybox, "redis_exporter"], readOnlyRoot: true },
  proxy: { ref: "caddy:2.11.7-alpine", binaries: [...busybox, "caddy"], readOnlyRoot: false },
} as const satisfies Record<string, PinnedImage>;

export type ThirdPartyImage = keyof typeof pinnedImages;

/** The Node base of our own image (Dockerfile ARG NODE_IMAGE) and what our image provides. */
export const appImage = {
  nodeBase: "node:24.21.0-trixie-slim",
  binaries: ["node"],
  readOnlyRoot: true,
} as const;

/** An exact tag (not `latest`, not a bare major like `16` or `7-alpine`) and optionally a digest. */
export const pinnedRefPattern = /^[a-z0-9]+(?:[._/-][a-z0-9]+)*:v?\d+\.\d+\.\d+[\w.-]*(?:@sha256:[a-f0-9]{64})?$/;
