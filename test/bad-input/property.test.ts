import { App, Chart, Testing } from 'cdk8s';
import * as fc from 'fast-check';
import { ApiService, BackupPolicy, DataTier, EnvValue, ObservabilityStack, PlatformNamespace, PropValidationError } from '../../lib';
import { checkUniqueObjects, isDns1035Label, isDns1123Label, isDns1123Subdomain, isLabelValue, isQualifiedName } from '../../lib/shared';
import { DESTINATION } from '../backup/fixtures';
import { TIER_PROPS } from '../data-tier/fixtures';
import { K8sObject, synthAppValid } from '../harness/synth';
import { GRAFANA, IMAGE } from './builders';

/**
 * Generated props, valid and not: whatever a construct accepts must synthesize to objects that
 * pass strict schema validation and the API server's name and label rules; whatever it refuses
 * must be refused with the construct-path message, never a TypeError.
 */

// A value from the field's own vocabulary, a near miss, or anything at all.
const pick = <T>(good: T[], bad: unknown[]) => fc.oneof(
  { weight: 20, arbitrary: fc.constantFrom(...good) },
  { weight: 2, arbitrary: fc.constantFrom(...bad) },
  { weight: 1, arbitrary: fc.oneof(fc.string({ maxLength: 12 }), fc.integer(), fc.double(), fc.constant(undefined), fc.constant(null)) },
);
const optional = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined, freq: 3 });

// A typo that a JavaScript caller might make, in one input of ten.
const rarely = <T>(a: fc.Arbitrary<T>) => fc.oneof({ weight: 9, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: a });

const name = pick(['api', 'search-api', 'a1', 'x', 'media-ai-api', 'a'.repeat(40)], ['1api', 'API', 'a_b', '-a', 'a-', '', 'a.b', 'a'.repeat(60)]);
const memory = pick(['256Mi', '1Gi', '1.5Gi', '2Gi', '4Gi', '1073741824', '3G'], ['1 Gi', '4GB', '512m', '0', '-1Gi', '1e21Gi', '1Pi', '1.3']);
const cpu = pick(['100m', '250m', '1', '2', '0.5', '1500m'], ['0', '-1', '2 cores', '1.5.0', 'm', '1000']);
// Resources mostly as teams write them (consistent), sometimes field by field (limits may fall below requests).
const resources = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom({ cpuRequest: '250m', cpuLimit: '1', memoryRequest: '512Mi', memoryLimit: '1Gi' }, { memoryLimit: '8Gi' }, { cpuRequest: '100m' }, { memoryRequest: '1Gi', memoryLimit: '1.5Gi' }) },
  { weight: 1, arbitrary: fc.record({ cpuRequest: optional(cpu), cpuLimit: optional(cpu), memoryRequest: optional(memory), memoryLimit: optional(memory) }, { requiredKeys: [] }) },
);
const duration = pick(['10s', '15s', '30s', '1m', '1m30s', '2h'], ['5s', '0s', '1.5m', '30 s', '30s1m', '12h30d', '1']);
const path = pick(['/', '/metrics', '/health', '/api/v1/ready'], ['health', '/a b', '/a?b', '']);
const host = pick(['api.media-ai.com', 'search.example.com', '*.media-ai.com'], ['localhost', 'API.media-ai.com', '10.0.0.1', 'https://a.com', '*.*.a.com', 'a.com.']);
const int = (good: number[], bad: unknown[]) => pick(good, bad);
const cron = pick(['0 2 * * *', '*/30 * * * *', '15 3 * * 1-5', '@daily', '0 6 * * sun', '5 * * * *'], ['61 * * * *', '0 6 * * 7', '0 24 * * *', '* * * *', 'TZ=UTC 0 1 * * *', '@nightly', '*/0 * * * *']);
const envValue = fc.oneof(
  fc.constantFrom('info', 'media:', 'http://jaeger.monitoring.svc:4317', 'AKIAIOSFODNN7EXAMPLE', 'postgresql://a:b@db/x', 'password=x', '--token=abc').map((v) => EnvValue.fromValue(v)),
  fc.constant(EnvValue.fromSecret('s', 'k')),
  fc.constant(EnvValue.fromValue('media:', { notSecret: 'a cache key prefix' })),
);
const envName = pick(['LOG_LEVEL', 'CACHE_KEY_PREFIX', 'S3_ID', 'FEATURE_X', 'DB_PASS'], ['1X', 'A B', 'A=B']);

