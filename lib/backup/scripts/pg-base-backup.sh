#!/bin/sh
# Daily full PostgreSQL backup: pg_basebackup (tar, compressed, with the WAL it needs), then a
# manifest of every table's row count and checksum taken at a named restore point, which the
# restore drill replays to and compares against.
# Env: PGHOST PGPORT PGUSER PGPASSWORD PGDATABASE, WORK_DIR, BACKUP_SLOT. Output: $WORK_DIR/postgres/base/<stamp>/
set -eu
# shellcheck source=backup-lib.sh
. "${SCRIPTS_DIR:-/scripts}/backup-lib.sh"
require PGHOST PGUSER PGDATABASE WORK_DIR BACKUP_SLOT

stamp=$(backup_stamp)
out="$WORK_DIR/postgres/base/$stamp"
mkdir -p "$out"
sql() { psql -X -A -t -v ON_ERROR_STOP=1 -c "$1"; }

# The slot holds WAL from before the backup on, so the hourly archive has no gap after it.
# A slot that lost WAL (max_slot_wal_keep_size) is recreated: this backup starts a new, complete chain.
if [ "$(sql "SELECT count(*) FROM pg_replication_slots WHERE slot_name = '$BACKUP_SLOT' AND (wal_status = 'lost' OR restart_lsn IS NULL)")" != 0 ]; then
  log "slot $BACKUP_SLOT lost its WAL: recreating it"
  sql "SELECT pg_drop_replication_slot('$BACKUP_SLOT')" >/dev/null
fi
ensure_backup_slot
start_wal=$(sql "SELECT pg_walfile_name(restart_lsn + 1) FROM pg_replication_slots WHERE slot_name = '$BACKUP_SLOT'")

log "base backup $stamp of $PGHOST"
pg_basebackup -D "$out" -F tar -z -X fetch --checkpoint=fast --label="media-ai-$stamp" --no-password

# Manifest at a restore point, without holding locks for the checksum pass: session A takes SHARE
# locks (writers wait only for this moment), exports its snapshot and creates the restore point;
# session B adopts that snapshot, then A commits and B computes the checksums at leisure. The
# drill's replay to the restore point must match it exactly.
# The backup role locks through media_ai_backup.lock_tables_share() (SECURITY DEFINER, see
# pg-backup-role.sh); a superuser without it locks directly.
if [ "$(sql "SELECT to_regproc('media_ai_backup.lock_tables_share') IS NOT NULL")" = t ]; then
  lock="SELECT media_ai_backup.lock_tables_share();"
else
  tables=$(sql "SELECT string_agg(format('%I.%I', schemaname, tablename), ', ' ORDER BY schemaname, tablename) FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')")
  lock=${tables:+LOCK TABLE $tables IN SHARE MODE;}
fi
point="manifest-$stamp"
sync_dir="$WORK_DIR/.manifest-$stamp"
rm -rf "$sync_dir"
mkdir -p "$sync_dir"
psql -X -q -A -t -v ON_ERROR_STOP=1 -v point="$point" -f - >/dev/null <<SQL &
-- READ COMMITTED: the exported snapshot is taken by its own statement, after the locks.
BEGIN ISOLATION LEVEL READ COMMITTED;
SET lock_timeout = '${MANIFEST_LOCK_TIMEOUT:-60s}';
$lock
SELECT pg_export_snapshot() AS snapshot \gset
SELECT pg_create_restore_point(:'point');
\o $sync_dir/snapshot.tmp
\qecho :snapshot
\o
\! mv "$sync_dir/snapshot.tmp" "$sync_dir/snapshot"; i=0; while [ ! -f "$sync_dir/adopted" ] && [ \$i -lt 600 ]; do sleep 0.1; i=\$((i + 1)); done
COMMIT;
SQL
locker=$!
waited=0
until [ -s "$sync_dir/snapshot" ]; do
  kill -0 "$locker" 2>/dev/null || { wait "$locker" || true; die "could not lock the tables and create restore point $point"; }
  waited=$((waited + 1))
  [ "$waited" -lt 1200 ] || die "timed out waiting for the manifest snapshot"
  sleep 0.1
done
psql -X -q -A -t -F '	' -v ON_ERROR_STOP=1 -f - >"$out/tables.tsv" <<SQL || { touch "$sync_dir/adopted"; wait "$locker" || true; die "manifest of $point failed"; }
BEGIN ISOLATION LEVEL REPEATABLE READ;
SET TRANSACTION SNAPSHOT '$(cat "$sync_dir/snapshot")';
\! touch "$sync_dir/adopted"
\i ${SCRIPTS_DIR:-/scripts}/pg-manifest.sql
COMMIT;
SQL
wait "$locker" || die "the locking session of $point failed"
rm -rf "$sync_dir"
echo "$point" >"$out/RESTORE_POINT"
echo "$start_wal" >"$out/START_WAL"
sql "SELECT setting::bigint * (CASE unit WHEN '8kB' THEN 8192 WHEN 'B' THEN 1 WHEN 'MB' THEN 1048576 END) FROM pg_settings WHERE name = 'wal_segment_size'" >"$out/WAL_SEGMENT_SIZE"
# Settings a hot-standby recovery requires to be at least the primary's: a restore into a server
# started with initdb's defaults (max_connections 100, …) would abort with "insufficient parameter settings".
sql "SELECT name || ' = ' || setting FROM pg_settings WHERE name IN ('max_connections', 'max_worker_processes', 'max_wal_senders', 'max_prepared_transactions', 'max_locks_per_transaction') ORDER BY name" >"$out/RECOVERY_SETTINGS"
printf '%s\n' "$PGDATABASE" >"$out/DATABASE"

# Archive the WAL up to the restore point now, and keep a copy of it inside the backup: a kept
# weekly or monthly backup stays restorable to its manifest after older WAL is pruned.
sh "${SCRIPTS_DIR:-/scripts}/pg-wal-archive.sh"
mkdir -p "$out/wal"
for seg in "$WORK_DIR"/postgres/wal/*; do
  case "$seg" in *.sha256) continue ;; esac
  [ -e "$seg" ] || continue
  name=$(basename "$seg")
  if [ "$(printf '%s\n%s\n' "$start_wal" "$name" | LC_ALL=C sort | head -n 1)" = "$start_wal" ]; then cp "$seg" "$out/wal/$name"; fi
done
write_checksums "$out"
log "base backup $stamp: $(wc -l <"$out/tables.tsv") tables in the manifest, $(find "$out/wal" -type f | wc -l) WAL segments"
