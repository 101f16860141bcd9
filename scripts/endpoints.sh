# Sourced by the scripts in this folder: where the observatory answers and how to reach it.
# Each value comes from the environment, else from the stack when PULUMI_STACK is set (`pulumi stack
# output`, `pulumi config`, and the stack's containers through the Docker CLI), else from the local
# defaults of `npm start`.
#   OBSERVATORY_API_URL, OBSERVATORY_OTLP_HTTP_URL, OBSERVATORY_PROMETHEUS_URL, OBSERVATORY_GRAFANA_URL
#   OBSERVATORY_API_KEY   a key with ingest and read scopes, or an admin key (the scripts then make one)
#   OBSERVATORY_CA_CERT   the proxy's root certificate, for HTTPS from Caddy's local CA
stack_output() { # output name [--show-secrets] -> value, or nothing
  [ -n "${PULUMI_STACK:-}" ] && command -v pulumi >/dev/null 2>&1 || return 0
  pulumi stack output --stack "$PULUMI_STACK" "$@" 2>/dev/null || true
}
# A stack's containers are named llm-observatory-<stack>-<service> on the Docker host its config names.
stack_container() { echo "llm-observatory-$PULUMI_STACK-$1"; }
if [ -n "${PULUMI_STACK:-}" ] && [ -z "${DOCKER_HOST:-}" ] && command -v pulumi >/dev/null 2>&1; then
  DOCKER_HOST=$(pulumi config get docker:host --stack "$PULUMI_STACK" 2>/dev/null || true)
  [ -n "$DOCKER_HOST" ] && export DOCKER_HOST || unset DOCKER_HOST
fi

API_URL=${OBSERVATORY_API_URL:-$(stack_output apiUrl)}
API_URL=${API_URL:-http://127.0.0.1:8080}
OTLP_HTTP_URL=${OBSERVATORY_OTLP_HTTP_URL:-$(stack_output otlpHttpEndpoint)}
OTLP_HTTP_URL=${OTLP_HTTP_URL:-http://127.0.0.1:4318}
# prod publishes no Prometheus port: without a URL, health-check.sh asks the container itself.
PROMETHEUS_URL=${OBSERVATORY_PROMETHEUS_URL:-$(stack_output prometheusUrl)}
GRAFANA_URL=${OBSERVATORY_GRAFANA_URL:-$(stack_output grafanaUrl)}
API_KEY=${OBSERVATORY_API_KEY:-$(stack_output bootstrapAdminKey --show-secrets)}
if [ -z "$API_KEY" ] && [ -f "${OBSERVATORY_DATA_DIR:-.data}/local-api-key" ]; then
  API_KEY=$(cat "${OBSERVATORY_DATA_DIR:-.data}/local-api-key")
fi

# Temporary files go at exit; a script that sets its own EXIT trap calls cleanup in it.
ca_tmp=""
cleanup() { [ -z "$ca_tmp" ] || rm -f "$ca_tmp"; }
trap cleanup EXIT

# HTTPS from Caddy's local CA: trust its root, taken from the proxy's volume when not given.
CA_CERT=${OBSERVATORY_CA_CERT:-}
case "$API_URL" in
  https://*)
    if [ -z "$CA_CERT" ] && [ -n "${PULUMI_STACK:-}" ]; then
      CA_CERT=$(mktemp)
      ca_tmp=$CA_CERT
      docker cp "$(stack_container proxy):/data/caddy/pki/authorities/local/root.crt" "$CA_CERT" >/dev/null 2>&1 ||
        { echo "cannot read the proxy's root certificate (docker cp from $(stack_container proxy)); set OBSERVATORY_CA_CERT" >&2; CA_CERT=""; }
    fi
    ;;
esac
[ -n "$CA_CERT" ] && export OBSERVATORY_CA_CERT=$CA_CERT
# curl with the proxy's CA when there is one.
ocurl() { if [ -n "$CA_CERT" ]; then curl --cacert "$CA_CERT" "$@"; else curl "$@"; fi; }
