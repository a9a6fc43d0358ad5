#!/bin/sh
# Incremental PostgreSQL backup, step 1 of 3 (stream → ship → advance). Streams the WAL from the
# backup slot's restart point up to a fresh segment switch WITHOUT using the slot, so the slot
# keeps every segment on the primary until pg-slot-advance.sh moves it, after pg-ship.sh has
# verified the segments in the destination. A run that fails or is killed anywhere loses nothing:
# the next run streams the same segments again (identical bytes, so --immutable accepts them).
# Env: PGHOST PGPORT PGUSER PGPASSWORD, WORK_DIR, BACKUP_SLOT.
# Output: $WORK_DIR/postgres/wal/ and $WORK_DIR/postgres/ADVANCE_TO (LSN the slot may move to once shipped).
set -eu
# shellcheck source=backup-lib.sh
. "${SCRIPTS_DIR:-/scripts}/backup-lib.sh"
require PGHOST PGUSER WORK_DIR BACKUP_SLOT

out="$WORK_DIR/postgres/wal"
mkdir -p "$out"
sql() { psql -X -A -t -v ON_ERROR_STOP=1 -d "${PGDATABASE:-postgres}" -c "$1"; }

ensure_backup_slot
state=$(sql "SELECT coalesce(restart_lsn::text, '') || ' ' || coalesce(wal_status, '') FROM pg_replication_slots WHERE slot_name = '$BACKUP_SLOT'")
restart=${state% *}
# 'lost': the primary removed WAL the archive never received (max_slot_wal_keep_size exceeded).
case "$state" in
  *' lost' | ' '*) die "slot $BACKUP_SLOT lost its WAL (status: ${state#* }): the archive has a gap; the next full backup starts a new chain" ;;
esac
# Close the current segment so that everything written until now is in complete segments.
sql "SELECT pg_switch_wal()" >/dev/null
endpos=$(sql "SELECT pg_current_wal_lsn()")
seg_size=$(sql "SELECT setting::bigint * (CASE unit WHEN '8kB' THEN 8192 WHEN 'B' THEN 1 WHEN 'MB' THEN 1048576 END) FROM pg_settings WHERE name = 'wal_segment_size'")
# A run ships at most WAL_MAX_SEGMENTS segments, so that after a long outage of the destination each
# run finishes within its deadline and moves the slot (a run killed at the deadline would move nothing).
cap=$(sql "SELECT '0/0'::pg_lsn + (pg_wal_lsn_diff('$restart', '0/0') - pg_wal_lsn_diff('$restart', '0/0') % $seg_size + ${WAL_MAX_SEGMENTS:-64}::numeric * $seg_size)")
if [ "$(sql "SELECT '$cap'::pg_lsn < '$endpos'::pg_lsn")" = "t" ]; then
  log "backlog: shipping ${WAL_MAX_SEGMENTS:-64} segments this run, the rest in the next runs"
  endpos=$cap
fi
# Every segment before the one endpos is in is complete: the slot may move to that segment's start.
advance=$(sql "SELECT '0/0'::pg_lsn + (pg_wal_lsn_diff('$endpos', '0/0') - pg_wal_lsn_diff('$endpos', '0/0') % $seg_size)")
if [ "$(sql "SELECT '$advance'::pg_lsn <= '$restart'::pg_lsn")" = "t" ]; then
  log "no complete WAL segment since $restart"
  exit 0
fi

# pg_receivewal resumes after the newest complete segment in its directory: a sparse placeholder
# for the segment before the slot's restart point makes it start exactly there.
# pg_walfile_name(lsn) names the segment of the byte before lsn: +1 names the one lsn is in.
first=$(sql "SELECT pg_walfile_name('$restart'::pg_lsn + 1)")
previous=$(sql "SELECT pg_walfile_name('$restart'::pg_lsn + 1 - $seg_size)")
last=$(sql "SELECT pg_walfile_name('$advance')")
spool="$WORK_DIR/postgres/.spool"
rm -rf "$spool"
mkdir -p "$spool"
if [ "$first" != "$previous" ]; then
  : >"$spool/$previous"
  truncate -s "$seg_size" "$spool/$previous" 2>/dev/null || dd if=/dev/zero of="$spool/$previous" bs=1 count=0 seek="$seg_size" 2>/dev/null
fi
log "streaming WAL $first..$last (slot $BACKUP_SLOT holds it until shipped)"
# No --slot: streaming through the slot would move it before the segments are shipped.
pg_receivewal -D "$spool" --endpos="$endpos" --no-loop --no-password --status-interval=1 &
receiver=$!
# pg_receivewal notices it reached endpos only when more WAL arrives: nudge it with tiny records
# instead of waiting for the next keepalive (tens of seconds on an idle server).
while kill -0 "$receiver" 2>/dev/null; do
  sleep 0.2
  sql "SELECT pg_create_restore_point('media-ai-backup-nudge')" >/dev/null 2>&1 || true
done
wait "$receiver" || die "pg_receivewal failed"
rm -f "$spool/$previous"
# Stopped exactly at a segment boundary (a capped run), the last segment may still carry .partial.
if [ ! -f "$spool/$last" ] && [ -f "$spool/$last.partial" ] && [ "$(wc -c <"$spool/$last.partial")" -eq "$seg_size" ]; then
  mv "$spool/$last.partial" "$spool/$last"
fi
[ -f "$spool/$last" ] || die "pg_receivewal stopped before segment $last"

for f in "$spool"/*; do
  [ -e "$f" ] || continue
  name=$(basename "$f")
  case "$name" in
    *.partial) rm -f "$f" ;; # the segment endpos is in: streamed again, complete, by the next run
    *)
      [ "$(printf '%s\n%s\n' "$name" "$last" | LC_ALL=C sort | tail -n 1)" = "$last" ] || { rm -f "$f"; continue; }
      mv "$f" "$out/$name"
      (cd "$out" && sha256sum "$name" >"$name.sha256")
      ;;
  esac
done
rmdir "$spool" 2>/dev/null || true
printf '%s %s\n' "$advance" "$last" >"$WORK_DIR/postgres/ADVANCE_TO"
log "archived $(find "$out" -type f ! -name '*.sha256' | wc -l) WAL segments up to $last"
