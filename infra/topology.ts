/**
 * The one place that names the services of the stack, their network aliases and their ports.
 * Containers, Prometheus scrape targets, Grafana datasources, the reverse proxy and the stack
 * outputs all read from here, so a renamed alias or a moved port changes everywhere at once.
 */

/** A port a service listens on inside the stack network. */
export interface ServicePort {
  port: number;
  /** Whether users reach it (published in dev, routed through the reverse proxy in prod). */
  public?: boolean;
}

export interface ServiceEndpoint {
  /** Docker DNS alias on the stack networks; replicas get `<alias>-<n>` as well. */
  alias: string;
  ports: Record<string, ServicePort>;
  /** The port name and path Prometheus scrapes, when the service exposes metrics. */
  metrics?: { port: string; path: string };
}

export const topology = {
  timescaledb: { alias: "timescaledb", ports: { postgres: { port: 5432 } } },
  redis: { alias: "redis", ports: { redis: { port: 6379 } } },
  collector: {
    alias: "collector",
    ports: { otlpGrpc: { port: 4317, public: true }, otlpHttp: { port: 4318, public: true } },
    metrics: { port: "otlpHttp", path: "/metrics" },
  },
  api: {
    alias: "api",
    ports: { http: { port: 8080, public: true } },
    metrics: { port: "http", path: "/metrics" },
  },
  prometheus: {
    alias: "prometheus",
    ports: { http: { port: 9090 } },
    metrics: { port: "http", path: "/metrics" },
  },
  grafana: { alias: "grafana", ports: { http: { port: 3000, public: true } } },
  postgresExporter: {
    alias: "postgres-exporter",
    ports: { http: { port: 9187 } },
    metrics: { port: "http", path: "/metrics" },
  },
  redisExporter: {
    alias: "redis-exporter",
    ports: { http: { port: 9121 } },
    metrics: { port: "http", path: "/metrics" },
  },
  proxy: { alias: "proxy", ports: { admin: { port: 2019 } } },
} as const satisfies Record<string, ServiceEndpoint>;

export type ServiceName = keyof typeof topology;

/** Where our one image keeps each program (see Dockerfile); the container command selects one. */
export const appCommands = {
  collector: ["dist/services/collector/main.js"],
  api: ["dist/services/api/main.js"],
  migrations: ["dist/migrations/cli.js", "up"],
} as const;

/** The same programs run from source with tsx, for dev hot reload. */
export const sourceCommands = {
  collector: ["--import", "tsx", "--watch", "services/collector/main.ts"],
  api: ["--import", "tsx", "--watch", "services/api/main.ts"],
} as const;

/** Health endpoints our services serve (on the API port and on the collector's OTLP HTTP port). */
export const healthPath = "/health";

/** The alias of replica `index` (0-based) of a replicated service: `collector-1`, `collector-2`... */
export const replicaAlias = (service: "api" | "collector", index: number) => `${topology[service].alias}-${index + 1}`;

export const portOf = <S extends ServiceName>(service: S, name: keyof (typeof topology)[S]["ports"]): number =>
  (topology[service].ports as Record<string, ServicePort>)[name as string]!.port;
