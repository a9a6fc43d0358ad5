#!/bin/sh
# Downloads a base backup (the newest, or BASE_STAMP) with its own WAL and the WAL archived since
# its start from the destination, and verifies every checksum. Env: BACKUP_REMOTE, RESTORE_DIR, [BASE_STAMP].
set -eu
# shellcheck source=backup-lib.sh
. "${SCRIPTS_DIR:-/scripts}/backup-lib.sh"
require BACKUP_REMOTE RESTORE_DIR

base_remote="$BACKUP_REMOTE/postgres/base"
stamp=${BASE_STAMP:-$(rclone lsf --dirs-only "$base_remote" | sed 's|/$||' | LC_ALL=C sort | tail -n 1)}
[ -n "$stamp" ] || die "no base backup under $base_remote"
mkdir -p "$RESTORE_DIR/base/$stamp" "$RESTORE_DIR/wal"
rclone copy "$base_remote/$stamp" "$RESTORE_DIR/base/$stamp"
verify_checksums "$RESTORE_DIR/base/$stamp"
# The backup's own WAL (up to its restore point), then whatever the archive has from its start on.
if [ -d "$RESTORE_DIR/base/$stamp/wal" ]; then cp "$RESTORE_DIR/base/$stamp"/wal/* "$RESTORE_DIR/wal/" 2>/dev/null || true; fi
start=$(cat "$RESTORE_DIR/base/$stamp/START_WAL")
archived=$(list_remote --files-only "$BACKUP_REMOTE/postgres/wal")
printf '%s\n' "$archived" | awk -v s="$start" 'NF && substr($0, 1, 24) >= s' >"$RESTORE_DIR/wal-files"
if [ -s "$RESTORE_DIR/wal-files" ]; then
  rclone copy --files-from-raw "$RESTORE_DIR/wal-files" "$BACKUP_REMOTE/postgres/wal" "$RESTORE_DIR/wal"
else
  log "no archived WAL after $start: restoring with the backup's own WAL only"
fi
rm -f "$RESTORE_DIR/wal-files"
for sum in "$RESTORE_DIR"/wal/*.sha256; do
  [ -e "$sum" ] || continue
  (cd "$RESTORE_DIR/wal" && sha256sum -c "$(basename "$sum")" >/dev/null 2>&1) || die "checksum mismatch: $sum"
done
# No promotion over a hole: the chain must be unbroken from the backup's start to the newest segment.
seg_size=$(cat "$RESTORE_DIR/base/$stamp/WAL_SEGMENT_SIZE" 2>/dev/null || echo 16777216)
continuity=$(check_wal_continuity "$RESTORE_DIR/wal" "$start" "$seg_size") || die "WAL chain of base backup $stamp is broken: $continuity"
log "WAL $continuity"
printf '%s\n' "$stamp" >"$RESTORE_DIR/BASE_STAMP"
log "fetched base backup $stamp and $(find "$RESTORE_DIR/wal" -type f ! -name '*.sha256' | wc -l) WAL segments"
