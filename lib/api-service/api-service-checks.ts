import { IConstruct } from 'constructs';
import { checkKnownProps, fail, propKeys } from '../shared';
import {
  ApiNetworkOptions, ApiServiceProps, AutoscalingOptions, DisruptionBudgetOptions, IngressOptions, MetricsOptions,
  RollingUpdateOptions, ScalingRateOptions, ServiceExposureOptions,
} from './api-service-props';

// Every prop name, checked complete by the compiler: a prop added to the interface must be added here.
const PROPS = propKeys<ApiServiceProps>()({
  image: true, allowUnpinnedImage: true, name: true, component: true, port: true, replicas: true, resources: true,
  livenessProbe: true, readinessProbe: true, startupProbe: true, rollingUpdate: true, terminationGracePeriodSeconds: true,
  preStopSleepSeconds: true, command: true, args: true, env: true, runAsUser: true, runAsGroup: true, tmpSizeLimit: true,
  service: true, ingress: true, autoscaling: true, disruptionBudget: true, topologySpread: true, priorityClassName: true,
  network: true, metrics: true, monitoringStack: true, delivery: true, slo: true,
});
const NESTED: Record<string, readonly string[]> = {
  rollingUpdate: propKeys<RollingUpdateOptions>()({ maxSurge: true, maxUnavailable: true, progressDeadlineSeconds: true, minReadySeconds: true, revisionHistoryLimit: true }),
  autoscaling: propKeys<AutoscalingOptions>()({ minReplicas: true, maxReplicas: true, cpuUtilization: true, memoryUtilization: true, scaleUp: true, scaleDown: true }),
  disruptionBudget: propKeys<DisruptionBudgetOptions>()({ maxUnavailable: true, minAvailable: true }),
  service: propKeys<ServiceExposureOptions>()({ type: true, port: true, annotations: true }),
  ingress: propKeys<IngressOptions>()({ host: true, path: true, className: true, tlsSecretName: true, annotations: true }),
  network: propKeys<ApiNetworkOptions>()({ ingressControllerNamespace: true, monitoringNamespace: true, allowFromAnywhere: true, extraPeers: true }),
  metrics: propKeys<MetricsOptions>()({ port: true, path: true, interval: true, serviceMonitor: true, stack: true }),
};
const SCALING = propKeys<ScalingRateOptions>()({ stabilizationWindowSeconds: true, percentPerPeriod: true, podsPerPeriod: true, periodSeconds: true });

/** The shape of the props for JavaScript callers: an object, known keys only, typos named. */
export function checkApiServiceProps(scope: IConstruct, props: ApiServiceProps): void {
  checkKnownProps(scope, 'props', props, PROPS);
  for (const [prop, keys] of Object.entries(NESTED)) {
    const value = (props as unknown as Record<string, unknown>)[prop];
    if (prop === 'autoscaling' && value === false) continue;
    checkKnownProps(scope, prop, value, keys, false);
  }
  if (props.autoscaling) {
    checkKnownProps(scope, 'autoscaling.scaleUp', props.autoscaling.scaleUp, SCALING, false);
    checkKnownProps(scope, 'autoscaling.scaleDown', props.autoscaling.scaleDown, SCALING, false);
  }
  if (props.service?.type !== undefined && !['ClusterIP', 'LoadBalancer', 'NodePort'].includes(props.service.type)) {
    fail(scope, 'service.type', props.service.type, "must be 'ClusterIP', 'LoadBalancer' or 'NodePort'");
  }
}

/** Rollout arithmetic the API server or the controller would refuse or never finish. */
export function checkRollout(scope: IConstruct, maxSurge: number | string, maxUnavailable: number | string, minReadySeconds: number, progressDeadlineSeconds: number): void {
  const zero = (v: number | string) => v === 0 || v === '0%';
  if (zero(maxSurge) && zero(maxUnavailable)) {
    fail(scope, 'rollingUpdate.maxSurge', maxSurge, `must be above 0 when rollingUpdate.maxUnavailable is 0 (${JSON.stringify(maxUnavailable)}): a rollout could neither add nor remove a pod`);
  }
  if (minReadySeconds >= progressDeadlineSeconds) {
    fail(scope, 'rollingUpdate.minReadySeconds', minReadySeconds, `must be less than rollingUpdate.progressDeadlineSeconds (${progressDeadlineSeconds}), or every rollout is reported as failed`);
  }
}
