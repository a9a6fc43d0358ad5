import { JsonPatch, Lazy } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { ServiceMonitor } from '../../imports/monitoring.coreos.com';
import { POD_HASH_LABEL, ProgressiveRollout } from '../delivery';
import {
  checkConnectionNamespaces, DEFAULT_SCRAPE_TAG, checkSecretsReachable, ConnectionBinding, HttpServiceFacts, IMonitorable, isConnectable, MonitoringContribution,
  MonitoringStackRef, monitoredNamespace, StackSelection, dnsLabelProp, IConnectable, dnsSubdomainProp, durationProp, EnvironmentVariables, EnvValue, fail, hostProp,
  httpPathProp, httpProbe, imageProp, imageVersion, INetworkEndpoint, integerProp, namespaceOf,
  namespacePeer, NetworkRules, percentProp, portProp, recommendedLabels, resolveResources,
  restrictedContainerSecurityContext, restrictedPodSecurityContext, scratchVolume, stackServiceMonitor, selectorLabels, toKubeResources, topologySpread,
  workloadNetworkPolicy, serviceNameProp, labelValueProp, checkNoCredentialArgs, metadataMapProp, quantityProp, promDurationMsProp,
  SCRAPE_TIMEOUT, parsePromDuration,
} from '../shared';
import { platformPriorityClass } from '../shared/priority';
import { checkApiServiceProps, checkRollout } from './api-service-checks';
import { ResolvedSlo, SloOptions, sloProp } from '../shared';
import { ApiServiceProps, AutoscalingOptions, ScalingRateOptions } from './api-service-props';

const HTTP_PORT_NAME = 'http';
const METRICS_PORT_NAME = 'metrics';

/**
 * An HTTP API deployed the way the operations spec runs `media-ai-api`: a restricted,
 * autoscaled Deployment behind a Service (and optionally an Ingress), with its own
 * ServiceAccount, PodDisruptionBudget, NetworkPolicy and ServiceMonitor.
 */
export class ApiService extends Construct implements INetworkEndpoint, IConnectable, IMonitorable {
  /** Name shared by every object of the service. */
  public readonly name: string;
  public readonly namespace?: string;
  /** Container port of the HTTP server. */
  public readonly port: number;
  /** Service port clients use. */
  public readonly servicePort: number;
  public readonly podSelector: Record<string, string>;
  public readonly labels: Record<string, string>;
  public readonly network: NetworkRules;
  /** Public host of the Ingress, when there is one. */
  public readonly host?: string;
  /** Whether TLS is terminated at the Ingress for `host`. */
  public readonly tls: boolean;
  /** Metrics endpoint: Service port name, path and container port. */
  public readonly metrics: { readonly portName: string; readonly path: string; readonly port: number; readonly interval: string };
  /** Path of the liveness endpoint (what the synthetic probe requests too). */
  public readonly livenessPath: string;
  public readonly deployment: k8s.KubeDeployment;
  public readonly service: k8s.KubeService;
  /** Name of the ServiceAccount the pods run as. */
  public readonly serviceAccountName: string;
  /** HPA minimum/maximum, or the fixed replica count for both. */
  public readonly minReplicas: number;
  public readonly maxReplicas: number;
  /** The Argo Rollouts Rollout (blueGreen/canary delivery) that manages the Deployment's pods; undefined for rolling. */
  public readonly rollout?: ProgressiveRollout;
  /** The SLO new versions are judged by (the `slo` prop, resolved). */
  public readonly slo: ResolvedSlo;
  /** The `slo` prop as given, for monitoring that must agree with it. */
  public readonly sloOptions?: SloOptions;

  private readonly env: EnvironmentVariables;
  private monitor?: ServiceMonitor;
  private readonly stackSelection: StackSelection;
  private readonly explicitScrapeNamespace?: string;
  /** Connection variables and the server that set each, so a second server cannot silently replace one. */
  private readonly connectionVars = new Map<string, string>();

