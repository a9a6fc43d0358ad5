import { k8s } from 'cdk8s-plus-27';
import { Construct, IConstruct } from 'constructs';
import { exemptFromPolicy, fail, imageProp, integerProp, perApp, imageVersion, namespacePeer, resolveResources, restrictedContainerSecurityContext, SimpleWorkload, stackServiceMonitor, toKubeResources } from '../shared';

export interface SystemExportersProps {
  /** Monitoring stack label value for the ServiceMonitors. */
  readonly stack: string;
  /** Namespace of Prometheus (may scrape). */
  readonly monitoringNamespace: string;
  /** kube-state-metrics image. @default 'registry.k8s.io/kube-state-metrics/kube-state-metrics:v2.10.1' */
  readonly kubeStateMetricsImage?: string;
  /**
   * Export Secret metadata (kube_secret_*): needs list/watch on every Secret of the cluster, so it is
   * an explicit choice. @default false
   */
  readonly secretMetrics?: boolean;
}

/** The kube-state-metrics collectors matching the ClusterRole below (its --resources flag). */
function ksmResources(secrets: boolean): string[] {
  return [
    'configmaps', ...(secrets ? ['secrets'] : []), 'nodes', 'pods', 'services', 'resourcequotas', 'replicationcontrollers', 'limitranges',
    'persistentvolumeclaims', 'persistentvolumes', 'namespaces', 'endpoints', 'statefulsets', 'daemonsets', 'deployments', 'replicasets',
    'cronjobs', 'jobs', 'horizontalpodautoscalers', 'poddisruptionbudgets', 'networkpolicies', 'ingresses', 'storageclasses', 'volumeattachments',
  ].sort();
}

/**
 * kube-state-metrics: object state (deployments, pods, HPAs, nodes) as metrics, read-only on the API.
 *
 * One replica, on purpose: every replica exports every series, so a second one would double each
 * `sum()` over them in the rules (HA needs sharding plus deduplication, not provided). A restart
 * loses a scrape or two; no PDB, which on one replica would only block node drains.
 */
export class KubeStateMetrics extends Construct {
  public readonly workload: SimpleWorkload;

