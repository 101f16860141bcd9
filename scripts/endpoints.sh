# Sourced by the scripts in this folder: where the observatory answers.
# Each URL comes from the environment, else from `pulumi stack output` when PULUMI_STACK is set,
# else from the local defaults of `npm start`.
stack_output() { # output name -> value, or nothing
  [ -n "${PULUMI_STACK:-}" ] && command -v pulumi >/dev/null 2>&1 || return 0
  pulumi stack output --stack "$PULUMI_STACK" "$1" 2>/dev/null || true
}
API_URL=${OBSERVATORY_API_URL:-$(stack_output apiUrl)}
API_URL=${API_URL:-http://127.0.0.1:8080}
OTLP_HTTP_URL=${OBSERVATORY_OTLP_HTTP_URL:-$(stack_output otlpHttpEndpoint)}
OTLP_HTTP_URL=${OTLP_HTTP_URL:-http://127.0.0.1:4318}
PROMETHEUS_URL=${OBSERVATORY_PROMETHEUS_URL:-$(stack_output prometheusUrl)}
GRAFANA_URL=${OBSERVATORY_GRAFANA_URL:-$(stack_output grafanaUrl)}
API_KEY=${OBSERVATORY_API_KEY:-}
if [ -z "$API_KEY" ] && [ -f "${OBSERVATORY_DATA_DIR:-.data}/local-api-key" ]; then
  API_KEY=$(cat "${OBSERVATORY_DATA_DIR:-.data}/local-api-key")
fi
