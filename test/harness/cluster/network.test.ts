/** Harness rules, each with a fixture that fails and one that passes: NetworkPolicy semantics and the flows the manifests imply. */
import { externalAddress, serviceAddresses } from './addresses';
import { checkCluster, Finding, K8sObject } from '.';
import { ALLOW_DNS, alertmanagerConfig, OPERATOR_CRDS, DEFAULT_DENY, deployment, DNS_RULE, monitoringStack, namespace, policy, service, serviceMonitor } from './fixtures';
import { buildCluster } from './model';
import { blocked, Endpoint } from './network';

const messages = (f: Finding[]) => f.map((x) => `${x.object}: ${x.message}`);
const base = (ns = 'app') => [namespace(ns)];

describe('NetworkPolicy semantics', () => {
  const cluster = (objects: K8sObject[]) => buildCluster([namespace('app'), namespace('other', 'restricted', { team: 'x' }), ...objects]);
  const pod = (c: ReturnType<typeof cluster>, id: string): Endpoint => ({ kind: 'pod', pod: c.pods.find((p) => p.id === id)! });
  const web = deployment('web', { labels: { app: 'web', tier: 'front' } });
  const client = deployment('client', { ns: 'other', labels: { app: 'client' } });
  const flow = (c: ReturnType<typeof cluster>, port = 8080, protocol = 'TCP') => blocked(c, { from: pod(c, 'Deployment other/client'), to: pod(c, 'Deployment app/web'), port, protocol });

  test('pods selected by no policy are open; policyTypes default to Ingress (+Egress when egress rules exist)', () => {
    expect(flow(cluster([web, client]))).toBeUndefined();
    // no policyTypes, no egress field: only Ingress is restricted, so the client's egress stays open
    const ingressOnly = policy('deny-in', { podSelector: { matchLabels: { app: 'web' } } });
    expect(flow(cluster([web, client, ingressOnly]))).toBe('ingress of app policies [deny-in]');
    const egressOnClient = policy('client', { podSelector: {}, egress: [{ ports: [{ port: 9999 }] }] }, 'other');
    expect(flow(cluster([web, client, egressOnClient]))).toBe('egress of other policies [client]');
  });

  test('namespaceSelector and podSelector in ONE peer both apply; in two peers either does', () => {
    const one = policy('web', { podSelector: { matchLabels: { app: 'web' } }, ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: 'x' } }, podSelector: { matchLabels: { app: 'other' } } }] }] });
    expect(flow(cluster([web, client, one]))).toBe('ingress of app policies [web]');
    const two = policy('web', { podSelector: { matchLabels: { app: 'web' } }, ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: 'x' } } }, { podSelector: { matchLabels: { app: 'other' } } }] }] });
    expect(flow(cluster([web, client, two]))).toBeUndefined();
    // podSelector alone means the policy's own namespace
    const podOnly = policy('web', { podSelector: { matchLabels: { app: 'web' } }, ingress: [{ from: [{ podSelector: { matchLabels: { app: 'client' } } }] }] });
    expect(flow(cluster([web, client, podOnly]))).toBe('ingress of app policies [web]');
  });

  test('matchExpressions, named ports, endPort, protocol', () => {
    const expr = (operator: string, values?: string[]) => policy('web', {
      podSelector: { matchExpressions: [{ key: 'tier', operator: 'In', values: ['front'] }] },
      ingress: [{ from: [{ namespaceSelector: { matchExpressions: [{ key: 'team', operator, values }] } }], ports: [{ port: 'http' }] }],
    });
    expect(flow(cluster([web, client, expr('In', ['x'])]))).toBeUndefined();
    expect(flow(cluster([web, client, expr('NotIn', ['x'])]))).toBeDefined();
    expect(flow(cluster([web, client, expr('Exists')]))).toBeUndefined();
    expect(flow(cluster([web, client, expr('DoesNotExist')]))).toBeDefined();
    // the named port "http" is 8080 on the destination pod, so 8081 does not match it
    expect(flow(cluster([web, client, expr('Exists')]), 8081)).toBeDefined();
    const range = (endPort: number) => policy('web', { podSelector: {}, ingress: [{ ports: [{ port: 8000, endPort }] }] });
    expect(flow(cluster([web, client, range(8080)]))).toBeUndefined();
    expect(flow(cluster([web, client, range(8079)]))).toBeDefined();
    expect(flow(cluster([web, client, range(8080)]), 8080, 'UDP')).toBeDefined();
  });

  test('ipBlock (with except) matches nodes and external hosts, never pod-network pods; host-network pods are addressed by node IP', () => {
    const node = deployment('node-agent', { ns: 'app', labels: { app: 'agent' }, kind: 'DaemonSet', podSpec: { hostNetwork: true }, ports: [{ name: 'metrics', containerPort: 9100 }] });
    const egress = (rule: any) => policy('client', { podSelector: {}, policyTypes: ['Egress'], egress: [rule] }, 'other');
    const toAgent = (c: ReturnType<typeof cluster>) => blocked(c, { from: pod(c, 'Deployment other/client'), to: pod(c, 'DaemonSet app/node-agent'), port: 9100, protocol: 'TCP' });
    expect(toAgent(cluster([client, node, egress({ to: [{ namespaceSelector: {} }] })]))).toBe('egress of other policies [client]');
    expect(toAgent(cluster([client, node, egress({ to: [{ ipBlock: { cidr: '10.0.0.0/16' } }], ports: [{ port: 9100 }] })]))).toBeUndefined();
    expect(toAgent(cluster([client, node, egress({ to: [{ ipBlock: { cidr: '10.0.0.0/16', except: ['10.0.0.0/24'] } }] })]))).toBeDefined();
    // the pod network is not matched by an ipBlock
    expect(flow(cluster([web, client, egress({ to: [{ ipBlock: { cidr: '0.0.0.0/0' } }] })]))).toBeDefined();
    // a host-network source reaches a policy-selected pod only through an ipBlock
    const fromNode = (c: ReturnType<typeof cluster>) => blocked(c, { from: pod(c, 'DaemonSet app/node-agent'), to: pod(c, 'Deployment app/web'), port: 8080, protocol: 'TCP' });
    expect(fromNode(cluster([web, node, policy('web', { podSelector: {}, ingress: [{ from: [{ podSelector: {} }] }] })]))).toBeDefined();
    expect(fromNode(cluster([web, node, policy('web', { podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.10/32' } }] }] })]))).toBeUndefined();
  });
});

describe('network flows', () => {
  test('every pod needs cluster DNS: default-deny without a DNS rule is a finding', () => {
    const objects = [...base(), deployment('api'), DEFAULT_DENY('app')];
    expect(messages(checkCluster(objects, { checks: ['network'] }))).toEqual([
      'Deployment app/api: Deployment app/api → system kube-system/kube-dns:53/UDP (cluster DNS (UDP)) is blocked by the egress of app policies [default-deny]',
      'Deployment app/api: Deployment app/api → system kube-system/kube-dns:53/TCP (cluster DNS (TCP)) is blocked by the egress of app policies [default-deny]',
    ]);
    expect(checkCluster([...objects, ALLOW_DNS('app')], { checks: ['network'] })).toEqual([]);
  });

  test('a configured in-cluster URL needs the egress of the client and the ingress of the server', () => {
    const db = deployment('db', { ports: [{ name: 'pg', containerPort: 5432 }] });
    const objects = [...base(), DEFAULT_DENY('app'), ALLOW_DNS('app'), db, service('db', { app: 'db' }, [{ name: 'pg', port: 5432, targetPort: 'pg' }]),
      deployment('api', { env: [{ name: 'DB', value: 'db.app.svc.cluster.local:5432' }] })];
    const egress = policy('api', { podSelector: { matchLabels: { app: 'api' } }, policyTypes: ['Egress'], egress: [{ to: [{ podSelector: { matchLabels: { app: 'db' } } }], ports: [{ port: 5432 }] }] });
    const ingress = policy('db', { podSelector: { matchLabels: { app: 'db' } }, policyTypes: ['Ingress'], ingress: [{ from: [{ podSelector: { matchLabels: { app: 'api' } } }], ports: [{ port: 'pg' }] }] });
    const net = (extra: K8sObject[]) => messages(checkCluster([...objects, ...extra], { checks: ['network'] }));
    expect(net([egress, ingress])).toEqual([]);
    expect(net([ingress])).toEqual(['Deployment app/api: Deployment app/api → Deployment app/db:5432/TCP (configured address db.app.svc.cluster.local:5432) is blocked by the egress of app policies [default-deny, allow-dns]']);
    expect(net([egress])).toEqual(['Deployment app/api: Deployment app/api → Deployment app/db:5432/TCP (configured address db.app.svc.cluster.local:5432) is blocked by the ingress of app policies [default-deny]']);
  });

  test('Prometheus must reach what its ServiceMonitors select (host-network exporters only via ipBlock) and its Alertmanagers', () => {
    const exporter = deployment('node-exporter', { kind: 'DaemonSet', ns: 'agents', labels: { app: 'node-exporter' }, podSpec: { hostNetwork: true }, ports: [{ name: 'metrics', containerPort: 9100 }] });
    const promPolicy = (egress: any[]) => policy('prometheus', { podSelector: { matchLabels: { 'app.kubernetes.io/name': 'prometheus' } }, policyTypes: ['Egress'], egress: [DNS_RULE, ...egress] }, 'monitoring');
    const amPolicy = policy('alertmanager', { podSelector: { matchLabels: { 'app.kubernetes.io/name': 'alertmanager' } }, policyTypes: ['Ingress'], ingress: [{ from: [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'prometheus' } } }], ports: [{ port: 9093 }] }] }, 'monitoring');
    const objects = [namespace('monitoring'), namespace('agents', 'privileged'), ...monitoringStack(), alertmanagerConfig('route: {receiver: x}\nreceivers: [{name: x}]\n'), exporter,
      service('node-exporter', { app: 'node-exporter' }, [{ name: 'metrics', port: 9100, targetPort: 'metrics' }], { ns: 'agents' }),
      serviceMonitor('node-exporter', { app: 'node-exporter' }, 'metrics', 'agents'), amPolicy];
    const net = (egress: any[]) => messages(checkCluster([...objects, promPolicy(egress)], { checks: ['network'] }));
    const toAm = { to: [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'alertmanager' } } }], ports: [{ port: 9093 }] };
    expect(net([{ to: [{ namespaceSelector: {} }] }, toAm])).toEqual([
      'Prometheus monitoring/prometheus: Prometheus monitoring/prometheus → DaemonSet agents/node-exporter (host network):9100/TCP (scrape by ServiceMonitor agents/node-exporter) is blocked by the egress of monitoring policies [prometheus]',
    ]);
    expect(net([{ to: [{ ipBlock: { cidr: '10.0.0.0/8' } }], ports: [{ port: 9100 }] }, toAm])).toEqual([]);
    expect(net([{ to: [{ ipBlock: { cidr: '10.0.0.0/8' } }], ports: [{ port: 9100 }] }])).toEqual([
      'Prometheus monitoring/prometheus: Prometheus monitoring/prometheus → Alertmanager monitoring/main:9093/TCP (alerts to Alertmanager Service monitoring/alertmanager-operated) is blocked by the egress of monitoring policies [prometheus]',
    ]);
  });

  test('a pod whose ServiceAccount is bound by RBAC must reach the API server (after DNAT: control plane IP and port)', () => {
    const sa = { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'ksm', namespace: 'app' } };
    const binding = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'ksm' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' }, subjects: [{ kind: 'ServiceAccount', name: 'ksm', namespace: 'app' }] };
    const ksm = deployment('ksm', { podSpec: { serviceAccountName: 'ksm' } });
    const egress = (port: number) => policy('ksm', { podSelector: { matchLabels: { app: 'ksm' } }, policyTypes: ['Egress'], egress: [DNS_RULE, { to: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: [{ port }] }] });
    expect(checkCluster([...base(), sa, binding, ksm, egress(6443)], { checks: ['network', 'references'] })).toEqual([]);
    expect(messages(checkCluster([...base(), sa, binding, ksm, egress(443)], { checks: ['network'] }))).toEqual([
      'Deployment app/ksm: Deployment app/ksm → kube-apiserver:6443/TCP (Kubernetes API (RBAC-bound ServiceAccount)) is blocked by the egress of app policies [ksm]',
    ]);
    expect(checkCluster([...base(), sa, binding, ksm, egress(443)], { checks: ['network'], apiServer: { ip: '10.96.0.1', port: 443 } })).toEqual([]);
  });

  test('the ingress controller must reach every Ingress backend', () => {
    const ingress = { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'web', namespace: 'app' }, spec: { rules: [{ http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { name: 'http' } } } }] } }] } };
    const objects = [...base(), deployment('web'), service('web', { app: 'web' }, [{ name: 'http', port: 80, targetPort: 'http' }]), ingress, ALLOW_DNS('app')];
    const fromNs = (ns: string) => policy('web', { podSelector: { matchLabels: { app: 'web' } }, ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': ns } } }], ports: [{ port: 8080 }] }] });
    expect(checkCluster([...objects, fromNs('ingress-nginx')], { checks: ['network'] })).toEqual([]);
    expect(messages(checkCluster([...objects, fromNs('ingress-nginx')], { checks: ['network'], ingressNamespace: 'traefik' }))).toEqual([
      'system traefik/ingress-controller: system traefik/ingress-controller → Deployment app/web:8080/TCP (Ingress web backend) is blocked by the ingress of app policies [web]',
    ]);
  });
});