  constructor(scope: Construct, id: string, props: ApiServiceProps) {
    super(scope, id);
    checkApiServiceProps(this, props);
    // Service names are DNS-1035 labels; 53 leaves room for the pod-name suffixes of the Deployment.
    this.name = serviceNameProp(this, 'name', props.name ?? id, 53);
    this.namespace = namespaceOf(this);
    const image = imageProp(this, 'image', props.image, props.allowUnpinnedImage);
    const identity = { name: this.name, instance: this.name, component: labelValueProp(this, 'component', props.component ?? 'api'), version: imageVersion(image) };
    this.podSelector = selectorLabels(identity);
    this.labels = recommendedLabels(identity);
    this.network = new NetworkRules(this.namespace);

    this.port = portProp(this, 'port', props.port, 8000);
    const replicas = integerProp(this, 'replicas', props.replicas, 5, { min: 1, max: 1000 });
    const resources = resolveResources(this, 'resources', props.resources, { cpuRequest: '500m', cpuLimit: '2000m', memoryRequest: '1Gi', memoryLimit: '4Gi' });
    const metricsPort = portProp(this, 'metrics.port', props.metrics?.port, this.port);
    this.metrics = {
      portName: metricsPort === this.port ? HTTP_PORT_NAME : METRICS_PORT_NAME,
      path: httpPathProp(this, 'metrics.path', props.metrics?.path ?? '/metrics'),
      port: metricsPort,
      interval: durationProp(this, 'metrics.interval', props.metrics?.interval ?? '30s'),
    };
    if (promDurationMsProp(this, 'metrics.interval', this.metrics.interval) < parsePromDuration(SCRAPE_TIMEOUT)!) {
      fail(this, 'metrics.interval', this.metrics.interval, `must be at least the scrape timeout (${SCRAPE_TIMEOUT}), or Prometheus drops the target`);
    }
    const user = integerProp(this, 'runAsUser', props.runAsUser, 10001, { min: 1, max: 2147483647 });
    const group = integerProp(this, 'runAsGroup', props.runAsGroup, 10001, { min: 1, max: 2147483647 });

    this.sloOptions = props.slo;
    this.slo = sloProp(this, 'slo', props.slo);
    const delivery = props.delivery ?? { type: 'rolling' };
    if (!['rolling', 'blueGreen', 'canary'].includes(delivery.type)) fail(this, 'delivery.type', delivery.type, "must be 'rolling', 'blueGreen' or 'canary'");
    const progressive = delivery.type !== 'rolling';

    this.env = new EnvironmentVariables(this, 'env');
    for (const [name, value] of Object.entries(props.env ?? {})) this.env.set(name, value);
    checkNoCredentialArgs(this, 'args', props.args);
    checkNoCredentialArgs(this, 'command', props.command);

    const autoscaling = props.autoscaling === false ? undefined : props.autoscaling ?? {};
    this.minReplicas = autoscaling ? integerProp(this, 'autoscaling.minReplicas', autoscaling.minReplicas, replicas, { min: 1, max: 1000 }) : replicas;
    this.maxReplicas = autoscaling ? integerProp(this, 'autoscaling.maxReplicas', autoscaling.maxReplicas, Math.max(20, this.minReplicas), { min: 1, max: 1000 }) : replicas;
    if (this.maxReplicas < this.minReplicas) {
      fail(this, 'autoscaling.maxReplicas', this.maxReplicas, `must be ≥ autoscaling.minReplicas (${this.minReplicas})`);
    }

    // ServiceAccount: no API token in the pods; the API does not talk to Kubernetes.
    this.serviceAccountName = this.name;
    new k8s.KubeServiceAccount(this, 'ServiceAccount', {
      metadata: { name: this.serviceAccountName, labels: this.labels },
      automountServiceAccountToken: false,
    });

    if (props.monitoringStack !== undefined && props.metrics?.stack !== undefined && props.monitoringStack !== props.metrics.stack) {
      fail(this, 'metrics.stack', props.metrics.stack, `is the deprecated name of monitoringStack, which says '${props.monitoringStack}': give only monitoringStack`);
    }
    this.stackSelection = props.monitoringStack !== undefined || props.metrics?.stack === undefined
      ? new StackSelection(this, 'monitoringStack', props.monitoringStack)
      : new StackSelection(this, 'metrics.stack', props.metrics.stack);
    const liveness = httpProbe(this, 'livenessProbe', props.livenessProbe ?? {}, { path: '/health', initialDelaySeconds: 30, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 3 }, HTTP_PORT_NAME);
    this.livenessPath = liveness.httpGet?.path ?? '/health';
    const readiness = httpProbe(this, 'readinessProbe', props.readinessProbe ?? {}, { path: '/ready', initialDelaySeconds: 10, periodSeconds: 5, timeoutSeconds: 3, failureThreshold: 3 }, HTTP_PORT_NAME);
    const startup = props.startupProbe
      ? httpProbe(this, 'startupProbe', props.startupProbe, { path: '/health', initialDelaySeconds: 0, periodSeconds: 5, timeoutSeconds: 3, failureThreshold: 60 }, HTTP_PORT_NAME)
      : undefined;

    const rolling = props.rollingUpdate ?? {};
    checkRollout(this, rolling.maxSurge ?? '25%', rolling.maxUnavailable ?? 0, rolling.minReadySeconds ?? 10, rolling.progressDeadlineSeconds ?? 600);
    const grace = integerProp(this, 'terminationGracePeriodSeconds', props.terminationGracePeriodSeconds, 60, { min: 0, max: 3600 });
    const preStopSleep = integerProp(this, 'preStopSleepSeconds', props.preStopSleepSeconds, 10, { min: 0, max: 3600 });
    if (preStopSleep >= grace && preStopSleep > 0) {
      fail(this, 'preStopSleepSeconds', preStopSleep, `must be less than terminationGracePeriodSeconds (${grace}), or the pod is killed before it shuts down`);
    }
    const priorityClassName = props.priorityClassName !== undefined ? dnsSubdomainProp(this, 'priorityClassName', props.priorityClassName) : platformPriorityClass(this, 'api');

    const ports: k8s.ContainerPort[] = [{ name: HTTP_PORT_NAME, containerPort: this.port, protocol: 'TCP' }];
    if (metricsPort !== this.port) ports.push({ name: METRICS_PORT_NAME, containerPort: metricsPort, protocol: 'TCP' });

    // Shared by the Deployment and, with blueGreen/canary delivery, the Rollout.
    const progress = {
      progressDeadlineSeconds: integerProp(this, 'rollingUpdate.progressDeadlineSeconds', rolling.progressDeadlineSeconds, 600, { min: 1 }),
      minReadySeconds: integerProp(this, 'rollingUpdate.minReadySeconds', rolling.minReadySeconds, 10, { min: 0 }),
      revisionHistoryLimit: integerProp(this, 'rollingUpdate.revisionHistoryLimit', rolling.revisionHistoryLimit, 10, { min: 0 }),
    };
    this.deployment = new k8s.KubeDeployment(this, 'Deployment', {
      metadata: { name: this.name, labels: this.labels },
      spec: {
        // With an autoscaler the HPA owns the replica count; a fixed value would fight it on every apply.
        // With a Rollout, Argo Rollouts scales the Deployment down as the Rollout scales up (workloadRef).
        replicas: autoscaling || progressive ? undefined : replicas,
        selector: { matchLabels: this.podSelector },
        strategy: {
          type: 'RollingUpdate',
          rollingUpdate: {
            maxSurge: intOrPercent(this, 'rollingUpdate.maxSurge', rolling.maxSurge ?? '25%'),
            maxUnavailable: intOrPercent(this, 'rollingUpdate.maxUnavailable', rolling.maxUnavailable ?? 0),
          },
        },
        ...progress,
        template: {
          metadata: { labels: this.labels },
          spec: {
            serviceAccountName: this.serviceAccountName,
            automountServiceAccountToken: false,
            securityContext: restrictedPodSecurityContext({ user, group }),
            terminationGracePeriodSeconds: grace,
            priorityClassName,
            topologySpreadConstraints: topologySpread(this, 'topologySpread', props.topologySpread, this.podSelector),
            containers: [{
              name: 'api',
              image: props.image,
              imagePullPolicy: 'IfNotPresent',
              command: props.command,
              args: props.args,
              ports,
              env: Lazy.any({ produce: () => this.env.render() }),
              resources: toKubeResources(resources),
              livenessProbe: liveness,
              readinessProbe: readiness,
              startupProbe: startup,
              lifecycle: preStopSleep > 0 ? { preStop: { exec: { command: ['sleep', String(preStopSleep)] } } } : undefined,
              securityContext: restrictedContainerSecurityContext({ user, group }),
              volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
            }],
            volumes: [scratchVolume('tmp', props.tmpSizeLimit !== undefined ? (quantityProp(this, 'tmpSizeLimit', props.tmpSizeLimit, 'scratch'), props.tmpSizeLimit) : '256Mi')],
          },
        },
      },
    });

    const serviceType = props.service?.type ?? 'ClusterIP';
    this.servicePort = portProp(this, 'service.port', props.service?.port, 80);
    const servicePorts: k8s.ServicePort[] = [{ name: HTTP_PORT_NAME, port: this.servicePort, targetPort: k8s.IntOrString.fromString(HTTP_PORT_NAME), protocol: 'TCP' }];
    if (metricsPort !== this.port) servicePorts.push({ name: METRICS_PORT_NAME, port: metricsPort, targetPort: k8s.IntOrString.fromString(METRICS_PORT_NAME), protocol: 'TCP' });
    this.service = new k8s.KubeService(this, 'Service', {
      metadata: { name: this.name, labels: this.labels, annotations: metadataMapProp(this, 'service.annotations', props.service?.annotations, 'annotations') },
      spec: { type: serviceType, selector: this.podSelector, ports: servicePorts },
    });

    this.tls = props.ingress?.tlsSecretName !== undefined;
    if (props.ingress) {
      this.host = hostProp(this, 'ingress.host', props.ingress.host);
      this.addIngress(props);
    }
    if (delivery.type !== 'rolling') {
      this.rollout = new ProgressiveRollout(this, 'Rollout', {
        delivery,
        workload: {
          name: this.name, labels: this.labels, podSelector: this.podSelector,
          replicas: autoscaling ? undefined : replicas,
          servicePorts, ingressName: props.ingress ? this.name : undefined,
          job: this.name, slo: this.slo,
          ...progress,
        },
      });
    }
    if (autoscaling) this.addAutoscaler(autoscaling);
    this.addDisruptionBudget(props);

    // Network: default deny; HTTP from the ingress controller (or anywhere), scrapes from monitoring, DNS out.
    const net = props.network ?? {};
    const ingressNamespace = dnsLabelProp(this, 'network.ingressControllerNamespace', net.ingressControllerNamespace ?? 'ingress-nginx');
    const monitoringNamespace = dnsLabelProp(this, 'network.monitoringNamespace', net.monitoringNamespace ?? 'monitoring');
    const extraPeers = net.extraPeers ?? [];
    if (serviceType !== 'ClusterIP' && !net.allowFromAnywhere && extraPeers.length === 0) {
      fail(this, 'service.type', serviceType, 'exposes the HTTP port beside the Ingress: also set network.allowFromAnywhere or network.extraPeers (who may reach it), or keep the default ClusterIP behind the Ingress');
    }
    if (net.allowFromAnywhere) {
      this.network.allowIngress([], [{ port: this.port }]);
    } else {
      this.network.allowIngress([namespacePeer(ingressNamespace), ...extraPeers], [{ port: this.port }]);
    }
    this.network.allowIngress([namespacePeer(monitoringNamespace)], [{ port: metricsPort }], DEFAULT_SCRAPE_TAG);
    this.explicitScrapeNamespace = net.monitoringNamespace;
    this.network.allowDns();
    workloadNetworkPolicy(this, 'NetworkPolicy', this.name, this.labels, this);

    if (props.metrics?.serviceMonitor ?? true) this.addServiceMonitor();
    this.recordNotSecret();
  }

