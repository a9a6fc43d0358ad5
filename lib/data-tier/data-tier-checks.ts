import { IConstruct } from 'constructs';
import { checkKnownProps, detectCredential, fail, formatBytesCeil, propKeys } from '../shared';
import type { DataTierProps } from './data-tier';
import type { EtcdProps } from './etcd';
import type { MilvusProps } from './milvus';
import type { MinioProps } from './minio';
import type { PostgresProps } from './postgres';
import type { ConfValue } from './postgres-config';
import type { RedisProps } from './redis';
import type { StoreCommonProps } from './stateful-store';

// Prop names, checked complete by the compiler: a prop added to an interface must be added here.
const COMMON = { name: true, monitoringNamespace: true, monitoringStack: true, priorityClassName: true, topologySpread: true } as const;
const COMMON_KEYS = propKeys<StoreCommonProps>()(COMMON);
export const POSTGRES_KEYS = propKeys<PostgresProps>()({
  ...COMMON, credentials: true, database: true, majorVersion: true, image: true, resources: true, storage: true, maxConnections: true,
  settings: true, archiveCommand: true, exporterImage: true, connectionUrlSecret: true, appCredentials: true,
});
export const REDIS_KEYS = propKeys<RedisProps>()({
  ...COMMON, password: true, image: true, resources: true, maxmemory: true, maxmemoryPolicy: true, persistence: true, storage: true,
  exporterImage: true, connectionUrlSecret: true,
});
export const MILVUS_KEYS = propKeys<MilvusProps>()({
  ...COMMON, minioCredentials: true, image: true, resources: true, storage: true, bucket: true, config: true, etcd: true, minio: true,
});
const ETCD_KEYS = propKeys<Omit<EtcdProps, 'name' | keyof StoreCommonProps>>()({ image: true, resources: true, quotaBackendBytes: true, autoCompactionRetention: true, storage: true });
const MINIO_KEYS = propKeys<Omit<MinioProps, 'credentials' | 'name' | keyof StoreCommonProps>>()({ image: true, resources: true, storage: true });
const TIER_KEYS = propKeys<DataTierProps>()({ postgres: true, redis: true, milvus: true, monitoringNamespace: true, monitoringStack: true, priorityClassName: true });
const STORE_IN_TIER = COMMON_KEYS.filter((k) => k !== 'name');

/** DataTier props for untyped callers; each store's own keys are checked by the store. */
export function checkDataTierProps(scope: IConstruct, props: DataTierProps): void {
  checkKnownProps(scope, 'props', props, TIER_KEYS);
  for (const store of ['postgres', 'redis', 'milvus'] as const) {
    const given = props[store] as Record<string, unknown> | undefined;
    if (given === undefined || given === null || typeof given !== 'object') fail(scope, store, given, `is required: the ${store} props`);
    const shared = Object.keys(given).find((k) => STORE_IN_TIER.includes(k));
    if (shared) fail(scope, `${store}.${shared}`, given[shared], `is set once for every store: use the DataTier prop '${shared}'`);
  }
}

export function checkPostgresProps(scope: IConstruct, props: PostgresProps): void {
  checkKnownProps(scope, 'props', props, POSTGRES_KEYS);
}

export function checkRedisProps(scope: IConstruct, props: RedisProps): void {
  checkKnownProps(scope, 'props', props, REDIS_KEYS);
}

export function checkMilvusProps(scope: IConstruct, props: MilvusProps): void {
  checkKnownProps(scope, 'props', props, MILVUS_KEYS);
  checkKnownProps(scope, 'etcd', props.etcd, ETCD_KEYS, false);
  checkKnownProps(scope, 'minio', props.minio, MINIO_KEYS, false);
  checkNoCredentialsInConfig(scope, 'config', props.config);
}

/** The pinned image of each supported major: a bare `postgres:16` would float to every minor release. */
export const POSTGRES_IMAGES: Record<number, string> = { 13: 'postgres:13.18', 14: 'postgres:14.15', 15: 'postgres:15.10', 16: 'postgres:16.6' };

/** Settings PostgreSQL refuses to start with together (its own checks at startup). */
export function checkPostgresSettingsTogether(scope: IConstruct, settings: Record<string, ConfValue>): void {
  if (String(settings.wal_level) !== 'minimal') return;
  if (!['off', 'false', '0'].includes(String(settings.archive_mode))) {
    fail(scope, 'settings.wal_level', 'minimal', `cannot be used with archive_mode=${settings.archive_mode} (PostgreSQL refuses to start: WAL archival needs wal_level replica or logical); the backups need 'replica'`);
  }
  if (Number(settings.max_wal_senders) > 0) {
    fail(scope, 'settings.wal_level', 'minimal', `cannot be used with max_wal_senders=${settings.max_wal_senders} (PostgreSQL refuses to start: WAL streaming needs wal_level replica or logical); set max_wal_senders: 0 as well`);
  }
}

/**
 * Room Redis needs outside maxmemory: the forked child for RDB/AOF rewrites copies pages that
 * change while it writes (copy-on-write), plus the server's own buffers. 10 % of the limit and
 * at least 64Mi without persistence; 20 % and 128Mi with it.
 */
export function checkRedisMemory(scope: IConstruct, maxmemoryBytes: number, maxmemoryText: string | undefined, limitBytes: number, limitText: string, persistence: string): void {
  const forks = persistence !== 'none';
  // A save forks: copy-on-write can double the dataset under the same limit, so half stays free.
  const reserve = Math.max(forks ? 128 * 2 ** 20 : 64 * 2 ** 20, limitBytes * (forks ? 0.5 : 0.1));
  if (maxmemoryBytes + reserve > limitBytes) {
    const most = Math.max(0, limitBytes - reserve);
    fail(scope, 'maxmemory', maxmemoryText ?? formatBytesCeil(maxmemoryBytes),
      `must leave ${forks ? 'room for the persistence fork (copy-on-write) and' : 'room for'} Redis's own buffers under resources.memoryLimit (${limitText}): at most ${Math.floor(most / 2 ** 20)}Mi${forks ? " with persistence (or persistence: 'none')" : ''}`);
  }
}

/** Milvus user.yaml lands in a ConfigMap: credentials there would be readable by anyone who can read ConfigMaps. */
export function checkNoCredentialsInConfig(scope: IConstruct, prop: string, value: unknown): void {
  if (value === undefined) return;
  if (value === null || typeof value !== 'object') fail(scope, prop, value, 'must be an object (the user.yaml overrides)');
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    const path = `${prop}.${k}`;
    if (v !== null && typeof v === 'object') {
      checkNoCredentialsInConfig(scope, path, v);
      continue;
    }
    if (typeof v !== 'string' || v === '') continue;
    const kind = detectCredential(v, k.toUpperCase()) ?? (/password|secret|token|accesskey|credential/i.test(k) ? 'a credential setting' : undefined);
    if (kind) fail(scope, path, '<literal>', `looks like a credential (${kind}): the config is a ConfigMap; give credentials from a Secret (as minioCredentials does)`);
  }
}