describe('addresses', () => {
  test('in-cluster names with and without port, scheme default ports; external URLs', () => {

    expect(serviceAddresses('https://logs-es-http.monitoring.svc:9200')).toEqual([{ name: 'logs-es-http', namespace: 'monitoring', port: 9200, text: 'logs-es-http.monitoring.svc:9200' }]);
    expect(serviceAddresses('http://jaeger.monitoring.svc.cluster.local')).toEqual([{ name: 'jaeger', namespace: 'monitoring', port: 80, text: 'jaeger.monitoring.svc.cluster.local' }]);
    expect(serviceAddresses('etcd:\n  endpoints:\n    - milvus-etcd.media-ai.svc.cluster.local:2379\nminio:\n  address: milvus-minio.media-ai.svc.cluster.local\n').map((a: any) => [a.name, a.port]))
      .toEqual([['milvus-etcd', 2379], ['milvus-minio', undefined]]);
    expect(serviceAddresses('a.b.svc.example.com and x.y.svcfoo')).toEqual([]);
    expect(externalAddress('https://s3.eu-central-1.amazonaws.com')).toEqual({ host: 's3.eu-central-1.amazonaws.com', port: 443, text: 'https://s3.eu-central-1.amazonaws.com' });
    expect(externalAddress('http://db.app.svc.cluster.local:80/x')).toBeUndefined();
    expect(externalAddress('see https://example.com')).toBeUndefined();
  });
});

