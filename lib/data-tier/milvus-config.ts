import { Yaml } from 'cdk8s';
import { ACCESS_KEY_PLACEHOLDER, SECRET_KEY_PLACEHOLDER } from '../shared/milvus-user-yaml';

export { ACCESS_KEY_PLACEHOLDER, RENDER_USER_YAML_SCRIPT, SECRET_KEY_PLACEHOLDER } from '../shared/milvus-user-yaml';

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
