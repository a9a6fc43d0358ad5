// Regression tests for issue #8: what the assembled reference platform got wrong on a real cluster.
// Each test names the item it covers; each failed on the code before the fix.
import { Chart, Testing } from 'cdk8s';
import * as YAML from 'yaml';
import { MediaAiPlatform, ObservabilityStack, ObservabilityStackProps } from '../../lib';
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
    const toCidr = (cidr: string) => egress.filter((r: any) => r.to?.[0]?.ipBlock?.cidr === cidr).flatMap(portsOf);
    for (const cidr of ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16']) expect(toCidr(cidr).sort()).toEqual([10250, 9100]);
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
    expect(() => custom(['10.0.0.0/33'])).toThrow(/mon\/obs\/Prometheus: nodeCidrs\[0\] \("10.0.0.0\/33"\) has an IPv4 prefix length above 32/);
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

  // Pod Security "restricted" as the API server checks it, for one container (pod-level fields from the pod).
  const restrictedViolations = (pod: any, c: any): string[] => {
    const sc = c.securityContext ?? {};
    const out: string[] = [];
    if (sc.privileged) out.push('privileged');
    if (sc.allowPrivilegeEscalation !== false) out.push('allowPrivilegeEscalation != false');
    if (!(sc.capabilities?.drop ?? []).includes('ALL')) out.push('capabilities.drop misses ALL');
    if ((sc.capabilities?.add ?? []).some((x: string) => x !== 'NET_BIND_SERVICE')) out.push('capabilities.add');
    if (!(sc.runAsNonRoot ?? pod.securityContext?.runAsNonRoot)) out.push('runAsNonRoot');
    if (!(sc.seccompProfile?.type ?? pod.securityContext?.seccompProfile?.type)) out.push('seccompProfile');
    return out;
  };

  test('item 2: the init containers ECK 2.16 adds are hardened through same-named podTemplate entries', () => {
    const expected: Array<[string, (o: K8sObject) => any, string[]]> = [
      ['Elasticsearch', (o) => o.spec.nodeSets[0].podTemplate.spec, ['elastic-internal-init-filesystem', 'elastic-internal-suspend']],
      ['Kibana', (o) => o.spec.podTemplate.spec, ['elastic-internal-init']],
      ['Logstash', (o) => o.spec.podTemplate.spec, ['logstash-internal-init-config']],
    ];
    for (const [kind, podOf, names] of expected) {
      const pod = podOf(only(objects, kind));
      expect((pod.initContainers ?? []).map((c: any) => c.name)).toEqual(names);
      for (const c of [...pod.initContainers, ...pod.containers]) expect([kind, c.name, restrictedViolations(pod, c)]).toEqual([kind, c.name, []]);
    }
  });

  test('item 2: the init container names follow the ECK version (2.16.1 renamed Kibana\'s); ECK 3 is refused', () => {
    const kibanaInit = (eckVersion: string) => only(stack({ logging: { eckVersion } }), 'Kibana').spec.podTemplate.spec.initContainers.map((c: any) => c.name);
    expect(kibanaInit('2.16.1')).toEqual(['elastic-internal-init']);
    expect(kibanaInit('2.16.0')).toEqual(['elastic-internal-init-config']);
    expect(kibanaInit('2.14.2')).toEqual(['elastic-internal-init-config']);
    expect(() => stack({ logging: { eckVersion: '3.1.0' } })).toThrow(/mon\/obs\/Logging: eckVersion \("3.1.0"\) must be an ECK version from 2.14.0 to 2.16.x \(ECK 3 does not support Kubernetes 1.27\)/);
  });

  test('item 3: the ILM Job has a NetworkPolicy (DNS and Elasticsearch) that selects its pods', () => {
    const job = ofKind(objects, 'Job').find((j) => j.metadata.name.startsWith('es-ilm-setup'))!;
    const np = policy('es-ilm-setup');
    const podLabels = job.spec.template.metadata.labels;
    expect(Object.entries(np.podSelector.matchLabels).every(([k, v]) => podLabels[k] === v)).toBe(true);
    expect(np.policyTypes).toEqual(['Ingress', 'Egress']);
    expect(np.egress).toContainEqual({ to: [{ podSelector: { matchLabels: { 'elasticsearch.k8s.elastic.co/cluster-name': 'logs' } } }], ports: [{ port: 9200, protocol: 'TCP' }] });
    expect(np.egress.some((r: any) => r.to?.[0]?.podSelector?.matchLabels?.['k8s-app'] === 'kube-dns')).toBe(true);
  });

  test('item 3: Jaeger span and dependency indices are deleted after the retention by a nightly cleaner with its own policy', () => {
    const cron = only(objects, 'CronJob', 'jaeger-index-cleaner');
    const pod = cron.spec.jobTemplate.spec.template.spec;
    const c = pod.containers[0];
    expect(c.image).toBe('jaegertracing/jaeger-es-index-cleaner:1.64.0');
    expect(c.args).toEqual(['7', 'https://logs-es-http.monitoring.svc:9200']);
    const env = Object.fromEntries(c.env.map((e: any) => [e.name, e.value ?? e.valueFrom]));
    expect(env).toMatchObject({ INDEX_PREFIX: 'jaeger', ES_TLS_ENABLED: 'true', ES_TLS_CA: '/es-ca/ca.crt', ES_USERNAME: { secretKeyRef: { name: 'es-user-jaeger', key: 'username' } } });
    expect(restrictedViolations(pod, c)).toEqual([]);
    const np = policy('jaeger-index-cleaner');
    expect(Object.entries(np.podSelector.matchLabels).every(([k, v]) => cron.spec.jobTemplate.spec.template.metadata.labels[k] === v)).toBe(true);
    expect(np.egress).toContainEqual({ to: [{ podSelector: { matchLabels: { 'elasticsearch.k8s.elastic.co/cluster-name': 'logs' } } }], ports: [{ port: 9200, protocol: 'TCP' }] });
    expect(only(stack({ tracingRetentionDays: 30 }), 'CronJob', 'jaeger-index-cleaner').spec.jobTemplate.spec.template.spec.containers[0].args[0]).toBe('30');
    expect(() => stack({ tracingRetentionDays: 0 })).toThrow(/mon\/obs\/Jaeger: retentionDays \(0\) must be an integer ≥ 1 and ≤ 365/);
  });

  test('item 5: Grafana\'s Elasticsearch datasource trusts the ECK CA and logs in as its own user', () => {
    const ds = YAML.parse(only(objects, 'ConfigMap', 'grafana-datasources').data['datasources.yaml']).datasources.find((d: any) => d.uid === 'logs');
    expect(ds).toMatchObject({
      url: 'https://logs-es-http.monitoring.svc:9200', basicAuth: true, basicAuthUser: '$DS_LOGS_USERNAME',
      jsonData: { tlsAuthWithCACert: true, tlsSkipVerify: false },
      secureJsonData: { basicAuthPassword: '$DS_LOGS_PASSWORD', tlsCACert: '$__file{/etc/grafana/ca/logs/ca.crt}' },
    });
    const pod = only(objects, 'Deployment', 'grafana').spec.template.spec;
    expect(pod.containers[0].env).toContainEqual({ name: 'DS_LOGS_PASSWORD', valueFrom: { secretKeyRef: { name: 'es-user-grafana', key: 'password' } } });
    expect(pod.volumes).toContainEqual({ name: 'ca-logs', secret: { secretName: 'logs-es-http-certs-public', items: [{ key: 'ca.crt', path: 'ca.crt' }] } });
    expect(pod.containers[0].volumeMounts).toContainEqual({ name: 'ca-logs', mountPath: '/etc/grafana/ca/logs', readOnly: true });
  });

  test('item 9: no client uses the elastic superuser; each has its own file-realm user and a least-privilege role', () => {
    const text = JSON.stringify(objects);
    expect(text).not.toMatch(/logs-es-elastic-user/);
    const es = only(objects, 'Elasticsearch');
    expect(es.spec.auth.fileRealm).toEqual([{ secretName: 'es-user-ilm-setup' }, { secretName: 'es-user-jaeger' }, { secretName: 'es-user-grafana' }, { secretName: 'es-user-elastalert' }, { secretName: 'es-user-kibana-setup' }]);
    const roles = YAML.parse(only(objects, 'Secret', es.spec.auth.roles[0].secretName).stringData['roles.yml']);
    expect(Object.keys(roles)).toEqual(['media-ai-ilm-setup', 'media-ai-jaeger', 'media-ai-grafana', 'media-ai-elastalert', 'media-ai-kibana-setup']);
    expect(roles['media-ai-grafana'].indices).toEqual([{ names: ['logs-media_ai-*'], privileges: ['read', 'view_index_metadata'] }]);
    expect(roles['media-ai-jaeger'].indices.map((i: any) => i.names)).toEqual([['jaeger-*']]);
    for (const role of Object.values<any>(roles)) {
      expect(role.cluster).not.toContain('all');
      for (const i of role.indices) expect(i.names).not.toContain('*');
    }
    const jaegerEnv = only(objects, 'Deployment', 'jaeger').spec.template.spec.containers[0].env;
    expect(jaegerEnv).toEqual([
      { name: 'ES_USERNAME', valueFrom: { secretKeyRef: { name: 'es-user-jaeger', key: 'username' } } },
      { name: 'ES_PASSWORD', valueFrom: { secretKeyRef: { name: 'es-user-jaeger', key: 'password' } } },
    ]);
    expect(only(objects, 'ConfigMap', 'jaeger-config').data['config.yaml']).toMatch(/username: \$\{env:ES_USERNAME\}/);
  });

  test('item 9: the API logs in to PostgreSQL as its own role; only the role Job (and the server) see the superuser', () => {
    const env = only(objects, 'Deployment', 'media-ai-api').spec.template.spec.containers[0].env;
    expect(env.find((e: any) => e.name === 'DB_USER').valueFrom.secretKeyRef).toEqual({ name: 'media-ai-postgres-app', key: 'username' });
    expect(env.find((e: any) => e.name === 'DB_PASSWORD').valueFrom.secretKeyRef).toEqual({ name: 'media-ai-postgres-app', key: 'password' });
    expect(objects.find((o) => o.kind === 'Job' && o.metadata.name.startsWith('postgres-app-role-'))!.spec.template.spec.containers[0].env.find((e: any) => e.name === 'PGUSER').valueFrom.secretKeyRef.name).toBe('media-ai-postgres');
  });

  test('item 9: kube-state-metrics cannot read Secrets unless asked', () => {
    const rules = only(objects, 'ClusterRole', 'media-ai-kube-state-metrics-monitoring').rules;
    expect(rules.flatMap((r: any) => r.resources)).not.toContain('secrets');
    const args = only(objects, 'Deployment', 'kube-state-metrics').spec.template.spec.containers[0].args;
    expect(args.find((a: string) => a.startsWith('--resources='))).not.toMatch(/secrets/);
    const withSecrets = stack({ kubeStateMetrics: { secretMetrics: true } });
    expect(only(withSecrets, 'ClusterRole', 'media-ai-kube-state-metrics-monitoring').rules[0].resources).toContain('secrets');
  });

  test('minor: pods request the ephemeral storage their disk-backed emptyDirs may fill', () => {
    const requests = (name: string) => only(objects, 'Deployment', name).spec.template.spec.containers[0].resources.requests;
    expect(requests('grafana')['ephemeral-storage']).toBe('1088Mi'); // data 1Gi + tmp 64Mi
    expect(requests('jaeger')['ephemeral-storage']).toBe('64Mi');
    expect(requests('kube-state-metrics')['ephemeral-storage']).toBeUndefined(); // no emptyDir
  });

  test('minor: the ECK operator namespace is a prop', () => {
    const np = only(stack({ logging: { operatorNamespace: 'eck' } }), 'NetworkPolicy', 'elasticsearch').spec;
    expect(np.ingress).toContainEqual({ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'eck' } } }], ports: [{ port: 9200, protocol: 'TCP' }] });
    expect(JSON.stringify(np)).not.toMatch(/elastic-system/);
  });

  test('minor: the API exports OTLP over gRPC; the probe panel queries the Probe\'s job', () => {
    const env = only(objects, 'Deployment', 'media-ai-api').spec.template.spec.containers[0].env;
    expect(env).toContainEqual({ name: 'OTEL_EXPORTER_OTLP_ENDPOINT', value: 'http://jaeger.monitoring.svc.cluster.local:4317' });
    expect(env).toContainEqual({ name: 'OTEL_EXPORTER_OTLP_PROTOCOL', value: 'grpc' });
    const probe = only(objects, 'Probe');
    const dashboard = JSON.parse(only(objects, 'ConfigMap', 'grafana-dashboards').data['api-media-ai-media-ai-api.json']);
    const exprs = JSON.stringify(dashboard);
    expect(exprs).toContain(`probe_success{job=\\"${probe.spec.jobName}\\",namespace=\\"media-ai\\"}`);
  });
});

function stack(props: Partial<ObservabilityStackProps>): K8sObject[] {
  const app = Testing.app();
  const chart = new Chart(app, 'mon', { namespace: 'monitoring' });
  new ObservabilityStack(chart, 'obs', { grafana: { adminUser: { name: 'g', key: 'u' }, adminPassword: { name: 'g', key: 'p' } }, ...props });
  return synthAppValid(app);
}
