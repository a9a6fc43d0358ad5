/**
 * Log-based alerts as plain data: ElastAlert 2 rules that post to Alertmanager with the same
 * `priority`, `severity` and `service` labels as the metric alerts, so P0–P3 routing, grouping
 * and inhibition treat them alike.
 */
import { apiDashboardUid, CLUSTER_DASHBOARD_UID } from './dashboards';
import { AlertDashboard, alertLinks, Priority, PRIORITIES } from './rules';

/** The data stream the platform's logs are written to (Logstash output, ILM policy). */
export const LOGS_INDEX_PATTERN = 'logs-media_ai-*';

/** The Kubernetes field Filebeat writes the `app.kubernetes.io/name` label to (labels are de-dotted). */
export const K8S_APP_NAME_FIELD = 'kubernetes.labels.app_kubernetes_io/name';

/** A log alert: what it looks for (an ElastAlert 2 rule body) and how it is labelled and explained. */
export interface LogAlert {
  /** Alert name in Alertmanager (and the runbook's file name). */
  readonly alert: string;
  /** ElastAlert rule name, unique across rules (one alert name may exist per service). */
  readonly rule: string;
  readonly priority: Priority;
  /** The `service` label (inhibition and grouping use it with `namespace`). */
  readonly service: string;
  readonly namespace?: string;
  readonly summary: string;
  readonly description: string;
  readonly dashboard: AlertDashboard;
  /** The ElastAlert rule type and its options (filter, timeframe, thresholds). */
  readonly body: Record<string, unknown>;
  /** Fields of the first match copied into labels (e.g. the node's name). */
  readonly fieldLabels?: Record<string, string>;
  /** KQL for this alert's lines in Kibana (runbooks and saved searches). */
  readonly kibanaQuery: string;
}

/** The error lines of a service in Kibana: error-level lines, panics and failed requests. */
export function serviceErrorsKql(service: string): string {
  return `${K8S_APP_NAME_FIELD} : "${service}" and (log.level : (ERROR or error or FATAL or fatal or CRITICAL or critical) or http.response.status_code >= 500 or message : "Traceback" or message : "panic:")`;
}

const FATAL_QUERY = 'log.level:(FATAL OR fatal OR CRITICAL OR critical OR PANIC OR panic) OR message:("panic:" OR "fatal error:" OR "OutOfMemoryError" OR "MemoryError" OR "out of memory")';

/** Options of `apiLogAlerts`. */
export interface ApiLogAlertOptions {
  readonly service: string;
  readonly namespace: string;
  /** ingress-nginx upstream name of the API (`<namespace>-<service>-<port>`), when it is behind the Ingress. */
  readonly ingressUpstream?: string;
  /** Share of failed (5xx) requests in five minutes that pages, in percent. @default 5 */
  readonly errorPercent?: number;
  /** Minutes without a single line from the service before it is reported silent. @default 10 */
  readonly silentMinutes?: number;
}

/**
 * The log alerts of an API: error-rate spike from its access lines (ingress-nginx and its own),
 * fatal/panic/out-of-memory lines, and no logs at all (the service or its shipper died; kubelet
 * probes alone log a line every few seconds, so silence is never normal).
 */
export function apiLogAlerts(o: ApiLogAlertOptions): LogAlert[] {
  const dashboard = (panel: string) => ({ uid: apiDashboardUid(o.service, o.namespace), panel });
  const ownLines = { term: { [K8S_APP_NAME_FIELD]: o.service } };
  const accessLines = {
    bool: {
      should: [
        ...(o.ingressUpstream ? [{ term: { 'nginx.upstream.name': o.ingressUpstream } }] : []),
        { bool: { filter: [ownLines, { exists: { field: 'http.response.status_code' } }] } },
      ],
      minimum_should_match: 1,
    },
  };
  const percent = o.errorPercent ?? 5;
  const silent = o.silentMinutes ?? 10;
  const common = { service: o.service, namespace: o.namespace };
  return [
    {
      ...common,
      alert: 'ApiLogErrorRate', rule: `${o.service}-log-error-rate`, priority: 'P1',
      summary: `${o.service}: over ${percent} % of requests failed (5xx) in the access logs`,
      description: `More than ${percent} % of the requests logged by ingress-nginx and the API in five minutes answered 5xx (at least 50 requests).`,
      dashboard: dashboard('Request rate by status'),
      body: {
        type: 'percentage_match', filter: [accessLines],
        match_bucket_filter: [{ range: { 'http.response.status_code': { gte: 500 } } }],
        max_percentage: percent, min_denominator: 50, buffer_time: { minutes: 5 },
      },
      kibanaQuery: `(${o.ingressUpstream ? `nginx.upstream.name : "${o.ingressUpstream}" or ` : ''}${K8S_APP_NAME_FIELD} : "${o.service}") and http.response.status_code >= 500`,
    },
    {
      ...common,
      alert: 'ApiFatalLogLines', rule: `${o.service}-fatal-log-lines`, priority: 'P1',
      summary: `${o.service} logged a fatal error, a panic or an out-of-memory error`,
      description: 'A line at FATAL/CRITICAL level, a panic or an out-of-memory error: the process is likely to have died or to be about to.',
      dashboard: dashboard('Memory saturation (of limit)'),
      body: { type: 'frequency', num_events: 1, timeframe: { minutes: 5 }, filter: [ownLines, { query: { query_string: { query: FATAL_QUERY } } }] },
      kibanaQuery: `${K8S_APP_NAME_FIELD} : "${o.service}" and (log.level : (FATAL or fatal or CRITICAL or critical or PANIC or panic) or message : ("panic:" or "fatal error:" or "OutOfMemoryError" or "MemoryError" or "out of memory"))`,
    },
    {
      ...common,
      alert: 'ApiLogsMissing', rule: `${o.service}-logs-missing`, priority: 'P2',
      summary: `No logs from ${o.service} for ${silent} minutes`,
      description: `Not one line from ${o.service} reached Elasticsearch in ${silent} minutes: the pods are gone, or Filebeat or Logstash stopped shipping.`,
      dashboard: dashboard('Replicas (available / HPA max)'),
      body: { type: 'flatline', threshold: 1, timeframe: { minutes: silent }, use_count_query: true, filter: [ownLines] },
      kibanaQuery: `${K8S_APP_NAME_FIELD} : "${o.service}"`,
    },
  ];
}

