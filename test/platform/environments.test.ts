import * as fs from 'fs';
import * as path from 'path';
import { Testing } from 'cdk8s';
import {
  capacityReport, ClusterCapacity, DEV, ENVIRONMENTS, EnvironmentConfig, MediaAiPlatform, PROD, STAGING, synthesizeEnvironments,
} from '../../lib';
import { parseObjects, readYamlFiles, tempDir } from '../harness/cli';
import { K8sObject, ofKind, only, synthAppValid } from '../harness/synth';
import { KNOWN_FINDINGS } from '../harness/cluster/known-findings';
import { clusterFindings } from '../harness/cluster/platform';

function render(environment: EnvironmentConfig): K8sObject[] {
  const app = Testing.app();
  new MediaAiPlatform(app, 'media-ai', { environment });
  return synthAppValid(app);
}

const Gi = 2 ** 30;
const Mi = 2 ** 20;

describe('environments: one typed config each', () => {
  const rendered = new Map(Object.values(ENVIRONMENTS).map((env) => [env.name, render(env)]));

  test('dev, staging and prod render valid objects; the API replicas and HPA range come from the environment', () => {
    expect([...rendered.keys()]).toEqual(['dev', 'staging', 'prod']);
    const hpa = (name: string) => only(rendered.get(name)!, 'HorizontalPodAutoscaler', 'media-ai-api').spec;
    expect(hpa('prod')).toMatchObject({ minReplicas: 5, maxReplicas: 20 }); // the spec's 5 API replicas
    expect(hpa('staging')).toMatchObject({ minReplicas: 2, maxReplicas: 6 });
    expect(hpa('dev')).toMatchObject({ minReplicas: 1, maxReplicas: 2 });
    expect(only(rendered.get('dev')!, 'Ingress').spec.rules[0].host).toBe(DEV.apiHost);
    expect(only(rendered.get('staging')!, 'Ingress').spec.rules[0].host).toBe(STAGING.apiHost);
    // dev has no logs or traces (one small node); prod has both.
    expect(ofKind(rendered.get('dev')!, 'Elasticsearch')).toEqual([]);
    expect(ofKind(rendered.get('prod')!, 'Elasticsearch')).toHaveLength(1);
  });

  test('the cluster-semantics harness finds nothing beyond the known open findings in any environment', () => {
    // Without logs and traces (dev) the findings about them cannot occur; no environment adds one.
    const known = KNOWN_FINDINGS.map((k) => k.finding);
    for (const [name, objects] of rendered) {
      const findings = clusterFindings(objects, `environment ${name}`);
      expect(findings.filter((f) => !known.includes(f))).toEqual([]);
      if (name !== 'dev') expect(findings).toEqual(known);
    }
  });

  test('every namespace gets a ResourceQuota (its share of the cluster) and a LimitRange (one node at most)', () => {
    const prod = rendered.get('prod')!;
    const namespaces = ofKind(prod, 'Namespace').map((n) => n.metadata.name).sort();
    expect(namespaces).toEqual(['media-ai', 'monitoring', 'monitoring-agents']);
    for (const ns of namespaces) {
      expect(prod.filter((o) => o.kind === 'ResourceQuota' && o.metadata.namespace === ns)).toHaveLength(1);
      expect(prod.find((o) => o.kind === 'LimitRange' && o.metadata.namespace === ns)!.spec.limits[0].max).toEqual({ cpu: '7500m', memory: '28Gi' });
    }
    // media-ai: 55 % of 4 nodes × 7.5 CPU / 28 Gi, of 1400 Gi storage, of 4 × 110 pods.
    expect(prod.find((o) => o.kind === 'ResourceQuota' && o.metadata.namespace === 'media-ai')!.spec.hard)
      .toEqual({ 'pods': '242', 'requests.cpu': '16500m', 'requests.memory': `${Math.floor((0.55 * 4 * 28 * Gi) / Mi)}Mi`, 'requests.storage': '770Gi' });
  });

  test('dev fits one node of a kind/k3d cluster with the required headroom', () => {
    const report = capacityReport('dev', rendered.get('dev')!, DEV.capacity);
    expect(DEV.capacity.nodes).toBe(1);
    expect(report.shortfalls).toEqual([]);
    expect(report.headroomPercent.cpuAtMaximum).toBeGreaterThanOrEqual(20);
    expect(report.headroomPercent.memoryAtMaximum).toBeGreaterThanOrEqual(20);
  });

  test.each<[string, (e: EnvironmentConfig) => unknown, string]>([
    ['a typo in a key', (e) => ({ ...e, capasity: e.capacity }), 'media-ai-namespaces: environment.capasity ({"nodes":4,'],
    ['no nodes', (e) => ({ ...e, capacity: { ...e.capacity, nodes: 0 } }), 'media-ai-namespaces: environment.capacity.nodes (0) must be an integer ≥ 1 and ≤ 5000'],
    ['a malformed CPU', (e) => ({ ...e, capacity: { ...e.capacity, allocatableCpu: '8 cores' } }), 'media-ai-namespaces: environment.capacity.allocatableCpu ("8 cores") must be a CPU quantity'],
    ['shares over 100 %', (e) => ({ ...e, namespaceShares: { application: 70, monitoring: 30, agents: 5 } }), 'media-ai-namespaces: environment.namespaceShares ({"application":70,"monitoring":30,"agents":5}) must add up to at most 100 (they add up to 105)'],
    ['a maximum below the replicas', (e) => ({ ...e, api: { replicas: 5, maxReplicas: 3 } }), 'media-ai-namespaces: environment.api.maxReplicas (3) must be an integer ≥ 5 and ≤ 1000'],
    ['a bad Slack channel', (e) => ({ ...e, alerts: { ...e.alerts, alertsSlackChannel: 'alerts' } }), 'media-ai-namespaces: environment.alerts.alertsSlackChannel ("alerts") must be a Slack channel'],
  ])('bad environment: %s fails at synth, naming the prop', (_, change, message) => {
    const app = Testing.app();
    expect(() => new MediaAiPlatform(app, 'media-ai', { environment: change(PROD) as EnvironmentConfig })).toThrow(message);
  });
});

