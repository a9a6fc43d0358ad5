/**
 * The cluster as the objects imply it: pods (from workload templates and from what the operators
 * create), Services, named objects that will exist, namespaces and their labels, plus the few
 * system components every app talks to (cluster DNS, kubelet, the ingress controller).
 */
import { operatorOutput } from './operators';
import { ClusterOptions, K8sObject, PodSecurityLevel, Prerequisite } from './types';
import { matchesMap } from './selectors';

export interface ContainerPort { readonly name?: string; readonly port: number; readonly protocol: string }

export interface PodModel {
  /** `Kind namespace/name` of the object that makes the pod (workload or operator CR), or the system component. */
  readonly id: string;
  readonly owner?: K8sObject;
  readonly namespace: string;
  readonly labels: Record<string, string>;
  /** The pod spec as the cluster runs it: operator-added containers merged with the template's. */
  readonly spec: any;
  readonly system?: boolean;
}

export interface ServicePort { readonly name?: string; readonly port: number; readonly targetPort: number | string; readonly protocol: string }

export interface ServiceModel {
  readonly namespace: string;
  readonly name: string;
  readonly labels: Record<string, string>;
  readonly selector?: Record<string, string>;
  readonly ports: ServicePort[];
  /** Who makes it: the app, an operator, or a prerequisite. */
  readonly origin: string;
  /** Endpoints are the nodes themselves (kubelet Service kept by the Prometheus Operator). */
  readonly nodeEndpoints?: ContainerPort[];
}

export interface NamedObject { readonly kind: string; readonly namespace?: string; readonly name: string; readonly keys?: readonly string[]; readonly origin: string }

export interface ResolvedOptions extends Required<Omit<ClusterOptions, 'checks' | 'prerequisites'>> {
  readonly prerequisites: readonly Prerequisite[];
}

export interface Cluster {
  readonly objects: K8sObject[];
  readonly options: ResolvedOptions;
  readonly pods: PodModel[];
  readonly services: ServiceModel[];
  readonly namespaceLabels: (ns: string) => Record<string, string>;
  readonly podSecurityLevel: (ns: string) => PodSecurityLevel;
  /** The named object of that kind, or undefined. */
  readonly find: (kind: string, namespace: string | undefined, name: string) => NamedObject | undefined;
  readonly service: (namespace: string, name: string) => ServiceModel | undefined;
  readonly podsOf: (svc: ServiceModel) => PodModel[];
}

const WORKLOAD_TEMPLATE: Record<string, (o: K8sObject) => any> = {
  Deployment: (o) => o.spec?.template,
  StatefulSet: (o) => o.spec?.template,
  DaemonSet: (o) => o.spec?.template,
  ReplicaSet: (o) => o.spec?.template,
  Job: (o) => o.spec?.template,
  CronJob: (o) => o.spec?.jobTemplate?.spec?.template,
  Rollout: (o) => o.spec?.template,
  Pod: (o) => ({ metadata: o.metadata, spec: o.spec }),
};

/** Kinds without a namespace: their `metadata.namespace` (cdk8s charts set it anyway) means nothing. */
export const CLUSTER_SCOPED = new Set(['Namespace', 'ClusterRole', 'ClusterRoleBinding', 'CustomResourceDefinition', 'PriorityClass',
  'StorageClass', 'IngressClass', 'PersistentVolume', 'ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration', 'APIService', 'Node']);

export const scope = (o: K8sObject) => (CLUSTER_SCOPED.has(o.kind) ? undefined : o.metadata.namespace ?? 'default');

function key(kind: string, ns: string | undefined, name: string) { return `${kind}/${ns ?? ''}/${name}`; }

export function objectId(o: K8sObject): string {
  const ns = scope(o);
  return ns ? `${o.kind} ${ns}/${o.metadata.name}` : `${o.kind} ${o.metadata.name}`;
}