  /** Literals marked not secret are recorded on the Deployment, with the reasons given. */
  private recordNotSecret(): void {
    const reasons = this.env.notSecretReasons();
    if (Object.keys(reasons).length > 0) this.deployment.metadata.addAnnotation('security.media-ai.io/not-secret', JSON.stringify(reasons));
  }

  /** Sets (or replaces) an environment variable; credentials only via EnvValue.fromSecret(). */
  public addEnv(name: string, value: EnvValue): void {
    this.env.set(name, value);
    this.recordNotSecret();
  }

  /**
   * Connects the API to a store or another API (any IConnectable): sets the connection environment
   * variables and opens the NetworkPolicies on both sides. Across namespaces the network rules are
   * namespace-qualified; Secret-backed variables are refused unless `secretsInClientNamespace`
   * says the Secrets were copied there. Connecting twice to the same target is a no-op; a second
   * target that sets the same variable (another Postgres for DATABASE_URL) is an error.
   */
  public connect(target: IConnectable, options: ConnectOptions = {}): void {
    if (!isConnectable(target)) {
      fail(this, 'connect()', target, 'needs a store or an API to connect to (Postgres, Redis, Milvus, ApiService or another IConnectable)');
    }
    if ((target as unknown) === this) fail(this, 'connect()', this.node.path, 'is the API itself');
    checkConnectionNamespaces(this, target as unknown as INetworkEndpoint);
    const binding: ConnectionBinding = target.bindClient(this);
    if (!options.secretsInClientNamespace) checkSecretsReachable(this, binding);
    for (const [name] of binding.env) {
      const by = this.connectionVars.get(name);
      if (by !== undefined && by !== target.node.path) {
        fail(this, 'connect()', target.node.path, `sets ${name}, which the connection to ${by} already set: an API connects to one server per variable`);
      }
    }
    for (const [name, value] of binding.env) {
      this.connectionVars.set(name, target.node.path);
      this.env.set(name, value);
    }
    this.network.allowEgressTo(binding.server, binding.ports);
  }

