/** Grafana dashboards as JSON models; every query is PromQL on the metrics our exporters emit. */

// Dashboard specs are part of the monitorable contract (lib/shared), so stores can carry their own panels.
import { DashboardSpec } from '../shared/dashboard-spec';
export type { DashboardSpec, PanelSpec } from '../shared/dashboard-spec';

/** A dashboard JSON model with panels laid out two per row. */
export function dashboardJson(d: DashboardSpec): string {
  const panels = d.panels.map((p, i) => ({
    id: i + 1,
    type: p.type ?? 'timeseries',
    title: p.title,
    datasource: { type: 'prometheus', uid: 'prometheus' },
    gridPos: { h: 8, w: 12, x: (i % 2) * 12, y: Math.floor(i / 2) * 8 },
    fieldConfig: { defaults: { unit: p.unit ?? 'short' }, overrides: [] },
    targets: p.queries.map((q, j) => ({ refId: String.fromCharCode(65 + j), expr: q.expr, legendFormat: q.legend ?? '__auto', datasource: { type: 'prometheus', uid: 'prometheus' } })),
  }));
  return `${JSON.stringify({ uid: d.uid, title: d.title, tags: d.tags, schemaVersion: 39, editable: false, time: { from: 'now-6h', to: 'now' }, refresh: '1m', panels }, null, 2)}\n`;
}

/** Every PromQL expression of a dashboard (for checking with promtool). */
export function dashboardQueries(json: string): string[] {
  return (JSON.parse(json).panels as any[]).flatMap((p) => p.targets.map((t: any) => t.expr as string));
}

/** The `job` label of the Blackbox probe of an API (the Probe's jobName), shared by the Probe and the dashboard. */
export function probeJobName(service: string): string {
  return `blackbox-${service}`;
}

/** UID of the dashboard of an API (`apiDashboard`): per namespace, as two APIs may share a name. */
export function apiDashboardUid(service: string, namespace?: string): string {
  return (namespace !== undefined ? `api-${namespace}-${service}` : `api-${service}`).slice(0, 40);
}

/** UID of the cluster dashboard (`clusterDashboard`). */
export const CLUSTER_DASHBOARD_UID = 'cluster-system';

export function apiDashboard(service: string, namespace: string, availabilityPercent: number): DashboardSpec {
  const job = `job="${service}",namespace="${namespace}"`;
  const pods = `namespace="${namespace}",pod=~"${service}-[a-z0-9]+-[a-z0-9]+"`;
  const budget = 1 - availabilityPercent / 100;
  return {
    uid: apiDashboardUid(service, namespace),
    title: `API: ${service} (${namespace})`,
    tags: ['media-ai', 'api'],
    panels: [
      { title: 'Request rate by status', unit: 'reqps', queries: [{ expr: `sum by (status) (rate(http_requests_total{${job}}[$__rate_interval]))`, legend: '{{status}}' }] },
      { title: 'Error ratio (5xx)', unit: 'percentunit', queries: [{ expr: `slo:http_request_error_ratio:rate5m{service="${service}",namespace="${namespace}"}`, legend: '5m' }, { expr: `slo:http_request_error_ratio:rate1h{service="${service}",namespace="${namespace}"}`, legend: '1h' }] },
      {
        title: 'Latency percentiles', unit: 's', queries: [0.5, 0.95, 0.99].map((q) => ({
          expr: `histogram_quantile(${q}, sum by (le) (rate(http_request_duration_seconds_bucket{${job}}[$__rate_interval])))`, legend: `p${q * 100}`,
        })),
      },
      { title: 'Error budget remaining (30 days)', unit: 'percentunit', type: 'stat', queries: [{ expr: `1 - (sum(increase(http_requests_total{${job},status=~"5.."}[30d])) / clamp_min(sum(increase(http_requests_total{${job}}[30d])), 1)) / ${budget}` }] },
      {
        title: 'CPU saturation (of request)', unit: 'percentunit', queries: [{
          expr: `sum(rate(container_cpu_usage_seconds_total{${pods},container="api"}[$__rate_interval])) / sum(kube_pod_container_resource_requests{${pods},container="api",resource="cpu"})`,
        }],
      },
      {
        title: 'Memory saturation (of limit)', unit: 'percentunit', queries: [{
          expr: `sum(container_memory_working_set_bytes{${pods},container="api"}) / sum(kube_pod_container_resource_limits{${pods},container="api",resource="memory"})`,
        }],
      },
      {
        title: 'Replicas (available / HPA max)', queries: [
          { expr: `kube_deployment_status_replicas_available{namespace="${namespace}",deployment="${service}"}`, legend: 'available' },
          { expr: `kube_horizontalpodautoscaler_spec_max_replicas{namespace="${namespace}",horizontalpodautoscaler="${service}"}`, legend: 'max' },
        ],
      },
      { title: 'Synthetic probe success', unit: 'percentunit', queries: [{ expr: `avg_over_time(probe_success{job="${probeJobName(service)}",namespace="${namespace}"}[1h])` }] },
    ],
  };
}

export function clusterDashboard(): DashboardSpec {
  return {
    uid: CLUSTER_DASHBOARD_UID,
    title: 'Cluster: system',
    tags: ['media-ai', 'system'],
    panels: [
      { title: 'Node CPU', unit: 'percentunit', queries: [{ expr: '1 - avg by (instance) (rate(node_cpu_seconds_total{mode="idle"}[$__rate_interval]))', legend: '{{instance}}' }] },
      { title: 'Node memory', unit: 'percentunit', queries: [{ expr: '1 - node_memory_MemAvailable_bytes / node_memory_MemTotal_bytes', legend: '{{instance}}' }] },
      { title: 'Node disk', unit: 'percentunit', queries: [{ expr: '1 - node_filesystem_avail_bytes{fstype!~"tmpfs|overlay"} / node_filesystem_size_bytes{fstype!~"tmpfs|overlay"}', legend: '{{instance}} {{mountpoint}}' }] },
      {
        title: 'Node network', unit: 'Bps', queries: [
          { expr: 'sum by (instance) (rate(node_network_receive_bytes_total{device!~"lo|veth.*"}[$__rate_interval]))', legend: '{{instance}} rx' },
          { expr: 'sum by (instance) (rate(node_network_transmit_bytes_total{device!~"lo|veth.*"}[$__rate_interval]))', legend: '{{instance}} tx' },
        ],
      },
      { title: 'Pod restarts (1h)', queries: [{ expr: 'sum by (namespace, pod) (increase(kube_pod_container_status_restarts_total[1h])) > 0', legend: '{{namespace}}/{{pod}}' }] },
      { title: 'Pods not ready', queries: [{ expr: 'sum by (namespace) (kube_pod_status_ready{condition="false"})', legend: '{{namespace}}' }] },
      { title: 'Scrape targets down', queries: [{ expr: 'count by (job) (up == 0)', legend: '{{job}}' }] },
      { title: 'Firing alerts by priority', queries: [{ expr: 'count by (priority) (ALERTS{alertstate="firing"})', legend: '{{priority}}' }] },
    ],
  };
}
