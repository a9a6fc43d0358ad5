/**
 * Placeholders for the MinIO credentials in a Milvus-style user.yaml, and the script that fills
 * them from the environment: shared by the Milvus server (data tier) and its backup job (backup),
 * so neither domain imports the other.
 */
export const ACCESS_KEY_PLACEHOLDER = '__MINIO_ACCESS_KEY__';
export const SECRET_KEY_PLACEHOLDER = '__MINIO_SECRET_KEY__';

/**
 * Fills the placeholders from $MINIO_ACCESS_KEY and $MINIO_SECRET_KEY as single-quoted YAML
 * strings. awk's ENVIRON and index/substr: no escaping pitfalls with '&', '/', '|' in secrets.
 */
export const RENDER_USER_YAML_SCRIPT = `set -eu
umask 077
awk -v q="'" '
function yq(s) { gsub(q, q q, s); return q s q }
{
  line = $0
  i = index(line, "${ACCESS_KEY_PLACEHOLDER}")
  if (i) line = substr(line, 1, i - 1) yq(ENVIRON["MINIO_ACCESS_KEY"]) substr(line, i + ${ACCESS_KEY_PLACEHOLDER.length})
  i = index(line, "${SECRET_KEY_PLACEHOLDER}")
  if (i) line = substr(line, 1, i - 1) yq(ENVIRON["MINIO_SECRET_KEY"]) substr(line, i + ${SECRET_KEY_PLACEHOLDER.length})
  print line
}' /config/user.yaml > /rendered/user.yaml
`;
