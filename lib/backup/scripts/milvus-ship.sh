#!/bin/sh
# Milvus backup, step 2 of 2: moves every backup milvus-backup left in MinIO's backup bucket (this
# run's, and any an earlier run failed to ship) to the destination, verifies it there, and only then
# deletes it from the MinIO it protects; keeps the newest RETAIN at the destination.
# Env: BACKUP_REMOTE, MINIO remote (RCLONE_CONFIG_MINIO_*), RETAIN, [MILVUS_BACKUP_BUCKET], [MILVUS_BACKUP_ROOT], [BACKUP_PREFIX].
set -eu
# shellcheck source=backup-lib.sh
. "${SCRIPTS_DIR:-/scripts}/backup-lib.sh"
require BACKUP_REMOTE RETAIN

prefix=${BACKUP_PREFIX:-media_ai}
source_dir="minio:${MILVUS_BACKUP_BUCKET:-milvus-backups}/${MILVUS_BACKUP_ROOT:-backup}"
names=$(list_remote --dirs-only "$source_dir")
shipped=0
for name in $(printf '%s\n' "$names" | sed 's|/$||' | grep -E "^${prefix}_[0-9]{8}T[0-9]{6}Z$" || true); do
  stamp=${name##*_}
  target="$BACKUP_REMOTE/milvus/$stamp/$name"
  rclone copy --checksum --immutable "$source_dir/$name" "$target" || die "copy of Milvus backup $name failed"
  rclone check --one-way "$source_dir/$name" "$target" >/dev/null 2>&1 || die "verification of $target failed"
  rclone purge "$source_dir/$name" || die "cannot delete the shipped Milvus backup $name from MinIO"
  log "shipped Milvus backup $name to $target"
  shipped=$((shipped + 1))
done
[ "$shipped" -gt 0 ] || die "no Milvus backup under $source_dir to ship"
prune_dated_dirs "$BACKUP_REMOTE/milvus" "$RETAIN"
