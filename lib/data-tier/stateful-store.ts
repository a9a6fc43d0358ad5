import { createHash } from 'crypto';
import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { ServiceMonitor } from '../../imports/monitoring.coreos.com';
import {
  DEFAULT_MONITORING_STACK, DEFAULT_SCRAPE_TAG, IMonitorable, monitoredNamespace, MonitoringContribution, MonitoringStackRef, StackSelection,
  ConnectionBinding, dnsLabelProp, serviceNameProp, imageProp, dnsSubdomainProp, EnvValue, INetworkEndpoint, namespaceOf, namespacePeer,
  NetworkRules, recommendedLabels, ResolvedStorage, resolveResources,
  restrictedContainerSecurityContext, restrictedPodSecurityContext, RunAsIdentity, SecretKeyReference,
  selectorLabels, stackServiceMonitor, toKubeResources, topologySpread, TopologySpreadOptions,
  linkAlertsToDashboard, workloadNetworkPolicy,
} from '../shared';
import { StoreSignals, volumePanel } from './store-signals';
import { platformPriorityClass } from '../shared/priority';

/** Label on a store's headless Service, so that monitors select only the client Service. */
export const HEADLESS_SERVICE_LABEL = 'service.media-ai.io/headless';

/** Props every store shares. */
export interface StoreCommonProps {
  /** Name of the store's objects; part of the pod selector, so keep it stable. @default the construct id */
  readonly name?: string;
  /**
   * Namespace allowed to scrape the exporter before (or without) `stack.monitor(store)`; the stack
   * that monitors the store admits its own Prometheus and this default rule is then withdrawn
   * unless given explicitly. @default 'monitoring'
   */
  readonly monitoringNamespace?: string;
  /**
   * Monitoring stack (value of the `monitoring.media-ai.io/stack` label) that picks up the
   * ServiceMonitor; `stack.monitor(store)` sets it to that stack's name. @default 'platform'
   */
  readonly monitoringStack?: string;
  /** PriorityClass of the pods (must exist in the cluster). @default 'media-ai-data-store', created in the app (the platform's data-store tier) */
  readonly priorityClassName?: string;
  /** Topology spread across zones and nodes. @default maxSkew 1, ScheduleAnyway */
  readonly topologySpread?: TopologySpreadOptions;
}

/** What a concrete store tells the base to build. */
export interface StoreSpec {
  readonly name: string;
  /** app.kubernetes.io/name, e.g. 'postgresql'. */
  readonly appName: string;
  /** app.kubernetes.io/component, e.g. 'database'. */
  readonly component: string;
  readonly version: string;
  readonly identity: RunAsIdentity;
  /** Ports of the client Service (the first is the main one); metrics ports are marked. */
  readonly ports: ReadonlyArray<{ readonly name: string; readonly port: number; readonly metrics?: boolean; readonly path?: string }>;
  readonly containers: k8s.Container[];
  readonly initContainers?: k8s.Container[];
  readonly volumes?: k8s.Volume[];
  /** Name and size of the data volume claim template. */
  readonly dataVolumeName: string;
  readonly storage: ResolvedStorage;
  /** Files of the store's ConfigMap (`<name>-config`); their hash goes on the pod template, so a change rolls the pods. */
  readonly configFiles?: Record<string, string>;
  readonly common: StoreCommonProps;
}

/**
 * The shape every store shares: a one-replica StatefulSet with a claim template, a headless
 * and a client Service, its own ServiceAccount without token, a PodDisruptionBudget, a
 * default-deny NetworkPolicy (monitoring may scrape; clients are added by connect) and a
 * ServiceMonitor for its exporter.
 */
export abstract class StatefulStore extends Construct implements INetworkEndpoint, IMonitorable {
  public readonly name: string;
  public readonly namespace?: string;
  public readonly podSelector: Record<string, string>;
  public readonly labels: Record<string, string>;
  public readonly network: NetworkRules;

  /** The client Service name. */
  public readonly serviceName: string;
  public readonly headlessServiceName: string;
  /** Name of the store's ConfigMap, when it has configuration files. */
  public readonly configMapName: string;
  private built?: { statefulSet: k8s.KubeStatefulSet; storage: ResolvedStorage };
  private stackSelection?: StackSelection;
  private metricsPorts: number[] = [];
  private explicitScrapeNamespace?: string;

  protected constructor(scope: Construct, id: string, common: StoreCommonProps) {
    super(scope, id);
    // The name is also the client Service's: a DNS-1035 label; 50 leaves room for '-headless' and pod suffixes.
    this.name = serviceNameProp(this, 'name', common.name ?? id, 50);
    this.namespace = namespaceOf(this);
    this.network = new NetworkRules(this.namespace);
    this.serviceName = this.name;
    this.headlessServiceName = `${this.name}-headless`;
    this.configMapName = `${this.name}-config`;
    this.podSelector = {};
    this.labels = {};
  }

