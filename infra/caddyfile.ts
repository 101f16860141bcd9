import type { StackConfig } from "./config.js";
import { replicaAlias, topology } from "./topology.js";

/** A public listener of the proxy and the upstreams behind it. */
export interface ProxyRoute {
  name: "api" | "otlpGrpc" | "otlpHttp" | "grafana";
  /** Port the proxy listens on inside its container (the same number the service uses). */
  listen: number;
  upstreams: string[];
  /** gRPC upstreams speak HTTP/2 without TLS. */
  h2c: boolean;
}

export function proxyRoutes(config: StackConfig): ProxyRoute[] {
  const replicas = (service: "api" | "collector", port: number) =>
    Array.from({ length: config.replicas[service] }, (_, i) => `${replicaAlias(service, i)}:${port}`);
  const { otlpGrpc, otlpHttp } = topology.collector.ports;
  const grafana = topology.grafana.ports.http.port;
  return [
    { name: "api", listen: topology.api.ports.http.port, upstreams: replicas("api", topology.api.ports.http.port), h2c: false },
    { name: "otlpGrpc", listen: otlpGrpc.port, upstreams: replicas("collector", otlpGrpc.port), h2c: true },
    { name: "otlpHttp", listen: otlpHttp.port, upstreams: replicas("collector", otlpHttp.port), h2c: false },
    { name: "grafana", listen: grafana, upstreams: [`${topology.grafana.alias}:${grafana}`], h2c: false },
  ];
}

/** The Caddyfile: one site per route, load-balanced with active health checks on our services. */
export function caddyfile(config: StackConfig): string {
  const tls = config.proxy.tls === "internal";
  const site = (port: number) => `${tls ? "https" : "http"}://${config.proxy.host}:${port}`;
  const blocks = proxyRoutes(config).map((route) => {
    const upstreams = route.upstreams.map((u) => (route.h2c ? `h2c://${u}` : u)).join(" ");
    const ours = route.name === "api" || route.name === "otlpHttp";
    const health = ours ? `\n\t\thealth_uri /health\n\t\thealth_interval 10s` : "";
    // /metrics shows every project's models and spend: Prometheus scrapes the services on the
    // stack's network, never through here. (Caddy runs respond before reverse_proxy:
    // https://caddyserver.com/docs/caddyfile/directives#directive-order)
    const noMetrics = ours ? "\n\trespond /metrics* 404" : "";
    return `${site(route.listen)} {${tls ? "\n\ttls internal" : ""}${noMetrics}
\treverse_proxy ${upstreams} {
\t\tlb_policy round_robin${health}
\t}
}`;
  });
  return `{
\tadmin 127.0.0.1:${topology.proxy.ports.admin.port}
\tservers {
\t\tprotocols h1 h2 h2c
\t}
}

${blocks.join("\n\n")}
`;
}
