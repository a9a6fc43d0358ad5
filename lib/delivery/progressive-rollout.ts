import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import {
  AnalysisTemplate, Rollout, RolloutSpecStrategy, RolloutSpecStrategyCanarySteps,
  RolloutSpecStrategyCanaryStepsAnalysis, RolloutSpecStrategyCanaryStepsPauseDuration,
} from '../../imports/argoproj.io';
import { fail, integerProp, ResolvedSlo } from '../shared';
import { ResolvedAnalysis, resolveAnalysis, sloAnalysisTemplate, VERSION_HASH_ARG } from './analysis';
import { BlueGreenDelivery, CanaryDelivery, CanaryStep } from './delivery-props';

/** What a Rollout needs to know about the workload it takes over. */
export interface RolloutWorkload {
  /** Name of the Rollout, its Deployment (the pod template, via workloadRef) and its main Service. */
  readonly name: string;
  readonly labels: Record<string, string>;
  readonly podSelector: Record<string, string>;
  /** Fixed replica count. @default none: an HPA scales the Rollout */
  readonly replicas?: number;
  /** Ports of the main Service, copied to the preview/canary Service. */
  readonly servicePorts: k8s.ServicePort[];
  /** The Ingress in front of the main Service, for NGINX traffic routing. @default none (no traffic routing possible) */
  readonly ingressName?: string;
  /** Prometheus `job` of the workload's metrics and its SLO, for the analysis. */
  readonly job: string;
  readonly slo: ResolvedSlo;
  readonly minReadySeconds: number;
  readonly progressDeadlineSeconds: number;
  readonly revisionHistoryLimit: number;
}

export interface ProgressiveRolloutProps {
  readonly workload: RolloutWorkload;
  readonly delivery: BlueGreenDelivery | CanaryDelivery;
  /** Prop path in error messages. @default 'delivery' */
  readonly prop?: string;
}

/**
 * An Argo Rollouts `Rollout` that takes over an existing Deployment through `workloadRef`
 * (the Deployment stays the pod template and is scaled down progressively, so switching to and
 * from a Rollout never orphans pods), with the Services and SLO analysis its strategy needs.
 */
export class ProgressiveRollout extends Construct {
  public readonly rollout: Rollout;
  public readonly analysisTemplate?: AnalysisTemplate;

  /** Prop path in error messages; errors name the owner (the ApiService), whose prop it is. */
  private readonly prop: string;
  private readonly workload: RolloutWorkload;
  private analysis?: ResolvedAnalysis;

