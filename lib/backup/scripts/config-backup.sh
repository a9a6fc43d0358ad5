#!/bin/sh
# Configuration backup on every change: the Job carrying this script is named after the hash of
# the rendered configuration, so each changed apply runs it exactly once. It stores the snapshot
# (Secret values only as hashes) under config/<hash>/ and keeps the newest RETAIN snapshots.
# Env: CONFIG_DIR (the mounted snapshot), CONFIG_HASH, BACKUP_REMOTE, RETAIN, WORK_DIR.
set -eu
# shellcheck source=backup-lib.sh
. "${SCRIPTS_DIR:-/scripts}/backup-lib.sh"
require CONFIG_DIR CONFIG_HASH BACKUP_REMOTE RETAIN WORK_DIR

stamp=$(backup_stamp)
out="$WORK_DIR/config/${stamp}-${CONFIG_HASH}"
mkdir -p "$out"
# ConfigMap volumes are symlink farms: copy the files' contents, not the links.
for f in "$CONFIG_DIR"/*; do
  [ -f "$f" ] || continue
  cat "$f" >"$out/$(basename "$f")"
done
actual=$(sha256sum <"$out/manifests.json" | cut -c1-16)
[ "$actual" = "$CONFIG_HASH" ] || die "snapshot hash $actual does not match the Job's $CONFIG_HASH"
write_checksums "$out"
if rclone lsf --dirs-only "$BACKUP_REMOTE/config" 2>/dev/null | grep -q -- "-$CONFIG_HASH/\$"; then
  log "configuration $CONFIG_HASH is already backed up"
  exit 0
fi
ship "$out" "$BACKUP_REMOTE/config/${stamp}-${CONFIG_HASH}"
prune_dated_dirs "$BACKUP_REMOTE/config" "$RETAIN"