const apiProps = fc.record({
  image: pick([IMAGE, `api@sha256:${'a'.repeat(64)}`, 'registry.example.com:5000/team/api:2.0.1'], ['api:latest', 'api', 'Api:1', 'api@sha256:abc', 42]),
  name: optional(name),
  component: optional(pick(['api', 'gateway', 'search_api'], ['API Server', 'api-', ''])),
  port: optional(int([8000, 8080, 3000], [0, 65536, '8080', 1.5])),
  replicas: optional(int([1, 3, 5], [0, -1, 2.5, Infinity])),
  resources: optional(resources),
  rollingUpdate: optional(fc.record({
    maxSurge: optional(pick([0, 1, '25%', '50%'], ['150%', -1, '1.5'])),
    maxUnavailable: optional(pick([0, 1, '25%'], ['101%', -1])),
    minReadySeconds: optional(int([0, 10, 30, 700], [-1, 1.5])),
    progressDeadlineSeconds: optional(int([60, 600], [0, -5])),
  }, { requiredKeys: [] })),
  metrics: optional(fc.record({ path: optional(path), interval: optional(duration), port: optional(int([9090, 8000], [0, 70000])), stack: optional(pick(['platform', 'team-a'], ['my stack'])) }, { requiredKeys: [] })),
  ingress: optional(fc.record({ host, path: optional(path), tlsSecretName: optional(pick(['api-tls'], ['api_tls'])) }, { requiredKeys: ['host'] })),
  env: optional(fc.dictionary(envName as fc.Arbitrary<string>, envValue, { maxKeys: 3 })),
  args: optional(fc.array(fc.constantFrom('serve', '--port=8000', '--db-password=x', '--password', 'hunter2', '$(DB_PASSWORD)'), { maxLength: 3 })),
  tmpSizeLimit: optional(memory),
  service: optional(fc.record({ annotations: optional(fc.dictionary(pick(['example.com/a', 'team'], ['bad key', '-x']) as fc.Arbitrary<string>, fc.constantFrom('x', ''), { maxKeys: 2 })) }, { requiredKeys: [] })),
  replica: rarely(fc.constant(3)),
}, { requiredKeys: ['image'] });

const storage = fc.record({
  expectedDataSize: optional(pick(['1Gi', '20Gi', '50Gi', '100Mi'], ['0', '1 Gi', '1e21Gi', '1.5'])),
  headroomPercent: optional(int([30, 40, 50], [10, 0, 35.5])),
  expectedSize: rarely(fc.constant('50Gi')),
}, { requiredKeys: [] });

const tierProps = fc.record({
  pgName: optional(name), pgMajor: optional(int([13, 14, 15, 16], [11, 17, '16'])), pgStorage: optional(storage),
  pgSettings: optional(fc.constantFrom({ wal_level: 'minimal' }, { wal_level: 'minimal', archive_mode: 'off', max_wal_senders: 0 }, { work_mem: '8MB' }, { shared_buffers: '16GB' })),
  pgResources: optional(resources),
  redisMaxmemory: optional(pick(['512Mi', '1Gi', '1536Mi', '1073741824'], ['1.3Gi', '0', '1gb', '1900Mi', '-1'])),
  redisPersistence: optional(pick(['aof+rdb', 'aof', 'rdb', 'none'], ['always'])),
  redisResources: optional(resources),
  milvusName: optional(name),
  milvusConfig: optional(fc.constantFrom({ common: { retentionDuration: 3600 } }, { common: { security: { defaultRootPassword: 'Milvus' } } }, { proxy: { maxNameLength: 255 } })),
  monitoringNamespace: optional(pick(['monitoring', 'obs'], ['Monitoring', 'a_b'])),
});

