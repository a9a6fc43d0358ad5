import { Chart, Testing } from 'cdk8s';
import { ObservabilityStack } from '../../lib';
import { checkPolicy } from '../../lib/policy';
import { K8sObject, synthAppValid } from '../harness/synth';

const GRAFANA = { adminUser: { name: 'grafana-admin', key: 'user' }, adminPassword: { name: 'grafana-admin', key: 'password' } };

function stack(blackbox?: object, tracingReplicas?: number): K8sObject[] {
  const app = Testing.app();
  const chart = new Chart(app, 'monitoring', { namespace: 'monitoring', disableResourceNameHashes: true });
  new ObservabilityStack(chart, 'observability', { grafana: GRAFANA, blackbox, tracingReplicas });
  const objects = synthAppValid(app);
  expect(checkPolicy(app).errors).toEqual([]);
  return objects;
}
const named = (objects: K8sObject[], kind: string, name: string) => objects.find((o) => o.kind === kind && o.metadata.name === name);

describe('HA of the components the P0/P1 alerts depend on', () => {
  test('Blackbox exporter: 2 replicas by default, a PDB allowing one eviction, spread over zones and nodes', () => {
    const objects = stack();
    const d = named(objects, 'Deployment', 'blackbox-exporter')!;
    expect(d.spec.replicas).toBe(2);
    expect(d.spec.template.spec.topologySpreadConstraints.map((t: any) => [t.topologyKey, t.labelSelector.matchLabels])).toEqual([
      ['topology.kubernetes.io/zone', d.spec.selector.matchLabels], ['kubernetes.io/hostname', d.spec.selector.matchLabels],
    ]);
    expect(named(objects, 'PodDisruptionBudget', 'blackbox-exporter')!.spec).toEqual({ maxUnavailable: 1, selector: { matchLabels: d.spec.selector.matchLabels } });
  });

  test('a development cluster may run one replica: then no PDB (it would block drains) and no spread', () => {
    const objects = stack({ replicas: 1, topologySpread: { maxSkew: 2 } });
    expect(named(objects, 'Deployment', 'blackbox-exporter')!.spec.replicas).toBe(1);
    expect(named(objects, 'Deployment', 'blackbox-exporter')!.spec.template.spec.topologySpreadConstraints).toBeUndefined();
    expect(named(objects, 'PodDisruptionBudget', 'blackbox-exporter')).toBeUndefined();
  });

  test('the spread is configurable and replicas are checked', () => {
    const objects = stack({ replicas: 3, topologySpread: { maxSkew: 2, whenUnsatisfiableZone: 'DoNotSchedule' } });
    expect(named(objects, 'Deployment', 'blackbox-exporter')!.spec.template.spec.topologySpreadConstraints[0]).toMatchObject({ maxSkew: 2, whenUnsatisfiable: 'DoNotSchedule' });
    expect(() => stack({ replicas: 0 })).toThrow('monitoring/observability/Blackbox: replicas (0) must be an integer ≥ 1');
  });

  test('Grafana and kube-state-metrics stay single (documented): no PDB to block drains, and the gate agrees', () => {
    const objects = stack();
    expect([named(objects, 'Deployment', 'grafana')!.spec.replicas, named(objects, 'Deployment', 'kube-state-metrics')!.spec.replicas]).toEqual([1, 1]);
    const pdbs = objects.filter((o) => o.kind === 'PodDisruptionBudget').map((o) => o.metadata.name);
    expect(pdbs).toEqual(expect.arrayContaining(['blackbox-exporter', 'jaeger']));
    expect(pdbs.filter((n) => n === 'grafana' || n === 'kube-state-metrics')).toEqual([]);
  });

  test('Jaeger collector: 2 replicas with a PDB by default; tracingReplicas 1 for development; checked', () => {
    expect(named(stack(), 'PodDisruptionBudget', 'jaeger')!.spec.maxUnavailable).toBe(1);
    const dev = stack(undefined, 1);
    expect(named(dev, 'Deployment', 'jaeger')!.spec.replicas).toBe(1);
    expect(named(dev, 'PodDisruptionBudget', 'jaeger')).toBeUndefined();
    expect(() => stack(undefined, 0)).toThrow('monitoring/observability/Jaeger: tracingReplicas (0) must be an integer ≥ 1');
  });
});
