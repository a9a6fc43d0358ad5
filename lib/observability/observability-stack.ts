import { Construct } from 'constructs';
import { Probe, ProbeSpecProberScheme, PrometheusRule, PrometheusRuleSpecGroupsRulesExpr } from '../../imports/monitoring.coreos.com';
import { ApiService } from '../api-service';
import { DataTier } from '../data-tier';
import {
  DEFAULT_MONITORING_STACK, dnsLabelProp, EnvValue, fail, MONITORING_STACK_LABEL, namespaceOf, openConnection,
  recommendedLabels, stackServiceMonitor,
} from '../shared';
import { AlertmanagerCluster, AlertmanagerClusterProps } from './alertmanager-cluster';
import { BlackboxExporter, BlackboxExporterProps } from './blackbox-exporter';
import { apiDashboard, clusterDashboard, dataTierDashboard, probeJobName } from './dashboards';
import { Grafana, GrafanaProps } from './grafana';
import { ElastAlert } from './elastalert';
import { Jaeger } from './jaeger';
import { apiLogAlerts, platformLogAlerts } from './log-alerts';
import { LoggingStack, LoggingStackProps } from './logging-stack';
import { ALERTMANAGER_OPERATED_SERVICE, NODE_EXPORTER_PORT, PrometheusServer, PrometheusServerProps } from './prometheus-server';
import { dataTierRuleGroups, resolveSlo, RuleGroup, SloOptions, sloRuleGroups, standardRuleGroups } from './rules';
import { KubeStateMetrics, NodeExporter, SystemExportersProps } from './system-exporters';

export interface ObservabilityStackProps {
  /** Name of the stack: the value of `monitoring.media-ai.io/stack` that its Prometheus selects. @default 'platform' */
  readonly stack?: string;
  /** Namespace of the per-node agents (node-exporter, Filebeat), labelled "privileged". @default 'monitoring-agents' */
  readonly agentsNamespace?: string;
  /** Namespace of the ingress controller allowed to reach Grafana and Kibana. @default 'ingress-nginx' */
  readonly ingressControllerNamespace?: string;
  /** Prometheus settings. @default 2 replicas, 15 d retention, 50Gi each */
  readonly prometheus?: Omit<PrometheusServerProps, 'stack' | 'alertmanager'>;
  /** Alertmanager settings and receivers per priority. @default 3 replicas, no receivers */
  readonly alerting?: AlertmanagerClusterProps;
  /** Grafana (admin credentials required). */
  readonly grafana: Omit<GrafanaProps, 'ingressControllerNamespace'>;
  /** kube-state-metrics settings. @default the pinned image, no Secret metrics (no access to Secrets) */
  readonly kubeStateMetrics?: Pick<SystemExportersProps, 'kubeStateMetricsImage' | 'secretMetrics'>;
  /** Blackbox exporter settings. @default the pinned image */
  readonly blackbox?: BlackboxExporterProps;
  /** ELK through ECK; false leaves logs out (and tracing, which stores in it). @default 3 Elasticsearch nodes, 14 days */
  readonly logging?: Omit<LoggingStackProps, 'agentsNamespace' | 'ingressControllerNamespace'> | false;
  /** Jaeger v2 tracing into the logging Elasticsearch. @default true when logging is on */
  readonly tracing?: boolean;
  /** Days traces are kept (older daily Jaeger indices are deleted every night). @default 7 */
  readonly tracingRetentionDays?: number;
  /** Log-based alerts (ElastAlert 2) through the same P0–P3 routing. @default true when logging is on */
  readonly logAlerts?: boolean;
}

/** Options of `stack.monitor(api)`. */
export interface MonitorApiOptions {
  /** Availability and latency objectives and the metrics they are measured on. @default 99.9 % availability, 99 % under 0.5 s */
  readonly slo?: SloOptions;
  /** Probe path on the public host. @default the API's liveness path, '/health' */
  readonly probePath?: string;
}

