import { ApiObject } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { Probe, ProbeSpecProberScheme, PrometheusRule, PrometheusRuleSpecGroupsRulesExpr } from '../../imports/monitoring.coreos.com';
import {
  DEFAULT_MONITORING_STACK, dnsLabelProp, perApp, EnvValue, fail, hostProp, HttpServiceFacts, httpPathProp, IMonitorable, isMonitorable, MONITORING_STACK_LABEL,
  MonitoringStackRef, namespaceOf, openConnection, recommendedLabels, stackServiceMonitor,
} from '../shared';
import { AlertmanagerCluster, AlertmanagerClusterProps } from './alertmanager-cluster';
import { BlackboxExporter, BlackboxExporterProps } from './blackbox-exporter';
import { apiDashboard, clusterDashboard, probeJobName } from './dashboards';
import { Grafana, GrafanaProps } from './grafana';
import { ElastAlert } from './elastalert';
import { Jaeger } from './jaeger';
import { apiLogAlerts, platformLogAlerts } from './log-alerts';
import { LoggingStack, LoggingStackProps } from './logging-stack';
import { ALERTMANAGER_OPERATED_SERVICE, PrometheusServer, PrometheusServerProps } from './prometheus-server';
import { resolveSlo, RuleGroup, SloOptions, sloRuleGroups, standardRuleGroups } from './rules';
import { KubeStateMetrics, NodeExporter, NodeExporterOptions, SystemExportersProps } from './system-exporters';
import { checkAgentsNamespace, checkMonitorOptions, checkStackProps } from './observability-checks';
import { exemptFromPolicy, sloProp } from '../shared';

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
  /**
   * node-exporter on every node (host network, in the agents namespace), or false to run none. A host
   * port is bound once per node: a second stack whose agents share the nodes needs another `port`, or
   * false (its node alerts and panels then have no data). Two stacks on one port in an App fail at synth.
   * @default node-exporter on port 9100, the pinned image
   */
  readonly nodeExporter?: NodeExporterOptions | false;
  /** Blackbox exporter settings. @default the pinned image, 2 replicas */
  readonly blackbox?: BlackboxExporterProps;
  /** ELK through ECK; false leaves logs out (and tracing, which stores in it). @default 3 Elasticsearch nodes, 14 days */
  readonly logging?: Omit<LoggingStackProps, 'agentsNamespace' | 'ingressControllerNamespace'> | false;
  /** Jaeger v2 tracing into the logging Elasticsearch. @default true when logging is on */
  readonly tracing?: boolean;
  /** Days traces are kept (older daily Jaeger indices are deleted every night). @default 7 */
  readonly tracingRetentionDays?: number;
  /** Replicas of the Jaeger collector (PDB and topology spread from 2 on; a development cluster may set 1). @default 2 */
  readonly tracingReplicas?: number;
  /** Log-based alerts (ElastAlert 2) through the same P0–P3 routing. @default true when logging is on */
  readonly logAlerts?: boolean;
}

/** The stacks of each App: their names, namespaces and agents namespaces must not meet. */
const STACKS = new WeakMap<IConstruct, Array<{ path: string; name: string; namespace: string; agentsNamespace: string }>>();

function claimStack(stack: IConstruct, name: string, namespace: string, agentsNamespace: string): void {
  const stacks = perApp(STACKS, stack, () => []);
  for (const other of stacks) {
    if (other.name === name) {
      fail(stack, 'stack', name, `is already the name of the stack ${other.path}: both Prometheus would select each other's monitors and rules (by the label monitoring.media-ai.io/stack) while the targets admit only one of them; give this stack its own name`);
    }
    if (other.agentsNamespace === agentsNamespace) {
      fail(stack, 'agentsNamespace', agentsNamespace, `is already the agents namespace of the stack ${other.path} (its node-exporter and Filebeat live there under fixed names): give this stack its own agentsNamespace, and, as the agents share the nodes, another nodeExporter.port or nodeExporter: false`);
    }
    if (other.namespace === agentsNamespace || other.agentsNamespace === namespace) {
      const [agents, of] = other.namespace === agentsNamespace ? [agentsNamespace, other.path] : [namespace, stack.node.path];
      fail(stack, other.namespace === agentsNamespace ? 'agentsNamespace' : 'namespace', agents, `is the namespace of the stack ${of}, which enforces Pod Security 'restricted'; the agents (node-exporter, Filebeat) need host access in a namespace of their own`);
    }
  }
  stacks.push({ path: stack.node.path, name, namespace, agentsNamespace });
}

