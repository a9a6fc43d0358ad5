import { Chart, Testing } from 'cdk8s';
import { DataTier, DataTierProps } from '../../lib';
import { TIER_PROPS } from './fixtures';

const pg = TIER_PROPS.postgres;
const redis = TIER_PROPS.redis;
const milvus = TIER_PROPS.milvus;

// Each row: invalid DataTier props and the message (construct path, prop, what is accepted).
const cases: Array<[string, Partial<DataTierProps>, RegExp]> = [
  ['storage smaller than expected data plus headroom', { postgres: { ...pg, storage: { expectedDataSize: '100Gi', size: '110Gi' } } },
    /^test\/data\/postgres: storage.size \("110Gi"\) must hold expectedDataSize \(100Gi\) plus 30 % headroom: at least 130Gi/],
  ['headroom below the capacity plan', { postgres: { ...pg, storage: { headroomPercent: 10 } } }, /test\/data\/postgres: storage.headroomPercent \(10\) must be an integer ≥ 30/],
  ['malformed expected data size', { redis: { ...redis, storage: { expectedDataSize: '10 gigs' } } }, /test\/data\/redis: storage.expectedDataSize \("10 gigs"\) must be a storage quantity/],
  ['invalid storage class name', { postgres: { ...pg, storage: { storageClassName: 'Fast_SSD' } } }, /test\/data\/postgres: storage.storageClassName \("Fast_SSD"\) must be a DNS-1123 subdomain/],
  ['non-existent Postgres major version', { postgres: { ...pg, majorVersion: 11 } }, /test\/data\/postgres: majorVersion \(11\) must be one of 13, 14, 15, 16/],
  ['image of another Postgres major', { postgres: { ...pg, image: 'postgres:15.6' } }, /test\/data\/postgres: image \("postgres:15.6"\) must be a PostgreSQL 14 image/],
  ['unpinned Postgres image', { postgres: { ...pg, image: 'postgres:latest' } }, /test\/data\/postgres: image \("postgres:latest"\) must be pinned/],
  ['missing Postgres Secret reference', { postgres: { ...pg, credentials: undefined as any } }, /test\/data\/postgres: credentials \(missing\) is required/],
  ['invalid Postgres Secret name', { postgres: { ...pg, credentials: { name: 'PG Secret' } } }, /test\/data\/postgres: credentials.name \("PG Secret"\) must be a DNS-1123 subdomain/],
  ['shared_buffers above the memory limit', { postgres: { ...pg, settings: { shared_buffers: '8GB' } } }, /test\/data\/postgres: settings.shared_buffers \("8GB"\) must be below the container memory limit \(4096MB\)/],
  ['malformed setting name', { postgres: { ...pg, settings: { 'Shared Buffers': '1GB' } } }, /test\/data\/postgres: settings \("Shared Buffers"\) setting names are lower-case/],
  ['invalid database name', { postgres: { ...pg, database: 'media-ai' } }, /test\/data\/postgres: database \("media-ai"\) must be a lower-case PostgreSQL identifier/],
  ['max_connections too low', { postgres: { ...pg, maxConnections: 2 } }, /test\/data\/postgres: maxConnections \(2\) must be an integer ≥ 10/],
  ['memory limit below maxmemory', { redis: { ...redis, resources: { memoryLimit: '1Gi', memoryRequest: '512Mi' }, maxmemory: '2Gi', persistence: 'none' } }, /test\/data\/redis: maxmemory \("2Gi"\) must leave room for Redis's own buffers under resources.memoryLimit \(1Gi\): at most 921Mi/],
  // Issue #8 (minor): 75 % of the limit left no room for the fork's copy-on-write while persisting.
  ['maxmemory leaving no room for copy-on-write', { redis: { ...redis, resources: { memoryLimit: '2Gi', memoryRequest: '1Gi' }, maxmemory: '1536Mi' } }, /test\/data\/redis: maxmemory \("1536Mi"\) must leave room for the persistence fork \(copy-on-write\).*at most 1024Mi with persistence/],
  ['unknown eviction policy', { redis: { ...redis, maxmemoryPolicy: 'lru' } }, /test\/data\/redis: maxmemoryPolicy \("lru"\) must be one of noeviction, allkeys-lru/],
  ['missing Redis password Secret', { redis: { ...redis, password: undefined as any } }, /test\/data\/redis: password \(missing\) is required: a reference \{ name, key \} to an existing Secret/],
  ['Redis 6 image', { redis: { ...redis, image: 'redis:6.2.14' } }, /test\/data\/redis: image \("redis:6.2.14"\) must be a Redis 7 image/],
  ['Redis volume smaller than maxmemory', { redis: { ...redis, resources: { memoryLimit: '16Gi', memoryRequest: '8Gi' }, storage: { expectedDataSize: '1Gi' } } }, /test\/data\/redis: storage.size \("2Gi"\) must hold a snapshot of maxmemory \(7373Mi\)/],
  ['invalid persistence', { redis: { ...redis, persistence: 'always' as any } }, /test\/data\/redis: persistence \("always"\) must be 'aof\+rdb', 'aof', 'rdb' or 'none'/],
  ['missing MinIO secret key', { milvus: { ...milvus, minioCredentials: { accessKey: milvus.minioCredentials.accessKey } as any } }, /test\/data\/milvus\/minio: credentials.secretKey \(missing\) is required/],
  ['Milvus outside the 2.3 line', { milvus: { ...milvus, image: 'milvusdb/milvus:v2.4.1' } }, /test\/data\/milvus: image \("milvusdb\/milvus:v2.4.1"\) must be a Milvus 2.3 image/],
  ['invalid bucket name', { milvus: { ...milvus, bucket: 'My_Bucket' } }, /test\/data\/milvus: bucket \("My_Bucket"\) must be an S3 bucket name/],
  ['etcd volume below its quota', { milvus: { ...milvus, etcd: { quotaBackendBytes: '8Gi', storage: { expectedDataSize: '4Gi' } } } }, /test\/data\/milvus\/etcd: storage.size \("6Gi"\) must be larger than quotaBackendBytes \(8Gi\)/],
  ['etcd quota above the maximum', { milvus: { ...milvus, etcd: { quotaBackendBytes: '16Gi' } } }, /test\/data\/milvus\/etcd: quotaBackendBytes \("16Gi"\) must be at most 8Gi/],
  ['store name not a DNS label', { postgres: { ...pg, name: 'Postgres' } }, /test\/data\/postgres: name \("Postgres"\) must be a DNS-1035 label \(a Service name\)/],
];

describe('DataTier rejects bad input with a clear message', () => {
  test.each(cases)('%s', (_title, props, message) => {
    const chart = new Chart(Testing.app(), 'test', { namespace: 'media-ai' });
    expect(() => new DataTier(chart, 'data', { ...TIER_PROPS, ...props })).toThrow(message);
  });

  test('the table has at least 15 distinct cases', () => {
    expect(new Set(cases.map(([t]) => t)).size).toBeGreaterThanOrEqual(15);
  });
});
