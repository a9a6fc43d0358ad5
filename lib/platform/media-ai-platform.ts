import { App, Chart } from 'cdk8s';
import { ApiService } from '../api-service';
import { DeliveryOptions } from '../delivery';
import { BackupPolicy } from '../backup';
import { DataTier } from '../data-tier';
import { ObservabilityStack, Priority, PrometheusServer, ReceiverOptions } from '../observability';
import { checkKnownProps, dnsLabelProp, fail, namespacePeer, propKeys } from '../shared';
import { AlertRoutes, checkEnvironment, DEFAULT_SHARES, EnvironmentConfig, PROD } from './environments';
import { NamespaceBudget } from './namespace-budget';
import { PlatformNamespace } from './platform-namespace';
import { PlatformPriorityClasses } from './priority-classes';
import { Prerequisite, platformPrerequisites, PLATFORM_SECRET_KEYS as KEYS, PLATFORM_SECRETS as SECRETS } from './prerequisites';

export interface MediaAiPlatformProps {
  /** Image of media-ai-api, pinned. @default 'registry.example.com/media-ai-api:1.0.0' */
  readonly apiImage?: string;
  /**
   * Everything that differs between environments: replicas, resources, volumes, hosts, alert
   * routes, backups, the cluster's capacity (each namespace's ResourceQuota and LimitRange).
   * @default PROD
   */
  readonly environment?: EnvironmentConfig;
  /** Public host of the API. @default the environment's `apiHost` */
  readonly apiHost?: string;
  /** Namespace of the application. @default 'media-ai' */
  readonly namespace?: string;
  /** Namespace of the monitoring stack. @default 'monitoring' */
  readonly monitoringNamespace?: string;
  /**
   * How media-ai-api releases roll out. For an analysis, Prometheus is at
   * `http://prometheus.<monitoringNamespace>.svc:9090`; its NetworkPolicy then admits the Argo Rollouts controller.
   * @default { type: 'rolling' }
   */
  readonly apiDelivery?: DeliveryOptions;
  /** Namespace of the Argo Rollouts controller (queries Prometheus for the analysis). @default 'argo-rollouts' */
  readonly argoRolloutsNamespace?: string;
}

const PROP_KEYS = propKeys<MediaAiPlatformProps>()({ environment: true, apiImage: true, apiHost: true, namespace: true, monitoringNamespace: true, apiDelivery: true, argoRolloutsNamespace: true });

function checkPlatformProps(scope: Chart, props: MediaAiPlatformProps, namespace: string, monitoringNamespace: string): void {
  checkKnownProps(scope, 'props', props, PROP_KEYS);
  if (namespace === monitoringNamespace || namespace === `${monitoringNamespace}-agents`) {
    fail(scope, 'namespace', namespace, `must differ from monitoringNamespace (${monitoringNamespace}) and its agents namespace: each gets its own Pod Security level and policies`);
  }
}

const receiverSecret = (key: string) => ({ name: SECRETS.alertmanagerReceivers, key });

/** P0 pages, P1 pages and goes to the on-call channel, P2 to the alerts channel, P3 by mail; without paging P0/P1 go to Slack. */
function alertReceivers(routes: AlertRoutes): Partial<Record<Priority, ReceiverOptions>> {
  const page = routes.pagerduty ? { pagerduty: { routingKey: receiverSecret(KEYS.pagerduty) } } : {};
  const oncall = { slack: { apiUrl: receiverSecret(KEYS.slack), channel: routes.oncallSlackChannel } };
  return {
    P0: routes.pagerduty ? page : oncall,
    P1: { ...page, ...oncall },
    P2: { slack: { apiUrl: receiverSecret(KEYS.slack), channel: routes.alertsSlackChannel } },
    P3: { email: { to: routes.emailTo, from: routes.emailFrom, smarthost: routes.smarthost, username: 'alertmanager', password: receiverSecret(KEYS.smtp) } },
  };
}

/**
 * The reference deployment of the media-ai platform: a chart for the namespaces, then one chart
 * per namespace. Chart ids are public API: they name the output files and prefix construct paths.
 */
export class MediaAiPlatform {
  public readonly api: ApiService;
  public readonly data: DataTier;
  public readonly observability: ObservabilityStack;
  public readonly backup: BackupPolicy;
  /** The chart of the application namespace. */
  public readonly chart: Chart;
  /** What must exist before the objects are applied (also in the README, "Prerequisites"). */
  public readonly prerequisites: Prerequisite[];

