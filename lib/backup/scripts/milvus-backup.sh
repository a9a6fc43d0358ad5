#!/bin/sh
# Milvus backup with milvus-backup (0.4.x, for Milvus 2.3): creates a backup of every collection
# in the backup bucket, then deletes all but the newest RETAIN backups it made.
# Env: RETAIN, [BACKUP_PREFIX], [MILVUS_BACKUP_CONFIG] (connection settings, default /config/backup.yaml).
set -eu
# shellcheck source=backup-lib.sh
. "${SCRIPTS_DIR:-/scripts}/backup-lib.sh"
require RETAIN

prefix=${BACKUP_PREFIX:-media_ai}
config=${MILVUS_BACKUP_CONFIG:-/config/backup.yaml}
name="${prefix}_$(backup_stamp)"
cd /tmp
milvus-backup --config "$config" create -n "$name"
milvus-backup --config "$config" list 2>/dev/null |
  grep -o "${prefix}_[0-9]\{8\}T[0-9]\{6\}Z" | LC_ALL=C sort -u >/tmp/backups
total=$(grep -c . /tmp/backups || true)
excess=$((total - RETAIN))
if [ "$excess" -gt 0 ]; then
  head -n "$excess" /tmp/backups | while IFS= read -r old; do
    log "retention: deleting Milvus backup $old"
    milvus-backup --config "$config" delete -n "$old"
  done
fi
log "Milvus backup $name created; $((total > RETAIN ? RETAIN : total)) kept"
