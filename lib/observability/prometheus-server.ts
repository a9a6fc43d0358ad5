import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import {
  Prometheus, PrometheusSpecAlertingAlertmanagersPort, PrometheusSpecResourcesLimits, PrometheusSpecResourcesRequests,
  PrometheusSpecStorageVolumeClaimTemplateSpecResourcesRequests, ServiceMonitor, ServiceMonitorSpecEndpointsRelabelingsAction, ServiceMonitorSpecEndpointsScheme,
} from '../../imports/monitoring.coreos.com';
import {
  cidrProp, durationProp, INetworkEndpoint, integerProp, openConnection, MONITORING_STACK_LABEL, namespacePeer, parseBytes, PodGroup,
  recommendedLabels, namespaceOf, resolveResources, resolveStorage, ResourceSpec, restrictedPodSecurityContext, fail, StorageOptions,
} from '../shared';
import { checkReleaseVersion } from './observability-checks';

export interface PrometheusServerProps {
  /** Value of the monitoring.media-ai.io/stack label this Prometheus selects monitors and rules by. */
  readonly stack: string;
  /** Prometheus version run by the operator. @default 'v2.53.0' */
  readonly version?: string;
  /** Replicas (each scrapes everything; 2 for HA). @default 2 */
  readonly replicas?: number;
  /** Time series retention. @default '15d' */
  readonly retention?: string;
  /**
   * Volume per replica, as for every store (`size` or `expectedDataSize` plus headroom, StorageClass,
   * access mode); retentionSize is set to 85 % of the size so the TSDB never fills the disk.
   * @default size '50Gi' in the cluster's default StorageClass
   */
  readonly storage?: StorageOptions;
  /** Container resources. @default requests 500m / 2Gi, limits 2 / 4Gi */
  readonly resources?: ResourceSpec;
  /**
   * The Alertmanager (same namespace) to send alerts to: its pods, for the NetworkPolicies. Alerts go
   * to the Service the operator creates for every Alertmanager, `alertmanager-operated` (port `web`).
   */
  readonly alertmanager: INetworkEndpoint;
  /**
   * CIDRs of the nodes' addresses. node-exporter runs on the host network and the kubelet listens on
   * the node, so their endpoints are node IPs that only an ipBlock rule can admit.
   * @default ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'] (the private ranges nodes usually live in)
   */
  readonly nodeCidrs?: string[];
  /**
   * Skip verifying the kubelets' serving certificates. Only for clusters whose kubelets serve
   * self-signed certificates (no `serverTLSBootstrap`); the exception is recorded as an annotation.
   * @default false: verified with the cluster CA of the ServiceAccount
   */
  readonly kubeletInsecureSkipVerify?: boolean;
}

/** Private address ranges (RFC 1918): where cluster nodes live unless told otherwise. */
export const DEFAULT_NODE_CIDRS = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'];
/** The Service the Prometheus Operator creates for every Alertmanager in its namespace (ports web, tcp-mesh, udp-mesh). */
export const ALERTMANAGER_OPERATED_SERVICE = 'alertmanager-operated';
/** The kubelet's HTTPS port (metrics, cAdvisor). */
export const KUBELET_PORT = 10250;

/**
 * 85 % of the volume, in Prometheus' binary units (GB is GiB there): GB from 1 GiB up (what the
 * operator examples use), MB below, where whole GB would round to 0, which Prometheus reads as "no limit".
 */
function retentionSize(scope: Construct, size: string, volumeBytes: number): string {
  const bytes = volumeBytes * 0.85;
  if (bytes >= 2 ** 30) return `${Math.floor(bytes / 2 ** 30)}GB`;
  if (bytes < 64 * 2 ** 20) fail(scope, 'storage.size', size, 'must be at least 76Mi: Prometheus needs room for its WAL and one block');
  return `${Math.floor(bytes / 2 ** 20)}MB`;
}