/**
 * Prometheus (operator) with Alertmanager routing by P0–P3, Grafana dashboards, the Blackbox
 * exporter, node-exporter and kube-state-metrics, ELK and Jaeger. `monitor(api)` makes an
 * ApiService observable in one call; `monitor(dataTier)` adds the stores' alerts and dashboard.
 */
export class ObservabilityStack extends Construct {
  public readonly stack: string;
  public readonly namespace: string;
  public readonly agentsNamespace: string;
  public readonly prometheus: PrometheusServer;
  public readonly alertmanager: AlertmanagerCluster;
  public readonly grafana: Grafana;
  public readonly blackbox: BlackboxExporter;
  public readonly kubeStateMetrics: KubeStateMetrics;
  public readonly nodeExporter: NodeExporter;
  public readonly logging?: LoggingStack;
  public readonly jaeger?: Jaeger;
  /** ElastAlert 2, when log alerts are on. */
  public readonly elastAlert?: ElastAlert;
  /** Every rule group the stack emits, in order (what promtool checks). */
  public readonly ruleGroups: RuleGroup[] = [];
  private readonly labels: Record<string, string>;

  constructor(scope: Construct, id: string, props: ObservabilityStackProps) {
    super(scope, id);
    this.stack = dnsLabelProp(this, 'stack', props.stack ?? DEFAULT_MONITORING_STACK);
    this.namespace = namespaceOf(this) ?? fail(this, 'namespace', undefined, 'the stack must be in a chart with a namespace (e.g. monitoring)');
    this.agentsNamespace = dnsLabelProp(this, 'agentsNamespace', props.agentsNamespace ?? 'monitoring-agents');
    const ingressNs = props.ingressControllerNamespace ?? 'ingress-nginx';
    this.labels = recommendedLabels({ name: 'media-ai-monitoring', instance: this.stack, component: 'monitoring' });

    this.alertmanager = new AlertmanagerCluster(this, 'Alertmanager', props.alerting);
    this.prometheus = new PrometheusServer(this, 'Prometheus', { ...props.prometheus, stack: this.stack, alertmanager: this.alertmanager.pods });
    this.blackbox = new BlackboxExporter(this, 'Blackbox', props.blackbox);
    this.kubeStateMetrics = new KubeStateMetrics(this, 'KubeStateMetrics', { ...props.kubeStateMetrics, stack: this.stack, monitoringNamespace: this.namespace });
    this.nodeExporter = new NodeExporter(this, 'NodeExporter', { stack: this.stack, namespace: this.agentsNamespace });
    this.grafana = new Grafana(this, 'Grafana', { ...props.grafana, ingressControllerNamespace: ingressNs });
    this.grafana.addDatasource({ name: 'Prometheus', uid: 'prometheus', type: 'prometheus', url: `http://${this.prometheus.serviceName}.${this.namespace}.svc:${PrometheusServer.PORT}` });
    openConnection(this.grafana.workload, this.prometheus.pods, [{ port: PrometheusServer.PORT }]);
    openConnection(this.grafana.workload, this.alertmanager.pods, [{ port: AlertmanagerCluster.PORT }]);
    openConnection(this.prometheus.pods, this.blackbox.workload, [{ port: BlackboxExporter.PORT }]);
    // node-exporter is on the host network: Prometheus' egress reaches it by node CIDR; its own policy admits Prometheus.
    openConnection(this.prometheus.pods, this.nodeExporter.workload, [{ port: NODE_EXPORTER_PORT }]);
    this.grafana.addDashboard(clusterDashboard());

    if (props.logging !== false) {
      this.logging = new LoggingStack(this, 'Logging', { ...props.logging, agentsNamespace: this.agentsNamespace, ingressControllerNamespace: ingressNs });
      this.grafana.addDatasource({
        name: 'Logs', uid: 'logs', type: 'elasticsearch', url: this.logging.elasticsearchUrl,
        jsonData: { index: 'logs-media_ai-*', timeField: '@timestamp', tlsSkipVerify: false },
      }, { basicAuthSecret: this.logging.userSecrets.grafana, caSecret: this.logging.caSecret });
      openConnection(this.grafana.workload, this.logging.elasticsearchPods, [{ port: 9200 }]);
      if (props.tracing ?? true) {
        this.jaeger = new Jaeger(this, 'Jaeger', {
          elasticsearchUrl: this.logging.elasticsearchUrl,
          credentialsSecret: this.logging.userSecrets.jaeger,
          caSecret: this.logging.caSecret,
          elasticsearch: this.logging.elasticsearchPods,
          monitoringNamespace: this.namespace,
          retentionDays: props.tracingRetentionDays,
        });
        this.grafana.addDatasource({ name: 'Traces', uid: 'traces', type: 'jaeger', url: `http://${this.jaeger.workload.host}:${Jaeger.QUERY}` });
        openConnection(this.grafana.workload, this.jaeger.workload, [{ port: Jaeger.QUERY }]);
      }
      if (props.logAlerts ?? true) {
        this.elastAlert = new ElastAlert(this, 'ElastAlert', {
          elasticsearchUrl: this.logging.elasticsearchUrl,
          credentialsSecret: this.logging.userSecrets.elastalert,
          caSecret: this.logging.caSecret,
          elasticsearch: this.logging.elasticsearchPods,
          alertmanager: { pods: this.alertmanager.pods, url: `http://${ALERTMANAGER_OPERATED_SERVICE}.${this.namespace}.svc:${AlertmanagerCluster.PORT}` },
        });
        this.elastAlert.addAlerts(platformLogAlerts());
      }
    } else if (props.tracing) {
      fail(this, 'tracing', props.tracing, 'needs logging: Jaeger stores its spans in the logging Elasticsearch');
    } else if (props.logAlerts) {
      fail(this, 'logAlerts', props.logAlerts, 'needs logging: log alerts query the logging Elasticsearch');
    }
    this.addRules('standard', standardRuleGroups());
    this.monitorItself();
  }