export function resolveOptions(options: ClusterOptions): ResolvedOptions {
  const prerequisites = options.prerequisites ?? [];
  const prerequisiteNamespace = (kind: string, name?: string) => prerequisites.find((p) => p.kind === kind && (name === undefined || p.name === name) && p.namespace)?.namespace;
  return {
    prerequisites,
    ingressNamespace: options.ingressNamespace ?? prerequisiteNamespace('Controller') ?? 'ingress-nginx',
    ingressControllerLabels: options.ingressControllerLabels ?? { 'app.kubernetes.io/name': 'ingress-nginx', 'app.kubernetes.io/component': 'controller' },
    eckOperatorNamespace: options.eckOperatorNamespace ?? prerequisiteNamespace('Operator', 'elastic-operator') ?? 'elastic-system',
    eckVersion: options.eckVersion ?? '2.16.1',
    nodeIP: options.nodeIP ?? '10.0.0.10',
    externalIP: options.externalIP ?? '203.0.113.10',
    apiServer: options.apiServer ?? { ip: '10.0.0.2', port: 6443 },
    unlabelledNamespaceLevel: options.unlabelledNamespaceLevel ?? 'restricted',
    helmRelease: options.helmRelease ?? true,
  };
}

/** Every pod template of a workload object, or undefined for other kinds. */
export function workloadTemplate(o: K8sObject): any {
  return WORKLOAD_TEMPLATE[o.kind]?.(o);
}

export function buildCluster(objects: K8sObject[], options: ClusterOptions = {}): Cluster {
  const opts = resolveOptions(options);
  const named = new Map<string, NamedObject>();
  const add = (n: NamedObject) => { if (!named.has(key(n.kind, n.namespace, n.name))) named.set(key(n.kind, n.namespace, n.name), n); };
  const pods: PodModel[] = [];
  const services: ServiceModel[] = [];

  for (const o of objects) {
    const ns = scope(o);
    const data = o.kind === 'Secret' || o.kind === 'ConfigMap' ? [...Object.keys(o.data ?? {}), ...Object.keys(o.stringData ?? {}), ...Object.keys(o.binaryData ?? {})] : undefined;
    add({ kind: o.kind, namespace: ns, name: o.metadata.name, keys: data, origin: 'app' });
    const tmpl = workloadTemplate(o);
    if (tmpl) pods.push({ id: objectId(o), owner: o, namespace: ns!, labels: tmpl.metadata?.labels ?? {}, spec: tmpl.spec ?? {} });
    if (o.kind === 'Service') {
      services.push({
        namespace: ns!, name: o.metadata.name, labels: o.metadata.labels ?? {}, selector: o.spec?.selector, origin: 'app',
        ports: (o.spec?.ports ?? []).map((p: any) => ({ name: p.name, port: p.port, targetPort: p.targetPort ?? p.port, protocol: p.protocol ?? 'TCP' })),
      });
    }
    const made = operatorOutput(o, { eckVersion: opts.eckVersion });
    if (made) {
      pods.push(...made.pods);
      for (const s of made.services) if (!services.some((x) => x.namespace === s.namespace && x.name === s.name)) services.push(s);
      for (const n of made.named) add(n);
    }
  }
  for (const p of opts.prerequisites) {
    add({ kind: p.kind, namespace: p.namespace, name: p.name, keys: p.keys, origin: `prerequisite (${p.reason})` });
    if (p.kind === 'Service' && p.namespace && !services.some((s) => s.namespace === p.namespace && s.name === p.name)) {
      // The Prometheus Operator keeps the kubelet Service (`--kubelet-service`): its endpoints are the nodes.
      // Of any other Service we know only the name and labels.
      const kubelet = p.name === 'kubelet' || p.labels?.['k8s-app'] === 'kubelet';
      services.push(kubelet ? kubeletService(p.namespace, p.name, p.labels) : { namespace: p.namespace, name: p.name, labels: p.labels ?? {}, ports: [], origin: 'prerequisite' });
    }
  }

  // Things every namespace has, and the cluster components the app talks to.
  const systemPods: PodModel[] = [
    systemPod('kube-system', 'kube-dns', { 'k8s-app': 'kube-dns' }, [{ name: 'dns', port: 53, protocol: 'UDP' }, { name: 'dns-tcp', port: 53, protocol: 'TCP' }, { name: 'metrics', port: 9153, protocol: 'TCP' }]),
    systemPod(opts.ingressNamespace, 'ingress-controller', opts.ingressControllerLabels, [{ name: 'http', port: 80, protocol: 'TCP' }, { name: 'https', port: 443, protocol: 'TCP' }]),
    systemPod(opts.eckOperatorNamespace, 'elastic-operator', { 'control-plane': 'elastic-operator' }, [{ name: 'https-webhook', port: 9443, protocol: 'TCP' }]),
  ];
  pods.push(...systemPods);

  const nsObjects = new Map(objects.filter((o) => o.kind === 'Namespace').map((o) => [o.metadata.name, o]));
  const namespaceLabels = (ns: string) => ({ ...(nsObjects.get(ns)?.metadata.labels ?? {}), 'kubernetes.io/metadata.name': ns });
  const podSecurityLevel = (ns: string): any => nsObjects.get(ns)?.metadata.labels?.['pod-security.kubernetes.io/enforce']
    ?? (nsObjects.has(ns) ? 'privileged' : opts.unlabelledNamespaceLevel);

  const find = (kind: string, ns: string | undefined, name: string) => {
    const hit = named.get(key(kind, CLUSTER_SCOPED.has(kind) ? undefined : ns, name));
    if (hit) return hit;
    if (kind === 'ServiceAccount' && name === 'default') return { kind, namespace: ns, name, origin: 'every namespace' };
    if (kind === 'ConfigMap' && name === 'kube-root-ca.crt') return { kind, namespace: ns, name, keys: ['ca.crt'], origin: 'every namespace' };
    if (kind === 'PriorityClass' && (name === 'system-cluster-critical' || name === 'system-node-critical')) return { kind, name, origin: 'built in' };
    if (kind === 'Namespace' && ['default', 'kube-system', 'kube-public', 'kube-node-lease'].includes(name)) return { kind, name, origin: 'built in' };
    return undefined;
  };
  const service = (ns: string, name: string) => services.find((s) => s.namespace === ns && s.name === name);
  const podsOf = (svc: ServiceModel) => pods.filter((p) => p.namespace === svc.namespace && matchesMap(svc.selector, p.labels));
  return { objects, options: opts, pods, services, namespaceLabels, podSecurityLevel, find, service, podsOf };
}

