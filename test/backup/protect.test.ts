import { App, Chart, Testing } from 'cdk8s';
import { BackupPolicy, BackupPolicyProps, DataTier, IBackupSource, ObservabilityStack, Postgres, Redis, synthesizeAtomically } from '../../lib';
import { TIER_PROPS } from '../data-tier/fixtures';
import { K8sObject, synthAppValid } from '../harness/synth';
import { DESTINATION } from './fixtures';

const byKey = (objects: K8sObject[]) => [...objects].sort((a, b) =>
  `${a.kind}/${a.metadata.name}`.localeCompare(`${b.kind}/${b.metadata.name}`));

/** One app with the given stores, backed up either through the props or through protect(). */
function build(stores: (chart: Chart) => { props: Partial<BackupPolicyProps>; sources: IBackupSource[] }, how: 'props' | 'protect' | 'protect twice') {
  const app = Testing.app();
  const chart = new Chart(app, 'app', { namespace: 'media-ai' });
  const { props, sources } = stores(chart);
  const policy = new BackupPolicy(chart, 'backup', { destination: DESTINATION, ...(how === 'props' ? props : {}) });
  if (how !== 'props') for (const s of how === 'protect' ? sources : [...sources, ...sources]) policy.protect(s);
  return { app, policy };
}

const postgres = (chart: Chart) => {
  const pg = new Postgres(chart, 'postgres', { credentials: { name: 'pg-credentials' } });
  return { props: { postgres: pg }, sources: [pg] };
};
const redis = (chart: Chart) => {
  const r = new Redis(chart, 'redis', { password: { name: 'redis-credentials', key: 'password' } });
  return { props: { redis: r }, sources: [r] };
};
const tier = (chart: Chart) => {
  const t = new DataTier(chart, 'data', TIER_PROPS);
  return { props: { postgres: t.postgres, redis: t.redis, milvus: t.milvus }, sources: [t] };
};

describe('BackupPolicy.protect()', () => {
  test.each([['a stand-alone Postgres', postgres], ['a stand-alone Redis', redis], ['a DataTier', tier]])(
    '%s: renders the same objects as the props, strictly valid; protecting twice changes nothing', (_, stores) => {
      const viaProps = synthAppValid(build(stores, 'props').app);
      const viaProtect = synthAppValid(build(stores, 'protect').app);
      const twice = synthAppValid(build(stores, 'protect twice').app);
      expect(viaProps.filter((o) => o.kind === 'CronJob').length).toBeGreaterThan(0);
      expect(byKey(viaProtect)).toEqual(byKey(viaProps));
      expect(byKey(twice)).toEqual(byKey(viaProps));
    });

  test('the alerts cover the stores protected after construction', () => {
    const { policy } = build(postgres, 'protect');
    const alerts = policy.ruleGroups.flatMap((g) => g.rules).map((r) => JSON.stringify(r));
    expect(alerts.some((r) => r.includes('postgres-base-backup'))).toBe(true);
  });

  test('a store protected by the props and again by protect() is backed up once', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'app', { namespace: 'media-ai' });
    const t = new DataTier(chart, 'data', TIER_PROPS);
    const policy = new BackupPolicy(chart, 'backup', { destination: DESTINATION, postgres: t.postgres });
    policy.protect(t);
    policy.protect(t.postgres);
    const names = synthAppValid(app).filter((o) => o.kind === 'CronJob').map((o) => o.metadata.name).sort();
    expect(names).toEqual(['milvus-backup', 'milvus-minio-mirror', 'postgres-base-backup', 'postgres-dump', 'postgres-restore-drill', 'postgres-wal-backup', 'redis-backup']);
  });

  test('a second, different store of the same kind and name is refused with both construct paths', () => {
    const app = new App();
    const chart = new Chart(app, 'app', { namespace: 'media-ai' });
    const t = new DataTier(chart, 'data', TIER_PROPS);
    const other = new Postgres(new Chart(app, 'other', { namespace: 'media-ai' }), 'pg', { name: 'postgres', credentials: { name: 'pg2' } });
    const policy = new BackupPolicy(chart, 'backup', { destination: DESTINATION });
    policy.protect(t);
    expect(() => policy.protect(other)).toThrow(
      /^app\/backup: protect\(\) \("other\/pg"\) is a second postgres named 'postgres': app\/data\/postgres is already protected by this policy/);
  });

  test.each([
    ['undefined', undefined, /^app\/backup: protect\(\) \(missing\) must be a store that can be backed up \(IBackupSource\)/],
    ['props instead of a construct', TIER_PROPS.postgres, /^app\/backup: protect\(\) \("object"\) must be a store that can be backed up/],
  ])('protect(%s) is refused with the policy path', (_, source, message) => {
    const chart = new Chart(Testing.app(), 'app', { namespace: 'media-ai' });
    const policy = new BackupPolicy(chart, 'backup', { destination: DESTINATION });
    expect(() => policy.protect(source as unknown as IBackupSource)).toThrow(message);
  });

  test('a group given to a single-store prop is refused', () => {
    const chart = new Chart(Testing.app(), 'app', { namespace: 'media-ai' });
    const t = new DataTier(chart, 'data', TIER_PROPS);
    expect(() => new BackupPolicy(chart, 'backup', { destination: DESTINATION, postgres: t })).toThrow(
      /^app\/backup: postgres \("app\/data"\) must be one postgres store \(e\.g\. dataTier\.postgres\)/);
    expect(() => new BackupPolicy(chart, 'backup2', { destination: { ...DESTINATION, prefix: 'x' }, redis: t.postgres })).toThrow(
      /^app\/backup2: redis \("app\/data\/postgres"\) must be one redis store/);
  });

  test('two Milvus of different names in one policy: each gets its own config', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'app', { namespace: 'media-ai' });
    const a = new DataTier(chart, 'a', { ...TIER_PROPS, postgres: { ...TIER_PROPS.postgres, name: 'pg-a' }, redis: { ...TIER_PROPS.redis, name: 'redis-a' }, milvus: { ...TIER_PROPS.milvus, name: 'milvus-a' } });
    const b = new DataTier(chart, 'b', { ...TIER_PROPS, postgres: { ...TIER_PROPS.postgres, name: 'pg-b' }, redis: { ...TIER_PROPS.redis, name: 'redis-b' }, milvus: { ...TIER_PROPS.milvus, name: 'milvus-b' } });
    const policy = new BackupPolicy(chart, 'backup', { destination: DESTINATION });
    policy.protect(a);
    policy.protect(b);
    const objects = synthAppValid(app);
    expect(objects.filter((o) => o.kind === 'ConfigMap' && o.metadata.name.endsWith('-backup-config')).map((o) => o.metadata.name).sort())
      .toEqual(['milvus-a-backup-config', 'milvus-b-backup-config']);
  });
});

