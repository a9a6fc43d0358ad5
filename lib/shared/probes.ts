import { k8s } from 'cdk8s-plus-27';
import { IConstruct } from 'constructs';
import { checkKnownProps, httpPathProp, integerProp, propKeys } from './validation';

/** Timing of a probe; every field has the production default given by the caller. */
export interface ProbeTiming {
  /** Seconds before the first probe. */
  readonly initialDelaySeconds?: number;
  /** Seconds between probes. */
  readonly periodSeconds?: number;
  /** Seconds before a probe times out. */
  readonly timeoutSeconds?: number;
  /** Consecutive failures before the probe fails. */
  readonly failureThreshold?: number;
}

/** An HTTP GET probe. */
export interface HttpProbeOptions extends ProbeTiming {
  /** Path requested; must start with '/'. */
  readonly path?: string;
}

function timing(scope: IConstruct, prop: string, given: ProbeTiming, defaults: Required<ProbeTiming>) {
  return {
    initialDelaySeconds: integerProp(scope, `${prop}.initialDelaySeconds`, given.initialDelaySeconds, defaults.initialDelaySeconds, { min: 0, max: 3600 }),
    periodSeconds: integerProp(scope, `${prop}.periodSeconds`, given.periodSeconds, defaults.periodSeconds, { min: 1, max: 3600 }),
    timeoutSeconds: integerProp(scope, `${prop}.timeoutSeconds`, given.timeoutSeconds, defaults.timeoutSeconds, { min: 1, max: 3600 }),
    failureThreshold: integerProp(scope, `${prop}.failureThreshold`, given.failureThreshold, defaults.failureThreshold, { min: 1, max: 1000 }),
  };
}

const HTTP_PROBE_KEYS = propKeys<HttpProbeOptions>()({ path: true, initialDelaySeconds: true, periodSeconds: true, timeoutSeconds: true, failureThreshold: true });

/** A validated HTTP GET probe on a named port. */
export function httpProbe(scope: IConstruct, prop: string, given: HttpProbeOptions, defaults: Required<HttpProbeOptions>, port: string): k8s.Probe {
  checkKnownProps(scope, prop, given, HTTP_PROBE_KEYS);
  return {
    httpGet: { path: httpPathProp(scope, `${prop}.path`, given.path ?? defaults.path), port: k8s.IntOrString.fromString(port) },
    ...timing(scope, prop, given, defaults),
  };
}

/** A validated exec probe (pg_isready, redis-cli ping). */
export function execProbe(scope: IConstruct, prop: string, command: string[], given: ProbeTiming, defaults: Required<ProbeTiming>): k8s.Probe {
  return { exec: { command }, ...timing(scope, prop, given, defaults) };
}

/** A validated TCP probe. */
export function tcpProbe(scope: IConstruct, prop: string, port: string, given: ProbeTiming, defaults: Required<ProbeTiming>): k8s.Probe {
  return { tcpSocket: { port: k8s.IntOrString.fromString(port) }, ...timing(scope, prop, given, defaults) };
}
