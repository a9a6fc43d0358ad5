import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App, Chart, JsonPatch, Testing } from 'cdk8s';
import { ApiService, EnvValue, MediaAiPlatform, ObservabilityStack, PolicyGateError, synthesizeAtomically } from '../../lib';
import { checkPolicy, enforcePolicy } from '../../lib/policy';
import { PRIORITY_TIERS } from '../../lib/shared';
import { K8sObject, ofKind, synthAppValid } from '../harness/synth';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'policy-gate-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function platformApp(outdir?: string): App {
  const app = new App(outdir ? { outdir } : undefined);
  new MediaAiPlatform(app, 'media-ai');
  return app;
}

describe('the reference platform passes the gate with only recorded exemptions', () => {
  const app = platformApp();
  const objects = synthAppValid(app);

  test('no findings; exactly the recorded exemptions: three covering real findings, the log shipper (an ECK Beat, not read by the gate) recorded for auditors', () => {
    const report = checkPolicy(app);
    expect(report.errors).toEqual([]);
    expect(report.warnings).toEqual([]);
    expect(report.exemptions.map((e) => [e.object.split(' (')[0], e.rule, e.used])).toEqual([
      ['StatefulSet media-ai/milvus', 'read-only-root-filesystem', true],
      ['Deployment monitoring/kube-state-metrics', 'service-account-token', true],
      ['DaemonSet monitoring-agents/node-exporter', 'pod-security', true],
      ['Beat monitoring-agents/filebeat', 'pod-security', false],
    ]);
  });

  test('the node agent with a pod-security exemption runs in a namespace whose Pod Security level admits it', () => {
    const ns = objects.find((o) => o.kind === 'Namespace' && o.metadata.name === 'monitoring-agents')!;
    expect(ns.metadata.labels?.['pod-security.kubernetes.io/enforce']).toBe('privileged');
    for (const o of objects.filter((x) => (x.metadata as any).annotations?.['policy.media-ai.io/exempt-pod-security'])) {
      const level = objects.find((n) => n.kind === 'Namespace' && n.metadata.name === o.metadata.namespace)?.metadata.labels?.['pod-security.kubernetes.io/enforce'];
      expect([o.metadata.name, level]).toEqual([o.metadata.name, 'privileged']);
    }
  });

  test('PriorityClasses: one per tier, in the namespaces chart, ordered monitoring > stores > API > batch; every workload uses an existing one', () => {
    const namespacesChart = app.charts.find((c) => c.node.id === 'media-ai-namespaces')!;
    const classes = (Testing.synth(namespacesChart) as K8sObject[]).filter((o) => o.kind === 'PriorityClass');
    expect(classes.map((c) => [c.metadata.name, c.value, c.preemptionPolicy])).toEqual([
      ['media-ai-monitoring', 900000, undefined], ['media-ai-data-store', 800000, undefined], ['media-ai-api', 700000, undefined], ['media-ai-batch', 100000, 'Never'],
    ]);
    expect(ofKind(objects, 'PriorityClass')).toHaveLength(4);
    const known = new Set([...classes.map((c) => c.metadata.name), 'system-node-critical']);
    const templates = objects.flatMap((o) => {
      const t = o.kind === 'CronJob' ? o.spec.jobTemplate.spec.template : ['Deployment', 'StatefulSet', 'DaemonSet', 'Job'].includes(o.kind) ? o.spec.template : undefined;
      return t ? [[`${o.kind}/${o.metadata.name}`, t.spec.priorityClassName]] : [];
    });
    expect(templates.length).toBeGreaterThanOrEqual(19);
    expect(templates.filter(([, name]) => !known.has(name))).toEqual([]);
    const tier = (kind: string, name: string) => templates.find(([k]) => k === `${kind}/${name}`)![1];
    expect([tier('Deployment', 'media-ai-api'), tier('StatefulSet', 'postgres'), tier('CronJob', 'postgres-base-backup'), tier('Deployment', 'grafana')])
      .toEqual(['media-ai-api', 'media-ai-data-store', 'media-ai-batch', 'media-ai-monitoring']);
  });

  test('replicated monitoring components have a PDB allowing one eviction and a topology spread', () => {
    const jaeger = objects.find((o) => o.kind === 'Deployment' && o.metadata.name === 'jaeger')!;
    expect(jaeger.spec.replicas).toBeGreaterThanOrEqual(2);
    expect(jaeger.spec.template.spec.topologySpreadConstraints.map((t: any) => t.topologyKey)).toEqual(['topology.kubernetes.io/zone', 'kubernetes.io/hostname']);
    const pdb = objects.find((o) => o.kind === 'PodDisruptionBudget' && o.metadata.name === 'jaeger')!;
    expect([pdb.metadata.namespace, pdb.spec.maxUnavailable, pdb.spec.selector.matchLabels]).toEqual(['monitoring', 1, jaeger.spec.selector.matchLabels]);
  });
});

