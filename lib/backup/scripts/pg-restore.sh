#!/bin/sh
# Restores a fetched base backup into a data directory and prepares recovery:
# RECOVERY_TARGET=point (the backup's manifest restore point, default), latest (all archived WAL),
# or a time in RECOVERY_TARGET_TIME (point-in-time recovery). Start PostgreSQL on the directory
# afterwards; it replays the WAL and promotes itself.
# Env: RESTORE_DIR (from pg-fetch.sh), TARGET_DATA (empty or absent).
set -eu
# shellcheck source=backup-lib.sh
. "${SCRIPTS_DIR:-/scripts}/backup-lib.sh"
require RESTORE_DIR TARGET_DATA

stamp=$(cat "$RESTORE_DIR/BASE_STAMP")
base="$RESTORE_DIR/base/$stamp"
verify_checksums "$base"
if [ -d "$TARGET_DATA" ] && [ -n "$(ls -A "$TARGET_DATA")" ]; then
  die "$TARGET_DATA is not empty: restore into a fresh volume"
fi
mkdir -p "$TARGET_DATA"
chmod 700 "$TARGET_DATA"
tar -xzf "$base/base.tar.gz" -C "$TARGET_DATA"
if [ -f "$base/pg_wal.tar.gz" ]; then tar -xzf "$base/pg_wal.tar.gz" -C "$TARGET_DATA/pg_wal"; fi

{
  echo "# restore of base backup $stamp"
  echo "restore_command = 'cp \"$RESTORE_DIR/wal/%f\" \"%p\"'"
  echo "recovery_target_action = 'promote'"
  if [ -n "${RECOVERY_TARGET_TIME:-}" ]; then
    echo "recovery_target_time = '$RECOVERY_TARGET_TIME'"
  elif [ "${RECOVERY_TARGET:-point}" = point ]; then
    echo "recovery_target_name = '$(cat "$base/RESTORE_POINT")'"
  fi
  # The primary's recovery-relevant settings (never lower than the primary's, or recovery aborts).
  if [ -f "$base/RECOVERY_SETTINGS" ]; then cat "$base/RECOVERY_SETTINGS"; fi
  # The backup slot belongs to the source cluster's archiver, not to the restored copy.
  echo "max_replication_slots = 10"
} >>"$TARGET_DATA/postgresql.auto.conf"
touch "$TARGET_DATA/recovery.signal"
log "restored base backup $stamp into $TARGET_DATA (target: ${RECOVERY_TARGET_TIME:-${RECOVERY_TARGET:-point}})"