describe('capacity report: a hand-computed fixture', () => {
  const container = (cpu: string, mem: string, cpuLimit: string, memLimit: string) => ({ name: 'c', image: 'x:1', resources: { requests: { cpu, memory: mem }, limits: { cpu: cpuLimit, memory: memLimit } } });
  const meta = (name: string) => ({ name, namespace: 'shop' });
  const objects = [
    // 2–4 pods; the init container (1 CPU) is larger than the containers (250m), so it sets the pod's CPU.
    { kind: 'Deployment', metadata: meta('api'), spec: { template: { spec: { containers: [container('250m', '512Mi', '500m', '1Gi')], initContainers: [container('1', '256Mi', '1', '256Mi')] } } } },
    { kind: 'HorizontalPodAutoscaler', metadata: meta('api'), spec: { scaleTargetRef: { kind: 'Deployment', name: 'api' }, minReplicas: 2, maxReplicas: 4 } },
    { kind: 'StatefulSet', metadata: meta('db'), spec: { replicas: 3, template: { spec: { containers: [container('500m', '1Gi', '1', '2Gi')] } }, volumeClaimTemplates: [{ spec: { storageClassName: 'fast', resources: { requests: { storage: '10Gi' } } } }] } },
    { kind: 'DaemonSet', metadata: meta('agent'), spec: { template: { spec: { containers: [container('100m', '128Mi', '200m', '256Mi')] } } } },
    { kind: 'CronJob', metadata: meta('job'), spec: { jobTemplate: { spec: { template: { spec: { containers: [container('50m', '64Mi', '100m', '128Mi')] } } } } } },
    { kind: 'PersistentVolumeClaim', metadata: meta('files'), spec: { resources: { requests: { storage: '5Gi' } } } },
    { kind: 'Elasticsearch', metadata: meta('logs'), spec: { nodeSets: [{ name: 'data', count: 2, podTemplate: { spec: { containers: [container('1', '2Gi', '2', '2Gi')] } }, volumeClaimTemplates: [{ spec: { resources: { requests: { storage: '20Gi' } } } }] }] } },
    { kind: 'ResourceQuota', metadata: meta('budget'), spec: { hard: { 'pods': '20', 'requests.cpu': '6' } } },
    { kind: 'ConfigMap', metadata: meta('ignored'), data: {} },
  ];
  const capacity: ClusterCapacity = { nodes: 2, allocatableCpu: '4', allocatableMemory: '8Gi', storage: { fast: '100Gi', default: '20Gi' } };
  const report = capacityReport('fixture', objects, capacity);

  test('totals at the HPA minimum and maximum', () => {
    // min: api 2×1000m, db 3×500m, agent 2 nodes×100m, job 50m, es 2×1000m
    expect(report.atMinimum).toEqual({ pods: 10, cpuRequestMillis: 5750, cpuLimitMillis: 9500, memoryRequestBytes: 8512 * Mi, memoryLimitBytes: 12928 * Mi });
    // max: two more api pods (1000m, 512Mi request; 1000m, 1Gi limit each)
    expect(report.atMaximum).toEqual({ pods: 12, cpuRequestMillis: 7750, cpuLimitMillis: 11500, memoryRequestBytes: 9536 * Mi, memoryLimitBytes: 14976 * Mi });
    expect(report.allocatable).toEqual({ cpuMillis: 8000, memoryBytes: 16 * Gi });
  });

  test('headroom: compute against allocatable, storage per class (claim templates × pods), quota per namespace', () => {
    expect(report.headroomPercent).toEqual({ cpuAtMinimum: 28.1, memoryAtMinimum: 48, cpuAtMaximum: 3.1, memoryAtMaximum: 41.7 });
    expect(report.storage).toEqual([
      { storageClass: 'default', requestedBytes: 45 * Gi, budgetBytes: 20 * Gi, headroomPercent: -125 },
      { storageClass: 'fast', requestedBytes: 30 * Gi, budgetBytes: 100 * Gi, headroomPercent: 70 },
    ]);
    expect(report.quotas).toEqual([{ namespace: 'shop', used: { 'pods': 12, 'requests.cpu': 7.75, 'requests.memory': 9536 * Mi, 'requests.storage': 75 * Gi }, hard: { 'pods': 20, 'requests.cpu': 6 } }]);
    expect(report.shortfalls).toEqual([
      'CPU headroom at the HPA maximum is 3.1 % (< 20 %): add nodes or lower maxReplicas/requests',
      'storage headroom of class default is -125 % (< 30 %): grow the budget or shrink the volumes',
      "namespace shop: requests.cpu at the HPA maximum (7.75) exceeds its ResourceQuota budget (6): raise the namespace's share or lower the workloads",
    ]);
  });

  test('a storage class without a budget and a bandwidth shortfall are reported; a fitting cluster has none', () => {
    const other = capacityReport('fixture', objects, { ...capacity, storage: { default: '100Gi' }, bandwidth: { capacityMbps: 1000, peakMbps: 900 } });
    expect(other.shortfalls).toContain(`storage class fast has no budget in the capacity (${30 * Gi} bytes requested)`);
    expect(other.shortfalls).toContain('bandwidth headroom at the expected peak is 10 % (< 20 %)');
    const big = capacityReport('fixture', objects.filter((o) => o.kind !== 'ResourceQuota'), { ...capacity, nodes: 4, storage: { fast: '100Gi', default: '100Gi' } });
    expect(big.shortfalls).toEqual([]);
  });
});

