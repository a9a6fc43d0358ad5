#!/bin/sh
# Milvus backup, step 1 of 2 (milvus-backup 0.4.x, for Milvus 2.3): creates a backup of every
# collection in MinIO's backup bucket and checks its state, because `milvus-backup create` exits 0
# even when the backup failed. Step 2 (milvus-ship.sh) moves it to the destination.
# Env: WORK_DIR, [MILVUS_BACKUP_BIN] (the image's binary, default /app/milvus-backup: not on PATH),
# [BACKUP_PREFIX], [MILVUS_BACKUP_CONFIG] (connection settings, default /config/backup.yaml).
# Output: $WORK_DIR/milvus/NAME (the backup's name).
set -eu
# shellcheck source=backup-lib.sh
. "${SCRIPTS_DIR:-/scripts}/backup-lib.sh"
require WORK_DIR

bin=${MILVUS_BACKUP_BIN:-/app/milvus-backup}
[ -x "$bin" ] || die "milvus-backup binary $bin not found or not executable"
prefix=${BACKUP_PREFIX:-media_ai}
config=${MILVUS_BACKUP_CONFIG:-/config/backup.yaml}
name="${prefix}_$(backup_stamp)"
cd "${TMPDIR:-/tmp}"
"$bin" --config "$config" create -n "$name" >&2 || die "milvus-backup create $name exited $?"
# The state is the truth: BACKUP_SUCCESS is state_code 2 in `get` (INITIAL 0 is omitted from the JSON).
info=$("$bin" --config "$config" get -n "$name") || die "milvus-backup get $name exited $?"
state=$(printf '%s\n' "$info" | sed -n 's/.*"state_code": *\([0-9][0-9]*\).*/\1/p' | head -n 1)
if [ "$state" != 2 ]; then
  printf '%s\n' "$info" >&2
  die "Milvus backup $name did not succeed (state_code ${state:-missing}, 2 is success)"
fi
mkdir -p "$WORK_DIR/milvus"
printf '%s\n' "$name" >"$WORK_DIR/milvus/NAME"
log "Milvus backup $name created and complete"
