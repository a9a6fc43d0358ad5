#!/bin/sh
# Restore drill: restores the fetched backup into a throwaway instance, replays to the manifest's
# restore point, compares every table's row count and checksum with the manifest, and records
# the measured restore time (RTO). Exits non-zero on any difference.
# Env: RESTORE_DIR (from pg-fetch.sh), DRILL_DIR (scratch), [RESULT_FILE].
set -eu
# shellcheck source=backup-lib.sh
. "${SCRIPTS_DIR:-/scripts}/backup-lib.sh"
require RESTORE_DIR DRILL_DIR

began=$(date +%s)
data="$DRILL_DIR/data"
sock="$DRILL_DIR/socket"
rm -rf "$data"
mkdir -p "$sock"
TARGET_DATA=$data RECOVERY_TARGET=point sh "${SCRIPTS_DIR:-/scripts}/pg-restore.sh"
stamp=$(cat "$RESTORE_DIR/BASE_STAMP")
base="$RESTORE_DIR/base/$stamp"
db=$(cat "$base/DATABASE")

stop() { pg_ctl -D "$data" -m immediate -w stop >/dev/null 2>&1 || true; }
trap stop EXIT
printf 'local all all trust\n' >"$DRILL_DIR/pg_hba.conf"
pg_ctl -D "$data" -l "$DRILL_DIR/postgres.log" -w -t 3600 \
  -o "-c listen_addresses='' -c unix_socket_directories='$sock' -c port=5433 -c archive_mode=off -c hba_file=$DRILL_DIR/pg_hba.conf" start ||
  { cat "$DRILL_DIR/postgres.log" >&2; die "the restored instance did not start"; }
sql() { psql -X -A -t -h "$sock" -p 5433 -U "${PGUSER:-postgres}" -d "$db" -v ON_ERROR_STOP=1 "$@"; }
waited=0
until [ "$(sql -c 'SELECT pg_is_in_recovery()' 2>/dev/null)" = "f" ]; do
  waited=$((waited + 1))
  [ "$waited" -lt 3600 ] || die "recovery did not finish"
  grep -q 'FATAL' "$DRILL_DIR/postgres.log" && { cat "$DRILL_DIR/postgres.log" >&2; die "recovery failed"; }
  sleep 1
done
sql -q -F '	' -f "${SCRIPTS_DIR:-/scripts}/pg-manifest.sql" >"$DRILL_DIR/tables.tsv"
finished=$(date +%s)
rto=$((finished - began))
if ! diff -u "$base/tables.tsv" "$DRILL_DIR/tables.tsv" >"$DRILL_DIR/diff.txt"; then
  cat "$DRILL_DIR/diff.txt" >&2
  printf '{"backup":"%s","ok":false,"restore_seconds":%s}\n' "$stamp" "$rto" >"${RESULT_FILE:-$DRILL_DIR/result.json}"
  die "restored data differs from the manifest of backup $stamp"
fi
printf '{"backup":"%s","ok":true,"restore_seconds":%s,"tables":%s}\n' "$stamp" "$rto" "$(grep -c . "$base/tables.tsv" || true)" >"${RESULT_FILE:-$DRILL_DIR/result.json}"
log "restore drill of $stamp passed: $(grep -c . "$base/tables.tsv" || true) tables match, restore took ${rto}s"