  /** As a server of another API: admits the client on the HTTP port and gives it `<NAME>_URL`. */
  public bindClient(client: INetworkEndpoint): ConnectionBinding {
    const ports = [{ port: this.port }];
    this.network.allowIngressFrom(client, ports);
    const host = this.namespace ? `${this.name}.${this.namespace}.svc.cluster.local` : this.name;
    return { env: [[this.urlVariable, EnvValue.fromValue(`http://${host}:${this.servicePort}`)]], server: this, ports };
  }

  /** The variable a client gets from `client.connect(thisApi)`: the name upper-cased with `_URL`, e.g. SEARCH_API_URL. */
  public get urlVariable(): string {
    return `${this.name.toUpperCase().replace(/-/g, '_')}_URL`;
  }

  /** The ServiceMonitor, when one was emitted. */
  public get serviceMonitor(): ServiceMonitor | undefined {
    return this.monitor;
  }

  /**
   * Called by a monitoring stack's `monitor()`: labels the ServiceMonitor for the stack (adding one
   * if there is none), admits its Prometheus on the metrics port, and describes the service for the
   * probe, the SLO alerts and tracing.
   */
  public monitorBy(stack: MonitoringStackRef): MonitoringContribution {
    const namespace = monitoredNamespace(this);
    this.addServiceMonitor();
    this.stackSelection.claim(stack, this, [{ port: this.metrics.port }], this.explicitScrapeNamespace);
    const facts: HttpServiceFacts = {
      name: this.name, namespace, host: this.host, tls: this.tls, port: this.port, servicePort: this.servicePort,
      livenessPath: this.livenessPath, slo: this.slo, sloOptions: this.sloOptions, endpoint: this,
      addEnv: (name, value) => this.addEnv(name, value),
    };
    return { key: `${namespace}-${this.name}`, ruleGroups: [], dashboards: [], httpService: facts };
  }