describe('the backup alerts go to the stack that monitors the protected stores', () => {
  const GRAFANA = { adminUser: { name: 'grafana-admin', key: 'user' }, adminPassword: { name: 'grafana-admin', key: 'password' } };
  const alertsStack = (objects: K8sObject[]) => objects.find((o) => o.kind === 'PrometheusRule' && o.metadata.name === 'backup-backup-alerts')!.metadata.labels!['monitoring.media-ai.io/stack'];

  function app(monitor: (stack: ObservabilityStack, pg: Postgres, r: Redis) => void, props: Partial<BackupPolicyProps> = {}) {
    const a = Testing.app();
    const chart = new Chart(a, 'app', { namespace: 'shop' });
    const pg = new Postgres(chart, 'postgres', { credentials: { name: 'pg-credentials' } });
    const r = new Redis(chart, 'redis', { password: { name: 'redis-credentials', key: 'password' } });
    // The policy first, monitor() after: the label follows what the stores end up with.
    new BackupPolicy(chart, 'backup', { destination: DESTINATION, postgres: pg, redis: r, ...props });
    const stack = new ObservabilityStack(new Chart(a, 'observe', { namespace: 'observe' }), 'observability', { stack: 'team', grafana: GRAFANA, logging: false, agentsNamespace: 'observe-agents' });
    monitor(stack, pg, r);
    return a;
  }

  test('stores monitored by stack team: the alerts carry team, whatever the order of the calls', () => {
    expect(alertsStack(synthAppValid(app((stack, pg, r) => { stack.monitor(pg); stack.monitor(r); })))).toBe('team');
  });

  test('no store monitored: the default stack; an explicit monitoringStack wins', () => {
    expect(alertsStack(synthAppValid(app(() => undefined)))).toBe('platform');
    expect(alertsStack(synthAppValid(app((stack, pg, r) => { stack.monitor(pg); stack.monitor(r); }, { monitoringStack: 'ops' })))).toBe('ops');
  });

  test('one store monitored, the other not: the alerts follow the monitored one', () => {
    expect(alertsStack(synthAppValid(app((stack, pg) => stack.monitor(pg))))).toBe('team');
  });

  test('stores on two stacks: monitoringStack must be given; the error names each store and comes before any rendering', () => {
    const both = app((stack, pg) => stack.monitor(pg));
    const other = new ObservabilityStack(new Chart(both, 'ops', { namespace: 'ops' }), 'observability', { stack: 'ops', grafana: GRAFANA, logging: false, agentsNamespace: 'ops-agents', nodeExporter: false });
    other.monitor(both.node.findChild('app').node.findChild('redis') as Redis);
    expect(() => synthesizeAtomically(both)).toThrow(
      "app/backup: monitoringStack (missing) must be given: the protected stores are monitored by different stacks (ops (app/redis), team (app/postgres)); name the stack whose Alertmanager gets the backup alerts");
  });

  test('monitoringStack is a stack name (a DNS label)', () => {
    expect(() => app(() => undefined, { monitoringStack: 'Bad Label!' })).toThrow(/^app\/backup: monitoringStack \("Bad Label!"\) must be a DNS-1123 label/);
  });
});

describe('a policy protects stores of its own namespace', () => {
  test('a store in another namespace is refused: the jobs could not read its Secrets', () => {
    const app = Testing.app();
    const pg = new Postgres(new Chart(app, 'data', { namespace: 'data' }), 'postgres', { credentials: { name: 'pg-credentials' } });
    const policy = new BackupPolicy(new Chart(app, 'ops', { namespace: 'backup' }), 'backup', { destination: DESTINATION });
    expect(() => policy.protect(pg)).toThrow(
      "ops/backup: protect() (\"data/postgres\") is in namespace 'data' and the backup jobs run in the policy's ('backup'): they read the store's Secrets, and a pod reads Secrets only in its own namespace; put the BackupPolicy in the store's namespace (one policy per namespace)");
  });
});