  /** The stack watches itself: TargetDown fires for a Prometheus, Grafana, Blackbox, Jaeger or ElastAlert that stops answering. */
  private monitorItself(): void {
    const monitor = (id: string, name: string, labels: Record<string, string>, selector: Record<string, string>, port: string) =>
      stackServiceMonitor(this, id, name, labels, selector, [{ port }], this.stack);
    monitor('PrometheusMonitor', 'prometheus', this.labels, { 'app.kubernetes.io/name': 'prometheus', 'app.kubernetes.io/instance': this.prometheus.name }, 'web');
    monitor('GrafanaMonitor', 'grafana', this.grafana.workload.labels, this.grafana.workload.podSelector, 'http');
    monitor('BlackboxMonitor', 'blackbox-exporter', this.blackbox.workload.labels, this.blackbox.workload.podSelector, 'http');
    openConnection(this.prometheus.pods, this.grafana.workload, [{ port: Grafana.PORT }]);
    if (this.jaeger) {
      monitor('JaegerMonitor', 'jaeger', this.jaeger.workload.labels, this.jaeger.workload.podSelector, 'metrics');
    }
    if (this.elastAlert) {
      monitor('ElastAlertMonitor', 'elastalert', this.elastAlert.workload.labels, this.elastAlert.workload.podSelector, 'metrics');
      openConnection(this.prometheus.pods, this.elastAlert.workload, [{ port: ElastAlert.METRICS_PORT }]);
    }
  }

