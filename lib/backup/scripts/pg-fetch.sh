#!/bin/sh
# Downloads a base backup (the newest, or BASE_STAMP) and the WAL archived since its start from
# the destination, and verifies every checksum. Env: BACKUP_REMOTE, RESTORE_DIR, [BASE_STAMP].
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
start=$(cat "$RESTORE_DIR/base/$stamp/START_WAL")
rclone lsf --files-only "$BACKUP_REMOTE/postgres/wal" | awk -v s="$start" 'substr($0, 1, 24) >= s' >"$RESTORE_DIR/wal-files"
rclone copy --files-from-raw "$RESTORE_DIR/wal-files" "$BACKUP_REMOTE/postgres/wal" "$RESTORE_DIR/wal"
rm -f "$RESTORE_DIR/wal-files"
for sum in "$RESTORE_DIR"/wal/*.sha256; do
  [ -e "$sum" ] || continue
  (cd "$RESTORE_DIR/wal" && sha256sum -c "$(basename "$sum")" >/dev/null 2>&1) || die "checksum mismatch: $sum"
done
printf '%s\n' "$stamp" >"$RESTORE_DIR/BASE_STAMP"
log "fetched base backup $stamp and $(find "$RESTORE_DIR/wal" -type f ! -name '*.sha256' | wc -l) WAL segments"
