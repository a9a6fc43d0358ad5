#!/bin/sh
# Posts a file (the change summary) as a comment on the merge request of the pipeline. Does
# nothing outside merge-request pipelines or without GITLAB_TOKEN (a masked CI/CD variable).
#
# usage: mr-comment.sh <file>
set -eu
file=${1:?usage: mr-comment.sh <file>}
if [ -z "${CI_MERGE_REQUEST_IID:-}" ] || [ -z "${GITLAB_TOKEN:-}" ]; then
  echo "mr-comment: not a merge-request pipeline or no GITLAB_TOKEN; summary left in $file"
  exit 0
fi
url="$CI_API_V4_URL/projects/$CI_PROJECT_ID/merge_requests/$CI_MERGE_REQUEST_IID/notes"
# The token goes in a header read from stdin, not on the command line (visible in ps).
printf 'PRIVATE-TOKEN: %s\n' "$GITLAB_TOKEN" | curl --fail --silent --show-error --header @- \
  --data-urlencode "body@$file" "$url" >/dev/null
echo "mr-comment: summary posted on !$CI_MERGE_REQUEST_IID"
