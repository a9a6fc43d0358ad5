/** Harness rules, each with a fixture that fails and one that passes: alert delivery, duplicates, exposure, privilege, size limits. */
import { randomBytes } from 'crypto';
import * as YAML from 'yaml';
import { checkCluster, Finding, K8sObject } from '.';
import { routeReceivers } from './alerts';
import { alertmanagerConfig, OPERATOR_CRDS, deployment, monitoringStack, namespace, policy, rule, secret, service, serviceMonitor } from './fixtures';
import { helmReleaseBytes } from './sizes';

const messages = (f: Finding[]) => f.map((x) => `${x.object}: ${x.message}`);
const base = (ns = 'app') => [namespace(ns)];

describe('delivery of alerts', () => {
  const CONFIG = `
route:
  receiver: ticket
  routes:
    - receiver: page
      matchers: ['priority="P0"']
    - receiver: blackhole
      matchers: ['severity=~"info|none"']
    - receiver: chat
      match_re: { team: "search|media" }
      continue: true
    - receiver: ticket
      match: { team: search }
receivers:
  - name: page
    pagerduty_configs: [{ routing_key_file: /x }]
  - name: chat
    slack_configs: [{ api_url_file: /y, channel: '#a' }]
  - name: ticket
    email_configs: [{ to: a@example.com }]
  - name: blackhole
`;
  test('route matching: first match, continue, inheritance, legacy match/match_re', () => {
    const route = YAML.parse(CONFIG).route;
    expect(routeReceivers(route, { priority: 'P0' })).toEqual(['page']);
    expect(routeReceivers(route, { severity: 'info' })).toEqual(['blackhole']);
    expect(routeReceivers(route, { team: 'search' })).toEqual(['chat', 'ticket']);
    expect(routeReceivers(route, { team: 'media' })).toEqual(['chat']);
    expect(routeReceivers(route, { alertname: 'X' })).toEqual(['ticket']);
    expect(routeReceivers({ receiver: 'root', routes: [{ matchers: ['a="1"'], routes: [{ matchers: ['b!="2"'] }] }] }, { a: '1' })).toEqual(['root']);
  });

  test('an alert routed only to a receiver without integrations is a finding; so is a rule no Prometheus selects', () => {
    const objects = [namespace('monitoring'), ...monitoringStack(), alertmanagerConfig(CONFIG)];
    expect(checkCluster([...objects, rule('r', [{ alert: 'Down', labels: { priority: 'P0' } }])], { checks: ['alerts'] })).toEqual([]);
    expect(messages(checkCluster([...objects, rule('r', [{ alert: 'Info', labels: { severity: 'info' } }])], { checks: ['alerts'] }))).toEqual([
      'PrometheusRule monitoring/r: alert Info {"severity":"info"} routes to blackhole of Alertmanager monitoring/main, which delivers nowhere',
    ]);
    expect(messages(checkCluster([...objects, rule('r', [{ alert: 'Down' }], { labels: { stack: 'other' } })], { checks: ['alerts'] }))).toEqual([
      'PrometheusRule monitoring/r: no Prometheus selects this rule: its alerts are never evaluated',
    ]);
    const noAm = [namespace('monitoring'), ...monitoringStack('monitoring', { alertmanagers: [{ namespace: 'monitoring', name: 'alertmanager', port: 'web' }] }), alertmanagerConfig(CONFIG)];
    expect(messages(checkCluster([...noAm, rule('r', [{ alert: 'Down' }])], { checks: ['alerts'] }))).toEqual([
      'PrometheusRule monitoring/r: Prometheus monitoring/prometheus sends alerts to no Alertmanager pods (alerting.alertmanagers resolves to none)',
    ]);
  });
});

describe('duplicates', () => {
  test('same group/kind/namespace/name twice', () => {
    expect(messages(checkCluster([...base(), secret('s', ['a']), secret('s', ['b']), secret('s', ['a'], 'other')], { checks: ['duplicates'] }))).toEqual([
      'Secret app/s: declared more than once in the app (same group, kind, namespace and name)',
    ]);
  });

  test('a ServiceMonitor no Prometheus selects is never scraped', () => {
    const objects = [...base(), namespace('monitoring'), ...monitoringStack(), alertmanagerConfig('route: {receiver: x}\nreceivers: [{name: x}]\n'),
      deployment('db', { ports: [{ name: 'metrics', containerPort: 9187 }] }), service('db', { app: 'db' }, [{ name: 'metrics', port: 9187, targetPort: 'metrics' }])];
    const sm = serviceMonitor('db', { app: 'db' }, 'metrics');
    expect(checkCluster([...objects, sm], { checks: ['references'], prerequisites: OPERATOR_CRDS })).toEqual([]);
    expect(messages(checkCluster([...objects, { ...sm, metadata: { ...sm.metadata, labels: {} } }], { checks: ['references'], prerequisites: OPERATOR_CRDS }))).toEqual([
      'ServiceMonitor app/db: no Prometheus selects this ServiceMonitor (serviceMonitorSelector, serviceMonitorNamespaceSelector): it is never scraped',
    ]);
  });

  test('one endpoint scraped through two Services', () => {
    const objects = [...base(), namespace('monitoring'), ...monitoringStack(), deployment('db', { ports: [{ name: 'metrics', containerPort: 9187 }] }),
      service('db', { app: 'db' }, [{ name: 'metrics', port: 9187, targetPort: 'metrics' }]), serviceMonitor('db', { app: 'db' }, 'metrics')];
    expect(checkCluster(objects, { checks: ['duplicates'] })).toEqual([]);
    const headless = service('db-headless', { app: 'db' }, [{ name: 'metrics', port: 9187, targetPort: 'metrics' }]);
    expect(messages(checkCluster([...objects, headless], { checks: ['duplicates'] }))).toEqual([
      'ServiceMonitor app/db: Prometheus monitoring/prometheus scrapes Deployment app/db:9187/metrics 2 times (ServiceMonitor db via Service db; ServiceMonitor db via Service db-headless)',
    ]);
  });
});