  /** The monitoring stack whose Prometheus scrapes the store: the label of its ServiceMonitor (set by `monitoringStack` or `stack.monitor(store)`). */
  public get monitoringStack(): string {
    return this.stackSelection?.stack ?? DEFAULT_MONITORING_STACK;
  }

  /** The stack chosen for the store (`monitoringStack` or `monitor()`); undefined while only the default applies. */
  protected get chosenStack(): string | undefined {
    return this.stackSelection?.chosen;
  }

  /** The StatefulSet. */
  public get statefulSet(): k8s.KubeStatefulSet {
    return this.builtParts.statefulSet;
  }

  /** The volume each replica's claim template requests: size, StorageClass, access mode (what the `storage` prop resolved to). */
  public get storage(): ResolvedStorage {
    return this.builtParts.storage;
  }

  /** The ServiceMonitor of the exporter (stores without metrics ports have none). */
  public get serviceMonitor(): ServiceMonitor | undefined {
    return this.monitor;
  }

  private monitor?: ServiceMonitor;

  private get builtParts(): { statefulSet: k8s.KubeStatefulSet; storage: ResolvedStorage } {
    if (!this.built) throw new Error(`${this.node.path}: the store is not built yet (a subclass reads it in its constructor before build())`);
    return this.built;
  }

  /** The store's alerts and panels for the exporter series selected by `sel`. */
  protected abstract signals(sel: string): StoreSignals;

  /** Stores this one runs with and that are monitored with it (Milvus: etcd, MinIO). */
  protected subStores(): StatefulStore[] {
    return [];
  }

  /**
   * Selects this store (and its sub-stores) for the stack — ServiceMonitor label, Prometheus
   * admitted on the metrics ports — and returns their alerts and panels.
   */
  public signalsFor(stack: MonitoringStackRef): StoreSignals {
    const namespace = monitoredNamespace(this);
    this.stackSelection!.claim(stack, this, this.metricsPorts.map((port) => ({ port })), this.explicitScrapeNamespace);
    const own = this.signals(`job="${this.serviceName}",namespace="${namespace}"`);
    const subs = this.subStores().map((s) => s.signalsFor(stack));
    return { alerts: [...own.alerts, ...subs.flatMap((s) => s.alerts)], panels: [...own.panels, ...subs.flatMap((s) => s.panels)] };
  }

  /** Called by `stack.monitor(store)`: the store's alerts and dashboard, scraped by that stack. */
  public monitorBy(stack: MonitoringStackRef): MonitoringContribution {
    const namespace = monitoredNamespace(this);
    const key = `${namespace}-${this.name}`;
    const signals = this.signalsFor(stack);
    const statefulSets = [this, ...this.subStores()].map((s) => s.name);
    const uid = `store-${key}`.slice(0, 40);
    const panels = [...signals.panels, volumePanel(namespace, statefulSets)];
    return {
      key,
      ruleGroups: [{ name: key, rules: linkAlertsToDashboard(signals.alerts, uid, panels) }],
      dashboards: [{ uid, title: `Store: ${this.name} (${namespace})`, tags: ['media-ai', 'data-tier'], panels }],
    };
  }

  /** Cluster DNS name of the client Service. */
  public get host(): string {
    return this.namespace ? `${this.serviceName}.${this.namespace}.svc.cluster.local` : this.serviceName;
  }

  /**
   * Admits a client on the store's port and returns its connection variables: the whole URL from
   * `urlSecret` when one is given, otherwise `built` (Secret-backed parts and $(VAR) expansion).
   */
  protected admit(client: INetworkEndpoint, port: number, urlVar: string, urlSecret: SecretKeyReference | undefined, built: Array<[string, EnvValue]>): ConnectionBinding {
    const ports = [{ port }];
    this.network.allowIngressFrom(client, ports);
    const env: Array<[string, EnvValue]> = urlSecret ? [[urlVar, EnvValue.fromSecret(urlSecret.name, urlSecret.key)]] : built;
    return { env, server: this, ports };
  }

