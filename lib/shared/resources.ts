import { k8s } from 'cdk8s-plus-27';
import { IConstruct } from 'constructs';
import { checkKnownProps, fail, propKeys, quantityProp } from './validation';

const RESOURCE_KEYS = propKeys<ResourceSpec>()({ cpuRequest: true, cpuLimit: true, memoryRequest: true, memoryLimit: true });

/** Requests and limits of one container. Quantities as Kubernetes writes them. */
export interface ResourceSpec {
  /** CPU request, e.g. '500m'. */
  readonly cpuRequest?: string;
  /** CPU limit, e.g. '2000m'. */
  readonly cpuLimit?: string;
  /** Memory request, e.g. '1Gi'. */
  readonly memoryRequest?: string;
  /** Memory limit, e.g. '4Gi'. */
  readonly memoryLimit?: string;
}

export interface ResolvedResources {
  readonly cpuRequest: string;
  readonly cpuLimit: string;
  readonly memoryRequest: string;
  readonly memoryLimit: string;
  /** Memory limit in bytes, for settings derived from it. */
  readonly memoryLimitBytes: number;
}

/** Merges given resources over defaults, checks syntax and that no limit is below its request. */
export function resolveResources(scope: IConstruct, prop: string, given: ResourceSpec | undefined, defaults: Required<ResourceSpec>): ResolvedResources {
  checkKnownProps(scope, prop, given, RESOURCE_KEYS, false);
  const r = { ...defaults, ...given };
  const cpu = (field: 'cpuRequest' | 'cpuLimit') => quantityProp(scope, `${prop}.${field}`, r[field], 'cpu');
  const mem = (field: 'memoryRequest' | 'memoryLimit') => quantityProp(scope, `${prop}.${field}`, r[field], 'memory');
  const [cpuReq, cpuLim, memReq, memLim] = [cpu('cpuRequest'), cpu('cpuLimit'), mem('memoryRequest'), mem('memoryLimit')];
  if (cpuLim < cpuReq) fail(scope, `${prop}.cpuLimit`, r.cpuLimit, `must be ≥ cpuRequest (${r.cpuRequest})`);
  if (memLim < memReq) fail(scope, `${prop}.memoryLimit`, r.memoryLimit, `must be ≥ memoryRequest (${r.memoryRequest})`);
  return { ...r, memoryLimitBytes: memLim };
}

export function toKubeResources(r: ResolvedResources): k8s.ResourceRequirements {
  return {
    requests: { cpu: k8s.Quantity.fromString(r.cpuRequest), memory: k8s.Quantity.fromString(r.memoryRequest) },
    limits: { cpu: k8s.Quantity.fromString(r.cpuLimit), memory: k8s.Quantity.fromString(r.memoryLimit) },
  };
}
