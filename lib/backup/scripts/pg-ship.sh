#!/bin/sh
# Ships what pg-base-backup.sh / pg-wal-archive.sh produced to the destination (verified), marks the
# WAL as shipped for pg-slot-advance.sh, then enforces
# retention: keep the newest RETAIN_FULL base backups (plus RETAIN_WEEKLY / RETAIN_MONTHLY ones) and
# the archived WAL from the oldest of the newest RETAIN_FULL on (point-in-time recovery window).
# Env: BACKUP_REMOTE, WORK_DIR, RETAIN_FULL, [RETAIN_WEEKLY], [RETAIN_MONTHLY].
set -eu
# shellcheck source=backup-lib.sh
. "${SCRIPTS_DIR:-/scripts}/backup-lib.sh"
require BACKUP_REMOTE WORK_DIR RETAIN_FULL

shipped_base=
if [ -d "$WORK_DIR/postgres/base" ]; then
  for dir in "$WORK_DIR"/postgres/base/*/; do
    [ -d "$dir" ] || continue
    ship "$dir" "$BACKUP_REMOTE/postgres/base/$(basename "$dir")"
    shipped_base=1
  done
fi
if [ -d "$WORK_DIR/postgres/wal" ] && [ -n "$(ls -A "$WORK_DIR/postgres/wal")" ]; then
  ship "$WORK_DIR/postgres/wal" "$BACKUP_REMOTE/postgres/wal"
fi
# Verified in the destination: the last step (pg-slot-advance.sh) may now release it on the primary.
if [ -f "$WORK_DIR/postgres/ADVANCE_TO" ]; then cp "$WORK_DIR/postgres/ADVANCE_TO" "$WORK_DIR/postgres/SHIPPED"; fi

prune_dated_dirs "$BACKUP_REMOTE/postgres/base" "$RETAIN_FULL"
# Retention changes only when a base backup arrives: the WAL runs (every few minutes) skip it.
[ -n "$shipped_base" ] || exit 0
bases=$(list_remote --dirs-only "$BACKUP_REMOTE/postgres/base")
oldest=$(printf '%s\n' "$bases" | sed 's|/$||' | LC_ALL=C sort | tail -n "$RETAIN_FULL" | head -n 1)
if [ -n "$oldest" ]; then
  start=$(rclone cat "$BACKUP_REMOTE/postgres/base/$oldest/START_WAL") || die "cannot read START_WAL of base backup $oldest"
  [ -n "$start" ] || die "base backup $oldest has an empty START_WAL"
  wal=$(list_remote --files-only "$BACKUP_REMOTE/postgres/wal")
  printf '%s\n' "$wal" | awk -v s="$start" 'NF && substr($0, 1, 24) < s' >"${TMPDIR:-/tmp}/expired-wal.$$"
  while IFS= read -r f; do
    rclone deletefile "$BACKUP_REMOTE/postgres/wal/$f" || die "retention: cannot delete WAL $f"
  done <"${TMPDIR:-/tmp}/expired-wal.$$"
  rm -f "${TMPDIR:-/tmp}/expired-wal.$$"
  log "retention: WAL kept from $start (base backup $oldest)"
fi
