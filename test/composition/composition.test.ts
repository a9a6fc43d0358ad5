import * as path from 'path';
import * as fs from 'fs';
/**
 * Any composition works: the constructs meet only through the contracts (IConnectable,
 * IMonitorable), whatever the names, namespaces and charts. Each case is synthesized with strict
 * validation and checked by the cluster-semantics harness (scrapes reach their targets, monitors
 * are selected, nothing is duplicated), with no finding at all.
 */
import { App, Chart, Testing } from 'cdk8s';
import {
  ApiService, DataTier, ObservabilityStack, ObservabilityStackProps, PlatformNamespace, platformPrerequisites, Postgres, Redis,
} from '../../lib';
import { TIER_PROPS } from '../data-tier/fixtures';
import { checkCluster, formatFindings, Prerequisite } from '../harness/cluster';
import { K8sObject, ofKind, only, synthAppValid } from '../harness/synth';

const IMAGE = 'r.example.com/api:1.0.0';
const slack = { apiUrl: { name: 'am-slack', key: 'url' }, channel: '#alerts' };

function stackProps(name?: string, agentsNamespace?: string, channel = '#alerts'): ObservabilityStackProps {
  return {
    ...(name ? { stack: name } : {}),
    ...(agentsNamespace ? { agentsNamespace } : {}),
    grafana: { adminUser: { name: 'grafana-admin', key: 'user' }, adminPassword: { name: 'grafana-admin', key: 'password' } },
    alerting: { receivers: { P0: { slack: { ...slack, channel } }, P1: { slack: { ...slack, channel } }, P2: { slack: { ...slack, channel } }, P3: { slack: { ...slack, channel } } } },
    logging: false,
  };
}

/** A monitoring stack in its own chart and namespace, with its privileged agents namespace. */
function monitoringChart(app: App, namespace: string, stack?: string, channel?: string, extra: Partial<ObservabilityStackProps> = {}): ObservabilityStack {
  const chart = new Chart(app, `mon-${namespace}`, { namespace });
  new PlatformNamespace(chart, `${namespace}-agents`, { podSecurity: 'privileged' });
  return new ObservabilityStack(chart, 'observability', { ...stackProps(stack, `${namespace}-agents`, channel), ...extra });
}

/** The operators, CRDs and ingress controller of the platform, and the Secrets each case names. */
function prerequisites(stackNamespaces: string[], appNamespaces: string[]): Prerequisite[] {
  const cluster = platformPrerequisites().filter((p) => p.kind !== 'Secret' && p.name !== 'elastic-operator' && !p.name.endsWith('.k8s.elastic.co'));
  const secret = (namespace: string, name: string, keys: string[]): Prerequisite => ({ kind: 'Secret', namespace, name, keys, reason: 'given by the team' });
  const namespace = (name: string): Prerequisite => ({ kind: 'Namespace', name, labels: { 'pod-security.kubernetes.io/enforce': 'restricted' }, reason: 'made by the cluster admins' });
  return [
    ...cluster,
    ...[...stackNamespaces, ...appNamespaces].map(namespace),
    ...stackNamespaces.flatMap((ns) => [secret(ns, 'grafana-admin', ['user', 'password']), secret(ns, 'am-slack', ['url'])]),
    ...appNamespaces.flatMap((ns) => [
      secret(ns, 'pg-credentials', ['username', 'password']), secret(ns, 'redis-credentials', ['password']),
      secret(ns, 'minio-credentials', ['access-key', 'secret-key']),
    ]),
  ];
}

function expectNoFindings(app: App, stackNamespaces: string[], appNamespaces: string[]): K8sObject[] {
  const objects = synthAppValid(app);
  expect(formatFindings(checkCluster(objects, { prerequisites: prerequisites(stackNamespaces, appNamespaces) }))).toBe(formatFindings([]));
  return objects;
}

const stackLabel = (o: K8sObject) => o.metadata.labels?.['monitoring.media-ai.io/stack'];