/** Options of `stack.monitor(api)`. */
export interface MonitorApiOptions {
  /** Availability and latency objectives and the metrics they are measured on. @default 99.9 % availability, 99 % under 0.5 s */
  readonly slo?: SloOptions;
  /** Probe path on the public host. @default the API's liveness path (livenessProbe.path, '/health') */
  readonly probePath?: string;
  /** Host probed when the Ingress host is a wildcard: a concrete name under it. @default the Ingress host */
  readonly probeHost?: string;
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
  /** Undefined with `nodeExporter: false`. */
  public readonly nodeExporter?: NodeExporter;
  public readonly logging?: LoggingStack;
  public readonly jaeger?: Jaeger;
  /** ElastAlert 2, when log alerts are on. */
  public readonly elastAlert?: ElastAlert;
  /** Every rule group the stack emits, in order (what promtool checks). */
  public readonly ruleGroups: RuleGroup[] = [];
  private readonly labels: Record<string, string>;
  /** Monitored targets by key, so monitoring one twice is a no-op and a second one with the same key an error. */
  private readonly monitored = new Map<string, IMonitorable>();

  constructor(scope: Construct, id: string, props: ObservabilityStackProps) {
    super(scope, id);
    checkStackProps(this, props);
    this.stack = dnsLabelProp(this, 'stack', props.stack ?? DEFAULT_MONITORING_STACK);
    this.namespace = namespaceOf(this) ?? fail(this, 'namespace', undefined, 'the stack must be in a chart with a namespace (e.g. monitoring)');
    this.agentsNamespace = dnsLabelProp(this, 'agentsNamespace', props.agentsNamespace ?? 'monitoring-agents');
    checkAgentsNamespace(this, this.agentsNamespace, this.namespace);
    claimStack(this, this.stack, this.namespace, this.agentsNamespace);
    const ingressNs = dnsLabelProp(this, 'ingressControllerNamespace', props.ingressControllerNamespace ?? 'ingress-nginx');
    this.labels = recommendedLabels({ name: 'media-ai-monitoring', instance: this.stack, component: 'monitoring' });

    this.alertmanager = new AlertmanagerCluster(this, 'Alertmanager', props.alerting);
    this.prometheus = new PrometheusServer(this, 'Prometheus', { ...props.prometheus, stack: this.stack, alertmanager: this.alertmanager.pods });
    this.blackbox = new BlackboxExporter(this, 'Blackbox', props.blackbox);
    this.kubeStateMetrics = new KubeStateMetrics(this, 'KubeStateMetrics', { ...props.kubeStateMetrics, stack: this.stack, monitoringNamespace: this.namespace });
    if (props.nodeExporter !== false) {
      const nodeExporter = this.nodeExporter = new NodeExporter(this, 'NodeExporter', { ...props.nodeExporter, stack: this.stack, namespace: this.agentsNamespace });
      // node-exporter is on the host network: Prometheus' egress reaches it by node CIDR; its own policy admits Prometheus.
      for (const cidr of this.prometheus.nodeCidrs) this.prometheus.pods.network.allowEgressToCidr(cidr, [{ port: nodeExporter.port }]);
      openConnection(this.prometheus.pods, nodeExporter.workload, [{ port: nodeExporter.port }]);
    }
    this.grafana = new Grafana(this, 'Grafana', { ...props.grafana, ingressControllerNamespace: ingressNs });
    this.grafana.addDatasource({ name: 'Prometheus', uid: 'prometheus', type: 'prometheus', url: `http://${this.prometheus.serviceName}.${this.namespace}.svc:${PrometheusServer.PORT}` });
    openConnection(this.grafana.workload, this.prometheus.pods, [{ port: PrometheusServer.PORT }]);
    openConnection(this.grafana.workload, this.alertmanager.pods, [{ port: AlertmanagerCluster.PORT }]);
    openConnection(this.prometheus.pods, this.blackbox.workload, [{ port: BlackboxExporter.PORT }]);
    this.grafana.addDashboard(clusterDashboard());

    if (props.logging !== false) {
      this.logging = new LoggingStack(this, 'Logging', { ...props.logging, agentsNamespace: this.agentsNamespace, ingressControllerNamespace: ingressNs });
      // The log shipper is an ECK Beat (the gate does not read operator resources): the exemption is recorded for auditors and the report.
      const filebeat = this.logging.node.findChild('Filebeat') as ApiObject;
      exemptFromPolicy(filebeat, { rule: 'pod-security', reason: 'reads the root-owned container logs under /var/log (read-only hostPath) as UID 0 with DAC_READ_SEARCH only, in the privileged agents namespace' });
      this.grafana.addDatasource({
        name: 'Logs', uid: 'logs', type: 'elasticsearch', url: this.logging.elasticsearchUrl,
        jsonData: { index: 'logs-media_ai-*', timeField: '@timestamp', tlsSkipVerify: false },
      }, { credentials: { name: this.logging.userSecrets.grafana }, caSecret: this.logging.caSecret });
      openConnection(this.grafana.workload, this.logging.elasticsearchPods, [{ port: 9200 }]);
      if (props.tracing ?? true) {
        this.jaeger = new Jaeger(this, 'Jaeger', {
          elasticsearchUrl: this.logging.elasticsearchUrl,
          credentials: { name: this.logging.userSecrets.jaeger },
          caSecret: this.logging.caSecret,
          elasticsearch: this.logging.elasticsearchPods,
          monitoringNamespace: this.namespace,
          retentionDays: props.tracingRetentionDays,
          replicas: props.tracingReplicas,
        });
        this.grafana.addDatasource({ name: 'Traces', uid: 'traces', type: 'jaeger', url: `http://${this.jaeger.workload.host}:${Jaeger.QUERY}` });
        openConnection(this.grafana.workload, this.jaeger.workload, [{ port: Jaeger.QUERY }]);
      }
      if (props.logAlerts ?? true) {
        this.elastAlert = new ElastAlert(this, 'ElastAlert', {
          elasticsearchUrl: this.logging.elasticsearchUrl,
          credentials: { name: this.logging.userSecrets.elastalert },
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
   * Makes a target observable — an ApiService, a store (Postgres, Redis, Milvus, …), a DataTier or
   * any IMonitorable: the target's ServiceMonitor gets this stack's label and its NetworkPolicy
   * admits this stack's Prometheus, whatever the stack's name and namespace; its alerts and
   * dashboards are installed. For an HTTP API also a Blackbox probe of its liveness path, SLO
   * burn-rate alerts, a dashboard and trace export. Monitoring the same target again is a no-op.
   */
  public monitor(target: IMonitorable, options: MonitorApiOptions = {}): void {
    if (!isMonitorable(target)) fail(this, 'monitor()', target, 'needs an ApiService, a store, a DataTier or another IMonitorable');
    checkMonitorOptions(this, options);
    const ref: MonitoringStackRef = { stack: this.stack, namespace: this.namespace, prometheus: this.prometheus.pods };
    const contribution = target.monitorBy(ref);
    const seen = this.monitored.get(contribution.key);
    if (seen === target) return;
    if (seen) fail(this, 'monitor()', target.node.path, `has the same name and namespace (${contribution.key}) as ${seen.node.path}, already monitored by this stack`);
    if (contribution.httpService) this.monitorHttpService(contribution.key, contribution.httpService, options);
    else if (options.slo || options.probePath || options.probeHost) fail(this, 'monitor()', target.node.path, 'takes slo, probePath and probeHost only for an HTTP API');
    if (contribution.ruleGroups.length > 0) this.addRules(contribution.key, contribution.ruleGroups);
    for (const d of contribution.dashboards) this.grafana.addDashboard(d);
    // Recorded last: a call refused above can be repeated with corrected options.
    this.monitored.set(contribution.key, target);
  }

  private monitorHttpService(key: string, api: HttpServiceFacts, options: MonitorApiOptions): void {
    // One SLO per service: the alerts must judge it as the delivery analysis does.
    if (options.slo && api.sloOptions && JSON.stringify(resolveSlo(options.slo)) !== JSON.stringify(api.slo)) {
      fail(this, 'slo', options.slo, `differs from the slo prop of ${api.endpoint.node.path}: give the SLO once, on the ApiService`);
    }
    const slo = sloProp(this, 'slo', options.slo ?? api.sloOptions);
    const namespace = api.namespace;
    this.addRules(`${key}-slo`, sloRuleGroups(api.name, slo, namespace));
    this.grafana.addDashboard(apiDashboard(api.name, namespace, slo.availabilityPercent));
    this.elastAlert?.addAlerts(apiLogAlerts({
      service: api.name, namespace,
      // ingress-nginx names an upstream <namespace>-<service>-<service port>.
      ingressUpstream: api.host ? `${namespace}-${api.name}-${api.servicePort}` : undefined,
    }));

    // Synthetic availability: the public host through the ingress, or the Service in-cluster.
    const path = httpPathProp(this, 'probePath', options.probePath ?? api.livenessPath);
    const host = this.probeHost(api, options.probeHost);
    const target_ = host
      ? `${api.tls ? 'https' : 'http'}://${host}${path}`
      : `http://${api.name}.${namespace}.svc.cluster.local:${api.servicePort}${path}`;
    if (!api.host) openConnection(this.blackbox.workload, api.endpoint, [{ port: api.port }]);
    new Probe(this, `${key}-probe`, {
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
      openConnection(api.endpoint, this.jaeger.workload, [{ port: Jaeger.OTLP_GRPC }]);
    }
  }

  /** The host the probe requests: the Ingress host, or a concrete name under a wildcard one. */
  private probeHost(api: HttpServiceFacts, given: string | undefined): string | undefined {
    if (given !== undefined) {
      hostProp(this, 'probeHost', given, { wildcard: false });
      const suffix = api.host?.startsWith('*.') ? api.host.slice(1) : undefined;
      if (!api.host || (suffix ? !given.endsWith(suffix) : given !== api.host)) {
        fail(this, 'probeHost', given, `must be a name the Ingress serves (${api.host ?? 'the API has no Ingress'})`);
      }
      return given;
    }
    if (api.host?.startsWith('*.')) {
      fail(this, 'probeHost', undefined, `is required for a wildcard Ingress host (${api.host}): a wildcard cannot be requested; give a concrete name under it`);
    }
    return api.host;
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
