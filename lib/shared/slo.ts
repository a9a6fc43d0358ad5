import { IConstruct } from 'constructs';
import { fail } from './validation';

/**
 * The service-level objective of an HTTP API and the PromQL it is measured with: one contract
 * for the SLO alerts (observability) and the rollout analysis (delivery), so both judge a
 * release by the same metrics and thresholds.
 */

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

/** Resolves an SLO prop and checks its objectives; errors name `prop` (e.g. 'slo.availabilityPercent'). */
export function sloProp(scope: IConstruct, prop: string, o: SloOptions | undefined): ResolvedSlo {
  const slo = resolveSlo(o);
  for (const [field, value, min, max] of [['availabilityPercent', slo.availabilityPercent, 90, 99.999], ['latencyPercent', slo.latencyPercent, 50, 99.999]] as const) {
    if (!(value >= min && value <= max)) fail(scope, `${prop}.${field}`, value, `must be a percentage between ${min} and ${max}`);
  }
  if (!(slo.latencyThresholdSeconds > 0)) fail(scope, `${prop}.latencyThresholdSeconds`, slo.latencyThresholdSeconds, 'must be a positive number of seconds');
  return slo;
}

/** Formats a float for PromQL without binary noise (0.0144, not 0.014400000000000001). */
export function promNumber(n: number): string {
  return String(Number(n.toPrecision(12)));
}

/** Share of requests that succeeded over `window`, for the series matched by `selector` (e.g. `job="api"`). */
export function successRatioExpr(slo: ResolvedSlo, selector: string, window: string): string {
  // No failed-request series at all means no failures (`or vector(0)`); no requests at all stays
  // 0/0 = NaN, which is neither a success nor a failure.
  return `1 - ((sum(rate(${slo.requestsMetric}{${selector},${slo.errorMatcher}}[${window}])) or vector(0)) / sum(rate(${slo.requestsMetric}{${selector}}[${window}])))`;
}

/** Share of requests faster than the latency threshold over `window`. */
export function fastRatioExpr(slo: ResolvedSlo, selector: string, window: string): string {
  const le = promNumber(slo.latencyThresholdSeconds);
  return `sum(rate(${slo.latencyHistogram}_bucket{${selector},le="${le}"}[${window}])) / sum(rate(${slo.latencyHistogram}_count{${selector}}[${window}]))`;
}