describe('composition matrix (strict validation + cluster-semantics harness)', () => {
  test('a stack named otherwise in another namespace scrapes the API and every store it monitors', () => {
    const app = Testing.app();
    const apps = new Chart(app, 'apps', { namespace: 'shop' });
    const api = new ApiService(apps, 'api', { image: IMAGE, livenessProbe: { path: '/livez' } });
    const tier = new DataTier(apps, 'data', TIER_PROPS);
    tier.connect(api);
    const stack = monitoringChart(app, 'obs', 'team');
    stack.monitor(api);
    stack.monitor(tier);
    const objects = expectNoFindings(app, ['obs'], ['shop']);
    const monitors = ofKind(objects, 'ServiceMonitor').filter((m) => m.metadata.namespace === 'shop');
    expect(monitors.map((m) => `${m.metadata.name}=${stackLabel(m)}`).sort()).toEqual(
      ['api', 'milvus-etcd', 'milvus-minio', 'milvus', 'postgres', 'redis'].map((n) => `${n}=team`),
    );
    // The stores admit this stack's Prometheus, not the literal `monitoring` namespace.
    const pgIngress = JSON.stringify(only(objects, 'NetworkPolicy', 'postgres').spec.ingress);
    expect(pgIngress).toContain('"kubernetes.io/metadata.name":"obs"');
    expect(pgIngress).not.toContain('"kubernetes.io/metadata.name":"monitoring"');
    // The Blackbox probe requests the API's liveness path.
    expect(only(objects, 'Probe').spec.targets.staticConfig.static).toEqual(['http://api.shop.svc.cluster.local:80/livez']);
  });

  test('the harness sees the failure the contract prevents: an API left with the default label is scraped by nobody', () => {
    const app = Testing.app();
    const apps = new Chart(app, 'apps', { namespace: 'shop' });
    new ApiService(apps, 'api', { image: IMAGE });
    monitoringChart(app, 'obs', 'team');
    const findings = checkCluster(synthAppValid(app), { prerequisites: prerequisites(['obs'], ['shop']) }).map((f) => `[${f.check}] ${f.object}: ${f.message}`);
    expect(findings.join('\n')).toMatch(/ServiceMonitor shop\/api/);
  });

  test('two stacks: distinct cluster-scoped names, each scrapes what it monitors', () => {
    const app = Testing.app();
    const a = new Chart(app, 'a', { namespace: 'team-a' });
    const b = new Chart(app, 'b', { namespace: 'team-b' });
    const apiA = new ApiService(a, 'api', { image: IMAGE });
    const apiB = new ApiService(b, 'api', { image: IMAGE });
    monitoringChart(app, 'obs-a', 'a').monitor(apiA);
    // Both stacks' node agents run on every node: the second node-exporter needs its own host port.
    monitoringChart(app, 'obs-b', 'b', undefined, { nodeExporter: { port: 9101 } }).monitor(apiB);
    const objects = expectNoFindings(app, ['obs-a', 'obs-b'], ['team-a', 'team-b']);
    expect(ofKind(objects, 'DaemonSet').map((d) => [d.metadata.namespace, d.spec.template.spec.containers[0].ports[0].containerPort]).sort()).toEqual([['obs-a-agents', 9100], ['obs-b-agents', 9101]]);
    expect(ofKind(objects, 'ClusterRole').map((r) => r.metadata.name).sort()).toEqual([
      'media-ai-kube-state-metrics-obs-a', 'media-ai-kube-state-metrics-obs-b', 'media-ai-prometheus-obs-a', 'media-ai-prometheus-obs-b',
    ]);
    expect(ofKind(objects, 'ServiceMonitor').filter((m) => m.metadata.name === 'api').map((m) => [m.metadata.namespace, stackLabel(m)]).sort()).toEqual([['team-a', 'a'], ['team-b', 'b']]);
  });

  test('two stacks on one node-exporter port are refused at synth, naming the other and the ways out', () => {
    const app = Testing.app();
    monitoringChart(app, 'obs-a', 'a');
    expect(() => monitoringChart(app, 'obs-b', 'b')).toThrow(
      'mon-obs-b/observability/NodeExporter: port (9100) is already bound on every node by mon-obs-a/observability/NodeExporter (node-exporter runs on the host network): give this stack another nodeExporter.port, or nodeExporter: false to run none');
    expect(() => monitoringChart(Testing.app(), 'obs', undefined, undefined, { nodeExporter: { port: 10250 } })).toThrow('port (10250) is bound by the kubelet on the nodes node-exporter runs on');
    expect(() => monitoringChart(Testing.app(), 'obs', undefined, undefined, { nodeExporter: { port: 6443 } })).toThrow('port (6443) is bound by the kube-apiserver');
    expect(() => monitoringChart(Testing.app(), 'obs', undefined, undefined, { nodeExporter: { port: 30100 } })).toThrow('port (30100) is in the NodePort range (30000–32767)');
  });

  test('two stacks on one agents namespace (the default for both) are refused, naming agentsNamespace and the port', () => {
    const app = Testing.app();
    const props = { ...stackProps('a'), agentsNamespace: undefined };
    new ObservabilityStack(new Chart(app, 'mon-a', { namespace: 'obs-a' }), 'observability', props);
    expect(() => new ObservabilityStack(new Chart(app, 'mon-b', { namespace: 'obs-b' }), 'observability', { ...props, stack: 'b', nodeExporter: { port: 9101 } })).toThrow(
      "mon-b/observability: agentsNamespace (\"monitoring-agents\") is already the agents namespace of the stack mon-a/observability (its node-exporter and Filebeat live there under fixed names): give this stack its own agentsNamespace, and, as the agents share the nodes, another nodeExporter.port or nodeExporter: false");
  });

  test('a second stack may run no node-exporter: no DaemonSet, no node scrape, Prometheus reaches the nodes only for the kubelet', () => {
    const app = Testing.app();
    const api = new ApiService(new Chart(app, 'shop', { namespace: 'shop' }), 'api', { image: IMAGE });
    monitoringChart(app, 'obs-a', 'a');
    const second = monitoringChart(app, 'obs-b', 'b', undefined, { nodeExporter: false });
    second.monitor(api);
    expect(second.nodeExporter).toBeUndefined();
    const objects = expectNoFindings(app, ['obs-a', 'obs-b'], ['shop']);
    expect(ofKind(objects, 'DaemonSet').map((d) => d.metadata.namespace)).toEqual(['obs-a-agents']);
    const egress = ofKind(objects, 'NetworkPolicy').find((p) => p.metadata.namespace === 'obs-b' && p.metadata.name === 'prometheus')!.spec.egress;
    const nodePorts = egress.filter((r: any) => r.to?.some((t: any) => t.ipBlock)).flatMap((r: any) => r.ports.map((p: any) => p.port));
    expect([...new Set<number>(nodePorts)].sort((x, y) => x - y)).toEqual([443, 6443, 10250]);
  });

  test('two APIs named `api` in two namespaces, monitored by one stack: rules and dashboards per namespace, SLOs filter by namespace', () => {
    const app = Testing.app();
    const a = new ApiService(new Chart(app, 'a', { namespace: 'team-a' }), 'api', { image: IMAGE });
    const b = new ApiService(new Chart(app, 'b', { namespace: 'team-b' }), 'api', { image: IMAGE });
    const stack = monitoringChart(app, 'obs');
    stack.monitor(a);
    stack.monitor(b);
    const objects = expectNoFindings(app, ['obs'], ['team-a', 'team-b']);
    const slo = ofKind(objects, 'PrometheusRule').filter((r) => r.metadata.name.endsWith('-slo'));
    expect(slo.map((r) => r.metadata.name).sort()).toEqual(['media-ai-team-a-api-slo', 'media-ai-team-b-api-slo']);
    for (const ns of ['team-a', 'team-b']) {
      const rules = slo.find((r) => r.metadata.name === `media-ai-${ns}-api-slo`)!.spec.groups.flatMap((g: any) => g.rules);
      // Every expression selects this namespace only.
      for (const r of rules) expect(r.expr).toContain(`namespace="${ns}"`);
    }
    expect(Object.keys(only(objects, 'ConfigMap', 'grafana-dashboards').data)).toEqual(expect.arrayContaining(['api-team-a-api.json', 'api-team-b-api.json']));
    expect(ofKind(objects, 'Probe').map((p) => p.metadata.name).sort()).toEqual(['api-team-a', 'api-team-b']);
  });

  test('a stand-alone Redis (no DataTier) is monitored: its label, its ingress, its alerts next to it', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'cache', { namespace: 'cache' });
    const redis = new Redis(chart, 'sessions', { password: { name: 'redis-credentials', key: 'password' } });
    const stack = monitoringChart(app, 'obs', 'team');
    stack.monitor(redis);
    const objects = expectNoFindings(app, ['obs'], ['cache']);
    expect(stackLabel(only(objects, 'ServiceMonitor', 'sessions'))).toBe('team');
    const alerts = only(objects, 'PrometheusRule', 'media-ai-cache-sessions').spec.groups[0].rules;
    expect(alerts.map((r: any) => r.alert)).toEqual(['RedisDown', 'RedisPersistenceFailing', 'RedisMemoryNearMax', 'RedisClientsSaturated']);
    expect(alerts[0].expr).toContain('job="sessions",namespace="cache"');
  });

  test('monitor() and connect() twice: the same target is a no-op, a conflicting one a clear error', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'apps', { namespace: 'shop' });
    const api = new ApiService(chart, 'api', { image: IMAGE });
    const pg = new Postgres(chart, 'pg', TIER_PROPS.postgres);
    const other = new Postgres(chart, 'pg2', TIER_PROPS.postgres);
    api.connect(pg);
    api.connect(pg);
    expect(() => api.connect(other)).toThrow(/^apps\/api: connect\(\) \("apps\/pg2"\) sets DB_USER, which the connection to apps\/pg already set: an API connects to one server per variable/);
    const stack = monitoringChart(app, 'obs');
    stack.monitor(api);
    stack.monitor(api);
    stack.monitor(pg);
    const second = monitoringChart(app, 'obs2', 'other', undefined, { nodeExporter: false });
    expect(() => second.monitor(api)).toThrow(/^apps\/api: monitor\(\) \("other"\) is a second monitoring stack: apps\/api is already monitored by stack 'platform'/);
  });

  test('one vocabulary: monitoringStack on the API as on the stores; metrics.stack is its deprecated alias', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'apps', { namespace: 'shop' });
    const api = new ApiService(chart, 'api', { image: IMAGE, monitoringStack: 'team' });
    const redis = new Redis(chart, 'cache', { ...TIER_PROPS.redis, monitoringStack: 'team' });
    const legacy = new ApiService(chart, 'legacy', { image: IMAGE, metrics: { stack: 'team' } });
    const objects = Testing.synth(chart) as K8sObject[];
    expect([api.name, redis.name, legacy.name].map((n) => stackLabel(only(objects, 'ServiceMonitor', n)))).toEqual(['team', 'team', 'team']);
    expect(() => new ApiService(chart, 'both', { image: IMAGE, monitoringStack: 'team', metrics: { stack: 'platform' } }))
      .toThrow(/^apps\/both: metrics.stack \("platform"\) is the deprecated name of monitoringStack, which says 'team': give only monitoringStack/);
    // A stack other than the one named is refused rather than silently relabelling.
    expect(() => monitoringChart(app, 'obs').monitor(api)).toThrow(/^apps\/api: monitoringStack \("team"\) names another stack than the one monitoring it \('platform'\)/);
  });

  test('a second stack refused, the first still works (nothing half-applied on the target)', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'apps', { namespace: 'shop' });
    const api = new ApiService(chart, 'api', { image: IMAGE });
    monitoringChart(app, 'obs').monitor(api);
    const env = only(Testing.synth(chart) as K8sObject[], 'Deployment').spec.template.spec.containers[0].env ?? [];
    expect(env.filter((e: any) => e.name.startsWith('OTEL_'))).toEqual([]);
    expectNoFindings(app, ['obs'], ['shop']);
  });

  test('constructs across charts: API to API with the same connect(), stores in another namespace', () => {
    const app = Testing.app();
    const front = new ApiService(new Chart(app, 'front', { namespace: 'front' }), 'web', { image: IMAGE });
    const back = new ApiService(new Chart(app, 'back', { namespace: 'back' }), 'search-api', { image: IMAGE });
    front.connect(back);
    const stack = monitoringChart(app, 'obs');
    stack.monitor(front);
    stack.monitor(back);
    const objects = expectNoFindings(app, ['obs'], ['front', 'back']);
    const env = only(objects, 'Deployment', 'web').spec.template.spec.containers[0].env;
    expect(env).toContainEqual({ name: 'SEARCH_API_URL', value: 'http://search-api.back.svc.cluster.local:80' });
    expect(only(objects, 'NetworkPolicy', 'search-api').spec.ingress).toContainEqual({
      from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'front' } }, podSelector: { matchLabels: front.podSelector } }],
      ports: [{ port: 8000, protocol: 'TCP' }],
    });
  });

  test('a store in a chart without a namespace: refused across namespaces (clear message), works in the same one', () => {
    const app = Testing.app();
    const api = new ApiService(new Chart(app, 'apps', { namespace: 'shop' }), 'api', { image: IMAGE });
    const loose = new Chart(app, 'loose');
    const redis = new Redis(loose, 'cache', TIER_PROPS.redis);
    expect(() => api.connect(redis)).toThrow(/^apps\/api: connect\(\) \("loose\/cache"\) cannot reach across namespaces from a chart without a namespace: give the chart of loose\/cache a namespace \(apps\/api is in 'shop'\)/);
    // Monitoring needs the namespace too: alerts select series by it.
    expect(() => monitoringChart(app, 'obs').monitor(redis)).toThrow(/^loose\/cache: monitor\(\) \("loose\/cache"\) is in a chart without a namespace: its alerts and dashboards select series by namespace/);
    const sameChartApi = new ApiService(loose, 'api', { image: IMAGE });
    sameChartApi.connect(redis);
    const env = only(Testing.synth(loose) as K8sObject[], 'Deployment').spec.template.spec.containers[0].env;
    expect(env).toContainEqual({ name: 'REDIS_URL', value: 'redis://:$(REDIS_PASSWORD)@cache:6379/0' });
  });

  test('snapshot pattern: a chart\'s snapshot (Testing.synth(chart)) does not change with an unrelated chart', () => {
    const build = (channel: string) => {
      const app = Testing.app();
      const chart = new Chart(app, 'apps', { namespace: 'shop' });
      const api = new ApiService(chart, 'api', { image: IMAGE });
      monitoringChart(app, 'obs', undefined, channel).monitor(api);
      return { chart: Testing.synth(chart), all: synthAppValid(app) };
    };
    const one = build('#alerts');
    const two = build('#other-channel');
    expect(two.chart).toEqual(one.chart);
    expect(two.all).not.toEqual(one.all);
  });
});

describe('domains meet only through lib/shared contracts', () => {
  const files = (dir: string): string[] => fs.readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []));
  const importsOf = (dir: string): string[] => files(path.join(__dirname, '../../lib', dir))
    .flatMap((f) => [...fs.readFileSync(f, 'utf8').matchAll(/from '(\.\.\/[^']+)'/g)].map((m) => `${path.basename(f)}: ${m[1]}`));
  test.each([
    ['observability', /\.\.\/(api-service|data-tier|backup|delivery)\b/],
    ['data-tier', /\.\.\/(api-service|observability|backup|delivery)\b/],
    ['api-service', /\.\.\/(data-tier|observability|backup)\b/],
    ['backup', /\.\.\/(data-tier|api-service|observability|delivery)\b/],
  ])('lib/%s imports no other domain\'s classes', (dir, other) => {
    expect(importsOf(dir).filter((i) => (other).test(i))).toEqual([]);
  });
});
