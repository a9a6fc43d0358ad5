import { Construct } from 'constructs';
import { AnalysisTemplate, AnalysisTemplateSpecMetricsFailureLimit, AnalysisTemplateSpecMetricsInconclusiveLimit, AnalysisTemplateSpecMetricsCount } from '../../imports/argoproj.io';
import { durationProp, fail, fastRatioExpr, integerProp, promNumber, ResolvedSlo, successRatioExpr } from '../shared';
import { AnalysisOptions } from './delivery-props';

/** Argument of the analysis: the `rollouts-pod-template-hash` of the version under test. */
export const VERSION_HASH_ARG = 'version-hash';
/** Pod label Argo Rollouts puts on every pod it manages, and the target label Prometheus gets from it (podTargetLabels). */
export const POD_HASH_LABEL = 'rollouts-pod-template-hash';
export const POD_HASH_TARGET_LABEL = 'rollouts_pod_template_hash';

export interface ResolvedAnalysis {
  readonly prometheusAddress: string;
  readonly interval: string;
  readonly count: number;
  readonly failureLimit: number;
  readonly inconclusiveLimit: number;
  readonly window: string;
  readonly initialDelay: string;
}

/** Validates the analysis options; `why` says which setting needs them, for the error message. */
export function resolveAnalysis(scope: Construct, prop: string, o: AnalysisOptions | undefined, why: string): ResolvedAnalysis {
  if (!o) return fail(scope, `${prop}.prometheusAddress`, undefined, `is required for ${why}: the analysis queries Prometheus`);
  if (typeof o.prometheusAddress !== 'string' || !/^https?:\/\/[^\s/]+(:[0-9]+)?(\/\S*)?$/.test(o.prometheusAddress)) {
    fail(scope, `${prop}.prometheusAddress`, o.prometheusAddress, "must be an http(s) URL such as 'http://prometheus.monitoring.svc:9090'");
  }
  const count = integerProp(scope, `${prop}.count`, o.count, 5, { min: 1, max: 100 });
  const failureLimit = integerProp(scope, `${prop}.failureLimit`, o.failureLimit, 1, { min: 0 });
  // A limit at or above the measurement count means the run can never fail: it would never roll back.
  if (failureLimit >= count) fail(scope, `${prop}.failureLimit`, failureLimit, `must be below ${prop}.count (${count}), or a bad version never fails the analysis`);
  return {
    prometheusAddress: o.prometheusAddress.replace(/\/+$/, ''),
    interval: durationProp(scope, `${prop}.interval`, o.interval ?? '1m'),
    count,
    failureLimit,
    inconclusiveLimit: integerProp(scope, `${prop}.inconclusiveLimit`, o.inconclusiveLimit, 2, { min: 0 }),
    window: durationProp(scope, `${prop}.window`, o.window ?? '2m'),
    initialDelay: durationProp(scope, `${prop}.initialDelay`, o.initialDelay ?? '1m'),
  };
}

/** One measured SLO: a PromQL query for the version under test and the least acceptable value. */
export interface SloMeasure {
  readonly name: string;
  readonly query: string;
  readonly minimum: number;
}

/**
 * The availability and latency SLO, measured on the pods of one version only (their
 * `rollouts_pod_template_hash` target label); `{{args.version-hash}}` is filled in by Argo Rollouts.
 */
export function sloMeasures(job: string, slo: ResolvedSlo, window: string): SloMeasure[] {
  const selector = `job="${job}",${POD_HASH_TARGET_LABEL}="{{args.${VERSION_HASH_ARG}}}"`;
  return [
    { name: 'success-rate', query: successRatioExpr(slo, selector, window), minimum: slo.availabilityPercent / 100 },
    { name: 'latency', query: fastRatioExpr(slo, selector, window), minimum: slo.latencyPercent / 100 },
  ];
}

/**
 * An AnalysisTemplate that fails a version breaking its SLO. Empty results (no traffic yet) and
 * NaN (0/0) are neither success nor failure: inconclusive, which pauses the release after
 * `inconclusiveLimit`; more than `failureLimit` failures fail the run, and Argo Rollouts aborts.
 */
export function sloAnalysisTemplate(scope: Construct, id: string, name: string, labels: Record<string, string>, job: string, slo: ResolvedSlo, analysis: ResolvedAnalysis): AnalysisTemplate {
  return new AnalysisTemplate(scope, id, {
    metadata: { name, labels },
    spec: {
      args: [{ name: VERSION_HASH_ARG }],
      metrics: sloMeasures(job, slo, analysis.window).map((m) => ({
        name: m.name,
        interval: analysis.interval,
        initialDelay: analysis.initialDelay,
        count: AnalysisTemplateSpecMetricsCount.fromNumber(analysis.count),
        failureLimit: AnalysisTemplateSpecMetricsFailureLimit.fromNumber(analysis.failureLimit),
        inconclusiveLimit: AnalysisTemplateSpecMetricsInconclusiveLimit.fromNumber(analysis.inconclusiveLimit),
        successCondition: `len(result) > 0 && result[0] >= ${promNumber(m.minimum)}`,
        failureCondition: `len(result) > 0 && result[0] < ${promNumber(m.minimum)}`,
        provider: { prometheus: { address: analysis.prometheusAddress, query: m.query, timeout: 30 } },
      })),
    },
  });
}
