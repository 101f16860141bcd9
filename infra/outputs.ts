import type * as pulumi from "@pulumi/pulumi";
import type { StackConfig } from "./config.js";

export interface ObservatoryOutputs {
  profile: string;
  apiUrl: string;
  otlpGrpcEndpoint: string;
  otlpHttpEndpoint: string;
  grafanaUrl: string;
  /** dev only: prod publishes no Prometheus port (check it with `docker exec`, see scripts/endpoints.sh). */
  prometheusUrl?: string;
  grafanaAdminUser: string;
  grafanaAdminPassword: pulumi.Output<string>;
  bootstrapAdminKey: pulumi.Output<string>;
  appDatabaseUrl: pulumi.Output<string>;
  readonlyDatabaseUrl: pulumi.Output<string>;
  redisUrl: pulumi.Output<string>;
}

/**
 * Where users reach each public service: through the proxy at its configured host in prod, on the
 * bind address in dev. Only addresses a user can reach: prod's Prometheus has none.
 */
export function publicUrls(config: StackConfig): Pick<ObservatoryOutputs, "apiUrl" | "otlpGrpcEndpoint" | "otlpHttpEndpoint" | "grafanaUrl" | "prometheusUrl"> {
  const proxied = config.proxy.enabled;
  const scheme = proxied && config.proxy.tls === "internal" ? "https" : "http";
  const address = (host: string) => (host.includes(":") && !host.startsWith("[") ? `[${host}]` : host);
  const host = address(proxied ? config.proxy.host! : config.bindAddress);
  const url = (port: number) => `${scheme}://${host}:${port}`;
  return {
    apiUrl: url(config.ports.api),
    otlpGrpcEndpoint: url(config.ports.otlpGrpc),
    otlpHttpEndpoint: url(config.ports.otlpHttp),
    grafanaUrl: url(config.ports.grafana),
    ...(config.profile === "dev" ? { prometheusUrl: `http://${host}:${config.ports.prometheus}` } : {}),
  };
}
