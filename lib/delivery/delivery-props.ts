/**
 * How a new version of a workload reaches production. `rolling` is a plain Deployment rolling
 * update (the pipeline rolls it back); `blueGreen` and `canary` are Argo Rollouts strategies whose
 * analysis promotes or aborts the release on its own.
 */
export type DeliveryOptions = RollingDelivery | BlueGreenDelivery | CanaryDelivery;

/** Today's Deployment rolling update; the pipeline runs `kubectl rollout undo` when it does not complete. */
export interface RollingDelivery {
  readonly type: 'rolling';
}

/** Where the analysis reads metrics and how strictly it judges them. */
export interface AnalysisOptions {
  /** Prometheus base URL the Argo Rollouts controller queries, e.g. 'http://prometheus.monitoring.svc:9090'. */
  readonly prometheusAddress: string;
  /** Time between measurements. @default '1m' */
  readonly interval?: string;
  /** Measurements per analysis run. @default 5 */
  readonly count?: number;
  /** Failed measurements tolerated; one more fails the run and aborts the release. @default 1 */
  readonly failureLimit?: number;
  /** Inconclusive measurements (no traffic: empty or NaN result) tolerated; one more pauses the release for a human. @default 2 */
  readonly inconclusiveLimit?: number;
  /** Rate window of the queries; at least two scrape intervals. @default '2m' */
  readonly window?: string;
  /** Delay before the first measurement, so the new pods have served traffic. @default '1m' */
  readonly initialDelay?: string;
}

/** Blue-green: the new version (green) starts next to the old one behind a preview Service, then traffic switches at once. */
export interface BlueGreenDelivery {
  readonly type: 'blueGreen';
  /** Render the `<name>-preview` Service selecting the new version before promotion. @default true */
  readonly previewService?: boolean;
  /** Promote without a human once the new version is ready (and the pre-promotion analysis passed). @default true */
  readonly autoPromotionEnabled?: boolean;
  /** Seconds to wait before auto-promotion. @default promote at once */
  readonly autoPromotionSeconds?: number;
  /** Seconds the old version keeps running after the switch, for an instant rollback. @default 600 */
  readonly scaleDownDelaySeconds?: number;
  /** Analyse the new version through the preview Service before switching traffic. @default false */
  readonly prePromotionAnalysis?: boolean;
  /** Analyse the new version after the switch; a failure switches traffic back. @default false */
  readonly postPromotionAnalysis?: boolean;
  /** Prometheus and limits of the analysis; required when an analysis is asked for. @default none */
  readonly analysis?: AnalysisOptions;
}

/** Argo Rollouts `setCanaryScale`: canary pod count independent of the traffic weight (traffic routing only). */
export interface CanaryScale {
  /** Canary pods as a percentage of the desired replicas. @default none */
  readonly weight?: number;
  /** A fixed number of canary pods. @default none */
  readonly replicas?: number;
  /** Go back to scaling the canary with the traffic weight. @default none */
  readonly matchTrafficWeight?: boolean;
}

/** One canary step; give exactly one field. */
export interface CanaryStep {
  /** Percentage of traffic (or of the replicas, without a traffic router) on the new version, 1–100, increasing. @default none */
  readonly setWeight?: number;
  /** Wait; without `duration` the release waits for `kubectl argo rollouts promote` (needs `manualPromotion`). @default none */
  readonly pause?: { readonly duration?: string };
  /** Run the SLO analysis against the new version's pods; a failure aborts and rolls back. @default none */
  readonly analysis?: true;
  /** Scale the canary independently of the weight (needs a traffic router). @default none */
  readonly setCanaryScale?: CanaryScale;
}

/** Traffic routers the canary can drive; today the NGINX ingress controller. */
export interface TrafficRoutingOptions {
  /**
   * NGINX ingress controller: Argo Rollouts clones the service's Ingress into a canary Ingress with
   * `nginx.ingress.kubernetes.io/canary-weight` and sends the canary share to the `<name>-canary` Service.
   * @default none (replica-weighted)
   */
  readonly nginx?: NginxTrafficRouting;
}

/** Canary traffic through the NGINX ingress controller. */
export interface NginxTrafficRouting {
  /** Extra annotations on the canary Ingress Argo Rollouts creates, e.g. `canary-by-header`. @default none */
  readonly additionalIngressAnnotations?: Record<string, string>;
}

/** Canary: the new version takes a growing share, step by step, gated by analysis. */
export interface CanaryDelivery {
  readonly type: 'canary';
  /** Steps. @default setWeight 10, pause 2m, analysis, setWeight 30, pause 5m, analysis, setWeight 60, pause 5m (no analysis steps without `analysis`) */
  readonly steps?: CanaryStep[];
  /** Split traffic with a router instead of by replica count. @default replica-weighted (no router) */
  readonly trafficRouting?: TrafficRoutingOptions;
  /** Allow pauses without a duration (the pipeline then stops waiting and a human promotes). @default false */
  readonly manualPromotion?: boolean;
  /** Seconds the old version keeps running after promotion with a traffic router. @default 30 */
  readonly scaleDownDelaySeconds?: number;
  /**
   * Also run the analysis in the background from the first step to the end, so a version that
   * degrades during a pause is aborted without waiting for the next analysis step. @default false
   */
  readonly backgroundAnalysis?: boolean;
  /** Prometheus and limits of the analysis; required for analysis steps and backgroundAnalysis. @default none */
  readonly analysis?: AnalysisOptions;
}
