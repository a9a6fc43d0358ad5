/** Prometheus rule groups as plain data: rendered into PrometheusRule objects and checked by promtool. */

export type Priority = 'P0' | 'P1' | 'P2' | 'P3';

/** Response expectations per incident grade (operations spec 11.3 "故障分类"). */
export const PRIORITIES: Record<Priority, { readonly severity: string; readonly respondWithin: string; readonly meaning: string }> = {
  P0: { severity: 'critical', respondWithin: 'immediately', meaning: 'system completely unavailable' },
  P1: { severity: 'critical', respondWithin: '1h', meaning: 'core function unavailable' },
  P2: { severity: 'warning', respondWithin: '4h', meaning: 'part of a function unavailable' },
  P3: { severity: 'info', respondWithin: '24h', meaning: 'non-core issue' },
};

export interface AlertRule {
  readonly alert: string;
  readonly expr: string;
  readonly for?: string;
  readonly labels: Record<string, string>;
  readonly annotations: Record<string, string>;
}

export interface RecordingRule {
  readonly record: string;
  readonly expr: string;
  readonly labels?: Record<string, string>;
}

export type Rule = AlertRule | RecordingRule;

export interface RuleGroup {
  readonly name: string;
  readonly interval?: string;
  readonly rules: Rule[];
}

export interface AlertOptions {
  readonly name: string;
  readonly expr: string;
  readonly priority: Priority;
  readonly for?: string;
  readonly summary: string;
  readonly description: string;
  readonly labels?: Record<string, string>;
  /** Runbook link. @default `runbookUrl(name)`, the generated docs/runbooks/<name>.md */
  readonly runbook?: string;
  /** The dashboard (UID, and the panel to look at first) that shows what the alert measures. @default the cluster dashboard, firing alerts by priority */
  readonly dashboard?: AlertDashboard;
}

/** Where an alert leads on call: a provisioned Grafana dashboard and its panel. */
export interface AlertDashboard {
  readonly uid: string;
  readonly panel: string;
}

/** The cluster dashboard's alert panel: where an alert without a closer dashboard leads. */
export const DEFAULT_ALERT_DASHBOARD: AlertDashboard = { uid: 'cluster-system', panel: 'Firing alerts by priority' };

/** Where the runbooks generated into docs/runbooks (scripts/runbooks.ts) are published. */
export const RUNBOOK_BASE_URL = 'https://github.com/media-ai/cdk8s-platform/blob/main/docs/runbooks';

/** The runbook of an alert: docs/runbooks/<alert>.md. */
export function runbookUrl(alertName: string): string {
  return `${RUNBOOK_BASE_URL}/${alertName}.md`;
}

/** The annotations that take the person on call from an alert to its runbook and dashboard. */
export function alertLinks(alertName: string, dashboard: AlertDashboard = DEFAULT_ALERT_DASHBOARD, runbook?: string): Record<string, string> {
  return { runbook_url: runbook ?? runbookUrl(alertName), dashboard: dashboard.uid, dashboard_panel: dashboard.panel };
}

/** An alert carrying the priority label Alertmanager routes on, and the severity most tools expect. */
export function alert(o: AlertOptions): AlertRule {
  return {
    alert: o.name,
    expr: o.expr,
    ...(o.for ? { for: o.for } : {}),
    labels: { priority: o.priority, severity: PRIORITIES[o.priority].severity, ...o.labels },
    annotations: {
      summary: o.summary,
      description: o.description,
      respond_within: PRIORITIES[o.priority].respondWithin,
      ...alertLinks(o.name, o.dashboard, o.runbook),
    },
  };
}

/**
 * Points each alert at the panel of `dashboard` that plots what it measures: the first panel whose
 * queries use a metric of the alert's expression, else the first panel. For signal sets (a store's
 * alerts and panels) whose dashboard UID is known only where they are assembled.
 */
export function linkAlertsToDashboard(rules: readonly AlertRule[], uid: string, panels: readonly { title: string; queries: readonly { expr: string }[] }[]): AlertRule[] {
  const metrics = (expr: string) => new Set(expr.match(/[a-zA-Z_:][a-zA-Z0-9_:]*(?=\s*[{[(])/g) ?? []);
  return rules.map((r) => {
    const used = metrics(r.expr);
    const panel = panels.find((p) => p.queries.some((q) => [...metrics(q.expr)].some((m) => used.has(m) && m !== 'up' && !/^(sum|max|min|avg|rate|increase|absent|count)$/.test(m)))) ?? panels[0];
    return panel ? { ...r, annotations: { ...r.annotations, dashboard: uid, dashboard_panel: panel.title } } : r;
  });
}
