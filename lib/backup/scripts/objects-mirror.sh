#!/bin/sh
# Daily object-storage backup: copies the MinIO bucket into a new dated prefix of the destination
# (copy, never sync: nothing is ever deleted at the destination by the mirror), verifies it, and
# keeps the newest RETAIN copies. Milvus backups are shipped by their own job, never copied here.
# Env: SOURCE_REMOTE, BACKUP_REMOTE, RETAIN, [EXCLUDE_BUCKET] (default milvus-backups).
set -eu
# shellcheck source=backup-lib.sh
. "${SCRIPTS_DIR:-/scripts}/backup-lib.sh"
require SOURCE_REMOTE BACKUP_REMOTE RETAIN

stamp=$(backup_stamp)
target="$BACKUP_REMOTE/objects/$stamp"
exclude="/${EXCLUDE_BUCKET:-milvus-backups}/**"
rclone copy --checksum --immutable --exclude "$exclude" "$SOURCE_REMOTE" "$target"
rclone check --one-way --exclude "$exclude" "$SOURCE_REMOTE" "$target" || die "verification of $target failed"
rclone hashsum sha256 "$target" 2>/dev/null | LC_ALL=C sort -k 2 >"${WORK_DIR:-/tmp}/objects-sha256" || true
log "mirrored $SOURCE_REMOTE to $target ($(rclone size --json "$target" | sed 's/.*"count":\([0-9]*\).*/\1/') objects)"
prune_dated_dirs "$BACKUP_REMOTE/objects" "$RETAIN"
