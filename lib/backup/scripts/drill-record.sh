#!/bin/sh
# Ships a restore drill's result (RESULT_FILE, with the measured restore time) to drills/<stamp>/
# at the destination, keeping a year of weekly results. Env: BACKUP_REMOTE, WORK_DIR, RESULT_FILE.
set -eu
# shellcheck source=backup-lib.sh
. "${SCRIPTS_DIR:-/scripts}/backup-lib.sh"
require BACKUP_REMOTE WORK_DIR RESULT_FILE

stamp=$(backup_stamp)
out="$WORK_DIR/drills/$stamp"
mkdir -p "$out"
cp "$RESULT_FILE" "$out/result.json"
write_checksums "$out"
BACKUP_KIND=drills RETAIN=${RETAIN:-52} sh "${SCRIPTS_DIR:-/scripts}/ship-dated.sh"
