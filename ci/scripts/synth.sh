#!/bin/sh
# Synthesizes the app into <out-dir> and writes change-summary.md: what the merge request changes
# in the rendered objects, against the same app synthesized from the target branch.
#
# usage: synth.sh <out-dir>
# env:   CI_MERGE_REQUEST_TARGET_BRANCH_NAME / CI_DEFAULT_BRANCH  branch to compare with (GitLab sets them; default main)
#        SYNTH_CMD      synthesizes into the directory given as its last argument (default: npx cdk8s synth -o)
#        MEDIA_AI_DIFF  the change-summary CLI (default: node bin/media-ai-diff, or the installed media-ai-diff)
#        SUMMARY_FILE   where the summary goes (default change-summary.md)
set -eu

out=${1:?usage: synth.sh <out-dir>}
base_ref=${CI_MERGE_REQUEST_TARGET_BRANCH_NAME:-${CI_DEFAULT_BRANCH:-main}}
synth=${SYNTH_CMD:-npx cdk8s synth -o}
summary=${SUMMARY_FILE:-change-summary.md}
if [ -n "${MEDIA_AI_DIFF:-}" ]; then diff_cmd=$MEDIA_AI_DIFF
elif [ -f bin/media-ai-diff ]; then diff_cmd="node bin/media-ai-diff"
else diff_cmd="npx --no-install media-ai-diff"
fi
export CDK8S_CHECK_UPGRADE=false

rm -rf "$out"
$synth "$out"

here=$(pwd)
work=$(mktemp -d)
cleanup() {
  git worktree remove --force "$work/src" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

# The target branch, synthesized with this job's node_modules (its lock file may differ: a
# dependency bump then shows up in the summary, which is what a reviewer wants to see).
if git fetch --quiet origin "$base_ref" && git worktree add --quiet --detach "$work/src" FETCH_HEAD; then
  [ ! -d node_modules ] || ln -s "$here/node_modules" "$work/src/node_modules"
  if ! (cd "$work/src" && $synth "$work/base"); then
    echo "synth: $base_ref does not synthesize; the summary lists every object as added" >&2
  fi
else
  echo "synth: cannot fetch $base_ref; the summary lists every object as added" >&2
fi

$diff_cmd "$work/base" "$out" > "$summary"
cat "$summary"
