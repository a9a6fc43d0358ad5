import { Yaml } from 'cdk8s';

export const ACCESS_KEY_PLACEHOLDER = '__MINIO_ACCESS_KEY__';
export const SECRET_KEY_PLACEHOLDER = '__MINIO_SECRET_KEY__';

/**
 * The user.yaml template for Milvus: MinIO/etcd endpoints and the caller's overrides, with
 * placeholders where the MinIO credentials go (filled at start from the Secret, never stored).
 */
export function renderMilvusUserYaml(input: { etcdEndpoint: string; minioHost: string; minioPort: number; bucket: string; overrides: Record<string, unknown> }): string {
  const config: Record<string, any> = {
    ...input.overrides,
    etcd: { ...(input.overrides.etcd as object), endpoints: [input.etcdEndpoint] },
    minio: {
      ...(input.overrides.minio as object),
      address: input.minioHost,
      port: input.minioPort,
      accessKeyID: ACCESS_KEY_PLACEHOLDER,
      secretAccessKey: SECRET_KEY_PLACEHOLDER,
      useSSL: false,
      bucketName: input.bucket,
    },
  };
  return Yaml.stringify(sortKeys(config));
}

function sortKeys(value: any): any {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') return Object.fromEntries(Object.keys(value).sort().map((k) => [k, sortKeys(value[k])]));
  return value;
}

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