  /**
   * Makes a service observable: for an ApiService a ServiceMonitor (if it has none), a Blackbox
   * probe of its public host, SLO burn-rate alerts, a dashboard and trace export; for a DataTier
   * the stores' alerts and dashboard.
   */
  public monitor(target: ApiService | DataTier, options: MonitorApiOptions = {}): void {
    if (target instanceof DataTier) return this.monitorDataTier(target);
    const api = target;
    api.addServiceMonitor(this.stack);
    const slo = resolveSlo(options.slo);
    for (const [prop, value, min, max] of [['slo.availabilityPercent', slo.availabilityPercent, 90, 99.999], ['slo.latencyPercent', slo.latencyPercent, 50, 99.999]] as const) {
      if (!(value >= min && value <= max)) fail(this, prop, value, `must be a percentage between ${min} and ${max}`);
    }
    if (!(slo.latencyThresholdSeconds > 0)) fail(this, 'slo.latencyThresholdSeconds', slo.latencyThresholdSeconds, 'must be a positive number of seconds');
    const namespace = api.namespace ?? 'default';
    this.addRules(`${api.name}-slo`, sloRuleGroups(api.name, slo));
    this.grafana.addDashboard(apiDashboard(api.name, namespace, slo.availabilityPercent));
    this.elastAlert?.addAlerts(apiLogAlerts({
      service: api.name, namespace,
      // ingress-nginx names an upstream <namespace>-<service>-<service port>.
      ingressUpstream: api.host ? `${namespace}-${api.name}-${api.servicePort}` : undefined,
    }));

    // Synthetic availability: the public host through the ingress, or the Service in-cluster.
    const path = options.probePath ?? '/health';
    const target_ = api.host
      ? `${api.tls ? 'https' : 'http'}://${api.host}${path}`
      : `http://${api.name}.${namespace}.svc.cluster.local:${api.servicePort}${path}`;
    if (!api.host) openConnection(this.blackbox.workload, api, [{ port: api.port }]);
    new Probe(this, `${api.name}-probe`, {
      metadata: { name: `${api.name}-${namespace}`.slice(0, 63), labels: { ...this.labels, [MONITORING_STACK_LABEL]: this.stack } },
      spec: {
        jobName: probeJobName(api.name),
        interval: '30s',
        module: api.tls ? 'https_2xx_tls' : 'http_2xx',
        prober: { url: `${this.blackbox.workload.host}:${BlackboxExporter.PORT}`, scheme: ProbeSpecProberScheme.HTTP },
        targets: { staticConfig: { static: [target_], labels: { service: api.name, namespace } } },
      },
    });

    if (this.jaeger) {
      api.addEnv('OTEL_EXPORTER_OTLP_ENDPOINT', EnvValue.fromValue(this.jaeger.otlpEndpoint));
      // 4317 is OTLP over gRPC; several SDKs default to http/protobuf (4318) unless told.
      api.addEnv('OTEL_EXPORTER_OTLP_PROTOCOL', EnvValue.fromValue('grpc'));
      api.addEnv('OTEL_SERVICE_NAME', EnvValue.fromValue(api.name));
      openConnection(api, this.jaeger.workload, [{ port: Jaeger.OTLP_GRPC }]);
    }
  }

  private monitorDataTier(tier: DataTier): void {
    const namespace = tier.postgres.namespace ?? 'default';
    const jobs = {
      namespace,
      postgres: tier.postgres.serviceName,
      redis: tier.redis.serviceName,
      milvus: tier.milvus.serviceName,
      etcd: tier.milvus.etcd.serviceName,
      minio: tier.milvus.minio.serviceName,
    };
    this.addRules(`${namespace}-data-tier`, dataTierRuleGroups(jobs));
    this.grafana.addDashboard(dataTierDashboard(namespace, jobs));
  }

  /** Adds rule groups as one PrometheusRule picked up by this stack. */
  public addRules(name: string, groups: RuleGroup[]): PrometheusRule {
    this.ruleGroups.push(...groups);
    return new PrometheusRule(this, `rules-${name}`, {
      metadata: { name: `media-ai-${name}`.slice(0, 63), labels: { ...this.labels, [MONITORING_STACK_LABEL]: this.stack } },
      spec: {
        groups: groups.map((g) => ({
          name: g.name,
          interval: g.interval,
          rules: g.rules.map((r) => ({ ...r, expr: PrometheusRuleSpecGroupsRulesExpr.fromString(r.expr) })),
        })),
      },
    });
  }
}