/**
 * A Prometheus (operator custom resource) that selects every ServiceMonitor, PodMonitor, Probe
 * and PrometheusRule labelled `monitoring.media-ai.io/stack: <stack>`, in any namespace.
 */
export class PrometheusServer extends Construct {
  public static readonly PORT = 9090;
  public readonly name: string;
  public readonly pods: PodGroup;
  /** The nodes' address ranges: host-network endpoints (node-exporter, the kubelet) are reached there. */
  public readonly nodeCidrs: readonly string[];
  public readonly serviceName: string;

  constructor(scope: Construct, id: string, props: PrometheusServerProps) {
    super(scope, id);
    this.name = 'prometheus';
    this.serviceName = 'prometheus';
    const namespace = namespaceOf(this) ?? 'default';
    const version = checkReleaseVersion(this, 'version', props.version ?? 'v2.53.0', 'v2.53.0');
    const labels = recommendedLabels({ name: 'prometheus', instance: this.name, component: 'monitoring', version });
    const podSelector = { 'app.kubernetes.io/name': 'prometheus', 'app.kubernetes.io/instance': this.name };
    const replicas = integerProp(this, 'replicas', props.replicas, 2, { min: 1, max: 10 });
    const retention = durationProp(this, 'retention', props.retention ?? '15d');
    const storage = resolveStorage(this, 'storage', props.storage, { size: '50Gi' });
    const storageBytes = parseBytes(storage.size)!;
    const resources = resolveResources(this, 'resources', props.resources, { cpuRequest: '500m', cpuLimit: '2', memoryRequest: '2Gi', memoryLimit: '4Gi' });
    const selector = { matchLabels: { [MONITORING_STACK_LABEL]: props.stack } };
    const kubeletSkipVerify = props.kubeletInsecureSkipVerify ?? false;

    // Prometheus discovers targets through the Kubernetes API: read-only access to what it scrapes.
    new k8s.KubeServiceAccount(this, 'ServiceAccount', { metadata: { name: this.name, labels }, automountServiceAccountToken: true });
    // Cluster-scoped: one per stack namespace, so a second stack does not overwrite the first's binding.
    const roleName = `media-ai-${this.name}-${namespace}`;
    new k8s.KubeClusterRole(this, 'ClusterRole', {
      metadata: { name: roleName, labels },
      rules: [
        { apiGroups: [''], resources: ['nodes', 'nodes/metrics', 'services', 'endpoints', 'pods'], verbs: ['get', 'list', 'watch'] },
        { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: ['get', 'list', 'watch'] },
        { apiGroups: ['networking.k8s.io'], resources: ['ingresses'], verbs: ['get', 'list', 'watch'] },
        { apiGroups: [''], resources: ['configmaps'], verbs: ['get'] },
        { nonResourceUrLs: ['/metrics', '/metrics/cadvisor'], verbs: ['get'] },
      ],
    });
    new k8s.KubeClusterRoleBinding(this, 'ClusterRoleBinding', {
      metadata: { name: roleName, labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: roleName },
      subjects: [{ kind: 'ServiceAccount', name: this.name, namespace: namespace }],
    });

    new Prometheus(this, 'Prometheus', {
      metadata: { name: this.name, labels },
      spec: {
        version,
        replicas,
        serviceAccountName: this.name,
        retention,
        retentionSize: retentionSize(this, storage.size, storageBytes),
        evaluationInterval: '30s',
        scrapeInterval: '30s',
        externalLabels: { cluster: 'media-ai' },
        serviceMonitorSelector: selector,
        serviceMonitorNamespaceSelector: {},
        podMonitorSelector: selector,
        podMonitorNamespaceSelector: {},
        probeSelector: selector,
        probeNamespaceSelector: {},
        ruleSelector: selector,
        ruleNamespaceSelector: {},
        alerting: { alertmanagers: [{ name: ALERTMANAGER_OPERATED_SERVICE, namespace: namespace, port: PrometheusSpecAlertingAlertmanagersPort.fromString('web') }] },
        resources: {
          requests: { cpu: PrometheusSpecResourcesRequests.fromString(resources.cpuRequest), memory: PrometheusSpecResourcesRequests.fromString(resources.memoryRequest) },
          limits: { cpu: PrometheusSpecResourcesLimits.fromString(resources.cpuLimit), memory: PrometheusSpecResourcesLimits.fromString(resources.memoryLimit) },
        },
        securityContext: restrictedPodSecurityContext({ user: 65534, group: 65534 }),
        storage: {
          volumeClaimTemplate: {
            spec: {
              accessModes: [storage.accessMode],
              storageClassName: storage.storageClassName,
              resources: { requests: { storage: PrometheusSpecStorageVolumeClaimTemplateSpecResourcesRequests.fromString(storage.size) } },
            },
          },
        },
      },
    });

    new k8s.KubeService(this, 'Service', {
      metadata: { name: this.serviceName, labels },
      spec: { selector: podSelector, ports: [{ name: 'web', port: PrometheusServer.PORT, targetPort: k8s.IntOrString.fromString('web'), protocol: 'TCP' }] },
    });

    // The kubelet's own metrics (volumes, cAdvisor); the operator maintains the kubelet Service in kube-system.
    new ServiceMonitor(this, 'KubeletMonitor', {
      metadata: {
        name: 'kubelet',
        labels: { ...labels, [MONITORING_STACK_LABEL]: props.stack },
        annotations: kubeletSkipVerify ? { 'security.media-ai.io/exception': 'kubelet serving certificates are not verified (kubeletInsecureSkipVerify)' } : undefined,
      },
      spec: {
        namespaceSelector: { matchNames: ['kube-system'] },
        selector: { matchLabels: { 'app.kubernetes.io/name': 'kubelet' } },
        endpoints: ['/metrics', '/metrics/cadvisor'].map((path) => ({
          port: 'https-metrics', path, scheme: ServiceMonitorSpecEndpointsScheme.HTTPS, interval: '30s', honorLabels: true,
          bearerTokenFile: '/var/run/secrets/kubernetes.io/serviceaccount/token',
          // Verified against the cluster CA (kubelet serving certificates signed by it: serverTLSBootstrap).
          tlsConfig: { caFile: '/var/run/secrets/kubernetes.io/serviceaccount/ca.crt', ...(kubeletSkipVerify ? { insecureSkipVerify: true } : {}) },
          // Both endpoints are one target per node: the path label keeps their `up` series apart.
          relabelings: [{ sourceLabels: ['__metrics_path__'], targetLabel: 'metrics_path', action: ServiceMonitorSpecEndpointsRelabelingsAction.REPLACE }],
        })),
      },
    });

    this.pods = new PodGroup(this, 'Network', this.name, podSelector, labels);
    // Prometheus may scrape every pod in every namespace. Host-network endpoints (node-exporter, the
    // kubelet) have node IPs, which no pod or namespace selector matches: only the node CIDRs do.
    this.pods.network.allowEgress([{ namespaceSelector: {} }], []);
    const nodeCidrs = (props.nodeCidrs ?? DEFAULT_NODE_CIDRS).map((c, i) => cidrProp(this, `nodeCidrs[${i}]`, c));
    if (nodeCidrs.length === 0) fail(this, 'nodeCidrs', '[]', 'must list at least one CIDR (the nodes\' addresses)');
    for (const cidr of nodeCidrs) this.pods.network.allowEgressToCidr(cidr, [{ port: KUBELET_PORT }]);
    this.nodeCidrs = nodeCidrs;
    // The API server (service discovery) may be outside the node network (a managed control plane).
    this.pods.network.allowEgressToCidr('0.0.0.0/0', [{ port: 443 }, { port: 6443 }]);
    openConnection(this.pods, props.alertmanager, [{ port: 9093 }]);
    this.pods.network.allowDns();
    this.pods.network.allowIngress([namespacePeer(namespace)], [{ port: PrometheusServer.PORT }]);
  }

}