/** Node-level log alerts: the kernel killing processes for memory, and a node whose logs stop. */
export function platformLogAlerts(o: { readonly silentMinutes?: number } = {}): LogAlert[] {
  const silent = o.silentMinutes ?? 10;
  const cluster = (panel: string) => ({ uid: CLUSTER_DASHBOARD_UID, panel });
  return [
    {
      alert: 'NodeOomKill', rule: 'node-oom-kill', priority: 'P2', service: 'node',
      summary: 'The kernel of a node killed a process for lack of memory (label node)',
      description: 'The node journal reports an out-of-memory kill (cgroup limit or the whole node): a container was restarted or a system daemon died.',
      dashboard: cluster('Node memory'),
      body: {
        type: 'frequency', num_events: 1, timeframe: { minutes: 5 }, query_key: 'host.name',
        filter: [{ term: { tags: 'system' } }, { query: { query_string: { query: 'message:("Out of memory: Killed process" OR "Memory cgroup out of memory")' } } }],
      },
      fieldLabels: { node: 'host.name' },
      kibanaQuery: 'tags : "system" and message : ("Out of memory: Killed process" or "Memory cgroup out of memory")',
    },
    {
      alert: 'NodeLogsMissing', rule: 'node-logs-missing', priority: 'P2', service: 'filebeat',
      summary: `No logs from a node for ${silent} minutes`,
      description: `A node that shipped logs has sent none for ${silent} minutes: its Filebeat, the node or Logstash stopped.`,
      dashboard: cluster('Pods not ready'),
      body: { type: 'flatline', threshold: 1, timeframe: { minutes: silent }, query_key: 'host.name', use_terms_query: true, terms_size: 1000, forget_keys: false, filter: [{ exists: { field: 'host.name' } }] },
      fieldLabels: { node: 'host.name' },
      kibanaQuery: 'host.name : *',
    },
  ];
}

/** Where ElastAlert posts alerts, and how long an alert lasts after its last match. */
export interface ElastAlertTarget {
  /** Alertmanager base URLs. */
  readonly alertmanagerUrls: readonly string[];
  /** Minutes an alert stays firing after its last match. @default 15 */
  readonly resolveMinutes?: number;
}

/** One ElastAlert 2 rule file (validated against the engine's schema.yaml by the tests). */
export function elastAlertRule(a: LogAlert, target: ElastAlertTarget): Record<string, unknown> {
  const labels: Record<string, string> = { priority: a.priority, severity: PRIORITIES[a.priority].severity, service: a.service, ...(a.namespace ? { namespace: a.namespace } : {}) };
  return {
    name: a.rule,
    index: LOGS_INDEX_PATTERN,
    timestamp_field: '@timestamp',
    ...a.body,
    // Re-sent while it matches (Alertmanager keeps it firing), then resolved after resolveMinutes.
    realert: { minutes: 5 },
    alert: ['alertmanager'],
    alertmanager_hosts: [...target.alertmanagerUrls],
    alertmanager_api_version: 'v2',
    alertmanager_alertname: a.alert,
    alertmanager_resolve_time: { minutes: target.resolveMinutes ?? 15 },
    alertmanager_labels: labels,
    ...(a.fieldLabels ? { alertmanager_fields: a.fieldLabels } : {}),
    alertmanager_annotations: {
      summary: a.summary,
      description: a.description,
      respond_within: PRIORITIES[a.priority].respondWithin,
      ...alertLinks(a.alert, a.dashboard),
      kibana_query: a.kibanaQuery,
    },
    // summary/description go in as annotations above; ElastAlert would otherwise put its own text there.
    alertmanager_alert_subject_labelname: 'elastalert_subject',
    alertmanager_alert_text_labelname: 'elastalert_text',
  };
}