describe('more flows', () => {
  const mon = [namespace('monitoring'), ...monitoringStack(), alertmanagerConfig('route: {receiver: x}\nreceivers: [{name: x}]\n')];
  const promOut = (egress: any[]) => policy('prometheus', { podSelector: { matchLabels: { 'app.kubernetes.io/name': 'prometheus' } }, policyTypes: ['Egress'], egress: [DNS_RULE, ...egress] }, 'monitoring');
  const toAm = { to: [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'alertmanager' } } }] };

  test('PodMonitor endpoints resolve on the pods\' named ports', () => {
    const podMonitor = { apiVersion: 'monitoring.coreos.com/v1', kind: 'PodMonitor', metadata: { name: 'web', namespace: 'app', labels: { stack: 'platform' } }, spec: { selector: { matchLabels: { app: 'web' } }, podMetricsEndpoints: [{ port: 'metrics' }] } };
    const objects = [...mon, ...base(), deployment('web', { ports: [{ name: 'metrics', containerPort: 9102 }] }), podMonitor, ALLOW_DNS('app')];
    const inWeb = (port: number) => policy('web', { podSelector: { matchLabels: { app: 'web' } }, ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }], ports: [{ port }] }] });
    expect(checkCluster([...objects, inWeb(9102)], { checks: ['network', 'references'], prerequisites: OPERATOR_CRDS })).toEqual([]);
    expect(messages(checkCluster([...objects, inWeb(9100)], { checks: ['network'] }))).toEqual([
      'Prometheus monitoring/prometheus: Prometheus monitoring/prometheus → Deployment app/web:9102/TCP (scrape by PodMonitor app/web) is blocked by the ingress of app policies [web]',
    ]);
  });

  test('Probe: Prometheus → the prober, the prober → each static target', () => {
    const probe = {
      apiVersion: 'monitoring.coreos.com/v1', kind: 'Probe', metadata: { name: 'site', namespace: 'monitoring', labels: { stack: 'platform' } },
      spec: { prober: { url: 'blackbox.monitoring.svc:9115' }, module: 'http_2xx', targets: { staticConfig: { static: ['https://www.example.com/health'] } } },
    };
    const blackbox = deployment('blackbox', { ns: 'monitoring', ports: [{ name: 'http', containerPort: 9115 }] });
    const bbOut = (egress: any[]) => policy('blackbox', { podSelector: { matchLabels: { app: 'blackbox' } }, policyTypes: ['Egress'], egress: [DNS_RULE, ...egress] }, 'monitoring');
    const objects = [...mon, probe, blackbox, service('blackbox', { app: 'blackbox' }, [{ name: 'http', port: 9115, targetPort: 'http' }], { ns: 'monitoring' })];
    const toBb = { to: [{ podSelector: { matchLabels: { app: 'blackbox' } } }], ports: [{ port: 9115 }] };
    const net = (extra: K8sObject[]) => messages(checkCluster([...objects, ...extra], { checks: ['network'] }));
    expect(net([promOut([toAm, toBb]), bbOut([{ to: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8'] } }], ports: [{ port: 443 }] }])])).toEqual([]);
    expect(net([promOut([toAm]), bbOut([{ to: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: [{ port: 80 }] }])])).toEqual([
      'Prometheus monitoring/prometheus: Prometheus monitoring/prometheus → Deployment monitoring/blackbox:9115/TCP (probe site via prober) is blocked by the egress of monitoring policies [prometheus]',
      'Deployment monitoring/blackbox: Deployment monitoring/blackbox → external www.example.com:443/TCP (probe target of site https://www.example.com/) is blocked by the egress of monitoring policies [blackbox]',
    ]);
  });

  test('ECK: Kibana reaches <es>-es-http, the operator reaches every Elasticsearch, nodes reach each other on 9300', () => {
    const es = { apiVersion: 'elasticsearch.k8s.elastic.co/v1', kind: 'Elasticsearch', metadata: { name: 'logs', namespace: 'monitoring' }, spec: { version: '8.13.4', nodeSets: [{ name: 'default', count: 3, podTemplate: { spec: { securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } } } } }] } };
    const kb = { apiVersion: 'kibana.k8s.elastic.co/v1', kind: 'Kibana', metadata: { name: 'kb', namespace: 'monitoring' }, spec: { version: '8.13.4', count: 1, elasticsearchRef: { name: 'logs' } } };
    const esPods = { matchLabels: { 'elasticsearch.k8s.elastic.co/cluster-name': 'logs' } };
    const esIn = (ingress: any[]) => policy('es', { podSelector: esPods, policyTypes: ['Ingress'], ingress }, 'monitoring');
    const fromOperator = { from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'elastic-system' } } }], ports: [{ port: 9200 }] };
    const fromKibana = { from: [{ podSelector: { matchLabels: { 'kibana.k8s.elastic.co/name': 'kb' } } }], ports: [{ port: 9200 }] };
    const transport = { from: [{ podSelector: esPods }], ports: [{ port: 9300 }] };
    const net = (ingress: any[]) => messages(checkCluster([namespace('monitoring'), es, kb, esIn(ingress)], { checks: ['network'] }));
    expect(net([fromOperator, fromKibana, transport])).toEqual([]);
    expect(net([fromKibana, transport])).toEqual([
      'system elastic-system/elastic-operator: system elastic-system/elastic-operator → Elasticsearch monitoring/logs:9200/TCP (ECK operator manages Elasticsearch) is blocked by the ingress of monitoring policies [es]',
    ]);
    expect(net([fromOperator, transport])).toEqual([
      'Kibana monitoring/kb: Kibana monitoring/kb → Elasticsearch monitoring/logs:9200/TCP (Kibana elasticsearchRef logs) is blocked by the ingress of monitoring policies [es]',
    ]);
    expect(net([fromOperator, fromKibana])).toEqual([
      'Elasticsearch monitoring/logs: Elasticsearch monitoring/logs → Elasticsearch monitoring/logs:9300/TCP (Elasticsearch transport) is blocked by the ingress of monitoring policies [es]',
    ]);
  });
});