  constructor(scope: Construct, id: string, props: SystemExportersProps) {
    super(scope, id);
    const imageRef = props.kubeStateMetricsImage ?? 'registry.k8s.io/kube-state-metrics/kube-state-metrics:v2.10.1';
    const identity = { user: 65534, group: 65534 };
    this.workload = new SimpleWorkload(this, 'Workload', {
      name: 'kube-state-metrics',
      appName: 'kube-state-metrics',
      component: 'monitoring',
      version: imageVersion(imageProp(this, 'kubeStateMetricsImage', imageRef)),
      identity,
      needsApiToken: true, // it lists and watches objects through the API: the token is its reason to exist
      servicePorts: [{ name: 'http-metrics', port: 8080 }, { name: 'telemetry', port: 8081 }],
      containers: [{
        name: 'kube-state-metrics',
        image: imageRef,
        imagePullPolicy: 'IfNotPresent',
        // Only the resources it may list: without Secrets unless asked (least privilege).
        args: ['--port=8080', '--telemetry-port=8081', `--resources=${ksmResources(props.secretMetrics ?? false).join(',')}`],
        ports: [{ name: 'http-metrics', containerPort: 8080, protocol: 'TCP' }, { name: 'telemetry', containerPort: 8081, protocol: 'TCP' }],
        resources: toKubeResources(resolveResources(this, 'resources', undefined, { cpuRequest: '50m', cpuLimit: '500m', memoryRequest: '128Mi', memoryLimit: '512Mi' })),
        livenessProbe: { httpGet: { path: '/healthz', port: k8s.IntOrString.fromString('http-metrics') }, initialDelaySeconds: 5, periodSeconds: 10 },
        readinessProbe: { httpGet: { path: '/', port: k8s.IntOrString.fromString('telemetry') }, periodSeconds: 10 },
        securityContext: restrictedContainerSecurityContext(identity),
      }],
    });
    exemptFromPolicy(this.workload, { rule: 'service-account-token', reason: 'kube-state-metrics lists and watches objects through the Kubernetes API (read-only ClusterRole)' });
    const labels = this.workload.labels;
    // Cluster-scoped: one per stack namespace, so a second stack does not overwrite the first's binding.
    const roleName = `media-ai-kube-state-metrics-${this.workload.namespace ?? 'default'}`;
    new k8s.KubeClusterRole(this, 'ClusterRole', {
      metadata: { name: roleName, labels },
      rules: [
        {
          apiGroups: [''],
          resources: ['configmaps', ...(props.secretMetrics ? ['secrets'] : []), 'nodes', 'pods', 'services', 'resourcequotas', 'replicationcontrollers', 'limitranges', 'persistentvolumeclaims', 'persistentvolumes', 'namespaces', 'endpoints'],
          verbs: ['list', 'watch'],
        },
        { apiGroups: ['apps'], resources: ['statefulsets', 'daemonsets', 'deployments', 'replicasets'], verbs: ['list', 'watch'] },
        { apiGroups: ['batch'], resources: ['cronjobs', 'jobs'], verbs: ['list', 'watch'] },
        { apiGroups: ['autoscaling'], resources: ['horizontalpodautoscalers'], verbs: ['list', 'watch'] },
        { apiGroups: ['policy'], resources: ['poddisruptionbudgets'], verbs: ['list', 'watch'] },
        { apiGroups: ['networking.k8s.io'], resources: ['networkpolicies', 'ingresses'], verbs: ['list', 'watch'] },
        { apiGroups: ['storage.k8s.io'], resources: ['storageclasses', 'volumeattachments'], verbs: ['list', 'watch'] },
      ],
    });
    new k8s.KubeClusterRoleBinding(this, 'ClusterRoleBinding', {
      metadata: { name: roleName, labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: roleName },
      subjects: [{ kind: 'ServiceAccount', name: 'kube-state-metrics', namespace: this.workload.namespace ?? 'default' }],
    });
    stackServiceMonitor(this, 'ServiceMonitor', 'kube-state-metrics', labels, this.workload.podSelector, [{ port: 'http-metrics' }], props.stack);
    this.workload.network.allowIngress([namespacePeer(props.monitoringNamespace)], [{ port: 8080 }, { port: 8081 }]);
    this.workload.network.allowEgressToCidr('0.0.0.0/0', [{ port: 443 }, { port: 6443 }]);
    this.workload.network.allowDns();
  }
}

export interface NodeExporterProps {
  readonly stack: string;
  /** Namespace of the agents ("privileged" Pod Security level). */
  readonly namespace: string;
  /** Image, pinned. @default 'quay.io/prometheus/node-exporter:v1.7.0' */
  readonly image?: string;
  /**
   * Port node-exporter listens on. It runs on the host network, so the port is bound on every node:
   * a second node-exporter on the same nodes (another stack's) needs another port.
   * @default 9100 (`NodeExporter.PORT`)
   */
  readonly port?: number;
}

/** What a stack lets its user choose of its node-exporter (`ObservabilityStackProps.nodeExporter`). */
export type NodeExporterOptions = Pick<NodeExporterProps, 'image' | 'port'>;

/**
 * Ports node components already bind: the kubelet and kube-proxy on every node, the control plane on
 * its nodes (node-exporter tolerates every taint, so it runs there too).
 */
const NODE_COMPONENT_PORTS: Readonly<Record<number, string>> = {
  2379: 'etcd', 2380: 'etcd', 6443: 'kube-apiserver', 10248: 'kubelet', 10249: 'kube-proxy', 10250: 'kubelet', 10255: 'kubelet',
  10256: 'kube-proxy', 10257: 'kube-controller-manager', 10259: 'kube-scheduler',
};
/** The default NodePort range: kube-proxy opens these on every node for NodePort Services. */
const NODE_PORT_RANGE = [30000, 32767] as const;
/** Host ports taken by node-exporters per App: one bound twice leaves the second's pods Pending on every node. */
const HOST_PORTS = new WeakMap<IConstruct, Map<number, string>>();

/**
 * node-exporter on every node: CPU, memory, disk and network of the hosts.
 *
 * Policy exemption (recorded on the DaemonSet, in a "privileged" namespace): it reads the host's /proc, /sys and root filesystem
 * (hostPath, read-only) and shares the host network and PID namespace, so it cannot be
 * "restricted". It belongs in the agents namespace, labelled "privileged"; it still runs as
 * non-root with all capabilities dropped, no privilege escalation and a read-only root.
 */
