/** What `npm start` prints once everything listens: endpoints and a ready-to-paste exporter setup. */
export function banner(p: { apiPort: number; grpcPort: number; httpPort: number; apiKey: string; embedded: boolean; cache: string }): string {
  const api = `http://127.0.0.1:${p.apiPort}`;
  return `
LLM Observatory is running (${p.embedded ? "embedded PostgreSQL" : "DATABASE_URL"}, ${p.cache}).

  Web UI       ${api}/#key=${p.apiKey}
  API          ${api}        (OpenAPI: ${api}/docs)
  OTLP gRPC    127.0.0.1:${p.grpcPort}
  OTLP HTTP    http://127.0.0.1:${p.httpPort}/v1/traces

Point any OpenTelemetry SDK at it:

  export OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:${p.httpPort}
  export OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf
  export OTEL_EXPORTER_OTLP_HEADERS=x-api-key=${p.apiKey}

Read traces back:

  curl -H 'x-api-key: ${p.apiKey}' ${api}/api/v1/traces

Ctrl-C drains what was received and stops.
`;
}
