import { createHash } from 'crypto';
import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { recommendedLabels, selectorLabels } from './labels';
import { INetworkEndpoint, namespaceOf, NetworkRules, workloadNetworkPolicy } from './network';
import { platformPriorityClass } from './priority';
import { topologySpread, TopologySpreadOptions } from './scheduling';
import { restrictedPodSecurityContext, RunAsIdentity } from './security';
import { withEmptyDirStorageRequest } from './storage';

export interface SimpleWorkloadSpec {
  /** Object name (Deployment, Service, ServiceAccount, NetworkPolicy). */
  readonly name: string;
  /** app.kubernetes.io/name. */
  readonly appName: string;
  readonly component: string;
  readonly version: string;
  /** 'Deployment' (default) or 'DaemonSet' for per-node agents. */
  readonly kind?: 'Deployment' | 'DaemonSet';
  /** @default 1 */
  readonly replicas?: number;
  readonly identity: RunAsIdentity;
  readonly containers: k8s.Container[];
  readonly initContainers?: k8s.Container[];
  readonly volumes?: k8s.Volume[];
  /** Ports of the Service; none means no Service. */
  readonly servicePorts?: ReadonlyArray<{ readonly name: string; readonly port: number }>;
  /** Mount a ServiceAccount token: only for workloads that call the Kubernetes API. @default false */
  readonly needsApiToken?: boolean;
  /** Files whose hash goes on the pod template, so a change rolls the pods. */
  readonly configChecksumOf?: unknown;
  /** Namespace of every object, when it differs from the chart's (per-node agents). @default the chart's */
  readonly namespace?: string;
  /** Replace pods all at once (a workload on a ReadWriteOnce volume). @default false: rolling update */
  readonly recreate?: boolean;
  /** PriorityClass of the pods. @default 'media-ai-monitoring' (the building block serves the monitoring and logging tier) */
  readonly priorityClassName?: string;
  /**
   * Spread of a Deployment with more than one replica across zones and nodes (it also gets a
   * PodDisruptionBudget allowing one eviction). @default maxSkew 1, ScheduleAnyway
   */
  readonly topologySpread?: TopologySpreadOptions;
  /** Pod-level overrides for agents that cannot be restricted (documented by the caller). */
  readonly podOverrides?: Partial<k8s.PodSpec>;
}

/**
 * A stateless workload with its own ServiceAccount, Service, and default-deny NetworkPolicy,
 * restricted by default; the building block of the monitoring and logging components.
 */
export class SimpleWorkload extends Construct implements INetworkEndpoint {
  public readonly name: string;
  public readonly namespace?: string;
  public readonly podSelector: Record<string, string>;
  public readonly labels: Record<string, string>;
  public readonly network: NetworkRules;

  constructor(scope: Construct, id: string, spec: SimpleWorkloadSpec) {
    super(scope, id);
    this.name = spec.name;
    this.namespace = spec.namespace ?? namespaceOf(this);
    const namespace = spec.namespace;
    this.network = new NetworkRules(this.namespace);
    const identity = { name: spec.appName, instance: spec.name, component: spec.component, version: spec.version };
    this.podSelector = selectorLabels(identity);
    this.labels = recommendedLabels(identity);

    new k8s.KubeServiceAccount(this, 'ServiceAccount', {
      metadata: { name: spec.name, namespace, labels: this.labels },
      automountServiceAccountToken: spec.needsApiToken ?? false,
    });
    const annotations = spec.configChecksumOf !== undefined
      ? { 'checksum/config': createHash('sha256').update(JSON.stringify(spec.configChecksumOf)).digest('hex') }
      : undefined;
    const replicated = spec.kind !== 'DaemonSet' && (spec.replicas ?? 1) > 1;
    const template: k8s.PodTemplateSpec = {
      metadata: { labels: this.labels, annotations },
      spec: {
        serviceAccountName: spec.name,
        automountServiceAccountToken: spec.needsApiToken ?? false,
        securityContext: restrictedPodSecurityContext(spec.identity),
        initContainers: spec.initContainers,
        // The first container requests the disk its emptyDirs may fill (the pod's scratch space).
        containers: spec.containers.map((c, i) => (i === 0 ? withEmptyDirStorageRequest(c, spec.volumes) : c)),
        volumes: spec.volumes,
        priorityClassName: spec.podOverrides?.priorityClassName ?? spec.priorityClassName ?? platformPriorityClass(this, 'monitoring'),
        topologySpreadConstraints: replicated ? topologySpread(this, 'topologySpread', spec.topologySpread, this.podSelector) : undefined,
        ...spec.podOverrides,
      },
    };
    if (spec.kind === 'DaemonSet') {
      new k8s.KubeDaemonSet(this, 'DaemonSet', {
        metadata: { name: spec.name, namespace, labels: this.labels },
        spec: { selector: { matchLabels: this.podSelector }, updateStrategy: { type: 'RollingUpdate' }, template },
      });
    } else {
      new k8s.KubeDeployment(this, 'Deployment', {
        metadata: { name: spec.name, namespace, labels: this.labels },
        spec: {
          replicas: spec.replicas ?? 1,
          revisionHistoryLimit: 5,
          selector: { matchLabels: this.podSelector },
          strategy: spec.recreate
            ? { type: 'Recreate' }
            : { type: 'RollingUpdate', rollingUpdate: { maxSurge: k8s.IntOrString.fromString('25%'), maxUnavailable: k8s.IntOrString.fromNumber(0) } },
          template,
        },
      });
    }
    if (spec.servicePorts?.length) {
      new k8s.KubeService(this, 'Service', {
        metadata: { name: spec.name, namespace, labels: this.labels },
        spec: {
          type: 'ClusterIP',
          selector: this.podSelector,
          ports: spec.servicePorts.map((p) => ({ name: p.name, port: p.port, targetPort: k8s.IntOrString.fromString(p.name), protocol: 'TCP' })),
        },
      });
    }
    if (replicated) {
      // One pod may go at a time (node drains, upgrades); the others keep serving.
      new k8s.KubePodDisruptionBudget(this, 'DisruptionBudget', {
        metadata: { name: spec.name, namespace, labels: this.labels },
        spec: { maxUnavailable: k8s.IntOrString.fromNumber(1), selector: { matchLabels: this.podSelector } },
      });
    }
    workloadNetworkPolicy(this, 'NetworkPolicy', spec.name, this.labels, this, namespace);
  }

  /** Cluster DNS name of the Service. */
  public get host(): string {
    return this.namespace ? `${this.name}.${this.namespace}.svc.cluster.local` : this.name;
  }
}
