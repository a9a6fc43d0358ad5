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
  /** Runbook link. @default none */
  readonly runbook?: string;
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
      ...(o.runbook ? { runbook_url: o.runbook } : {}),
    },
  };
}
