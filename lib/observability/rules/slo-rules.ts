import { apiDashboardUid } from '../dashboards';
import { alert, Priority, RuleGroup } from './rule-types';

/** What an API's SLOs are measured on: its request counter and latency histogram. */
export interface SloOptions {
  /** Availability objective over 30 days, e.g. 99.9. @default 99.9 */
  readonly availabilityPercent?: number;
  /** Latency threshold in seconds, a bucket boundary of the histogram. @default 0.5 */
  readonly latencyThresholdSeconds?: number;
  /** Share of requests that must be faster than the threshold, in percent. @default 99 */
  readonly latencyPercent?: number;
  /** Counter of handled requests. @default 'http_requests_total' */
  readonly requestsMetric?: string;
  /** Label matcher selecting failed requests. @default 'status=~"5.."' (matches 500 and the grouped 5xx) */
  readonly errorMatcher?: string;
  /** Latency histogram (without _bucket). @default 'http_request_duration_seconds' */
  readonly latencyHistogram?: string;
}

/** The multi-window, multi-burn-rate table of the Google SRE workbook, mapped to incident grades. */
export const BURN_RATE_WINDOWS: ReadonlyArray<{ priority: Priority; factor: number; long: string; short: string; for: string }> = [
  { priority: 'P0', factor: 14.4, long: '1h', short: '5m', for: '2m' },
  { priority: 'P1', factor: 6, long: '6h', short: '30m', for: '15m' },
  { priority: 'P2', factor: 3, long: '1d', short: '2h', for: '1h' },
  { priority: 'P3', factor: 1, long: '3d', short: '6h', for: '3h' },
];

const WINDOWS = ['5m', '30m', '1h', '2h', '6h', '1d', '3d'];

export const ERROR_RATIO_RECORD = 'slo:http_request_error_ratio:rate';
export const SLOW_RATIO_RECORD = 'slo:http_request_slow_ratio:rate';

export interface ResolvedSlo {
  readonly availabilityPercent: number;
  readonly latencyThresholdSeconds: number;
  readonly latencyPercent: number;
  readonly requestsMetric: string;
  readonly errorMatcher: string;
  readonly latencyHistogram: string;
}

export function resolveSlo(o: SloOptions = {}): ResolvedSlo {
  return {
    availabilityPercent: o.availabilityPercent ?? 99.9,
    latencyThresholdSeconds: o.latencyThresholdSeconds ?? 0.5,
    latencyPercent: o.latencyPercent ?? 99,
    requestsMetric: o.requestsMetric ?? 'http_requests_total',
    errorMatcher: o.errorMatcher ?? 'status=~"5.."',
    latencyHistogram: o.latencyHistogram ?? 'http_request_duration_seconds',
  };
}

/** Formats a float for PromQL without binary noise (0.0144, not 0.014400000000000001). */
export function promNumber(n: number): string {
  return String(Number(n.toPrecision(12)));
}

/**
 * Recording rules for the error and slow-request ratios of one service (its Prometheus `job`),
 * and burn-rate alerts for a 30-day availability objective and a latency objective.
 */
export function sloRuleGroups(service: string, slo: ResolvedSlo): RuleGroup[] {
  const sel = `job="${service}"`;
  const budget = 1 - slo.availabilityPercent / 100;
  const latencyBudget = 1 - slo.latencyPercent / 100;
  const le = promNumber(slo.latencyThresholdSeconds);
  const recordLabels = { service, slo: 'availability' };
  const recordings = WINDOWS.flatMap((w) => [
    {
      record: `${ERROR_RATIO_RECORD}${w}`,
      expr: `sum(rate(${slo.requestsMetric}{${sel},${slo.errorMatcher}}[${w}])) / clamp_min(sum(rate(${slo.requestsMetric}{${sel}}[${w}])), 1e-9)`,
      labels: recordLabels,
    },
    {
      record: `${SLOW_RATIO_RECORD}${w}`,
      expr: `1 - sum(rate(${slo.latencyHistogram}_bucket{${sel},le="${le}"}[${w}])) / clamp_min(sum(rate(${slo.latencyHistogram}_count{${sel}}[${w}])), 1e-9)`,
      labels: { service, slo: 'latency' },
    },
  ]);
  const ratio = (record: string, w: string, kind: string) => `${record}${w}{service="${service}",slo="${kind}"}`;

  const availability = BURN_RATE_WINDOWS.map((b) => alert({
    name: 'ApiErrorBudgetBurn',
    priority: b.priority,
    dashboard: { uid: apiDashboardUid(service), panel: 'Error ratio (5xx)' },
    for: b.for,
    expr: `${ratio(ERROR_RATIO_RECORD, b.long, 'availability')} > ${promNumber(b.factor * budget)} and ${ratio(ERROR_RATIO_RECORD, b.short, 'availability')} > ${promNumber(b.factor * budget)}`,
    labels: { service, slo: 'availability', window: b.long },
    summary: `${service} is burning its ${slo.availabilityPercent}% availability budget ${b.factor}× too fast`,
    description: `Error ratio over ${b.long} and ${b.short} is above ${b.factor}× the budget of ${promNumber(budget * 100)}%; at this rate the 30-day budget is gone in ${promNumber(Number((30 / b.factor).toFixed(1)))} days.`,
  }));
  // Latency: a fast burn pages as P1 (degraded, not down), a slow burn is P2.
  const latency = BURN_RATE_WINDOWS.filter((b) => b.priority === 'P0' || b.priority === 'P1').map((b) => alert({
    name: 'ApiLatencyBudgetBurn',
    dashboard: { uid: apiDashboardUid(service), panel: 'Latency percentiles' },
    priority: b.priority === 'P0' ? 'P1' : 'P2',
    for: b.for,
    expr: `${ratio(SLOW_RATIO_RECORD, b.long, 'latency')} > ${promNumber(b.factor * latencyBudget)} and ${ratio(SLOW_RATIO_RECORD, b.short, 'latency')} > ${promNumber(b.factor * latencyBudget)}`,
    labels: { service, slo: 'latency', window: b.long },
    summary: `${service}: too many requests slower than ${le}s`,
    description: `More than ${promNumber(b.factor * latencyBudget * 100)}% of requests over ${b.long} took longer than ${le}s (objective: ${slo.latencyPercent}% faster).`,
  }));
  return [
    { name: `${service}-slo-recording`, rules: recordings },
    { name: `${service}-slo-alerts`, rules: [...availability, ...latency] },
  ];
}
