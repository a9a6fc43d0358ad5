import { Chart, Testing } from 'cdk8s';
import { Construct } from 'constructs';
import { ApiService, EnvValue, IConnectable, INetworkEndpoint } from '../../lib';
import { NetworkRules } from '../../lib/shared/network';
import { K8sObject, only, synthValid, testChart } from '../harness/synth';

const IMAGE = 'registry.example.com/media-ai-api:1.4.2';

function render(props: Partial<ConstructorParameters<typeof ApiService>[2]> = {}, chart = testChart()): K8sObject[] {
  new ApiService(chart, 'media-ai-api', { image: IMAGE, ...props });
  return synthValid(chart);
}

const podSpec = (objects: K8sObject[]) => only(objects, 'Deployment').spec.template.spec;
const container = (objects: K8sObject[]) => podSpec(objects).containers[0];

describe('ApiService', () => {
  test('renders the production defaults (snapshot)', () => {
    expect(render({ ingress: { host: 'api.media-ai.com', tlsSecretName: 'api-tls' } })).toMatchSnapshot();
  });

  test('emits one of each object, all named after the service', () => {
    const objects = render({ ingress: { host: 'api.media-ai.com' } });
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`).sort()).toEqual([
      'Deployment/media-ai-api', 'HorizontalPodAutoscaler/media-ai-api', 'Ingress/media-ai-api', 'NetworkPolicy/media-ai-api',
      'PodDisruptionBudget/media-ai-api', 'PriorityClass/media-ai-api', 'Service/media-ai-api', 'ServiceAccount/media-ai-api', 'ServiceMonitor/media-ai-api',
    ]);
    // Every namespaced object in the chart's namespace; the PriorityClass is cluster-scoped.
    expect(new Set(objects.filter((o) => o.kind !== 'PriorityClass').map((o) => o.metadata.namespace))).toEqual(new Set(['media-ai']));
  });

  test('follows the operations spec: port 8000, probes, resources', () => {
    const c = container(render());
    expect(c.ports).toEqual([{ name: 'http', containerPort: 8000, protocol: 'TCP' }]);
    expect(c.livenessProbe).toMatchObject({ httpGet: { path: '/health', port: 'http' }, initialDelaySeconds: 30, periodSeconds: 10 });
    expect(c.readinessProbe).toMatchObject({ httpGet: { path: '/ready', port: 'http' }, initialDelaySeconds: 10, periodSeconds: 5 });
    expect(c.startupProbe).toBeUndefined();
    expect(c.resources).toEqual({ requests: { cpu: '500m', memory: '1Gi' }, limits: { cpu: '2000m', memory: '4Gi' } });
    expect(c.imagePullPolicy).toBe('IfNotPresent');
  });

  test('meets Pod Security "restricted"', () => {
    const objects = render();
    const pod = podSpec(objects);
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 10001, seccompProfile: { type: 'RuntimeDefault' } });
    expect(container(objects).securityContext).toMatchObject({
      allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] }, runAsNonRoot: true,
    });
    expect(container(objects).volumeMounts).toEqual([{ name: 'tmp', mountPath: '/tmp' }]);
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(only(objects, 'ServiceAccount').automountServiceAccountToken).toBe(false);
    expect(pod.serviceAccountName).toBe('media-ai-api');
  });

  test('rolling update and graceful shutdown fields are all rendered', () => {
    const objects = render({ rollingUpdate: { maxSurge: 1, maxUnavailable: '10%', progressDeadlineSeconds: 300, minReadySeconds: 5, revisionHistoryLimit: 3 }, terminationGracePeriodSeconds: 45, preStopSleepSeconds: 15 });
    const spec = only(objects, 'Deployment').spec;
    expect(spec.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: '10%' } });
    expect([spec.progressDeadlineSeconds, spec.minReadySeconds, spec.revisionHistoryLimit]).toEqual([300, 5, 3]);
    expect(spec.template.spec.terminationGracePeriodSeconds).toBe(45);
    expect(spec.template.spec.containers[0].lifecycle).toEqual({ preStop: { exec: { command: ['sleep', '15'] } } });
  });

  test('the HPA owns the replica count; without it the Deployment does', () => {
    const scaled = render({ replicas: 5, autoscaling: { maxReplicas: 12, memoryUtilization: 75 } });
    expect(only(scaled, 'Deployment').spec.replicas).toBeUndefined();
    const hpa = only(scaled, 'HorizontalPodAutoscaler').spec;
    expect([hpa.minReplicas, hpa.maxReplicas]).toEqual([5, 12]);
    expect(hpa.metrics.map((m: any) => [m.resource.name, m.resource.target.averageUtilization])).toEqual([['cpu', 70], ['memory', 75]]);
    expect(hpa.behavior.scaleDown).toEqual({ stabilizationWindowSeconds: 300, selectPolicy: 'Min', policies: [{ type: 'Percent', value: 10, periodSeconds: 60 }] });
    expect(hpa.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'media-ai-api' });

    const fixed = render({ replicas: 3, autoscaling: false });
    expect(only(fixed, 'Deployment').spec.replicas).toBe(3);
    expect(fixed.filter((o) => o.kind === 'HorizontalPodAutoscaler')).toEqual([]);
  });

  test('the disruption budget follows the HPA minimum', () => {
    expect(only(render(), 'PodDisruptionBudget').spec).toMatchObject({ maxUnavailable: 1 });
    expect(only(render({ disruptionBudget: { minAvailable: 4 } }), 'PodDisruptionBudget').spec).toMatchObject({ minAvailable: 4 });
  });

  test('selectors stay stable when the image changes; the version label follows it', () => {
    const a = only(render({ image: 'r.example.com/api:1.0.0' }), 'Deployment');
    const b = only(render({ image: 'r.example.com/api@sha256:' + 'a'.repeat(64) }), 'Deployment');
    expect(a.spec.selector).toEqual(b.spec.selector);
    expect(a.spec.template.metadata.labels['app.kubernetes.io/version']).toBe('1.0.0');
    expect(b.spec.template.metadata.labels['app.kubernetes.io/version']).toBe('aaaaaaaaaaaa');
  });

  test('env from Secrets and ConfigMaps; dependent variables come after what they reference', () => {
    const objects = render({
      env: {
        DATABASE_URL: EnvValue.fromValue('postgresql://$(DB_USER):$(DB_PASSWORD)@db:5432/media_ai'),
        DB_USER: EnvValue.fromSecret('db', 'username'),
        DB_PASSWORD: EnvValue.fromSecret('db', 'password'),
        LOG_LEVEL: EnvValue.fromConfigMap('api-config', 'log-level'),
      },
    });
    expect(container(objects).env.map((e: any) => e.name)).toEqual(['DB_USER', 'DB_PASSWORD', 'LOG_LEVEL', 'DATABASE_URL']);
    expect(container(objects).env[1]).toEqual({ name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } });
  });

  test('Service: ClusterIP by default, LoadBalancer on request, separate metrics port when asked', () => {
    expect(only(render(), 'Service').spec.type).toBe('ClusterIP');
    const objects = render({ service: { type: 'LoadBalancer' }, network: { allowFromAnywhere: true }, metrics: { port: 9090 } });
    const svc = only(objects, 'Service').spec;
    expect(svc.type).toBe('LoadBalancer');
    expect(svc.ports).toEqual([
      { name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' },
      { name: 'metrics', port: 9090, targetPort: 'metrics', protocol: 'TCP' },
    ]);
    expect(only(objects, 'ServiceMonitor').spec.endpoints[0]).toMatchObject({ port: 'metrics', path: '/metrics' });
  });

  // Issue #8 item 8: a LoadBalancer next to the TLS Ingress bypassed TLS and was open to everyone by default.
  test('LoadBalancer/NodePort is an explicit choice: refused without saying who may reach the HTTP port', () => {
    expect(() => render({ service: { type: 'LoadBalancer' } })).toThrow(
      /media-ai-api: service.type \("LoadBalancer"\) exposes the HTTP port beside the Ingress: also set network.allowFromAnywhere or network.extraPeers/);
    expect(() => render({ service: { type: 'NodePort' } })).toThrow(/service.type \("NodePort"\)/);
    const np = only(render({ service: { type: 'LoadBalancer' }, network: { extraPeers: [{ ipBlock: { cidr: '203.0.113.0/24' } }] } }), 'NetworkPolicy').spec;
    expect(np.ingress[0]).toEqual({
      from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } } }, { ipBlock: { cidr: '203.0.113.0/24' } }],
      ports: [{ port: 8000, protocol: 'TCP' }],
    });
    const open = only(render({ service: { type: 'LoadBalancer' }, network: { allowFromAnywhere: true } }), 'NetworkPolicy').spec;
    expect(open.ingress[0]).toEqual({ ports: [{ port: 8000, protocol: 'TCP' }] });
  });

  test('NetworkPolicy: ingress controller and monitoring in, DNS out, default deny', () => {
    const np = only(render({ network: { ingressControllerNamespace: 'traefik', monitoringNamespace: 'obs' }, metrics: { port: 9090 } }), 'NetworkPolicy').spec;
    expect(np.policyTypes).toEqual(['Ingress', 'Egress']);
    expect(np.ingress).toEqual([
      { from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'traefik' } } }], ports: [{ port: 8000, protocol: 'TCP' }] },
      { from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'obs' } } }], ports: [{ port: 9090, protocol: 'TCP' }] },
    ]);
    expect(np.egress).toHaveLength(1);
    expect(np.egress[0].ports).toEqual([{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }]);
  });

  test('connect() sets env and opens both network policies, across namespaces', () => {
    const app = Testing.app();
    const apiChart = new Chart(app, 'api', { namespace: 'media-ai' });
    const storeChart = new Chart(app, 'store', { namespace: 'data' });
    class FakeStore extends Construct implements IConnectable, INetworkEndpoint {
      public readonly podSelector = { 'app.kubernetes.io/name': 'store' };
      public readonly namespace = 'data';
      public readonly network = new NetworkRules('data');
      bindClient(client: INetworkEndpoint) {
        this.network.allowIngressFrom(client, [{ port: 6379 }]);
        return { env: [['STORE_URL', EnvValue.fromSecret('store', 'url')] as const], server: this, ports: [{ port: 6379 }] };
      }
    }
    const store = new FakeStore(storeChart, 'store');
    const api = new ApiService(apiChart, 'media-ai-api', { image: IMAGE });
    // Pods read Secrets in their own namespace only: refused unless the Secret was copied there.
    expect(() => api.connect(store)).toThrow(/connect\(\) \("store\/store"\) is in namespace 'data' and STORE_URL reads Secret 'store' there.*copy Secret 'store' into 'media-ai'/);
    api.connect(store, { secretsInClientNamespace: true });
    const objects = synthValid(apiChart);
    expect(container(objects).env).toEqual([{ name: 'STORE_URL', valueFrom: { secretKeyRef: { name: 'store', key: 'url' } } }]);
    expect(only(objects, 'NetworkPolicy').spec.egress).toContainEqual({
      to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'data' } }, podSelector: { matchLabels: store.podSelector } }],
      ports: [{ port: 6379, protocol: 'TCP' }],
    });
    expect(store.network.ingressRules).toEqual([{
      from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'media-ai' } }, podSelector: { matchLabels: api.podSelector } }],
      ports: [expect.objectContaining({ protocol: 'TCP' })],
    }]);
  });

  test('topology spread over zones and nodes, optional priority class, optional startup probe', () => {
    const objects = render({ priorityClassName: 'media-ai-critical', startupProbe: { failureThreshold: 30 }, topologySpread: { whenUnsatisfiableNode: 'DoNotSchedule' } });
    const pod = podSpec(objects);
    expect(pod.topologySpreadConstraints.map((t: any) => [t.topologyKey, t.whenUnsatisfiable])).toEqual([
      ['topology.kubernetes.io/zone', 'ScheduleAnyway'], ['kubernetes.io/hostname', 'DoNotSchedule'],
    ]);
    expect(pod.priorityClassName).toBe('media-ai-critical');
    expect(pod.containers[0].startupProbe).toMatchObject({ httpGet: { path: '/health' }, failureThreshold: 30 });
  });

  test('the ServiceMonitor carries the monitoring stack label and can be switched off', () => {
    expect(only(render(), 'ServiceMonitor').metadata.labels!['monitoring.media-ai.io/stack']).toBe('platform');
    expect(render({ metrics: { serviceMonitor: false } }).filter((o) => o.kind === 'ServiceMonitor')).toEqual([]);
  });
});
