#!/bin/sh
# Incremental PostgreSQL backup: streams the WAL written since the last run from the backup
# replication slot (pg_receivewal) up to a fresh segment switch, so every archived segment is
# complete. Run hourly: the recovery point objective is at most one hour.
# Env: PGHOST PGPORT PGUSER PGPASSWORD, WORK_DIR, BACKUP_SLOT. Output: $WORK_DIR/postgres/wal/
set -eu
# shellcheck source=backup-lib.sh
. "${SCRIPTS_DIR:-/scripts}/backup-lib.sh"
require PGHOST PGUSER WORK_DIR BACKUP_SLOT

out="$WORK_DIR/postgres/wal"
mkdir -p "$out"
sql() { psql -X -A -t -v ON_ERROR_STOP=1 -d "${PGDATABASE:-postgres}" -c "$1"; }

sql "SELECT 1 FROM pg_create_physical_replication_slot('$BACKUP_SLOT', true) WHERE NOT EXISTS (SELECT 1 FROM pg_replication_slots WHERE slot_name = '$BACKUP_SLOT')" >/dev/null
restart=$(sql "SELECT restart_lsn FROM pg_replication_slots WHERE slot_name = '$BACKUP_SLOT'")
[ -n "$restart" ] || die "slot $BACKUP_SLOT has no restart position"
# Close the current segment so that everything written until now is in complete segments.
sql "SELECT pg_switch_wal()" >/dev/null
endpos=$(sql "SELECT pg_current_wal_lsn()")
if [ "$(sql "SELECT '$endpos'::pg_lsn <= '$restart'::pg_lsn")" = "t" ]; then
  log "no new WAL since $restart"
  exit 0
fi

# pg_receivewal resumes after the newest complete segment in its directory: a sparse placeholder
# for the segment before the slot's restart point makes it start exactly there.
seg_size=$(sql "SELECT setting::bigint * (CASE unit WHEN '8kB' THEN 8192 WHEN 'B' THEN 1 WHEN 'MB' THEN 1048576 END) FROM pg_settings WHERE name = 'wal_segment_size'")
# pg_walfile_name(lsn) names the segment of the byte before lsn: +1 names the one lsn is in.
first=$(sql "SELECT pg_walfile_name('$restart'::pg_lsn + 1)")
previous=$(sql "SELECT pg_walfile_name('$restart'::pg_lsn + 1 - $seg_size)")
spool="$WORK_DIR/postgres/.spool"
mkdir -p "$spool"
if [ "$first" != "$previous" ]; then
  : >"$spool/$previous"
  truncate -s "$seg_size" "$spool/$previous" 2>/dev/null || dd if=/dev/zero of="$spool/$previous" bs=1 count=0 seek="$seg_size" 2>/dev/null
fi
log "streaming WAL from $restart to $endpos (slot $BACKUP_SLOT)"
pg_receivewal -D "$spool" --slot="$BACKUP_SLOT" --endpos="$endpos" --no-loop --no-password --status-interval=1 &
receiver=$!
# pg_receivewal notices it reached endpos only when more WAL arrives: nudge it with tiny records
# instead of waiting for the next keepalive (tens of seconds on an idle server).
while kill -0 "$receiver" 2>/dev/null; do
  sleep 1
  sql "SELECT pg_create_restore_point('media-ai-backup-nudge')" >/dev/null 2>&1 || true
done
wait "$receiver" || die "pg_receivewal failed"
rm -f "$spool/$previous"

for f in "$spool"/*; do
  [ -e "$f" ] || continue
  name=$(basename "$f")
  case "$name" in
    *.partial) rm -f "$f" ;; # the segment after endpos: streamed again, complete, by the next run
    *)
      mv "$f" "$out/$name"
      (cd "$out" && sha256sum "$name" >"$name.sha256")
      ;;
  esac
done
rmdir "$spool" 2>/dev/null || true
log "archived $(find "$out" -type f ! -name '*.sha256' | wc -l) WAL segments"