describe('synthesizeEnvironments (what `npm run synth` runs)', () => {
  test('one environment: its manifests and capacity report in <outdir>/<env>/', () => {
    const out = tempDir('envs');
    const [report] = synthesizeEnvironments({ outdir: out, only: 'dev' });
    expect(fs.readdirSync(out)).toEqual(['dev']);
    expect(fs.readdirSync(path.join(out, 'dev')).sort()).toEqual(['0000-media-ai-namespaces.k8s.yaml', '0001-media-ai.k8s.yaml', '0002-media-ai-monitoring.k8s.yaml', 'capacity.json', 'capacity.md']);
    expect(JSON.parse(fs.readFileSync(path.join(out, 'dev', 'capacity.json'), 'utf8'))).toEqual(JSON.parse(JSON.stringify(report)));
    const objects = [...readYamlFiles(path.join(out, 'dev')).values()].flatMap(parseObjects);
    expect(capacityReport('dev', objects, DEV.capacity)).toEqual(report);
  });

  test('a planned event raises the HPA minimum and is re-checked against capacity', () => {
    const out = tempDir('event');
    const [report] = synthesizeEnvironments({ outdir: out, only: 'prod', event: 'peak' });
    const objects = [...readYamlFiles(path.join(out, 'prod')).values()].flatMap(parseObjects);
    expect(only(objects, 'HorizontalPodAutoscaler', 'media-ai-api').spec).toMatchObject({ minReplicas: 12, maxReplicas: 24 });
    expect(report.event).toBe('peak');
    expect(report.workloads.find((w) => w.object === 'Deployment/media-ai/media-ai-api')).toMatchObject({ minReplicas: 12, maxReplicas: 24 });
    expect(fs.readFileSync(path.join(out, 'prod', 'capacity.md'), 'utf8')).toMatch(/^# Capacity: prod \(event: peak\)/);
    expect(() => synthesizeEnvironments({ outdir: out, only: 'prod', event: 'black-friday' })).toThrow('environment prod: event ("black-friday") is not a planned event (known: peak)');
  });

  test('a shortfall fails before anything is written; with onShortfall: warn it writes and warns', () => {
    // prod's requests at the HPA maximum on 2 nodes: (17830m − 2 fewer node-exporter and Filebeat pods, 300m) / 15000m.
    const small: EnvironmentConfig = { ...PROD, name: 'small', capacity: { ...PROD.capacity, nodes: 2 } };
    const out = tempDir('short');
    expect(() => synthesizeEnvironments({ outdir: out, environments: { small } })).toThrow(/environment small: capacity shortfall\n {2}- CPU headroom at the HPA maximum is -22\.6 % \(< 20 %\)/);
    expect(fs.readdirSync(out)).toEqual([]);
    const warnings: string[] = [];
    const lenient = { ...small, capacity: { ...small.capacity, onShortfall: 'warn' as const } };
    synthesizeEnvironments({ outdir: out, environments: { small: lenient }, warn: (m) => warnings.push(m) });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^warning: environment small: capacity shortfall/);
    expect(fs.readFileSync(path.join(out, 'small', 'capacity.md'), 'utf8')).toMatch(/## Shortfalls/);
  });

  test('an unknown environment name is an error', () => {
    expect(() => synthesizeEnvironments({ outdir: tempDir('unknown'), only: 'qa' })).toThrow('environment ("qa") is not defined (known: dev, staging, prod)');
  });
});
