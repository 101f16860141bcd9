#!/usr/bin/env bash
# End-to-end check of a running observatory (local `npm start` or a deployed stack):
# health, one span through POST /api/v1/spans, one through OTLP/HTTP JSON, both read back.
# URLs and key: see scripts/endpoints.sh (environment, `pulumi stack output`, or local defaults).
# Given an admin key (a stack's bootstrapAdminKey, which the collector does not accept), it makes an
# ingest+read key for the run and revokes it at the end. Exit status 0 = pass.
set -uo pipefail
cd "$(dirname "$0")/.."
. scripts/endpoints.sh

fail() { echo "FAIL: $*" >&2; exit 1; }
pass() { echo "ok   $*"; }
hex() { head -c "$1" /dev/urandom | od -An -tx1 | tr -d ' \n'; }
[ -n "$API_KEY" ] || fail "no API key: set OBSERVATORY_API_KEY (or run next to npm start's .data/)"

scripts/health-check.sh >/dev/null || fail "a service is unhealthy (run scripts/health-check.sh)"
pass "health"

# An admin key can make keys; the run then uses one with the scopes a client has.
minted=$(ocurl -s -X POST "$API_URL/api/v1/keys" -H "x-api-key: $API_KEY" -H 'content-type: application/json' \
  -d "{\"name\": \"e2e-$(hex 4)\", \"scopes\": [\"ingest\", \"read\"]}")
key_id=$(printf '%s' "$minted" | sed -n 's/.*"id":"\([^"]*\)".*/\1/p')
if [ -n "$key_id" ]; then
  admin_key=$API_KEY
  API_KEY=$(printf '%s' "$minted" | sed -n 's/.*"key":"\([^"]*\)".*/\1/p')
  trap 'ocurl -s -o /dev/null -X DELETE "$API_URL/api/v1/keys/$key_id" -H "x-api-key: $admin_key"; cleanup' EXIT
fi

native_trace=$(hex 16)
start=$(date -u +%Y-%m-%dT%H:%M:%S.%NZ)
code=$(ocurl -s -o /tmp/e2e-native.$$ -w '%{http_code}' -X POST "$API_URL/api/v1/spans" \
  -H "x-api-key: $API_KEY" -H 'content-type: application/json' -d @- <<JSON
{"trace_id": "$native_trace", "span_id": "$(hex 8)", "name": "e2e.native", "provider": "openai", "model": "gpt-4o-mini",
 "token_usage": {"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15},
 "latency": {"total_ms": 1, "start_time": "$start", "end_time": "$start"}, "status": "OK"}
JSON
)
[ "${code:0:1}" = "2" ] || fail "POST /api/v1/spans answered $code: $(cat /tmp/e2e-native.$$)"
pass "native span accepted ($code)"

otlp_trace=$(hex 16)
now=$(date -u +%s%N)
code=$(ocurl -s -o /tmp/e2e-otlp.$$ -w '%{http_code}' -X POST "$OTLP_HTTP_URL/v1/traces" \
  -H "x-api-key: $API_KEY" -H 'content-type: application/json' -d @- <<JSON
{"resourceSpans": [{"resource": {"attributes": [{"key": "service.name", "value": {"stringValue": "e2e"}}]},
  "scopeSpans": [{"spans": [{"traceId": "$otlp_trace", "spanId": "$(hex 8)", "name": "e2e.otlp", "kind": 3,
    "startTimeUnixNano": "$now", "endTimeUnixNano": "$now",
    "attributes": [{"key": "gen_ai.provider.name", "value": {"stringValue": "openai"}},
                   {"key": "gen_ai.request.model", "value": {"stringValue": "gpt-4o-mini"}}]}]}]}]}
JSON
)
[ "$code" = "200" ] || fail "OTLP export answered $code: $(cat /tmp/e2e-otlp.$$)"
pass "OTLP span accepted"
rm -f /tmp/e2e-native.$$ /tmp/e2e-otlp.$$

read_back() { # trace id, span name
  for _ in $(seq 1 20); do
    body=$(ocurl -s -H "x-api-key: $API_KEY" "$API_URL/api/v1/traces/$1")
    case "$body" in *"\"$2\""*) return 0 ;; esac
    sleep 0.5
  done
  fail "trace $1 ($2) not readable: $body"
}
read_back "$native_trace" e2e.native && pass "native span read back"
read_back "$otlp_trace" e2e.otlp && pass "OTLP span read back"
echo "PASS"