const stackProps = fc.record({
  stack: optional(pick(['platform', 'team-a'], ['Platform', 'a b'])),
  agentsNamespace: optional(pick(['monitoring-agents', 'agents'], ['monitoring', 'Agents'])),
  prometheus: optional(fc.record({
    version: optional(pick(['v2.53.0', 'v2.54.1'], ['latest', 'v2', '2.53.0'])),
    retention: optional(pick(['15d', '30d', '1w', '12h'], ['12h30d', '15 d', '1.5d'])),
    storage: optional(pick([{ size: '50Gi' }, { size: '100Gi', storageClassName: 'fast' }], [{ size: '50 Gi' }, { size: '0' }, { sizes: '1Gi' }])),
    replicas: optional(int([1, 2, 3], [0, 11])),
  }, { requiredKeys: [] })),
  alerting: optional(fc.record({
    groupBy: optional(pick([['alertname'], ['alertname', 'service'], ['...']], [['alert name'], [], ['k8s-ns']])),
    version: optional(pick(['v0.27.0'], ['latest'])),
  }, { requiredKeys: [] })),
});

const monitorOptions = fc.record({
  probePath: optional(path),
  slo: optional(fc.record({
    latencyThresholdSeconds: optional(pick([0.25, 0.5, 1], [0, Infinity, -1, '0.5'])),
    availabilityPercent: optional(pick([99, 99.9, 99.95], [100, 80])),
    requestsMetric: optional(pick(['http_requests_total', 'api:requests:total'], ['http-requests-total', '1x'])),
    errorMatcher: optional(pick(['status=~"5.."', 'code!="200",method="GET"'], ['status=5..', 'status=~"5(.."'])),
  }, { requiredKeys: [] })),
}, { requiredKeys: [] });

const backupProps = fc.record({
  endpoint: pick(['https://s3.example.com', 'http://minio.backup.svc:9000', 'https://s3.eu-central-1.amazonaws.com/'], ['s3.example.com', 'https://k:s@s3.example.com', 'https://s3.example.com/bucket', 'ftp://x.com']),
  egressCidr: optional(pick(['0.0.0.0/0', '10.0.0.0/8', '192.168.1.0/24'], ['10.1.2.3/8', '10.0.0.0', '10.0.0.0/33'])),
  postgresFull: optional(cron), postgresWal: optional(cron), restoreDrill: optional(cron), redis: optional(cron),
  pgName: optional(pick(['postgres', 'pg', 'a'.repeat(38)], ['a'.repeat(39), 'a'.repeat(45)])),
});

const LABEL_LIMITS: Array<[string, (o: K8sObject) => boolean]> = [
  ['metadata.name is a DNS-1123 subdomain', (o) => isDns1123Subdomain(o.metadata.name)],
  ['Service and Namespace names are labels', (o) => !['Service', 'Namespace'].includes(o.kind) || (o.kind === 'Service' ? isDns1035Label(o.metadata.name) : isDns1123Label(o.metadata.name))],
  ['CronJob names ≤ 52', (o) => o.kind !== 'CronJob' || o.metadata.name.length <= 52],
  ['workload names are labels', (o) => !['Deployment', 'StatefulSet', 'DaemonSet'].includes(o.kind) || isDns1123Label(o.metadata.name)],
  ['labels are valid', (o) => Object.entries(o.metadata.labels ?? {}).every(([k, v]) => isQualifiedName(k) && isLabelValue(v))],
];

/** What the API server checks beyond the schema: name and label grammars. */
function expectApiServerRules(objects: K8sObject[]): void {
  for (const o of objects) {
    for (const [rule, ok] of LABEL_LIMITS) {
      if (!ok(o)) throw new Error(`${o.kind} ${o.metadata.name}: ${rule}`);
    }
  }
}

/** How many generated inputs were accepted and refused, per construct: both must occur. */
const outcomes: Record<string, { accepted: number; refused: number }> = {};

/** Builds in a fresh app; a refusal must be a PropValidationError naming a construct path under the chart. */
function check(kind: string, build: (app: App) => void): void {
  const tally = (outcomes[kind] ??= { accepted: 0, refused: 0 });
  const app = Testing.app();
  try {
    build(app);
  } catch (e) {
    if (!(e instanceof PropValidationError)) throw new Error(`not a construct-path error: ${(e as Error)?.stack ?? JSON.stringify(e)}`);
    // `<construct path under the chart>: <prop> (<value>) <what is accepted>`
    expect(e.message).toMatch(/^(test|monitoring)(\/[^:]+)?: [\w.[\]()-]+( options\.\w+)? \(.*\) \S/s);
    tally.refused++;
    return;
  }
  checkUniqueObjects(app);
  const objects = synthAppValid(app);
  expectApiServerRules(objects);
  tally.accepted++;
}

