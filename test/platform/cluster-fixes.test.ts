// Regression tests for issue #8: what the assembled reference platform got wrong on a real cluster.
// Each test names the item it covers; each failed on the code before the fix.
import { Chart, Testing } from 'cdk8s';
import { MediaAiPlatform, ObservabilityStack } from '../../lib';
import { K8sObject, ofKind, only, synthAppValid } from '../harness/synth';

const platform = () => {
  const app = Testing.app();
  const p = new MediaAiPlatform(app, 'media-ai');
  return { app, p, objects: synthAppValid(app) };
};
const { objects } = platform();
const policy = (name: string, namespace = 'monitoring') => {
  const found = objects.filter((o) => o.kind === 'NetworkPolicy' && o.metadata.name === name && (o.metadata.namespace ?? namespace) === namespace);
  if (found.length !== 1) throw new Error(`expected one NetworkPolicy ${namespace}/${name}, found ${found.length}`);
  return found[0].spec;
};
const nsOf = (o: K8sObject) => o.metadata.namespace;
const portsOf = (rule: any): number[] => (rule.ports ?? []).map((p: any) => p.port);

describe('issue #8: the platform works on a cluster', () => {
  test('item 1: Prometheus sends alerts to the Service the operator creates, alertmanager-operated:web, in its namespace', () => {
    const prometheus = only(objects, 'Prometheus');
    const am = only(objects, 'Alertmanager');
    expect(prometheus.spec.alerting.alertmanagers).toEqual([{ name: 'alertmanager-operated', namespace: nsOf(am) ?? 'monitoring', port: 'web' }]);
    // Both NetworkPolicies name the other side's pods on 9093.
    const amPods = { 'app.kubernetes.io/name': 'alertmanager', 'alertmanager': am.metadata.name };
    expect(policy('prometheus').egress).toContainEqual({ to: [{ podSelector: { matchLabels: amPods } }], ports: [{ port: 9093, protocol: 'TCP' }] });
    expect(policy('alertmanager').ingress).toContainEqual({
      from: [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'prometheus', 'app.kubernetes.io/instance': 'prometheus' } } }],
      ports: [{ port: 9093, protocol: 'TCP' }],
    });
  });

  test('item 4: Prometheus reaches host-network node-exporter and the kubelets through node CIDR ipBlocks (a prop)', () => {
    const egress = policy('prometheus').egress;
    const toCidr = (cidr: string) => egress.find((r: any) => r.to?.[0]?.ipBlock?.cidr === cidr && portsOf(r).includes(9100));
    for (const cidr of ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16']) expect(portsOf(toCidr(cidr)).sort()).toEqual([10250, 9100]);
    // The node-exporter policy admits Prometheus.
    expect(policy('node-exporter', 'monitoring-agents').ingress).toContainEqual({
      from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } }, podSelector: { matchLabels: { 'app.kubernetes.io/name': 'prometheus', 'app.kubernetes.io/instance': 'prometheus' } } }],
      ports: [{ port: 9100, protocol: 'TCP' }],
    });
    // Another node network is one prop away; a bad CIDR is a clear error.
    const custom = (nodeCidrs: string[]) => {
      const app = Testing.app();
      const chart = new Chart(app, 'mon', { namespace: 'monitoring' });
      new ObservabilityStack(chart, 'obs', { grafana: { adminUser: { name: 'g', key: 'u' }, adminPassword: { name: 'g', key: 'p' } }, logging: false, prometheus: { nodeCidrs } });
      return synthAppValid(app);
    };
    const np = only(custom(['100.64.0.0/10']), 'NetworkPolicy', 'prometheus').spec;
    expect(np.egress.filter((r: any) => portsOf(r).includes(9100)).map((r: any) => r.to[0].ipBlock?.cidr).filter(Boolean)).toEqual(['100.64.0.0/10']);
    expect(() => custom(['10.0.0.0/33'])).toThrow(/mon\/obs\/Prometheus: nodeCidrs\[0\] \("10.0.0.0\/33"\) must be an IPv4 CIDR/);
  });

  test('minor: the kubelet ServiceMonitor verifies TLS with the cluster CA and keeps its two endpoints apart', () => {
    const kubelet = only(objects, 'ServiceMonitor', 'kubelet');
    for (const e of kubelet.spec.endpoints) {
      expect(e.tlsConfig).toEqual({ caFile: '/var/run/secrets/kubernetes.io/serviceaccount/ca.crt' });
      expect(e.relabelings).toContainEqual({ sourceLabels: ['__metrics_path__'], targetLabel: 'metrics_path', action: 'replace' });
    }
  });

  test('item 7: each store is scraped once: its ServiceMonitor selects the client Service, not the headless one', () => {
    const stores = ofKind(objects, 'StatefulSet').filter((s) => nsOf(s) === 'media-ai' || nsOf(s) === undefined);
    expect(stores.length).toBeGreaterThanOrEqual(4);
    const services = ofKind(objects, 'Service');
    const matches = (sel: any, labels: Record<string, string> = {}) =>
      Object.entries(sel.matchLabels ?? {}).every(([k, v]) => labels[k] === v)
      && (sel.matchExpressions ?? []).every((e: any) => (e.operator === 'DoesNotExist' ? !(e.key in labels) : true));
    for (const monitor of ofKind(objects, 'ServiceMonitor').filter((m) => stores.some((s) => s.metadata.name === m.metadata.name))) {
      const selected = services.filter((s) => nsOf(s) === nsOf(monitor) && matches(monitor.spec.selector, s.metadata.labels));
      expect(selected.map((s) => s.metadata.name)).toEqual([monitor.metadata.name]);
    }
  });

  test('item 8: the API Service is ClusterIP behind the Ingress; port 8000 only from the ingress controller namespace', () => {
    const svc = objects.find((o) => o.kind === 'Service' && o.metadata.name === 'media-ai-api')!;
    expect(svc.spec.type).toBe('ClusterIP');
    const http = policy('media-ai-api', 'media-ai').ingress.filter((r: any) => portsOf(r).includes(8000));
    // The metrics are served on the HTTP port, so monitoring scrapes it too; nobody else is admitted.
    expect(http.every((r: any) => r.from?.length > 0)).toBe(true);
    expect(http.flatMap((r: any) => r.from.map((f: any) => f.namespaceSelector?.matchLabels['kubernetes.io/metadata.name'])).sort()).toEqual(['ingress-nginx', 'monitoring']);
  });
});
