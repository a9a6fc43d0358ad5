import { k8s } from 'cdk8s-plus-27';
import { DeliveryOptions } from '../delivery';
import { EnvValue, HttpProbeOptions, ResourceSpec, SloOptions, TopologySpreadOptions } from '../shared';

/** Rolling-update settings of the Deployment. */
export interface RollingUpdateOptions {
  /** Extra pods during a rollout: a count or a percentage such as '25%'. @default '25%' */
  readonly maxSurge?: number | string;
  /** Pods that may be unavailable during a rollout. @default 0 */
  readonly maxUnavailable?: number | string;
  /** Seconds before a stuck rollout is reported as failed. @default 600 */
  readonly progressDeadlineSeconds?: number;
  /** Seconds a new pod must be ready before it counts as available. @default 10 */
  readonly minReadySeconds?: number;
  /** Old ReplicaSets kept for `kubectl rollout undo`. @default 10 */
  readonly revisionHistoryLimit?: number;
}

/** One direction of HPA scaling speed ("扩容速度控制" in the operations spec). */
export interface ScalingRateOptions {
  /** Seconds of recommendations considered before scaling in this direction. */
  readonly stabilizationWindowSeconds?: number;
  /** At most this percentage of current pods added/removed per period. */
  readonly percentPerPeriod?: number;
  /** At most this many pods added/removed per period. */
  readonly podsPerPeriod?: number;
  /** The period of the two limits above, in seconds. */
  readonly periodSeconds?: number;
}

/** HorizontalPodAutoscaler (autoscaling/v2) settings. */
export interface AutoscalingOptions {
  /** Fewest replicas. @default the `replicas` prop (5) */
  readonly minReplicas?: number;
  /** Most replicas. @default 20 */
  readonly maxReplicas?: number;
  /** Target average CPU utilization (% of request); 70 leaves the 20–30 % headroom of the capacity plan. @default 70 */
  readonly cpuUtilization?: number;
  /** Target average memory utilization (% of request). @default none (not a scaling signal) */
  readonly memoryUtilization?: number;
  /** Scale-up speed. @default no stabilization, at most +100 % or +4 pods per 60 s (the larger) */
  readonly scaleUp?: ScalingRateOptions;
  /** Scale-down speed. @default 300 s stabilization, at most −10 % per 60 s */
  readonly scaleDown?: ScalingRateOptions;
}

/** PodDisruptionBudget settings; give one of the two. */
export interface DisruptionBudgetOptions {
  /** Pods that may be voluntarily evicted at once. @default 1 */
  readonly maxUnavailable?: number;
  /** Pods that must stay available; must be below the HPA minimum so nodes can still be drained. @default none */
  readonly minAvailable?: number;
}

/** How the Service exposes the API inside (or outside) the cluster. */
export interface ServiceExposureOptions {
  /**
   * Service type. The secure default is ClusterIP behind the TLS Ingress; LoadBalancer or NodePort
   * expose the plain HTTP port outside the Ingress, so they also need `network.allowFromAnywhere`
   * or `network.extraPeers` (who may reach the port). @default 'ClusterIP'
   */
  readonly type?: 'ClusterIP' | 'LoadBalancer' | 'NodePort';
  /** Service port forwarded to the container port. @default 80 */
  readonly port?: number;
  /** Annotations, e.g. for a cloud load balancer. @default none */
  readonly annotations?: Record<string, string>;
}

/** Ingress settings. */
export interface IngressOptions {
  /** Host name served, e.g. 'api.media-ai.com'. */
  readonly host: string;
  /** Path prefix routed to the API. @default '/' */
  readonly path?: string;
  /** IngressClass name. @default 'nginx' */
  readonly className?: string;
  /** Secret holding the TLS certificate for the host. @default no TLS */
  readonly tlsSecretName?: string;
  /** Annotations for the ingress controller. @default none */
  readonly annotations?: Record<string, string>;
}

/** Who may reach the API and what it may reach. */
export interface ApiNetworkOptions {
  /** Namespace of the ingress controller allowed to reach the HTTP port. @default 'ingress-nginx' */
  readonly ingressControllerNamespace?: string;
  /**
   * Namespace allowed to scrape the metrics port before (or without) `stack.monitor(api)`; the stack
   * that monitors the API admits its own Prometheus and this default rule is then withdrawn unless
   * given explicitly for another namespace. Same meaning as `monitoringNamespace` on the stores.
   * @default 'monitoring'
   */
  readonly monitoringNamespace?: string;
  /** Allow traffic from everywhere to the HTTP port (e.g. behind a LoadBalancer Service): an explicit choice. @default false */
  readonly allowFromAnywhere?: boolean;
  /** More peers admitted on the HTTP port besides the ingress controller (e.g. a gateway's namespace, a load balancer's CIDR). @default none */
  readonly extraPeers?: k8s.NetworkPolicyPeer[];
}