const RUNS = { api: 100, tier: 40, stack: 15, backup: 15, namespace: 100 };

describe('generated props: accepted means valid, refused means a construct-path message', () => {
  test('ApiService', () => {
    fc.assert(fc.property(apiProps, (props) => check('ApiService', (app) => {
      new ApiService(new Chart(app, 'test', { namespace: 'media-ai' }), 'api', props as any);
    })), { numRuns: RUNS.api, seed: 42 });
  });

  test('DataTier (Postgres, Redis, Milvus with etcd and MinIO)', () => {
    fc.assert(fc.property(tierProps, (p) => check('DataTier', (app) => {
      new DataTier(new Chart(app, 'test', { namespace: 'media-ai' }), 'data', {
        monitoringNamespace: p.monitoringNamespace as any,
        postgres: { ...TIER_PROPS.postgres, name: p.pgName as any, majorVersion: p.pgMajor as any, storage: p.pgStorage as any, settings: p.pgSettings as any, resources: p.pgResources as any },
        redis: { ...TIER_PROPS.redis, maxmemory: p.redisMaxmemory as any, persistence: p.redisPersistence as any, resources: p.redisResources as any },
        milvus: { ...TIER_PROPS.milvus, name: p.milvusName as any, config: p.milvusConfig },
      });
    })), { numRuns: RUNS.tier, seed: 42 });
  });

  test('ObservabilityStack and monitor()', () => {
    fc.assert(fc.property(stackProps, monitorOptions, (props, options) => check('ObservabilityStack', (app) => {
      const stack = new ObservabilityStack(new Chart(app, 'monitoring', { namespace: 'monitoring' }), 'observability', { grafana: GRAFANA, logging: false, ...props as any });
      stack.monitor(new ApiService(new Chart(app, 'test', { namespace: 'media-ai' }), 'api', { image: IMAGE, ingress: { host: 'api.media-ai.com' } }), options as any);
    })), { numRuns: RUNS.stack, seed: 42 });
  });

  test('BackupPolicy', () => {
    fc.assert(fc.property(backupProps, (p) => check('BackupPolicy', (app) => {
      const chart = new Chart(app, 'test', { namespace: 'media-ai' });
      const tier = new DataTier(chart, 'data', { ...TIER_PROPS, postgres: { ...TIER_PROPS.postgres, name: p.pgName as any } });
      new BackupPolicy(chart, 'backup', {
        destination: { ...DESTINATION, endpoint: p.endpoint as any, egressCidr: p.egressCidr as any },
        postgres: tier.postgres, redis: tier.redis,
        schedules: { postgresFull: p.postgresFull as any, postgresWal: p.postgresWal as any, restoreDrill: p.restoreDrill as any, redis: p.redis as any },
      });
    })), { numRuns: RUNS.backup, seed: 42 });
  });

  test('PlatformNamespace', () => {
    const props = fc.record({
      // Construct ids are strings (constructs itself refuses others before any prop is read).
      id: fc.oneof(fc.constantFrom('media-ai', 'team-a', 'ns1', 'kube-system', 'default', 'Media-AI', 'kube-public'), fc.stringMatching(/^[a-z0-9.-]{1,12}$/), fc.string({ minLength: 1, maxLength: 12 }).filter((s) => !/[/:]/.test(s))),
      podSecurity: optional(pick(['restricted', 'baseline', 'privileged'], ['restricted-v2', 'Restricted'])),
      podSecurityVersion: optional(pick(['v1.27', 'latest'], ['1.27', 'v2'])),
    });
    fc.assert(fc.property(props, (p) => check('PlatformNamespace', (app) => {
      new PlatformNamespace(new Chart(app, 'test'), p.id, { podSecurity: p.podSecurity as any, podSecurityVersion: p.podSecurityVersion as any });
    })), { numRuns: RUNS.namespace, seed: 42 });
  });

  test('every construct both accepted and refused some generated inputs', () => {
    for (const kind of ['ApiService', 'DataTier', 'ObservabilityStack', 'BackupPolicy', 'PlatformNamespace']) {
      expect(outcomes[kind]?.accepted).toBeGreaterThan(0);
      expect(outcomes[kind]?.refused).toBeGreaterThan(0);
    }
  });
});
