#!/bin/sh
# Installs the real programs the tests run the generated configuration through, from Debian's
# packages, when they are missing (idempotent; `npm test` runs it first). Needs root for apt-get.
set -eu
need=""
have() { command -v "$1" >/dev/null 2>&1; }
have redis-server || need="$need redis-server"
have promtool || need="$need prometheus"
have amtool || need="$need prometheus-alertmanager"
have prometheus-blackbox-exporter || need="$need prometheus-blackbox-exporter"
have shellcheck || need="$need shellcheck"
have rclone || need="$need rclone"
# docker-compose: the generated local stack (compose.yaml) is checked with `docker-compose config`.
have docker-compose || need="$need docker-compose"
# GNU time: `npm run bench` measures whole processes (wall, CPU, peak RSS) with it.
[ -x /usr/bin/time ] || need="$need time"
# git: the pipeline's synth step compares with the target branch in a worktree (test/delivery).
have git || need="$need git"
have curl || need="$need curl" # the ES ILM Job script runs with the real curl
have keytool || need="$need openjdk-17-jre-headless" # the Jaeger dependencies trust store is built with the real keytool
have openssl || need="$need openssl"
# PostgreSQL server binaries: on the image already, or Debian's postgresql.
have initdb || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need="$need postgresql"
[ -n "$need" ] || exit 0
if [ "$(id -u)" != 0 ]; then
  echo "missing test tools:$need — install them (apt-get install$need) or run as root" >&2
  exit 1
fi
echo "installing test tools:$need" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086 # word splitting of the package list is intended
apt-get install -y -qq --no-install-recommends $need >/dev/null
# The packages start their daemons; the tests start their own on private ports.
for svc in redis-server prometheus prometheus-alertmanager prometheus-blackbox-exporter postgresql; do
  service "$svc" stop >/dev/null 2>&1 || true
done