/** Prometheus metrics endpoint and its ServiceMonitor. */
export interface MetricsOptions {
  /** Port serving metrics; the HTTP port when equal to `port`. @default the container port */
  readonly port?: number;
  /** Path of the metrics endpoint. @default '/metrics' */
  readonly path?: string;
  /** Scrape interval. @default '30s' */
  readonly interval?: string;
  /** Emit a ServiceMonitor (monitoring.coreos.com/v1). @default true */
  readonly serviceMonitor?: boolean;
  /**
   * Monitoring stack that picks the monitor up.
   * @deprecated use `monitoringStack` on the ApiService props: the same name as on the stores.
   * @default 'platform'
   */
  readonly stack?: string;
}


export interface ApiServiceProps {
  /** Container image with a pinned tag or digest, e.g. 'registry.example.com/media-ai-api:1.4.2'. */
  readonly image: string;
  /** Accept an image without a tag or tagged `latest` (not reproducible; for development only). @default false */
  readonly allowUnpinnedImage?: boolean;
  /** Name of every object (Deployment, Service, …); part of the pod selector, so keep it stable. @default the construct id */
  readonly name?: string;
  /** Value of app.kubernetes.io/component. @default 'api' */
  readonly component?: string;
  /** Container port of the HTTP server. @default 8000 */
  readonly port?: number;
  /** Replicas when no autoscaler runs, and the autoscaler's default minimum. @default 5 */
  readonly replicas?: number;
  /** Container resources. @default requests 500m / 1Gi, limits 2000m / 4Gi */
  readonly resources?: ResourceSpec;
  /** Liveness probe. @default GET /health, initial delay 30 s, period 10 s, timeout 5 s, 3 failures */
  readonly livenessProbe?: HttpProbeOptions;
  /** Readiness probe. @default GET /ready, initial delay 10 s, period 5 s, timeout 3 s, 3 failures */
  readonly readinessProbe?: HttpProbeOptions;
  /** Startup probe for slow starts (e.g. model loading). @default none */
  readonly startupProbe?: HttpProbeOptions;
  /** Rolling update. @default maxSurge 25 %, maxUnavailable 0, deadline 600 s, minReady 10 s, history 10 */
  readonly rollingUpdate?: RollingUpdateOptions;
  /** Seconds between SIGTERM and SIGKILL. @default 60 */
  readonly terminationGracePeriodSeconds?: number;
  /**
   * Seconds the preStop hook sleeps so endpoints are removed before shutdown. The hook runs
   * `sleep` inside the container, so the image must have a `sleep` binary (distroless and scratch
   * images do not): set 0 for those, which disables the hook. @default 10
   */
  readonly preStopSleepSeconds?: number;
  /** Command and args override. @default the image's entrypoint */
  readonly command?: string[];
  /** Arguments. @default the image's cmd */
  readonly args?: string[];
  /** Environment variables; credentials only via EnvValue.fromSecret(). @default none */
  readonly env?: Record<string, EnvValue>;
  /** UID/GID the container runs as (non-zero). @default 10001 / 10001 */
  readonly runAsUser?: number;
  /** GID the container runs as. @default 10001 */
  readonly runAsGroup?: number;
  /** Size limit of the writable /tmp emptyDir. @default '256Mi' */
  readonly tmpSizeLimit?: string;
  /** Service exposure. @default ClusterIP on port 80 */
  readonly service?: ServiceExposureOptions;
  /** Ingress. @default none */
  readonly ingress?: IngressOptions;
  /** HorizontalPodAutoscaler; false keeps a fixed replica count. @default min = replicas, max 20, CPU 70 % */
  readonly autoscaling?: AutoscalingOptions | false;
  /** PodDisruptionBudget. @default maxUnavailable 1 */
  readonly disruptionBudget?: DisruptionBudgetOptions;
  /** Topology spread across zones and nodes. @default maxSkew 1, ScheduleAnyway */
  readonly topologySpread?: TopologySpreadOptions;
  /** PriorityClass of the pods (must exist in the cluster). @default 'media-ai-api', created in the app (the platform's API tier) */
  readonly priorityClassName?: string;
  /** NetworkPolicy settings. @default ingress from 'ingress-nginx', scrapes from 'monitoring', egress to DNS */
  readonly network?: ApiNetworkOptions;
  /** Metrics endpoint and ServiceMonitor. @default the HTTP port, '/metrics', 30 s, with a ServiceMonitor */
  readonly metrics?: MetricsOptions;
  /**
   * Monitoring stack (value of the `monitoring.media-ai.io/stack` label) whose Prometheus picks up
   * the ServiceMonitor; `stack.monitor(api)` sets it to that stack's name, so it is needed only for
   * a stack outside this app. Same name and meaning as on the stores. @default 'platform'
   */
  readonly monitoringStack?: string;
  /**
   * How new versions roll out: `rolling` (the Deployment's rolling update), or an Argo Rollouts
   * `blueGreen` / `canary` Rollout that takes the Deployment over through workloadRef and
   * promotes or aborts on the SLO analysis. @default { type: 'rolling' }
   */
  readonly delivery?: DeliveryOptions;
  /**
   * The service's SLO; the delivery analysis judges new versions by it, and
   * `ObservabilityStack.monitor()` alerts on it. @default 99.9 % availability, 99 % of requests under 0.5 s
   */
  readonly slo?: SloOptions;
}
