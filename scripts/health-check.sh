#!/usr/bin/env bash
# Checks every service's health endpoint; exits non-zero when any is unhealthy.
# Usage: scripts/health-check.sh   (URLs: see scripts/endpoints.sh)
set -uo pipefail
cd "$(dirname "$0")/.."
. scripts/endpoints.sh

failed=0
check() { # name url
  local code
  code=$(ocurl -s -o /dev/null -w '%{http_code}' --max-time 5 "$2")
  if [ "$code" = "200" ]; then
    echo "ok       $1  $2"
  else
    echo "UNHEALTHY $1  $2  (HTTP ${code:-none})"
    failed=1
  fi
}
check_inside() { # name container url: asks from inside the container (a port the stack does not publish)
  if docker exec "$2" wget -q -O /dev/null "$3" >/dev/null 2>&1; then
    echo "ok       $1  $2 $3"
  else
    echo "UNHEALTHY $1  $2 $3"
    failed=1
  fi
}

check api "$API_URL/health"
check api-ready "$API_URL/ready"
check collector "$OTLP_HTTP_URL/health"
check collector-ready "$OTLP_HTTP_URL/ready"
if [ -n "$PROMETHEUS_URL" ]; then
  check prometheus "$PROMETHEUS_URL/-/healthy"
elif [ -n "${PULUMI_STACK:-}" ]; then
  check_inside prometheus "$(stack_container prometheus)" http://127.0.0.1:9090/-/healthy
fi
[ -n "$GRAFANA_URL" ] && check grafana "$GRAFANA_URL/api/health"
exit $failed