  /** Adds a ServiceMonitor for the metrics endpoint if there is none yet; returns it. */
  public addServiceMonitor(): ServiceMonitor {
    if (this.monitor) return this.monitor;
    const endpoints = [{ port: this.metrics.portName, path: this.metrics.path, interval: this.metrics.interval }];
    if (!this.rollout) {
      this.monitor = stackServiceMonitor(this, 'ServiceMonitor', this.name, this.labels, this.podSelector, endpoints);
      this.stackSelection.track(this.monitor);
      return this.monitor;
    }
    // Argo Rollouts rewrites the selectors of the active/stable/preview/canary Services, and two of
    // them select the same pods once a release is promoted: scrape every pod exactly once through a
    // headless Service nobody rewrites, keep job = the service name (what the SLO rules select), and
    // label each series with the pod's version hash (what the analysis selects).
    const role = { 'delivery.media-ai.io/role': 'metrics' };
    const ports: k8s.ServicePort[] = [{ name: this.metrics.portName, port: this.metrics.port, targetPort: k8s.IntOrString.fromString(this.metrics.portName), protocol: 'TCP' }];
    new k8s.KubeService(this, 'MetricsService', {
      metadata: { name: `${this.name}-metrics`, labels: { ...this.labels, ...role } },
      spec: { clusterIp: 'None', selector: this.podSelector, ports },
    });
    this.monitor = stackServiceMonitor(this, 'ServiceMonitor', this.name, this.labels, { ...this.podSelector, ...role }, endpoints);
    this.monitor.addJsonPatch(JsonPatch.add('/spec/jobLabel', 'app.kubernetes.io/name'), JsonPatch.add('/spec/podTargetLabels', [POD_HASH_LABEL]));
    this.stackSelection.track(this.monitor);
    return this.monitor;
  }