  constructor(scope: Construct, id: string, props: ProgressiveRolloutProps) {
    super(scope, id);
    this.prop = props.prop ?? 'delivery';
    this.workload = props.workload;
    const d = props.delivery;
    const w = this.workload;
    const strategy: RolloutSpecStrategy = d.type === 'blueGreen' ? { blueGreen: this.blueGreen(d) }
      : d.type === 'canary' ? { canary: this.canary(d) }
        : fail(scope, `${this.prop}.type`, (d as { type: unknown }).type, "must be 'rolling', 'blueGreen' or 'canary'");
    if (d.analysis && !this.analysis) {
      const uses = d.type === 'canary' ? 'an { analysis: true } step or backgroundAnalysis' : 'prePromotionAnalysis or postPromotionAnalysis';
      fail(scope, `${this.prop}.analysis`, d.analysis, `is not used by any step: add ${uses}, or remove it`);
    }
    this.analysisTemplate = this.analysis ? sloAnalysisTemplate(this, 'Analysis', `${w.name}-slo`, w.labels, w.job, w.slo, this.analysis) : undefined;
    this.rollout = new Rollout(this, 'Resource', {
      metadata: { name: w.name, labels: w.labels },
      spec: {
        replicas: w.replicas,
        selector: { matchLabels: w.podSelector },
        workloadRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: w.name, scaleDown: 'progressively' },
        minReadySeconds: w.minReadySeconds,
        progressDeadlineSeconds: w.progressDeadlineSeconds,
        // A release stuck past the deadline is aborted (traffic back on the stable version), not left half done.
        progressDeadlineAbort: true,
        revisionHistoryLimit: w.revisionHistoryLimit,
        strategy,
      },
    });
  }

  /** Resolves the analysis options once, the first time a setting needs them. */
  private needAnalysis(opts: BlueGreenDelivery | CanaryDelivery, why: string): string {
    this.analysis ??= resolveAnalysis(this.node.scope as Construct, `${this.prop}.analysis`, opts.analysis, why);
    return `${this.workload.name}-slo`;
  }

  private extraService(role: 'preview' | 'canary'): string {
    const w = this.workload;
    const name = `${w.name}-${role}`;
    new k8s.KubeService(this, `${role === 'preview' ? 'Preview' : 'Canary'}Service`, {
      metadata: { name, labels: { ...w.labels, 'delivery.media-ai.io/role': role } },
      // Argo Rollouts adds rollouts-pod-template-hash to this selector to pick the new version.
      spec: { type: 'ClusterIP', selector: w.podSelector, ports: w.servicePorts },
    });
    return name;
  }

  private blueGreen(d: BlueGreenDelivery) {
    const scope = this.node.scope as Construct;
    const p = this.prop;
    const preview = d.previewService ?? true;
    if (d.prePromotionAnalysis && !preview) {
      fail(scope, `${p}.prePromotionAnalysis`, true, `needs ${p}.previewService: the new version is analysed through the preview Service before it gets traffic`);
    }
    const auto = d.autoPromotionEnabled ?? true;
    if (d.autoPromotionSeconds !== undefined && !auto) {
      fail(scope, `${p}.autoPromotionSeconds`, d.autoPromotionSeconds, `has no effect with ${p}.autoPromotionEnabled false: remove one of them`);
    }
    const run = (why: string) => ({ templates: [{ templateName: this.needAnalysis(d, why) }], args: latestHashArg() });
    const previewService = preview ? this.extraService('preview') : undefined;
    return {
      activeService: this.workload.name,
      previewService,
      autoPromotionEnabled: auto,
      autoPromotionSeconds: d.autoPromotionSeconds !== undefined ? integerProp(scope, `${p}.autoPromotionSeconds`, d.autoPromotionSeconds, 0, { min: 1 }) : undefined,
      scaleDownDelaySeconds: integerProp(scope, `${p}.scaleDownDelaySeconds`, d.scaleDownDelaySeconds, 600, { min: 30 }),
      prePromotionAnalysis: d.prePromotionAnalysis ? run(`${p}.prePromotionAnalysis`) : undefined,
      postPromotionAnalysis: d.postPromotionAnalysis ? run(`${p}.postPromotionAnalysis`) : undefined,
    };
  }

  private canary(d: CanaryDelivery) {
    const scope = this.node.scope as Construct;
    const p = this.prop;
    const nginx = d.trafficRouting?.nginx;
    if (d.trafficRouting && !nginx) fail(scope, `${p}.trafficRouting`, d.trafficRouting, 'supports { nginx: {} } (the NGINX ingress controller)');
    if (nginx && !this.workload.ingressName) fail(scope, `${p}.trafficRouting.nginx`, nginx, 'needs the ingress prop: Argo Rollouts splits traffic on the service\'s Ingress');
    if (d.scaleDownDelaySeconds !== undefined && !nginx) {
      fail(scope, `${p}.scaleDownDelaySeconds`, d.scaleDownDelaySeconds, `applies only with ${p}.trafficRouting (replica-weighted canaries scale the old version down step by step)`);
    }
    const steps = this.canarySteps(d, nginx !== undefined);
    // The background analysis starts once the canary takes traffic (after the first setWeight).
    const analysis = d.backgroundAnalysis
      ? { templates: [{ templateName: this.needAnalysis(d, `${p}.backgroundAnalysis`) }], args: latestHashArg(), startingStep: steps.findIndex((st) => st.setWeight !== undefined) + 1 }
      : undefined;
    if (!nginx) return { steps, analysis };
    return {
      steps,
      analysis,
      stableService: this.workload.name,
      canaryService: this.extraService('canary'),
      scaleDownDelaySeconds: integerProp(scope, `${p}.scaleDownDelaySeconds`, d.scaleDownDelaySeconds, 30, { min: 0 }),
      trafficRouting: { nginx: { stableIngress: this.workload.ingressName, additionalIngressAnnotations: nginx.additionalIngressAnnotations } },
    };
  }

  private canarySteps(d: CanaryDelivery, routed: boolean): RolloutSpecStrategyCanarySteps[] {
    const scope = this.node.scope as Construct;
    const p = `${this.prop}.steps`;
    const given = d.steps ?? defaultSteps(d.analysis !== undefined);
    if (!Array.isArray(given) || given.length === 0) fail(scope, p, given, 'must list at least one step');
    let weight = 0;
    return given.map((step, i) => {
      const at = `${p}[${i}]`;
      const keys = Object.keys(step ?? {}).filter((k) => (step as Record<string, unknown>)[k] !== undefined);
      if (keys.length !== 1) fail(scope, at, step, 'must have exactly one of setWeight, pause, analysis, setCanaryScale');
      if (step.setWeight !== undefined) {
        const w = integerProp(scope, `${at}.setWeight`, step.setWeight, 0, { min: 1, max: 100 });
        if (w <= weight) fail(scope, `${at}.setWeight`, w, `must be greater than the previous weight (${weight}): weights only increase, an abort is how a canary goes back`);
        weight = w;
        return { setWeight: w };
      }
      if (step.pause !== undefined) {
        const duration = step.pause.duration;
        if (duration === undefined) {
          if (!d.manualPromotion) fail(scope, `${at}.pause.duration`, undefined, `is required unless ${this.prop}.manualPromotion is true: an open-ended pause waits for a human, and the pipeline would time out and abort`);
          return { pause: {} };
        }
        if (typeof duration !== 'string' || !/^[1-9][0-9]*(s|m|h)$/.test(duration)) fail(scope, `${at}.pause.duration`, duration, "must be a positive duration in s, m or h such as '5m'");
        return { pause: { duration: RolloutSpecStrategyCanaryStepsPauseDuration.fromString(duration) } };
      }
      if (step.analysis !== undefined) {
        if (step.analysis !== true) fail(scope, `${at}.analysis`, step.analysis, 'must be true');
        const analysis: RolloutSpecStrategyCanaryStepsAnalysis = { templates: [{ templateName: this.needAnalysis(d, `${at}.analysis`) }], args: latestHashArg() };
        return { analysis };
      }
      if (step.setCanaryScale !== undefined) {
        const s = step.setCanaryScale;
        if (!routed) fail(scope, `${at}.setCanaryScale`, s, `needs ${this.prop}.trafficRouting: without a router the canary's share is its share of the pods`);
        const set = [s.weight, s.replicas, s.matchTrafficWeight].filter((v) => v !== undefined).length;
        if (set !== 1) fail(scope, `${at}.setCanaryScale`, s, 'takes exactly one of weight, replicas, matchTrafficWeight');
        if (s.weight !== undefined) return { setCanaryScale: { weight: integerProp(scope, `${at}.setCanaryScale.weight`, s.weight, 0, { min: 0, max: 100 }) } };
        if (s.replicas !== undefined) return { setCanaryScale: { replicas: integerProp(scope, `${at}.setCanaryScale.replicas`, s.replicas, 0, { min: 0, max: 1000 }) } };
        if (s.matchTrafficWeight !== true) fail(scope, `${at}.setCanaryScale.matchTrafficWeight`, s.matchTrafficWeight, 'must be true');
        return { setCanaryScale: { matchTrafficWeight: true } };
      }
      return fail(scope, at, step, 'must have exactly one of setWeight, pause, analysis, setCanaryScale');
    });
  }
}

function latestHashArg() {
  return [{ name: VERSION_HASH_ARG, valueFrom: { podTemplateHashValue: 'Latest' } }];
}

function defaultSteps(withAnalysis: boolean): CanaryStep[] {
  const analysis: CanaryStep[] = withAnalysis ? [{ analysis: true }] : [];
  return [
    { setWeight: 10 }, { pause: { duration: '2m' } }, ...analysis,
    { setWeight: 30 }, { pause: { duration: '5m' } }, ...analysis,
    { setWeight: 60 }, { pause: { duration: '5m' } },
  ];
}