describe('the gate in synthesizeAtomically', () => {
  test('a violating object fails the synth with the table and nothing is written', () => {
    const outdir = path.join(tmp, 'bad');
    const app = platformApp(outdir);
    new ApiObject(app.charts[1], 'debug', {
      apiVersion: 'v1', kind: 'Pod', metadata: { name: 'debug' },
      spec: { containers: [{ name: 'shell', image: 'busybox' }] },
    });
    let error: unknown;
    try { synthesizeAtomically(app, { policy: { log: () => undefined } }); } catch (e) { error = e; }
    expect(error).toBeInstanceOf(PolicyGateError);
    const message = (error as Error).message;
    expect(message).toContain('| object | rule | why | how to fix |');
    expect(message).toContain('| Pod media-ai/debug (media-ai/debug) | image-pinned | container shell image "busybox" is not pinned by tag or digest');
    expect(new Set((error as PolicyGateError).report.errors.map((f) => f.rule))).toEqual(new Set(['pod-security', 'read-only-root-filesystem', 'resources', 'probes', 'image-pinned', 'service-account-token', 'priority-class']));
    expect(fs.existsSync(outdir)).toBe(false);
  });

  test('warnOnly rules are reported and the synth writes the files', () => {
    const outdir = path.join(tmp, 'warn');
    const app = platformApp(outdir);
    const api = app.charts[1].node.findChild('media-ai-api') as ApiService;
    const deployment = api.node.findAll().find((c): c is ApiObject => c instanceof ApiObject && c.kind === 'Deployment')!;
    deployment.addJsonPatch(JsonPatch.remove('/spec/template/spec/priorityClassName'));
    const logged: string[] = [];
    synthesizeAtomically(app, { policy: { warnOnly: ['priority-class'], log: (t) => logged.push(t) } });
    expect(fs.readdirSync(outdir).sort()).toEqual(['0000-media-ai-namespaces.k8s.yaml', '0001-media-ai.k8s.yaml', '0002-media-ai-monitoring.k8s.yaml']);
    expect(logged.join('')).toContain('| Deployment media-ai/media-ai-api (media-ai/media-ai-api/Deployment) | priority-class |');
    expect(logged.join('')).toContain('Policy gate: recorded exemptions (4):');
  });

  test('warnOnly that is not a list is refused clearly (was a bare TypeError), nothing written', () => {
    const outdir = path.join(tmp, 'warn-bad');
    expect(() => synthesizeAtomically(platformApp(outdir), { policy: { warnOnly: true as any } })).toThrow(/^policy gate: warnOnly \(true\) must be a list of rules of pod-security, /);
    expect(fs.existsSync(outdir)).toBe(false);
  });

  test('the consumer example of the README passes the gate: constructs used on their own bring their PriorityClass', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'search', { namespace: 'search', disableResourceNameHashes: true });
    const api = new ApiService(chart, 'search-api', {
      image: 'registry.example.com/search-api:2.3.1', port: 8080, replicas: 3,
      resources: { cpuRequest: '250m', cpuLimit: '1', memoryRequest: '512Mi', memoryLimit: '1Gi' },
      ingress: { host: 'search.media-ai.com', tlsSecretName: 'search-tls' },
      autoscaling: { maxReplicas: 12, cpuUtilization: 70, memoryUtilization: 80 },
      env: { LOG_LEVEL: EnvValue.fromValue('info'), API_TOKEN: EnvValue.fromSecret('search-secrets', 'api-token') },
    });
    const monitoring = new Chart(app, 'monitoring', { namespace: 'monitoring', disableResourceNameHashes: true });
    const stack = new ObservabilityStack(monitoring, 'observability', {
      grafana: { adminUser: { name: 'grafana-admin', key: 'user' }, adminPassword: { name: 'grafana-admin', key: 'password' } },
      alerting: { receivers: { P0: { pagerduty: { routingKey: { name: 'alertmanager-receivers', key: 'pagerduty' } } } } },
    });
    stack.monitor(api, { slo: { availabilityPercent: 99.9 } });
    const objects = synthAppValid(app);
    expect(enforcePolicy(app, { log: () => undefined }).errors).toEqual([]);
    // Each class once in the app, in the chart of its first user.
    expect(ofKind(objects, 'PriorityClass').map((o) => o.metadata.name).sort()).toEqual(['media-ai-api', 'media-ai-batch', 'media-ai-monitoring']);
  });

  test('a priorityClassName given by the consumer is used and no class is created for it', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'team', { namespace: 'team' });
    new ApiService(chart, 'web', { image: 'registry.example.com/web:1.0.0', priorityClassName: 'team-critical' });
    const objects = synthAppValid(app);
    expect(ofKind(objects, 'PriorityClass')).toEqual([]);
    expect(ofKind(objects, 'Deployment')[0].spec.template.spec.priorityClassName).toBe('team-critical');
    expect(Object.keys(PRIORITY_TIERS)).toEqual(['monitoring', 'dataStore', 'api', 'batch']);
  });
});

test('a PriorityClass created in a namespaced chart carries no namespace (it is cluster-scoped)', () => {
  const app = Testing.app();
  new ApiService(new Chart(app, 'team', { namespace: 'team' }), 'web', { image: 'registry.example.com/web:1.0.0' });
  const pc = ofKind(synthAppValid(app), 'PriorityClass');
  expect(pc.map((o) => [o.metadata.name, o.metadata.namespace])).toEqual([['media-ai-api', undefined]]);
});
