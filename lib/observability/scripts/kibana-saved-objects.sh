#!/bin/sh
# Provisions the platform's Kibana data view and saved searches through the saved-objects API
# (_import with overwrite: idempotent, ids are fixed). Waits for Kibana first.
set -eu
: "${KIBANA_URL:?KIBANA_URL is required}"
: "${KIBANA_USERNAME:?KIBANA_USERNAME is required}"
: "${KIBANA_PASSWORD:?KIBANA_PASSWORD is required}"
: "${OBJECTS:?OBJECTS is required}"

# The password goes to curl in a private config file (-K), never on a command line.
umask 077
auth=$(mktemp)
out=$(mktemp)
trap 'rm -f "$auth" "$out"' EXIT
# In a quoted curl config value, backslash and double quote must be escaped.
quote() { printf '%s' "$1" | sed 's/[\\"]/\\&/g'; }
printf 'user = "%s:%s"\n' "$(quote "$KIBANA_USERNAME")" "$(quote "$KIBANA_PASSWORD")" >"$auth"

kb() {
  curl --silent --show-error --fail --cacert "${KIBANA_CA:-/kibana-ca/ca.crt}" -K "$auth" -H 'kbn-xsrf: true' "$@"
}

attempts=0
until kb "$KIBANA_URL/api/status" -o "$out" && grep -q '"level":"available"' "$out"; do
  attempts=$((attempts + 1))
  if [ "$attempts" -ge 60 ]; then
    echo "Kibana at $KIBANA_URL did not become available" >&2
    exit 1
  fi
  sleep 10
done

kb -X POST "$KIBANA_URL/api/saved_objects/_import?overwrite=true" -F "file=@$OBJECTS;type=application/ndjson" -o "$out"
if ! grep -q '"success":true' "$out"; then
  echo "Kibana refused the saved objects:" >&2
  cat "$out" >&2
  exit 1
fi
echo "Kibana saved objects imported: $(grep -o '"successCount":[0-9]*' "$out")"
