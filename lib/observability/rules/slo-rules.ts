import { promNumber, ResolvedSlo, resolveSlo, SloOptions } from '../../shared/slo';
import { apiDashboardUid } from '../dashboards';
import { alert, Priority, RuleGroup } from './rule-types';

// The SLO contract moved to lib/shared (delivery analysis uses it too); re-exported for existing importers.
export { promNumber, resolveSlo };
export type { ResolvedSlo, SloOptions };

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

/**
 * Recording rules for the error and slow-request ratios of one service (its Prometheus `job`),
 * and burn-rate alerts for a 30-day availability objective and a latency objective.
 */
export function sloRuleGroups(service: string, slo: ResolvedSlo, namespace?: string): RuleGroup[] {
  // Same-named services in other namespaces are other services: select and label by namespace too.
  const ns: Record<string, string> = namespace !== undefined ? { namespace } : {};
  const sel = `job="${service}"${namespace !== undefined ? `,namespace="${namespace}"` : ''}`;
  const group = namespace !== undefined ? `${service}-${namespace}` : service;
  const budget = 1 - slo.availabilityPercent / 100;
  const latencyBudget = 1 - slo.latencyPercent / 100;
  const le = promNumber(slo.latencyThresholdSeconds);
  const recordLabels = { service, ...ns, slo: 'availability' };
  const recordings = WINDOWS.flatMap((w) => [
    {
      record: `${ERROR_RATIO_RECORD}${w}`,
      expr: `sum(rate(${slo.requestsMetric}{${sel},${slo.errorMatcher}}[${w}])) / clamp_min(sum(rate(${slo.requestsMetric}{${sel}}[${w}])), 1e-9)`,
      labels: recordLabels,
    },
    {
      record: `${SLOW_RATIO_RECORD}${w}`,
      expr: `1 - sum(rate(${slo.latencyHistogram}_bucket{${sel},le="${le}"}[${w}])) / clamp_min(sum(rate(${slo.latencyHistogram}_count{${sel}}[${w}])), 1e-9)`,
      labels: { service, ...ns, slo: 'latency' },
    },
  ]);
  const ratio = (record: string, w: string, kind: string) => `${record}${w}{service="${service}",${namespace !== undefined ? `namespace="${namespace}",` : ''}slo="${kind}"}`;

  const availability = BURN_RATE_WINDOWS.map((b) => alert({
    name: 'ApiErrorBudgetBurn',
    priority: b.priority,
    dashboard: { uid: apiDashboardUid(service, namespace), panel: 'Error ratio (5xx)' },
    for: b.for,
    expr: `${ratio(ERROR_RATIO_RECORD, b.long, 'availability')} > ${promNumber(b.factor * budget)} and ${ratio(ERROR_RATIO_RECORD, b.short, 'availability')} > ${promNumber(b.factor * budget)}`,
    labels: { service, ...ns, slo: 'availability', window: b.long },
    summary: `${service} is burning its ${slo.availabilityPercent}% availability budget ${b.factor}× too fast`,
    description: `Error ratio over ${b.long} and ${b.short} is above ${b.factor}× the budget of ${promNumber(budget * 100)}%; at this rate the 30-day budget is gone in ${promNumber(Number((30 / b.factor).toFixed(1)))} days.`,
  }));
  // Latency: a fast burn pages as P1 (degraded, not down), a slow burn is P2.
  const latency = BURN_RATE_WINDOWS.filter((b) => b.priority === 'P0' || b.priority === 'P1').map((b) => alert({
    name: 'ApiLatencyBudgetBurn',
    dashboard: { uid: apiDashboardUid(service, namespace), panel: 'Latency percentiles' },
    priority: b.priority === 'P0' ? 'P1' : 'P2',
    for: b.for,
    expr: `${ratio(SLOW_RATIO_RECORD, b.long, 'latency')} > ${promNumber(b.factor * latencyBudget)} and ${ratio(SLOW_RATIO_RECORD, b.short, 'latency')} > ${promNumber(b.factor * latencyBudget)}`,
    labels: { service, ...ns, slo: 'latency', window: b.long },
    summary: `${service}: too many requests slower than ${le}s`,
    description: `More than ${promNumber(b.factor * latencyBudget * 100)}% of requests over ${b.long} took longer than ${le}s (objective: ${slo.latencyPercent}% faster).`,
  }));
  return [
    { name: `${group}-slo-recording`, rules: recordings },
    { name: `${group}-slo-alerts`, rules: [...availability, ...latency] },
  ];
}
