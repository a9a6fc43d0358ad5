import { randomBytes } from 'crypto';
import * as YAML from 'yaml';
import { externalAddress, serviceAddresses } from './addresses';
import { checkCluster, Finding, K8sObject } from '.';
import { routeReceivers } from './alerts';
import {
  ALLOW_DNS, alertmanagerConfig, OPERATOR_CRDS, DEFAULT_DENY, deployment, DNS_RULE, monitoringStack, namespace, policy, RESTRICTED_SC,
  rule, secret, service, serviceMonitor,
} from './fixtures';
import { buildCluster } from './model';
import { blocked, Endpoint } from './network';
import { podSecurityViolations } from './admission';
import { crdName } from './references';
import { helmReleaseBytes } from './sizes';

const messages = (f: Finding[]) => f.map((x) => `${x.object}: ${x.message}`);
const base = (ns = 'app') => [namespace(ns)];

describe('references', () => {
  const api = (env: any[]) => deployment('api', { env });
  const secretEnv = (name: string, key: string) => [{ name: 'TOKEN', valueFrom: { secretKeyRef: { name, key } } }];

  test('a Secret the pod reads must exist, with the key', () => {
    expect(messages(checkCluster([...base(), api(secretEnv('api-secrets', 'token'))], { checks: ['references'] }))).toEqual([
      'Deployment app/api: container api env TOKEN: Secret app/api-secrets does not exist (not in the output, not made by an operator, not a prerequisite)',
    ]);
    expect(checkCluster([...base(), api(secretEnv('api-secrets', 'token')), secret('api-secrets', ['token'])], { checks: ['references'] })).toEqual([]);
    expect(messages(checkCluster([...base(), api(secretEnv('api-secrets', 'token')), secret('api-secrets', ['other'])], { checks: ['references'] }))).toEqual([
      'Deployment app/api: container api env TOKEN: Secret app/api-secrets has no key "token" (it has other)',
    ]);
  });

  test('a subPath into a ConfigMap volume names an existing key', () => {
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'conf', namespace: 'app' }, data: { 'app.yaml': 'a: 1' } };
    const pod = (subPath: string) => deployment('api', { podSpec: { volumes: [{ name: 'conf', configMap: { name: 'conf' } }] }, container: { volumeMounts: [{ name: 'conf', mountPath: '/etc/app.yaml', subPath }] } });
    expect(checkCluster([...base(), cm, pod('app.yaml')], { checks: ['references'] })).toEqual([]);
    expect(messages(checkCluster([...base(), cm, pod('app.yml')], { checks: ['references'] }))).toEqual([
      'Deployment app/api: container api subPath app.yml: ConfigMap app/conf has no key "app.yml" (it has app.yaml)',
    ]);
  });

  test('a typed prerequisite satisfies the reference; its keys are checked when listed', () => {
    const prerequisites = [{ kind: 'Secret', namespace: 'app', name: 'api-secrets', keys: ['token'], reason: 'the app team creates it' }];
    expect(checkCluster([...base(), api(secretEnv('api-secrets', 'token'))], { checks: ['references'], prerequisites })).toEqual([]);
    expect(messages(checkCluster([...base(), api(secretEnv('api-secrets', 'nope'))], { checks: ['references'], prerequisites }))).toEqual([
      'Deployment app/api: container api env TOKEN: Secret app/api-secrets has no key "nope" (it has token)',
    ]);
  });

  test('in-cluster URLs in env name an existing Service and port', () => {
    const objects = [...base(), namespace('data'), deployment('db', { ns: 'data', ports: [{ name: 'pg', containerPort: 5432 }] }), service('db', { app: 'db' }, [{ name: 'pg', port: 5432, targetPort: 'pg' }], { ns: 'data' })];
    const env = (v: string) => [{ name: 'URL', value: v }];
    expect(checkCluster([...objects, api(env('postgres://db.data.svc.cluster.local:5432/x'))], { checks: ['references'] })).toEqual([]);
    expect(messages(checkCluster([...objects, api(env('postgres://db.data.svc.cluster.local:5433/x'))], { checks: ['references'] }))).toEqual([
      'Deployment app/api: configured address db.data.svc.cluster.local:5433: Service data/db has no port 5433',
    ]);
    expect(messages(checkCluster([...objects, api(env('http://cache.data.svc:6379'))], { checks: ['references'] }))).toEqual([
      'Deployment app/api: configured address cache.data.svc:6379: Service data/cache does not exist (not in the output, not made by an operator, not a prerequisite)',
    ]);
  });

  test('Prometheus alerting names a Service: the operator makes alertmanager-operated, not "alertmanager"', () => {
    const stack = (name: string) => [namespace('monitoring'), ...monitoringStack('monitoring', { alertmanagers: [{ namespace: 'monitoring', name, port: 'web' }] }), alertmanagerConfig('route: {receiver: x}\nreceivers: [{name: x}]\n')];
    expect(checkCluster(stack('alertmanager-operated'), { checks: ['references'], prerequisites: OPERATOR_CRDS })).toEqual([]);
    expect(messages(checkCluster(stack('alertmanager'), { checks: ['references'], prerequisites: OPERATOR_CRDS }))).toEqual([
      'Prometheus monitoring/prometheus: alerting.alertmanagers: Service monitoring/alertmanager does not exist (not in the output, not made by an operator, not a prerequisite)',
    ]);
  });

  test('ECK makes <es>-es-http and <es>-es-http-certs-public; a pod may use them when the Elasticsearch is in the output', () => {
    const client = deployment('ilm', {
      ns: 'monitoring', env: [{ name: 'ES', value: 'https://logs-es-http.monitoring.svc:9200' }, { name: 'PW', valueFrom: { secretKeyRef: { name: 'logs-es-elastic-user', key: 'elastic' } } }],
      podSpec: { volumes: [{ name: 'ca', secret: { secretName: 'logs-es-http-certs-public' } }] },
    });
    const es = { apiVersion: 'elasticsearch.k8s.elastic.co/v1', kind: 'Elasticsearch', metadata: { name: 'logs', namespace: 'monitoring' }, spec: { version: '8.13.4', nodeSets: [{ name: 'default', count: 1 }] } };
    expect(checkCluster([namespace('monitoring'), es, client], { checks: ['references'], prerequisites: OPERATOR_CRDS })).toEqual([]);
    const withRealm = { ...es, spec: { ...es.spec, auth: { fileRealm: [{ secretName: 'logs-users' }], roles: [{ secretName: 'logs-roles' }] } } };
    expect(messages(checkCluster([namespace('monitoring'), withRealm, client, secret('logs-roles', ['roles.yml'], 'monitoring')], { checks: ['references'], prerequisites: OPERATOR_CRDS }))).toEqual([
      'Elasticsearch monitoring/logs: auth.fileRealm: Secret monitoring/logs-users does not exist (not in the output, not made by an operator, not a prerequisite)',
    ]);
    expect(messages(checkCluster([namespace('monitoring'), client], { checks: ['references'], prerequisites: OPERATOR_CRDS })).sort()).toEqual([
      'Deployment monitoring/ilm: configured address logs-es-http.monitoring.svc:9200: Service monitoring/logs-es-http does not exist (not in the output, not made by an operator, not a prerequisite)',
      'Deployment monitoring/ilm: container ilm env PW: Secret monitoring/logs-es-elastic-user does not exist (not in the output, not made by an operator, not a prerequisite)',
      'Deployment monitoring/ilm: volume ca: Secret monitoring/logs-es-http-certs-public does not exist (not in the output, not made by an operator, not a prerequisite)',
    ]);
  });

  test('a Service named targetPort must be a container port of its pods', () => {
    const svc = (targetPort: string) => service('api', { app: 'api' }, [{ name: 'http', port: 80, targetPort }]);
    expect(checkCluster([...base(), deployment('api'), svc('http')], { checks: ['references'] })).toEqual([]);
    expect(messages(checkCluster([...base(), deployment('api'), svc('web')], { checks: ['references'] }))).toEqual([
      'Service app/api: port http: targetPort "web" is no TCP container port of Deployment app/api',
    ]);
  });

  test('custom resources need their CRD (output or prerequisite), serving their version', () => {
    const es = { apiVersion: 'elasticsearch.k8s.elastic.co/v1', kind: 'Elasticsearch', metadata: { name: 'logs', namespace: 'app' }, spec: { version: '8.13.4', nodeSets: [] } };
    const policyObj = { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'p', namespace: 'app' }, spec: { podSelector: {} } };
    const refs = (objects: K8sObject[], prerequisites: any[] = []) => messages(checkCluster([...base(), ...objects], { checks: ['references'], prerequisites, helmRelease: false }));
    expect(refs([es, policyObj])).toEqual([
      'Elasticsearch app/logs: custom resource: CustomResourceDefinition elasticsearches.elasticsearch.k8s.elastic.co does not exist (not in the output, not made by an operator, not a prerequisite)',
    ]);
    expect(refs([es], [{ kind: 'CustomResourceDefinition', name: 'elasticsearches.elasticsearch.k8s.elastic.co', reason: 'ECK' }])).toEqual([]);
    const crd = (versions: string[]) => ({ apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'elasticsearches.elasticsearch.k8s.elastic.co' }, spec: { versions: versions.map((name) => ({ name, served: true })) } });
    expect(refs([es, crd(['v1', 'v1beta1'])])).toEqual([]);
    expect(refs([es, crd(['v1beta1'])])).toEqual(['Elasticsearch app/logs: apiVersion elasticsearch.k8s.elastic.co/v1 is not served by CustomResourceDefinition elasticsearches.elasticsearch.k8s.elastic.co (serves v1beta1)']);
    expect(['Prometheus', 'Alertmanager', 'ServiceMonitor', 'Probe', 'Logstash', 'Kibana', 'Beat', 'Policy'].map((kind) => crdName({ apiVersion: 'x.io/v1', kind, metadata: { name: 'n' } })))
      .toEqual(['prometheuses.x.io', 'alertmanagers.x.io', 'servicemonitors.x.io', 'probes.x.io', 'logstashes.x.io', 'kibanas.x.io', 'beats.x.io', 'policies.x.io']);
  });

  test('a plain pod calling ECK over https reads the ECK CA', () => {
    const es = { apiVersion: 'elasticsearch.k8s.elastic.co/v1', kind: 'Elasticsearch', metadata: { name: 'logs', namespace: 'app' }, spec: { version: '8.13.4', nodeSets: [{ name: 'default', count: 1 }] } };
    const client = (volumes: any[]) => deployment('grafana', { env: [{ name: 'ES', value: 'https://logs-es-http.app.svc:9200' }], podSpec: { volumes } });
    const refs = (objects: K8sObject[]) => messages(checkCluster([...base(), es, ...objects], { checks: ['references'], prerequisites: OPERATOR_CRDS }));
    expect(refs([client([{ name: 'ca', secret: { secretName: 'logs-es-http-certs-public' } }])])).toEqual([]);
    expect(refs([client([])])).toEqual(['Deployment app/grafana: configured address https://logs-es-http.app.svc:9200: TLS from the ECK CA, but the pod reads no Secret app/logs-es-http-certs-public (ca.crt)']);
    const noTls = { ...es, spec: { ...es.spec, http: { tls: { selfSignedCertificate: { disabled: true } } } } };
    expect(messages(checkCluster([...base(), noTls, client([])], { checks: ['references'], prerequisites: OPERATOR_CRDS }))).toEqual([]);
  });

  test('the namespace of every object exists; a Service selecting no pod is reported', () => {
    expect(messages(checkCluster([service('orphan', { app: 'none' }, [{ name: 'http', port: 80 }])], { checks: ['references'] }))).toEqual([
      'Namespace app: 1 objects are in it: Namespace app does not exist (not in the output, not made by an operator, not a prerequisite)',
      'Service app/orphan: selector {"app":"none"} matches no pod',
    ]);
  });
});

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

