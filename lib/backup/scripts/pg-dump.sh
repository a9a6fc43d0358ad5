#!/bin/sh
# Daily logical dump (pg_dump custom format): portable across major versions and machines.
# Env: PGHOST PGPORT PGUSER PGPASSWORD PGDATABASE, WORK_DIR. Output: $WORK_DIR/postgres-dump/<stamp>/
set -eu
# shellcheck source=backup-lib.sh
. "${SCRIPTS_DIR:-/scripts}/backup-lib.sh"
require PGHOST PGUSER PGDATABASE WORK_DIR

stamp=$(backup_stamp)
out="$WORK_DIR/postgres-dump/$stamp"
mkdir -p "$out"
pg_dump -Fc -Z 6 --no-password -f "$out/$PGDATABASE.dump" "$PGDATABASE"
pg_restore --list "$out/$PGDATABASE.dump" >/dev/null || die "the dump of $PGDATABASE is unreadable"
write_checksums "$out"
log "dumped $PGDATABASE: $(wc -c <"$out/$PGDATABASE.dump") bytes"
