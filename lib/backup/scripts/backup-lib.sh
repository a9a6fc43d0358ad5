#!/bin/sh
# Shared helpers of the backup scripts (sourced, POSIX sh: runs in the postgres, redis and rclone images).

log() {
  printf '%s %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$*" >&2
}

die() {
  log "ERROR: $*"
  exit 1
}

require() {
  for name in "$@"; do
    eval "value=\${$name:-}"
    [ -n "$value" ] || die "environment variable $name is required"
  done
}

# UTC timestamp naming a backup; BACKUP_STAMP overrides it (restores and tests replay days).
backup_stamp() {
  printf '%s' "${BACKUP_STAMP:-$(date -u +%Y%m%dT%H%M%SZ)}"
}

# Writes SHA256SUMS for every file below a directory.
write_checksums() {
  (
    cd "$1" || exit 1
    find . -type f ! -name 'SHA256SUMS*' ! -name '.sums.tmp' | sed 's|^\./||' | LC_ALL=C sort | while IFS= read -r f; do sha256sum "$f"; done >.sums.tmp
    mv .sums.tmp SHA256SUMS
  )
}

verify_checksums() {
  [ -f "$1/SHA256SUMS" ] || die "no SHA256SUMS in $1"
  (cd "$1" && sha256sum -c SHA256SUMS >/dev/null 2>&1) || die "checksum mismatch in $1"
}

# Deletes all but the newest KEEP dated directories (names sort by time) under a remote directory.
prune_dated_dirs() {
  remote_dir=$1
  keep=$2
  dirs=$(rclone lsf --dirs-only "$remote_dir" 2>/dev/null | sed 's|/$||' | LC_ALL=C sort)
  total=$(printf '%s\n' "$dirs" | grep -c . || true)
  excess=$((total - keep))
  [ "$excess" -gt 0 ] || return 0
  printf '%s\n' "$dirs" | head -n "$excess" | while IFS= read -r d; do
    log "retention: deleting $remote_dir/$d"
    rclone purge "$remote_dir/$d"
  done
}

# Copies a finished local backup to the destination; never overwrites what is there.
ship() {
  local_dir=$1
  remote_dir=$2
  rclone copy --immutable --checksum --no-traverse "$local_dir" "$remote_dir"
  rclone check --one-way "$local_dir" "$remote_dir" >/dev/null 2>&1 || die "verification of $remote_dir failed"
  log "shipped $local_dir to $remote_dir"
}
