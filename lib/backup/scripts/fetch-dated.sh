#!/bin/sh
# Downloads one dated backup (the newest, or BACKUP_STAMP) of a kind and verifies its checksums.
# Env: BACKUP_REMOTE, BACKUP_KIND, RESTORE_DIR, [BACKUP_STAMP].
set -eu
# shellcheck source=backup-lib.sh
. "${SCRIPTS_DIR:-/scripts}/backup-lib.sh"
require BACKUP_REMOTE BACKUP_KIND RESTORE_DIR

stamp=${BACKUP_STAMP:-$(rclone lsf --dirs-only "$BACKUP_REMOTE/$BACKUP_KIND" | sed 's|/$||' | LC_ALL=C sort | tail -n 1)}
[ -n "$stamp" ] || die "no $BACKUP_KIND backup under $BACKUP_REMOTE"
mkdir -p "$RESTORE_DIR"
rclone copy "$BACKUP_REMOTE/$BACKUP_KIND/$stamp" "$RESTORE_DIR"
verify_checksums "$RESTORE_DIR"
printf '%s\n' "$stamp" >"$RESTORE_DIR/BACKUP_STAMP"
log "fetched $BACKUP_KIND backup $stamp into $RESTORE_DIR"
