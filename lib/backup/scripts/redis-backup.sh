#!/bin/sh
# Redis snapshot pulled over the replication protocol (redis-cli --rdb): no shell in the Redis pod,
# no admin command needed. The password comes from REDISCLI_AUTH, never the command line.
# Env: REDIS_HOST, [REDIS_PORT], REDISCLI_AUTH, WORK_DIR. Output: $WORK_DIR/redis/<stamp>/
set -eu
# shellcheck source=backup-lib.sh
. "${SCRIPTS_DIR:-/scripts}/backup-lib.sh"
require REDIS_HOST REDISCLI_AUTH WORK_DIR

stamp=$(backup_stamp)
out="$WORK_DIR/redis/$stamp"
mkdir -p "$out"
keys=$(redis-cli -h "$REDIS_HOST" -p "${REDIS_PORT:-6379}" --no-auth-warning dbsize)
redis-cli -h "$REDIS_HOST" -p "${REDIS_PORT:-6379}" --no-auth-warning --rdb "$out/dump.rdb" >/dev/null
[ -s "$out/dump.rdb" ] || die "empty snapshot from $REDIS_HOST"
head -c 5 "$out/dump.rdb" | grep -q '^REDIS' || die "not an RDB file"
printf '%s\n' "$keys" >"$out/DBSIZE"
write_checksums "$out"
log "redis snapshot $stamp: $keys keys"
