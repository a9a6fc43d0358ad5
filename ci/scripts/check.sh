#!/bin/sh
# Strict validation of synthesized manifests: every object against the Kubernetes 1.27 schema or
# its CRD (closed objects, as `kubeconform -strict`), and every PrometheusRule through promtool.
#
# usage: check.sh <manifest-dir>
set -eu
dir=${1:?usage: check.sh <manifest-dir>}
[ -d "$dir" ] || { echo "check: $dir is not a directory" >&2; exit 2; }
root=$(cd "$(dirname "$0")/../.." && pwd)
exec npx --no-install ts-node --transpile-only --project "$root/tsconfig.json" "$root/ci/validate.ts" "$dir"