  private addIngress(props: ApiServiceProps): void {
    const ingress = props.ingress!;
    const path = httpPathProp(this, 'ingress.path', ingress.path ?? '/');
    const className = dnsSubdomainProp(this, 'ingress.className', ingress.className ?? 'nginx');
    const tlsSecretName = ingress.tlsSecretName !== undefined ? dnsSubdomainProp(this, 'ingress.tlsSecretName', ingress.tlsSecretName) : undefined;
    new k8s.KubeIngress(this, 'Ingress', {
      metadata: { name: this.name, labels: this.labels, annotations: metadataMapProp(this, 'ingress.annotations', ingress.annotations, 'annotations') },
      spec: {
        ingressClassName: className,
        tls: tlsSecretName ? [{ hosts: [this.host!], secretName: tlsSecretName }] : undefined,
        rules: [{
          host: this.host,
          http: { paths: [{ path, pathType: 'Prefix', backend: { service: { name: this.name, port: { name: HTTP_PORT_NAME } } } }] },
        }],
      },
    });
  }

  private addAutoscaler(opts: AutoscalingOptions): void {
    const metrics: k8s.MetricSpecV2[] = [resourceMetric('cpu', percentProp(this, 'autoscaling.cpuUtilization', opts.cpuUtilization, 70))];
    if (opts.memoryUtilization !== undefined) metrics.push(resourceMetric('memory', percentProp(this, 'autoscaling.memoryUtilization', opts.memoryUtilization, 80)));
    new k8s.KubeHorizontalPodAutoscalerV2(this, 'Autoscaler', {
      metadata: { name: this.name, labels: this.labels },
      spec: {
        scaleTargetRef: this.rollout
          ? { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: this.name }
          : { apiVersion: 'apps/v1', kind: 'Deployment', name: this.name },
        minReplicas: this.minReplicas,
        maxReplicas: this.maxReplicas,
        metrics,
        behavior: {
          scaleUp: scalingRules(this, 'autoscaling.scaleUp', opts.scaleUp, { stabilizationWindowSeconds: 0, percentPerPeriod: 100, podsPerPeriod: 4, periodSeconds: 60 }, 'Max'),
          scaleDown: scalingRules(this, 'autoscaling.scaleDown', opts.scaleDown, { stabilizationWindowSeconds: 300, percentPerPeriod: 10, podsPerPeriod: 0, periodSeconds: 60 }, 'Min'),
        },
      },
    });
  }