describe('exposure', () => {
  const ingress = { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'web', namespace: 'app' }, spec: { tls: [{ hosts: ['a.example.com'], secretName: 't' }], rules: [{ host: 'a.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { name: 'http' } } } }] } }] } };
  const svc = (type?: string) => ({ ...service('web', { app: 'web' }, [{ name: 'http', port: 80, targetPort: 'http' }]), spec: { type, selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] } });
  const inWeb = (from?: any[]) => policy('web', { podSelector: { matchLabels: { app: 'web' } }, policyTypes: ['Ingress'], ingress: [{ ...(from ? { from } : {}), ports: [{ port: 8080 }] }] });
  const fromIngressNs = [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } } }];
  const exposure = (objects: K8sObject[]) => messages(checkCluster([...base(), deployment('web'), ingress, ...objects], { checks: ['exposure'] }));
  test('a TLS Ingress backend reachable only through the ingress controller passes', () => {
    expect(exposure([svc('ClusterIP'), inWeb(fromIngressNs)])).toEqual([]);
  });
  test('a LoadBalancer Service or a policy admitting any source bypasses the TLS', () => {
    expect(exposure([svc('LoadBalancer'), inWeb(fromIngressNs)])).toEqual(['Service app/web: type LoadBalancer exposes Deployment app/web, the backend of TLS Ingress app/web, outside the cluster without its TLS']);
    expect(exposure([svc('ClusterIP'), inWeb()])).toEqual(['Deployment app/web: its NetworkPolicies admit any source on port 8080, around the TLS of Ingress app/web (admit the ingress controller only)']);
    expect(exposure([svc('ClusterIP'), inWeb([{ ipBlock: { cidr: '0.0.0.0/0' } }])])).toHaveLength(1);
  });
});

describe('privilege', () => {
  const rbac = (rules: any[], kind = 'ClusterRole'): K8sObject[] => [
    { apiVersion: 'rbac.authorization.k8s.io/v1', kind, metadata: { name: 'ksm', namespace: 'app' }, rules },
    { apiVersion: 'rbac.authorization.k8s.io/v1', kind: `${kind}Binding`, metadata: { name: 'ksm', namespace: 'app' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind, name: 'ksm' }, subjects: [{ kind: 'ServiceAccount', name: 'ksm', namespace: 'app' }] },
  ];
  const privilege = (objects: K8sObject[]) => messages(checkCluster([...base(), ...objects], { checks: ['privilege'] }));
  test('reading Secrets cluster-wide or wildcards are findings; a namespaced Secret reader is not', () => {
    expect(privilege(rbac([{ apiGroups: [''], resources: ['pods', 'nodes'], verbs: ['list', 'watch'] }]))).toEqual([]);
    expect(privilege(rbac([{ apiGroups: [''], resources: ['secrets'], verbs: ['get'] }], 'Role'))).toEqual([]);
    expect(privilege(rbac([{ apiGroups: [''], resources: ['pods', 'secrets'], verbs: ['list', 'watch'] }]))).toEqual([
      'ClusterRole ksm: reads Secrets in every namespace (list, watch), bound by ClusterRoleBinding ksm']);
    expect(privilege(rbac([{ apiGroups: ['apps'], resources: ['*'], verbs: ['get'] }], 'Role'))).toEqual([
      'Role app/ksm: wildcard rule {"apiGroups":["apps"],"resources":["*"],"verbs":["get"]} bound by RoleBinding app/ksm']);
  });
});

describe('size limits', () => {
  const configMap = (bytes: number): K8sObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'big', namespace: 'app' }, data: { 'a.txt': 'x'.repeat(bytes) } });
  test('last-applied annotation over 256 KiB, data over 1 MiB', () => {
    expect(checkCluster([...base(), configMap(200_000)], { checks: ['size'] })).toEqual([]);
    expect(messages(checkCluster([...base(), configMap(270_000)], { checks: ['size'] }))).toEqual([
      expect.stringMatching(/^ConfigMap app\/big: client-side kubectl apply would write 2701\d\d bytes of annotations/),
    ]);
    expect(messages(checkCluster([...base(), configMap(1_100_000)], { checks: ['size'], helmRelease: false }))).toEqual([
      'ConfigMap app/big: data is 1100005 bytes, over the 1 MiB limit',
      expect.stringMatching(/client-side kubectl apply/),
    ]);
  });

  test('Helm release: gzip+base64 of manifest and templates under 1 MiB, CRDs excluded', () => {
    // random (incompressible) data: ~300 KiB of it makes a ~1 MiB release (twice, base64 twice)
    const noise = (n: number) => randomBytes(n).toString('base64');
    const many = Array.from({ length: 6 }, (_, i) => ({ ...configMap(0), metadata: { name: `c${i}`, namespace: 'app' }, data: { d: noise(60_000) } }));
    expect(helmReleaseBytes(many)).toBeGreaterThan(1024 * 1024);
    expect(messages(checkCluster([...base(), ...many], { checks: ['size'] }))).toEqual([expect.stringMatching(/^Helm release: the release Secret would hold \d+ bytes/)]);
    const crds = many.map((o) => ({ ...o, apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition' }));
    expect(helmReleaseBytes(crds)).toBeLessThan(1024);
  });
});