function systemPod(namespace: string, name: string, labels: Record<string, string>, ports: ContainerPort[]): PodModel {
  return {
    id: `system ${namespace}/${name}`, namespace, labels, system: true,
    spec: { containers: [{ name, ports: ports.map((p) => ({ name: p.name, containerPort: p.port, protocol: p.protocol })) }] },
  };
}

/** The Service the Prometheus Operator maintains with `--kubelet-service=<ns>/<name>`. */
function kubeletService(namespace: string, name: string, labels?: Record<string, string>): ServiceModel {
  const ports = [{ name: 'https-metrics', port: 10250, protocol: 'TCP' }, { name: 'http-metrics', port: 10255, protocol: 'TCP' }, { name: 'cadvisor', port: 4194, protocol: 'TCP' }];
  return {
    namespace, name, origin: 'Prometheus Operator (--kubelet-service)',
    labels: labels ?? { 'app.kubernetes.io/name': 'kubelet', 'app.kubernetes.io/managed-by': 'prometheus-operator', 'k8s-app': 'kubelet' },
    ports: ports.map((p) => ({ ...p, targetPort: p.port })), nodeEndpoints: ports,
  };
}

/** Container ports of a pod, by name and number. */
export function podPorts(pod: PodModel): ContainerPort[] {
  return [...(pod.spec.containers ?? []), ...(pod.spec.initContainers ?? [])]
    .flatMap((c: any) => (c.ports ?? []).map((p: any) => ({ name: p.name, port: p.containerPort, protocol: p.protocol ?? 'TCP' })));
}

/** Resolves a Service port's targetPort on one pod: a number stays, a name looks up the container ports. */
export function targetPortOn(pod: PodModel, target: number | string, protocol: string): number | undefined {
  if (typeof target === 'number') return target;
  if (/^\d+$/.test(target)) return Number(target);
  return podPorts(pod).find((p) => p.name === target && p.protocol === protocol)?.port;
}

/** Every container, init container and ephemeral container of a pod spec. */
export function allContainers(spec: any): any[] {
  return [...(spec.initContainers ?? []), ...(spec.containers ?? []), ...(spec.ephemeralContainers ?? [])];
}
