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

# Reads backup stamps (YYYYmmddTHHMMSSZ, one a line, any order) and prints those to delete: all
# but the newest DAILY, the newest of each of the newest WEEKLY weeks (Monday to Sunday) and the
# newest of each of the newest MONTHLY months.
expired_stamps() {
  LC_ALL=C sort | awk -v daily="$1" -v weekly="${2:-0}" -v monthly="${3:-0}" '
    function days(y, m, d) { if (m <= 2) { y--; m += 12 } return 365 * y + int(y / 4) - int(y / 100) + int(y / 400) + int((153 * (m - 3) + 2) / 5) + d }
    NF { stamp[++n] = $0 }
    END {
      monday = days(1970, 1, 5)
      for (i = n; i >= 1; i--) {
        st = stamp[i]; y = substr(st, 1, 4) + 0; m = substr(st, 5, 2) + 0; d = substr(st, 7, 2) + 0
        keep = (n - i < daily)
        week = int((days(y, m, d) - monday) / 7); month = y * 100 + m
        if (weekly > 0 && !(week in seen_week) && weeks < weekly) { seen_week[week] = 1; weeks++; keep = 1 }
        if (monthly > 0 && !(month in seen_month) && months < monthly) { seen_month[month] = 1; months++; keep = 1 }
        if (!keep) print st
      }
    }'
}

# Lists a remote directory (rclone lsf flags first); a missing directory is empty, any other error fails.
list_remote() {
  listing=$(rclone lsf "$@") && { [ -z "$listing" ] || printf '%s\n' "$listing"; return 0; }
  status=$?
  [ "$status" -eq 3 ] || die "cannot list $*: rclone exited $status"
}

# Deletes the dated directories under a remote directory that the retention does not keep.
prune_dated_dirs() {
  remote_dir=$1
  dirs=$(list_remote --dirs-only "$remote_dir")
  printf '%s\n' "$dirs" | sed 's|/$||' | expired_stamps "$2" "${RETAIN_WEEKLY:-0}" "${RETAIN_MONTHLY:-0}" >"${TMPDIR:-/tmp}/expired.$$"
  while IFS= read -r d; do
    [ -n "$d" ] || continue
    log "retention: deleting $remote_dir/$d"
    rclone purge "$remote_dir/$d" || die "retention: cannot delete $remote_dir/$d"
  done <"${TMPDIR:-/tmp}/expired.$$"
  rm -f "${TMPDIR:-/tmp}/expired.$$"
}

# Checks that the WAL segments in a directory form one unbroken chain from START (a segment name)
# on: consecutive within each timeline, each later timeline with its history file and starting no
# later than where the previous one ended. Dies naming the first gap. Args: dir start segment_bytes.
check_wal_continuity() {
  find "$1" -maxdepth 1 -type f | sed 's|.*/||' | grep -E '^[0-9A-F]{24}$' | LC_ALL=C sort | awk -v start="$2" -v segsize="$3" -v dir="$1" '
    function hex(s,   i, n) { n = 0; for (i = 1; i <= length(s); i++) n = n * 16 + index("0123456789ABCDEF", substr(s, i, 1)) - 1; return n }
    function pos(name) { return hex(substr(name, 9, 8)) * (4294967296 / segsize) + hex(substr(name, 17, 8)) }
    BEGIN { ok = 1 }
    {
      tli = substr($0, 1, 8); p = pos($0)
      if (NR == 1) {
        if (pos(start) < p) { print "missing WAL " start " (the base backup start) before " $0; ok = 0; exit }
      } else if (tli == last_tli) {
        if (p != last_pos + 1) { print "WAL gap after " last ": next is " $0; ok = 0; exit }
      } else {
        if (system("test -f \"" dir "/" tli ".history\"") != 0) { print "timeline " tli " has no history file " tli ".history"; ok = 0; exit }
        if (p > last_pos + 1) { print "WAL gap at the switch to timeline " tli ": " last " then " $0; ok = 0; exit }
      }
      last = $0; last_pos = p; last_tli = tli; n++
    }
    END { if (ok && n == 0) { print "no WAL segment at all from " start; ok = 0 } if (ok) print "continuous: " n " segments up to " last; exit !ok }'
}

# Creates the backup slot unless it exists; needs the caller's sql(). A new slot reserves WAL from
# the last checkpoint's redo point (in segment 1 on a new cluster, where pg_receivewal cannot be
# pointed: it ignores a placeholder for segment 0), so it is moved to a fresh segment boundary.
ensure_backup_slot() {
  [ "$(sql "SELECT count(*) FROM pg_replication_slots WHERE slot_name = '$BACKUP_SLOT'")" = 0 ] || return 0
  sql "SELECT 1 FROM pg_create_physical_replication_slot('$BACKUP_SLOT', true)" >/dev/null
  sql "SELECT pg_switch_wal()" >/dev/null
  sql "SELECT pg_replication_slot_advance('$BACKUP_SLOT', pg_current_wal_flush_lsn())" >/dev/null
}

# Copies a finished local backup to the destination; never overwrites what is there.
ship() {
  local_dir=$1
  remote_dir=$2
  rclone copy --immutable --checksum --no-traverse "$local_dir" "$remote_dir"
  rclone check --one-way "$local_dir" "$remote_dir" >/dev/null 2>&1 || die "verification of $remote_dir failed"
  log "shipped $local_dir to $remote_dir"
}
