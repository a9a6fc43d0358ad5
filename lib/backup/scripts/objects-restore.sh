#!/bin/sh
# Restores a dated object-storage copy (the newest, or BACKUP_STAMP) into a bucket, then verifies.
# Env: BACKUP_REMOTE, TARGET_REMOTE, [BACKUP_STAMP].
set -eu
# shellcheck source=backup-lib.sh
. "${SCRIPTS_DIR:-/scripts}/backup-lib.sh"
require BACKUP_REMOTE TARGET_REMOTE

stamp=${BACKUP_STAMP:-$(rclone lsf --dirs-only "$BACKUP_REMOTE/objects" | sed 's|/$||' | LC_ALL=C sort | tail -n 1)}
[ -n "$stamp" ] || die "no object-storage backup under $BACKUP_REMOTE"
rclone copy --checksum "$BACKUP_REMOTE/objects/$stamp" "$TARGET_REMOTE"
rclone check --one-way "$BACKUP_REMOTE/objects/$stamp" "$TARGET_REMOTE" || die "restored objects differ from backup $stamp"
log "restored objects of $stamp into $TARGET_REMOTE"