  protected build(spec: StoreSpec): void {
    const identity = { name: spec.appName, instance: spec.name, component: spec.component, version: spec.version };
    Object.assign(this.podSelector, selectorLabels(identity));
    Object.assign(this.labels, recommendedLabels(identity));
    const common = spec.common;
    this.stackSelection = new StackSelection(this, 'monitoringStack', common.monitoringStack);

    new k8s.KubeServiceAccount(this, 'ServiceAccount', {
      metadata: { name: spec.name, labels: this.labels },
      automountServiceAccountToken: false,
    });

    const servicePorts = spec.ports.map((p) => ({ name: p.name, port: p.port, targetPort: k8s.IntOrString.fromString(p.name), protocol: 'TCP' }));
    // The headless Service has the same endpoints as the client Service: it carries a label the
    // ServiceMonitor excludes, so each store is scraped once.
    new k8s.KubeService(this, 'HeadlessService', {
      metadata: { name: this.headlessServiceName, labels: { ...this.labels, [HEADLESS_SERVICE_LABEL]: 'true' } },
      spec: { clusterIp: 'None', publishNotReadyAddresses: true, selector: this.podSelector, ports: servicePorts },
    });
    new k8s.KubeService(this, 'Service', {
      metadata: { name: this.serviceName, labels: this.labels },
      spec: { type: 'ClusterIP', selector: this.podSelector, ports: servicePorts },
    });

    const priorityClassName = common.priorityClassName !== undefined ? dnsSubdomainProp(this, 'priorityClassName', common.priorityClassName) : platformPriorityClass(this, 'dataStore');
    let annotations: Record<string, string> | undefined;
    if (spec.configFiles) {
      new k8s.KubeConfigMap(this, 'Config', { metadata: { name: this.configMapName, labels: this.labels }, data: spec.configFiles });
      annotations = { 'checksum/config': createHash('sha256').update(JSON.stringify(spec.configFiles)).digest('hex') };
    }

    const statefulSet = new k8s.KubeStatefulSet(this, 'StatefulSet', {
      metadata: { name: spec.name, labels: this.labels },
      spec: {
        serviceName: this.headlessServiceName,
        replicas: 1,
        selector: { matchLabels: this.podSelector },
        podManagementPolicy: 'OrderedReady',
        updateStrategy: { type: 'RollingUpdate' },
        persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
        template: {
          metadata: { labels: this.labels, annotations },
          spec: {
            serviceAccountName: spec.name,
            automountServiceAccountToken: false,
            securityContext: restrictedPodSecurityContext(spec.identity),
            terminationGracePeriodSeconds: 60,
            priorityClassName,
            topologySpreadConstraints: topologySpread(this, 'topologySpread', common.topologySpread, this.podSelector),
            initContainers: spec.initContainers,
            containers: spec.containers,
            volumes: spec.volumes,
          },
        },
        volumeClaimTemplates: [{
          metadata: { name: spec.dataVolumeName, labels: this.labels },
          spec: {
            accessModes: [spec.storage.accessMode],
            storageClassName: spec.storage.storageClassName,
            resources: { requests: { storage: k8s.Quantity.fromString(spec.storage.size) } },
          },
        }],
      },
    });

    this.built = { statefulSet, storage: spec.storage };

    // One pod: a budget of maxUnavailable 1 lets nodes drain (one pod at a time) without blocking.
    new k8s.KubePodDisruptionBudget(this, 'DisruptionBudget', {
      metadata: { name: spec.name, labels: this.labels },
      spec: { maxUnavailable: k8s.IntOrString.fromNumber(1), selector: { matchLabels: this.podSelector } },
    });

    const monitoringNamespace = dnsLabelProp(this, 'monitoringNamespace', common.monitoringNamespace ?? 'monitoring');
    const metricsPorts = spec.ports.filter((p) => p.metrics);
    for (const p of metricsPorts) this.network.allowIngress([namespacePeer(monitoringNamespace)], [{ port: p.port }], DEFAULT_SCRAPE_TAG);
    this.metricsPorts = metricsPorts.map((p) => p.port);
    this.explicitScrapeNamespace = common.monitoringNamespace;
    this.network.allowDns();
    workloadNetworkPolicy(this, 'NetworkPolicy', spec.name, this.labels, this);

    if (metricsPorts.length > 0) {
      this.monitor = stackServiceMonitor(this, 'ServiceMonitor', spec.name, this.labels, this.podSelector,
        metricsPorts.map((p) => ({ port: p.name, path: p.path })), undefined, undefined, [{ key: HEADLESS_SERVICE_LABEL, operator: 'DoesNotExist' }]);
      this.stackSelection.track(this.monitor);
    }
  }
}


/** A Prometheus exporter sidecar: pinned image, one metrics port, small resources, restricted. */
export function exporterSidecar(scope: Construct, o: { image: string; port: number; env: k8s.EnvVar[]; healthPath: string; uid: number; memoryLimit: string }): k8s.Container {
  return {
    name: 'exporter',
    image: (imageProp(scope, 'exporterImage', o.image), o.image),
    imagePullPolicy: 'IfNotPresent',
    ports: [{ name: 'metrics', containerPort: o.port, protocol: 'TCP' }],
    env: o.env,
    resources: toKubeResources(resolveResources(scope, 'exporterResources', undefined, { cpuRequest: '50m', cpuLimit: '200m', memoryRequest: '32Mi', memoryLimit: o.memoryLimit })),
    livenessProbe: { httpGet: { path: o.healthPath, port: k8s.IntOrString.fromString('metrics') }, periodSeconds: 30, timeoutSeconds: 5 },
    readinessProbe: { httpGet: { path: o.healthPath, port: k8s.IntOrString.fromString('metrics') }, periodSeconds: 10, timeoutSeconds: 5 },
    securityContext: restrictedContainerSecurityContext({ user: o.uid, group: o.uid }),
  };
}