describe('admission (Pod Security Standards v1.27)', () => {
  test('restricted rules, one by one', () => {
    const spec = (pod: any, c: any) => ({ securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' }, ...pod }, containers: [{ name: 'c', securityContext: { ...RESTRICTED_SC, ...c } }] });
    expect(podSecurityViolations(spec({}, {}), 'restricted')).toEqual([]);
    expect(podSecurityViolations(spec({}, { allowPrivilegeEscalation: undefined }), 'restricted')).toEqual(['allowPrivilegeEscalation != false (containers c)']);
    expect(podSecurityViolations(spec({ runAsNonRoot: undefined }, {}), 'restricted')).toEqual(['runAsNonRoot != true (containers c)']);
    expect(podSecurityViolations(spec({ seccompProfile: undefined }, {}), 'restricted')).toEqual(['seccompProfile not RuntimeDefault/Localhost (containers c)']);
    expect(podSecurityViolations(spec({ seccompProfile: undefined }, { seccompProfile: { type: 'Localhost', localhostProfile: 'p' } }), 'restricted')).toEqual([]);
    expect(podSecurityViolations(spec({}, { capabilities: { drop: ['NET_RAW'] } }), 'restricted')).toEqual(['capabilities.drop does not include ALL (containers c)']);
    expect(podSecurityViolations(spec({}, { capabilities: { drop: ['ALL'], add: ['NET_ADMIN'] } }), 'restricted')).toEqual([
      'capabilities.add beyond the baseline set (containers c)', 'capabilities.add other than NET_BIND_SERVICE (containers c)']);
    expect(podSecurityViolations(spec({ runAsUser: 0 }, {}), 'restricted')).toEqual(['pod runAsUser: 0']);
    expect(podSecurityViolations({ ...spec({}, {}), volumes: [{ name: 'logs', hostPath: { path: '/var/log' } }] }, 'restricted')).toEqual([
      'hostPath volumes (logs)', 'volume types not allowed (logs)']);
    expect(podSecurityViolations({ ...spec({}, {}), volumes: [{ name: 'logs', hostPath: { path: '/var/log' } }], hostNetwork: true }, 'baseline')).toEqual(['hostNetwork: true', 'hostPath volumes (logs)']);
    expect(podSecurityViolations({ containers: [{ name: 'c', securityContext: { runAsUser: 0 } }] }, 'baseline')).toEqual([]);
  });

  test('each pod against its namespace enforce label', () => {
    const agent = deployment('agent', { kind: 'DaemonSet', podSpec: { volumes: [{ name: 'logs', hostPath: { path: '/var/log' } }] } });
    expect(messages(checkCluster([namespace('app'), agent], { checks: ['admission'] }))).toEqual([
      'DaemonSet app/agent: Pod Security "restricted" of namespace app rejects the pod: hostPath volumes (logs)',
      'DaemonSet app/agent: Pod Security "restricted" of namespace app rejects the pod: volume types not allowed (logs)',
    ]);
    expect(checkCluster([namespace('app', 'privileged'), agent], { checks: ['admission'] })).toEqual([]);
  });

  test('ECK Logstash adds logstash-internal-init-config with only privileged: false; a same-named template init container is merged over it', () => {
    const logstash = (initContainers?: any[]) => ({
      apiVersion: 'logstash.k8s.elastic.co/v1alpha1', kind: 'Logstash', metadata: { name: 'ls', namespace: 'app' },
      spec: { version: '8.13.4', count: 1, podTemplate: { spec: { securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } }, containers: [{ name: 'logstash', securityContext: RESTRICTED_SC }], initContainers } } },
    });
    expect(messages(checkCluster([namespace('app'), logstash()], { checks: ['admission'] }))).toEqual([
      'Logstash app/ls: Pod Security "restricted" of namespace app rejects the pod: allowPrivilegeEscalation != false (containers logstash-internal-init-config)',
      'Logstash app/ls: Pod Security "restricted" of namespace app rejects the pod: capabilities.drop does not include ALL (containers logstash-internal-init-config)',
    ]);
    expect(checkCluster([namespace('app'), logstash([{ name: 'logstash-internal-init-config', securityContext: RESTRICTED_SC }])], { checks: ['admission'] })).toEqual([]);
    // secureSettings add the keystore init container, also with only privileged: false
    const withKeystore = { ...logstash([{ name: 'logstash-internal-init-config', securityContext: RESTRICTED_SC }]), spec: { ...logstash().spec, secureSettings: [{ secretName: 's' }] } };
    withKeystore.spec.podTemplate = logstash([{ name: 'logstash-internal-init-config', securityContext: RESTRICTED_SC }]).spec.podTemplate;
    expect(messages(checkCluster([namespace('app'), withKeystore], { checks: ['admission'] }))).toEqual([
      'Logstash app/ls: Pod Security "restricted" of namespace app rejects the pod: allowPrivilegeEscalation != false (containers elastic-internal-init-keystore)',
      'Logstash app/ls: Pod Security "restricted" of namespace app rejects the pod: capabilities.drop does not include ALL (containers elastic-internal-init-keystore)',
    ]);
  });

  test('ECK keeps a template container securityContext whole; the Prometheus Operator merges it field by field', () => {
    const es = (initSc: any) => ({
      apiVersion: 'elasticsearch.k8s.elastic.co/v1', kind: 'Elasticsearch', metadata: { name: 'logs', namespace: 'app' },
      spec: { version: '8.13.4', nodeSets: [{ name: 'default', count: 1, podTemplate: { spec: { securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } }, initContainers: [{ name: 'elastic-internal-init-filesystem', securityContext: initSc }] } } }] },
    });
    // ECK >= 8.8 defaults are restricted-compatible; a partial template securityContext replaces them
    expect(checkCluster([namespace('app'), es(undefined)], { checks: ['admission'] })).toEqual([]);
    expect(messages(checkCluster([namespace('app'), es({ runAsUser: 1000 })], { checks: ['admission'] }))).toEqual([
      'Elasticsearch app/logs: Pod Security "restricted" of namespace app rejects the pod: allowPrivilegeEscalation != false (containers elastic-internal-init-filesystem)',
      'Elasticsearch app/logs: Pod Security "restricted" of namespace app rejects the pod: capabilities.drop does not include ALL (containers elastic-internal-init-filesystem)',
    ]);
    const stack = monitoringStack();
    stack[0].spec.initContainers = [{ name: 'init-config-reloader', securityContext: { runAsUser: 1000 } }];
    expect(checkCluster([namespace('monitoring'), ...stack], { checks: ['admission'] })).toEqual([]);
  });

  test('ECK 2.16.1 renamed Kibana\'s init container to elastic-internal-init, added with no securityContext', () => {
    const kibana = (initContainers?: any[]) => ({
      apiVersion: 'kibana.k8s.elastic.co/v1', kind: 'Kibana', metadata: { name: 'kb', namespace: 'app' },
      spec: { version: '8.13.4', count: 1, podTemplate: { spec: { securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } }, initContainers } } },
    });
    const hardened = (name: string) => [{ name, securityContext: RESTRICTED_SC }];
    const admission = (o: K8sObject, eckVersion?: string) => messages(checkCluster([namespace('app'), o], { checks: ['admission'], eckVersion }));
    expect(admission(kibana())).toEqual([
      'Kibana app/kb: Pod Security "restricted" of namespace app rejects the pod: allowPrivilegeEscalation != false (containers elastic-internal-init)',
      'Kibana app/kb: Pod Security "restricted" of namespace app rejects the pod: capabilities.drop does not include ALL (containers elastic-internal-init)',
    ]);
    expect(admission(kibana(hardened('elastic-internal-init')))).toEqual([]);
    // hardening the old name under 2.16.1 leaves ECK's container as it is (and adds one of the template's own)
    expect(admission(kibana(hardened('elastic-internal-init-config')))).toHaveLength(2);
    expect(admission(kibana(hardened('elastic-internal-init-config')), '2.16.0')).toEqual([]);
    expect(admission(kibana(), '2.15.0')).toEqual([
      'Kibana app/kb: Pod Security "restricted" of namespace app rejects the pod: allowPrivilegeEscalation != false (containers elastic-internal-init-config)',
      'Kibana app/kb: Pod Security "restricted" of namespace app rejects the pod: capabilities.drop does not include ALL (containers elastic-internal-init-config)',
    ]);
  });

  test('Prometheus Operator containers take seccomp from the CR pod securityContext', () => {
    const noSeccomp = messages(checkCluster([namespace('monitoring'), ...monitoringStack('monitoring', { podSc: { runAsNonRoot: true } })], { checks: ['admission'] }));
    expect(noSeccomp).toEqual([
      'Prometheus monitoring/prometheus: Pod Security "restricted" of namespace monitoring rejects the pod: seccompProfile not RuntimeDefault/Localhost (containers init-config-reloader, prometheus, config-reloader)',
      'Alertmanager monitoring/main: Pod Security "restricted" of namespace monitoring rejects the pod: seccompProfile not RuntimeDefault/Localhost (containers init-config-reloader, alertmanager, config-reloader)',
    ]);
    expect(checkCluster([namespace('monitoring'), ...monitoringStack()], { checks: ['admission'] })).toEqual([]);
  });
});

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