  constructor(scope: App, id: string, props: MediaAiPlatformProps = {}) {
    const namespace = props.namespace ?? 'media-ai';
    const monitoringNamespace = props.monitoringNamespace ?? 'monitoring';
    const agentsNamespace = `${monitoringNamespace}-agents`;

    const env = props.environment ?? PROD;

    const namespaces = new Chart(scope, `${id}-namespaces`, { disableResourceNameHashes: true });
    checkPlatformProps(namespaces, props, namespace, monitoringNamespace);
    checkEnvironment(namespaces, env);
    const shares = env.namespaceShares ?? DEFAULT_SHARES;
    for (const [ns, sharePercent] of [
      [new PlatformNamespace(namespaces, namespace), shares.application],
      [new PlatformNamespace(namespaces, monitoringNamespace), shares.monitoring],
      // node-exporter and Filebeat read host paths: the one namespace that cannot be "restricted".
      [new PlatformNamespace(namespaces, agentsNamespace, { podSecurity: 'privileged' }), shares.agents],
    ] as const) new NamespaceBudget(ns, 'Budget', { namespace: ns.name, capacity: env.capacity, sharePercent });
    // Before any workload: the classes land in the chart applied first.
    new PlatformPriorityClasses(namespaces, 'priority-classes');

    this.chart = new Chart(scope, id, { namespace, disableResourceNameHashes: true });
    this.chart.addDependency(namespaces);

    this.api = new ApiService(this.chart, 'media-ai-api', {
      image: props.apiImage ?? 'registry.example.com/media-ai-api:1.0.0',
      replicas: env.api.replicas,
      autoscaling: { minReplicas: env.api.replicas, maxReplicas: env.api.maxReplicas },
      resources: env.api.resources,
      ingress: { host: props.apiHost ?? env.apiHost, tlsSecretName: SECRETS.apiTls },
      network: { monitoringNamespace },
      slo: { availabilityPercent: 99.9, latencyThresholdSeconds: 0.5, latencyPercent: 99 },
      delivery: props.apiDelivery,
    });

    this.data = new DataTier(this.chart, 'data', {
      monitoringNamespace,
      // The API logs in as its own role (created by a Job), not as the superuser.
      postgres: { ...env.postgres, credentials: { name: SECRETS.postgres }, appCredentials: { name: SECRETS.postgresApp } },
      redis: { ...env.redis, password: { name: SECRETS.redis, key: 'password' } },
      milvus: {
        ...env.milvus,
        minioCredentials: { accessKey: { name: SECRETS.minio, key: 'access-key' }, secretKey: { name: SECRETS.minio, key: 'secret-key' } },
      },
    });
    this.data.connect(this.api);

    this.backup = new BackupPolicy(this.chart, 'backup', {
      postgresBackupCredentials: { name: SECRETS.postgresBackup },
      ...env.backup,
      postgres: this.data.postgres,
      redis: this.data.redis,
      milvus: this.data.milvus,
    });

    const monitoring = new Chart(scope, `${id}-monitoring`, { namespace: monitoringNamespace, disableResourceNameHashes: true });
    monitoring.addDependency(namespaces);
    this.observability = new ObservabilityStack(monitoring, 'observability', {
      agentsNamespace,
      grafana: { adminUser: { name: SECRETS.grafanaAdmin, key: KEYS.grafanaUser }, adminPassword: { name: SECRETS.grafanaAdmin, key: KEYS.grafanaPassword } },
      prometheus: env.prometheus,
      alerting: { ...env.alertmanager, receivers: alertReceivers(env.alerts) },
      logging: env.logging === false ? false : env.logging,
      tracing: env.tracingRetentionDays !== false,
      tracingRetentionDays: env.tracingRetentionDays === false ? undefined : env.tracingRetentionDays,
      tracingReplicas: env.tracingReplicas,
      blackbox: env.blackbox,
    });
    this.observability.monitor(this.api);
    if (props.apiDelivery && 'analysis' in props.apiDelivery && props.apiDelivery.analysis) {
      const argoNamespace = dnsLabelProp(this.chart, 'argoRolloutsNamespace', props.argoRolloutsNamespace ?? 'argo-rollouts');
      this.observability.prometheus.pods.network.allowIngress([namespacePeer(argoNamespace)], [{ port: PrometheusServer.PORT }]);
    }
    this.observability.monitor(this.data);
    this.prerequisites = platformPrerequisites({ namespace, monitoringNamespace });
  }
}
