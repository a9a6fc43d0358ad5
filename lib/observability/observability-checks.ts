import { IConstruct } from 'constructs';
import { checkKnownProps, fail, labelMatchersProp, labelNameProp, metricNameProp, numberProp, parseHttpUrl, propKeys } from '../shared';
import type { ReceiverOptions } from './alertmanager-config';
import type { AlertmanagerClusterProps } from './alertmanager-cluster';
import type { BlackboxExporterProps } from './blackbox-exporter';
import type { GrafanaProps } from './grafana';
import type { LoggingStackProps } from './logging-stack';
import type { MonitorApiOptions, ObservabilityStackProps } from './observability-stack';
import type { PrometheusServerProps } from './prometheus-server';
import type { SloOptions } from './rules';
import type { NodeExporterOptions } from './system-exporters';

// Prop names, checked complete by the compiler: a prop added to an interface must be added here.
const STACK_KEYS = propKeys<ObservabilityStackProps>()({
  stack: true, agentsNamespace: true, ingressControllerNamespace: true, prometheus: true, alerting: true, grafana: true, kubeStateMetrics: true, nodeExporter: true, blackbox: true, logging: true,
  tracing: true, tracingRetentionDays: true, tracingReplicas: true, logAlerts: true,
});
const NESTED: Record<string, readonly string[]> = {
  prometheus: propKeys<Omit<PrometheusServerProps, 'stack' | 'alertmanager'>>()({
    version: true, replicas: true, retention: true, storage: true, resources: true, nodeCidrs: true, kubeletInsecureSkipVerify: true,
  }),
  alerting: propKeys<AlertmanagerClusterProps>()({ receivers: true, groupBy: true, version: true, replicas: true, storage: true }),
  grafana: propKeys<Omit<GrafanaProps, 'ingressControllerNamespace'>>()({ adminUser: true, adminPassword: true, image: true, storage: true, resources: true }),
  blackbox: propKeys<BlackboxExporterProps>()({ image: true, replicas: true, topologySpread: true }),
  nodeExporter: propKeys<NodeExporterOptions>()({ image: true, port: true }),
  logging: propKeys<Omit<LoggingStackProps, 'agentsNamespace' | 'ingressControllerNamespace'>>()({
    version: true, elasticsearchNodes: true, heapSize: true, storage: true, retentionDays: true, operatorNamespace: true, eckVersion: true, users: true,
  }),
};
const MONITOR_KEYS = propKeys<MonitorApiOptions>()({ slo: true, probePath: true, probeHost: true });
const SLO_KEYS = propKeys<SloOptions>()({ availabilityPercent: true, latencyThresholdSeconds: true, latencyPercent: true, requestsMetric: true, errorMatcher: true, latencyHistogram: true });

export function checkStackProps(scope: IConstruct, props: ObservabilityStackProps): void {
  checkKnownProps(scope, 'props', props, STACK_KEYS);
  for (const [prop, keys] of Object.entries(NESTED)) {
    const value = (props as unknown as Record<string, unknown>)[prop];
    if ((prop === 'logging' || prop === 'nodeExporter') && value === false) continue;
    checkKnownProps(scope, prop, value, keys, prop !== 'grafana' ? false : true);
  }
}

/**
 * The per-node agents run privileged (node-exporter reads the host): their namespace must not be
 * the stack's restricted one, or Pod Security Admission rejects their pods.
 */
export function checkAgentsNamespace(scope: IConstruct, agentsNamespace: string, stackNamespace: string): void {
  if (agentsNamespace === stackNamespace) {
    fail(scope, 'agentsNamespace', agentsNamespace, `must differ from the stack's namespace (${stackNamespace}): that one enforces Pod Security 'restricted', and node-exporter and Filebeat need host access`);
  }
}

/** Options of monitor(api): names and matchers as promtool reads them, finite objectives. */
export function checkMonitorOptions(scope: IConstruct, options: MonitorApiOptions): void {
  checkKnownProps(scope, 'monitor() options', options, MONITOR_KEYS);
  const slo = options.slo;
  checkKnownProps(scope, 'slo', slo, SLO_KEYS, false);
  if (!slo) return;
  numberProp(scope, 'slo.latencyThresholdSeconds', slo.latencyThresholdSeconds, 0.5, { min: 0, max: 3600, minExclusive: true }, ' seconds');
  if (slo.requestsMetric !== undefined) metricNameProp(scope, 'slo.requestsMetric', slo.requestsMetric);
  if (slo.latencyHistogram !== undefined) metricNameProp(scope, 'slo.latencyHistogram', slo.latencyHistogram);
  if (slo.errorMatcher !== undefined) labelMatchersProp(scope, 'slo.errorMatcher', slo.errorMatcher);
}

/** Alertmanager group_by: label names, or the single '...' (group by every label). */
export function checkGroupBy(scope: IConstruct, groupBy: unknown): void {
  if (groupBy === undefined) return;
  if (!Array.isArray(groupBy) || groupBy.length === 0) fail(scope, 'groupBy', groupBy, "must be a non-empty list of label names such as ['alertname', 'service']");
  if (groupBy.length === 1 && groupBy[0] === '...') return;
  groupBy.forEach((label, i) => labelNameProp(scope, `groupBy[${i}]`, label));
}

/** A release version tag of a Prometheus-project image: `latest` or a bare major would float. */
export function checkReleaseVersion(scope: IConstruct, prop: string, version: string, example: string): string {
  if (typeof version !== 'string' || !/^v[0-9]+\.[0-9]+\.[0-9]+$/.test(version)) {
    fail(scope, prop, version, `must be a pinned release such as '${example}' (not 'latest' or a bare major)`);
  }
  return version;
}

const RECEIVER_KEYS = propKeys<ReceiverOptions>()({ pagerduty: true, slack: true, webhook: true, email: true });
const RECEIVER_FIELDS: Record<string, readonly string[]> = {
  pagerduty: propKeys<NonNullable<ReceiverOptions['pagerduty']>>()({ routingKey: true }),
  slack: propKeys<NonNullable<ReceiverOptions['slack']>>()({ apiUrl: true, channel: true }),
  webhook: propKeys<NonNullable<ReceiverOptions['webhook']>>()({ url: true, bearerToken: true }),
  email: propKeys<NonNullable<ReceiverOptions['email']>>()({ to: true, from: true, smarthost: true, username: true, password: true }),
};

/** Receivers per priority for untyped callers: known keys, and a webhook URL by the URL grammar (no credentials in it). */
export function checkReceivers(scope: IConstruct, receivers: Record<string, ReceiverOptions | undefined> | undefined): void {
  checkKnownProps(scope, 'receivers', receivers, ['P0', 'P1', 'P2', 'P3'], false);
  for (const [priority, receiver] of Object.entries(receivers ?? {})) {
    const prop = `receivers.${priority}`;
    checkKnownProps(scope, prop, receiver, RECEIVER_KEYS, false);
    for (const [kind, keys] of Object.entries(RECEIVER_FIELDS)) {
      checkKnownProps(scope, `${prop}.${kind}`, (receiver as Record<string, unknown> | undefined)?.[kind], keys, false);
    }
    const url = receiver?.webhook?.url;
    if (receiver?.webhook && !(parseHttpUrl(url) && !parseHttpUrl(url)!.hasCredentials)) {
      fail(scope, `${prop}.webhook.url`, url, 'must be an http(s) URL without credentials (put a token in bearerToken)');
    }
  }
}
