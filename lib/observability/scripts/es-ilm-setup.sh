#!/bin/sh
# Creates (or updates) the index lifecycle policy and index template for the platform's logs:
# roll over daily or at 50 GB per primary shard, delete after RETENTION_DAYS. Idempotent.
set -eu
: "${ES_URL:?ES_URL is required}"
: "${ES_USERNAME:?ES_USERNAME is required}"
: "${ES_PASSWORD:?ES_PASSWORD is required}"
: "${RETENTION_DAYS:?RETENTION_DAYS is required}"
: "${POLICY:?POLICY is required}"
: "${DATASET:?DATASET is required}"

# The password goes to curl in a private config file (-K), never on a command line.
umask 077
auth=$(mktemp)
trap 'rm -f "$auth"' EXIT
# In a quoted curl config value, backslash and double quote must be escaped.
quote() { printf '%s' "$1" | sed 's/[\\"]/\\&/g'; }
printf 'user = "%s:%s"\n' "$(quote "$ES_USERNAME")" "$(quote "$ES_PASSWORD")" >"$auth"

es() {
  method=$1
  path=$2
  shift 2
  curl --silent --show-error --fail --retry 5 --retry-delay 5 --cacert "${ES_CA:-/es-ca/ca.crt}" -K "$auth" \
    -X "$method" -H 'Content-Type: application/json' "$ES_URL$path" "$@"
}

attempts=0
until es GET '/_cluster/health?wait_for_status=yellow&timeout=30s' >/dev/null; do
  attempts=$((attempts + 1))
  if [ "$attempts" -ge 30 ]; then
    echo "Elasticsearch at $ES_URL did not become ready" >&2
    exit 1
  fi
  sleep 10
done

es PUT "/_ilm/policy/$POLICY" --data-binary @- <<JSON
{"policy": {"phases": {
  "hot": {"actions": {"rollover": {"max_age": "1d", "max_primary_shard_size": "50gb"}}},
  "delete": {"min_age": "${RETENTION_DAYS}d", "actions": {"delete": {}}}
}}}
JSON
echo

es PUT "/_index_template/$POLICY" --data-binary @- <<JSON
{"index_patterns": ["logs-${DATASET}-*"], "data_stream": {}, "priority": 200,
 "composed_of": ["logs-mappings", "logs-settings"],
 "template": {"settings": {"index.lifecycle.name": "$POLICY"}}}
JSON
echo
echo "lifecycle policy $POLICY: delete after ${RETENTION_DAYS} days"