  private addDisruptionBudget(props: ApiServiceProps): void {
    const budget = props.disruptionBudget ?? {};
    if (budget.minAvailable !== undefined && budget.maxUnavailable !== undefined) {
      fail(this, 'disruptionBudget', budget, 'takes either minAvailable or maxUnavailable, not both');
    }
    let spec: k8s.PodDisruptionBudgetSpec;
    if (budget.minAvailable !== undefined) {
      // A budget that needs every pod the HPA may leave running would block node drains for ever.
      const minAvailable = integerProp(this, 'disruptionBudget.minAvailable', budget.minAvailable, 0, { min: 0 });
      if (minAvailable >= this.minReplicas) {
        fail(this, 'disruptionBudget.minAvailable', minAvailable, `must be below the minimum replica count (${this.minReplicas}) so nodes can be drained`);
      }
      spec = { minAvailable: k8s.IntOrString.fromNumber(minAvailable), selector: { matchLabels: this.podSelector } };
    } else {
      const maxUnavailable = integerProp(this, 'disruptionBudget.maxUnavailable', budget.maxUnavailable, 1, { min: 1 });
      if (maxUnavailable > this.minReplicas) {
        fail(this, 'disruptionBudget.maxUnavailable', maxUnavailable, `must be ≤ the minimum replica count (${this.minReplicas})`);
      }
      spec = { maxUnavailable: k8s.IntOrString.fromNumber(maxUnavailable), selector: { matchLabels: this.podSelector } };
    }
    new k8s.KubePodDisruptionBudget(this, 'DisruptionBudget', { metadata: { name: this.name, labels: this.labels }, spec });
  }
}

function resourceMetric(name: 'cpu' | 'memory', averageUtilization: number): k8s.MetricSpecV2 {
  return { type: 'Resource', resource: { name, target: { type: 'Utilization', averageUtilization } } };
}

function scalingRules(scope: Construct, prop: string, given: ScalingRateOptions | undefined, defaults: Required<ScalingRateOptions>, selectPolicy: 'Max' | 'Min'): k8s.HpaScalingRulesV2 {
  const g = given ?? {};
  const periodSeconds = integerProp(scope, `${prop}.periodSeconds`, g.periodSeconds, defaults.periodSeconds, { min: 1, max: 1800 });
  const policies: k8s.HpaScalingPolicyV2[] = [];
  const percent = integerProp(scope, `${prop}.percentPerPeriod`, g.percentPerPeriod, defaults.percentPerPeriod, { min: 0, max: 1000 });
  const pods = integerProp(scope, `${prop}.podsPerPeriod`, g.podsPerPeriod, defaults.podsPerPeriod, { min: 0, max: 1000 });
  if (percent > 0) policies.push({ type: 'Percent', value: percent, periodSeconds });
  if (pods > 0) policies.push({ type: 'Pods', value: pods, periodSeconds });
  if (policies.length === 0) fail(scope, prop, g, 'needs percentPerPeriod or podsPerPeriod above 0');
  return {
    stabilizationWindowSeconds: integerProp(scope, `${prop}.stabilizationWindowSeconds`, g.stabilizationWindowSeconds, defaults.stabilizationWindowSeconds, { min: 0, max: 3600 }),
    selectPolicy,
    policies,
  };
}

function intOrPercent(scope: Construct, prop: string, value: number | string): k8s.IntOrString {
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0) return k8s.IntOrString.fromNumber(value);
  if (typeof value === 'string' && /^(100|[1-9]?[0-9])%$/.test(value)) return k8s.IntOrString.fromString(value);
  return fail(scope, prop, value, "must be a non-negative integer or a percentage such as '25%'");
}

/** Options of `api.connect(target)`. */
export interface ConnectOptions {
  /**
   * The Secrets the target's variables read exist in the client's namespace too (copied, e.g. by
   * External Secrets): allows a Secret-backed connection across namespaces. @default false
   */
  readonly secretsInClientNamespace?: boolean;
}