export class NodeExporter extends Construct {
  /** The default port. */
  public static readonly PORT = 9100;
  public readonly workload: SimpleWorkload;
  /** The host port it listens on. */
  public readonly port: number;

  constructor(scope: Construct, id: string, props: NodeExporterProps) {
    super(scope, id);
    const imageRef = props.image ?? 'quay.io/prometheus/node-exporter:v1.7.0';
    this.port = integerProp(this, 'port', props.port, NodeExporter.PORT, { min: 1024, max: 65535 });
    if (NODE_COMPONENT_PORTS[this.port]) fail(this, 'port', this.port, `is bound by the ${NODE_COMPONENT_PORTS[this.port]} on the nodes node-exporter runs on: choose another`);
    if (this.port >= NODE_PORT_RANGE[0] && this.port <= NODE_PORT_RANGE[1]) {
      fail(this, 'port', this.port, `is in the NodePort range (${NODE_PORT_RANGE.join('–')}), which kube-proxy opens on every node for NodePort Services: choose another`);
    }
    const taken = perApp(HOST_PORTS, this, () => new Map<number, string>());
    const other = taken.get(this.port);
    if (other) {
      fail(this, 'port', this.port, `is already bound on every node by ${other} (node-exporter runs on the host network): give this stack another nodeExporter.port, or nodeExporter: false to run none`);
    }
    taken.set(this.port, this.node.path);
    const identity = { user: 65534, group: 65534 };
    const hostPath = (name: string, path: string) => ({ name, hostPath: { path, type: 'Directory' } });
    this.workload = new SimpleWorkload(this, 'Workload', {
      name: 'node-exporter',
      appName: 'node-exporter',
      component: 'monitoring',
      version: imageVersion(imageProp(this, 'image', imageRef)),
      kind: 'DaemonSet',
      namespace: props.namespace,
      identity,
      servicePorts: [{ name: 'metrics', port: this.port }],
      podOverrides: {
        hostNetwork: true,
        hostPid: true,
        dnsPolicy: 'ClusterFirstWithHostNet',
        tolerations: [{ operator: 'Exists' }],
        priorityClassName: 'system-node-critical',
      },
      containers: [{
        name: 'node-exporter',
        image: imageRef,
        imagePullPolicy: 'IfNotPresent',
        args: ['--path.procfs=/host/proc', '--path.sysfs=/host/sys', '--path.rootfs=/host/root', `--web.listen-address=:${this.port}`,
          '--collector.filesystem.mount-points-exclude=^/(dev|proc|sys|var/lib/docker/.+|var/lib/kubelet/.+)($|/)'],
        ports: [{ name: 'metrics', containerPort: this.port, protocol: 'TCP' }],
        resources: toKubeResources(resolveResources(this, 'resources', undefined, { cpuRequest: '50m', cpuLimit: '250m', memoryRequest: '32Mi', memoryLimit: '128Mi' })),
        livenessProbe: { httpGet: { path: '/', port: k8s.IntOrString.fromString('metrics') }, periodSeconds: 30 },
        readinessProbe: { httpGet: { path: '/', port: k8s.IntOrString.fromString('metrics') }, periodSeconds: 10 },
        securityContext: restrictedContainerSecurityContext(identity),
        volumeMounts: [
          { name: 'proc', mountPath: '/host/proc', readOnly: true },
          { name: 'sys', mountPath: '/host/sys', readOnly: true },
          { name: 'root', mountPath: '/host/root', readOnly: true, mountPropagation: 'HostToContainer' },
        ],
      }],
      volumes: [hostPath('proc', '/proc'), hostPath('sys', '/sys'), hostPath('root', '/')],
    });
    exemptFromPolicy(this.workload, { rule: 'pod-security', reason: 'reads the host /proc, /sys and / (hostPath, read-only) in the host network and PID namespaces; non-root, no capabilities, no privilege escalation, read-only root' });
    stackServiceMonitor(this, 'ServiceMonitor', 'node-exporter', this.workload.labels, this.workload.podSelector, [{ port: 'metrics' }], props.stack, props.namespace);
  }
}
