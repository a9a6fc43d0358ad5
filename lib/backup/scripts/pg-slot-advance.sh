#!/bin/sh
# Incremental PostgreSQL backup, step 3 of 3: moves the backup slot to the end of the WAL that
# pg-ship.sh verified in the destination (its SHIPPED file), never further and never backwards.
# Runs last in the Job: if streaming or shipping failed, the slot stays and the primary keeps the WAL.
# Env: PGHOST PGPORT PGUSER PGPASSWORD, WORK_DIR, BACKUP_SLOT.
set -eu
# shellcheck source=backup-lib.sh
. "${SCRIPTS_DIR:-/scripts}/backup-lib.sh"
require PGHOST PGUSER WORK_DIR BACKUP_SLOT

if [ ! -f "$WORK_DIR/postgres/ADVANCE_TO" ]; then
  log "no new WAL this run: slot $BACKUP_SLOT unchanged"
  exit 0
fi
[ -f "$WORK_DIR/postgres/SHIPPED" ] || die "WAL was streamed but not verified in the destination: slot $BACKUP_SLOT not moved"
cmp -s "$WORK_DIR/postgres/ADVANCE_TO" "$WORK_DIR/postgres/SHIPPED" || die "shipped WAL ($(cat "$WORK_DIR/postgres/SHIPPED")) differs from the streamed WAL: slot not moved"
read -r lsn last <"$WORK_DIR/postgres/SHIPPED"
sql() { psql -X -A -t -v ON_ERROR_STOP=1 -d "${PGDATABASE:-postgres}" -c "$1"; }
# Another backup Job may hold the slot for its own advance for a moment: retry.
tries=0
until sql "SELECT pg_replication_slot_advance(slot_name, '$lsn') FROM pg_replication_slots WHERE slot_name = '$BACKUP_SLOT' AND restart_lsn < '$lsn'" >/dev/null; do
  tries=$((tries + 1))
  [ "$tries" -lt 10 ] || die "could not advance slot $BACKUP_SLOT to $lsn"
  sleep 3
done
log "slot $BACKUP_SLOT at $(sql "SELECT restart_lsn FROM pg_replication_slots WHERE slot_name = '$BACKUP_SLOT'") (WAL up to $last is in the destination)"
