#!/bin/sh
# Ships dated backup directories ($WORK_DIR/$BACKUP_KIND/<stamp>/) to the destination and keeps
# the newest RETAIN of them there (plus RETAIN_WEEKLY / RETAIN_MONTHLY ones).
# Env: BACKUP_REMOTE, WORK_DIR, BACKUP_KIND, RETAIN, [RETAIN_WEEKLY], [RETAIN_MONTHLY].
set -eu
# shellcheck source=backup-lib.sh
. "${SCRIPTS_DIR:-/scripts}/backup-lib.sh"
require BACKUP_REMOTE WORK_DIR BACKUP_KIND RETAIN

found=0
for dir in "$WORK_DIR/$BACKUP_KIND"/*/; do
  [ -d "$dir" ] || continue
  verify_checksums "$dir"
  ship "$dir" "$BACKUP_REMOTE/$BACKUP_KIND/$(basename "$dir")"
  found=$((found + 1))
done
[ "$found" -gt 0 ] || die "nothing to ship under $WORK_DIR/$BACKUP_KIND"
prune_dated_dirs "$BACKUP_REMOTE/$BACKUP_KIND" "$RETAIN"
