/** Harness rules, each with a fixture that fails and one that passes: references (objects, keys, CRDs, addresses, ECK CA). */
import { checkCluster, Finding, K8sObject } from '.';
import { alertmanagerConfig, OPERATOR_CRDS, deployment, monitoringStack, namespace, secret, service } from './fixtures';
import { crdName } from './references';

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
