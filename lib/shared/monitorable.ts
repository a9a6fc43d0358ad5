import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { RuleGroup } from './alert-rules';
import { DashboardSpec } from './dashboard-spec';
import { EnvValue } from './env';
import { DEFAULT_MONITORING_STACK, MONITORING_STACK_LABEL } from './labels';
import { INetworkEndpoint, NetworkPort } from './network';
import { ResolvedSlo, SloOptions } from './slo';
import { fail, labelValueProp } from './validation';

/** The monitoring stack that monitors a target, as the target sees it (no dependency on observability). */
export interface MonitoringStackRef {
  /** The stack's name: the value of `monitoring.media-ai.io/stack` its Prometheus selects. */
  readonly stack: string;
  /** Namespace of the stack (where its PrometheusRules and Probes live). */
  readonly namespace: string;
  /** The Prometheus pods, admitted to the target's metrics ports. */
  readonly prometheus: INetworkEndpoint;
}

/** An HTTP service the stack probes, judges by its SLO and exports traces from. */
export interface HttpServiceFacts {
  readonly name: string;
  readonly namespace: string;
  /** Public host of its Ingress, when it has one. */
  readonly host?: string;
  readonly tls: boolean;
  /** Container port (what the blackbox exporter reaches in-cluster) and Service port. */
  readonly port: number;
  readonly servicePort: number;
  /** Path of the liveness endpoint: what the synthetic probe requests. */
  readonly livenessPath: string;
  readonly slo: ResolvedSlo;
  /** The SLO as given on the service, for monitoring options that must agree with it. */
  readonly sloOptions?: SloOptions;
  /** The pods, for NetworkPolicies (probe, trace export). */
  readonly endpoint: INetworkEndpoint;
  /** Sets an environment variable on the service (trace export settings). */
  addEnv(name: string, value: EnvValue): void;
}

/** What a monitored target hands to the stack. */
export interface MonitoringContribution {
  /**
   * Identity of the target in the app, `<namespace>-<name>`: the stack derives the names of the
   * target's PrometheusRule and dashboard from it, so equal names in other namespaces do not collide.
   */
  readonly key: string;
  /** Alert and recording rules of the target (store down, saturation, …). */
  readonly ruleGroups: RuleGroup[];
  /** Dashboards of the target. */
  readonly dashboards: DashboardSpec[];
  /** Set for an HTTP API: the stack adds a probe, SLO burn-rate alerts, an API dashboard and tracing. */
  readonly httpService?: HttpServiceFacts;
}

/**
 * Something a monitoring stack can monitor (an ApiService, a store, a DataTier). `monitorBy()` fixes
 * the target's side — its ServiceMonitor carries the stack's label, its NetworkPolicy admits the
 * stack's Prometheus — and returns its rules and panels for the stack to install.
 */
export interface IMonitorable extends IConstruct {
  monitorBy(stack: MonitoringStackRef): MonitoringContribution;
}

/**
 * The namespace of a monitored target: its rules and dashboards select series by namespace, which a
 * chart without a namespace does not know (it lands wherever the manifests are applied).
 */
export function monitoredNamespace(target: INetworkEndpoint): string {
  if (target.namespace === undefined) {
    fail(target, 'monitor()', target.node.path, 'is in a chart without a namespace: its alerts and dashboards select series by namespace; give the chart a namespace');
  }
  return target.namespace;
}

/** Tag of the scrape rule a workload admits before a stack monitors it (the `monitoringNamespace` default). */
export const DEFAULT_SCRAPE_TAG = 'default-monitoring-namespace';

export function isMonitorable(x: unknown): x is IMonitorable {
  return typeof x === 'object' && x !== null && typeof (x as Partial<IMonitorable>).monitorBy === 'function';
}

/**
 * The stack label of a target's ServiceMonitor: the prop when given, else the default, replaced by
 * the stack that monitors the target. A ServiceMonitor carries one stack label, so a second,
 * different stack (or one other than the prop names) is refused.
 */
export class StackSelection {
  private current: string;
  private readonly explicit: boolean;
  private claimedBy?: string;
  private readonly monitors: ApiObject[] = [];

  constructor(private readonly scope: IConstruct, private readonly prop: string, given: string | undefined) {
    this.explicit = given !== undefined;
    this.current = given !== undefined ? labelValueProp(scope, prop, given) : DEFAULT_MONITORING_STACK;
  }

  /** The label value now. */
  public get stack(): string {
    return this.current;
  }

  /** The stack chosen for the target (its prop or `monitor()`); undefined while only the default applies. */
  public get chosen(): string | undefined {
    return this.claimedBy ?? (this.explicit ? this.current : undefined);
  }

  /** Registers a ServiceMonitor whose label follows the selection. */
  public track(monitor: ApiObject): void {
    this.monitors.push(monitor);
    monitor.metadata.addLabel(MONITORING_STACK_LABEL, this.current);
  }

  /**
   * Selects the target for `stack` and admits its Prometheus on the metrics ports; the scrape rule
   * for the default monitoring namespace (tag DEFAULT_SCRAPE_TAG) is withdrawn unless it was given
   * explicitly for another namespace than the stack's.
   */
  public claim(ref: MonitoringStackRef, target: INetworkEndpoint, metricsPorts: NetworkPort[], explicitScrapeNamespace?: string): void {
    if (this.claimedBy !== undefined && this.claimedBy !== ref.stack) {
      fail(this.scope, 'monitor()', ref.stack, `is a second monitoring stack: ${this.scope.node.path} is already monitored by stack '${this.claimedBy}' (a ServiceMonitor carries one stack label)`);
    }
    if (this.explicit && this.current !== ref.stack) {
      fail(this.scope, this.prop, this.current, `names another stack than the one monitoring it ('${ref.stack}'): drop ${this.prop} or set it to '${ref.stack}'`);
    }
    this.claimedBy = ref.stack;
    this.current = ref.stack;
    for (const m of this.monitors) m.metadata.addLabel(MONITORING_STACK_LABEL, ref.stack);
    // A namespace given explicitly stays admitted, unless it is the stack's own (then the precise rule below covers it).
    if (explicitScrapeNamespace === undefined || explicitScrapeNamespace === ref.namespace) target.network.withdraw(DEFAULT_SCRAPE_TAG);
    // Prometheus' own egress already reaches every namespace (it scrapes whatever selects it): only the target's ingress opens.
    if (metricsPorts.length > 0) target.network.allowIngressFrom(ref.prometheus, metricsPorts);
  }
}
