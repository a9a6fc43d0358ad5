/** The `app.kubernetes.io/*` recommended labels, in one place. */

export const PART_OF = 'media-ai';
export const MANAGED_BY = 'cdk8s';

export interface WorkloadIdentity {
  /** app.kubernetes.io/name: what the application is (e.g. `postgresql`). */
  readonly name: string;
  /** app.kubernetes.io/instance: this installation (the object name). */
  readonly instance: string;
  /** app.kubernetes.io/component: its role in the platform (e.g. `api`, `database`). */
  readonly component: string;
  /** app.kubernetes.io/version: changes with the image; never part of a selector. */
  readonly version?: string;
  /** app.kubernetes.io/part-of. */
  readonly partOf?: string;
}

/** Selector labels: stable for the life of the workload (a pod selector is immutable). */
export function selectorLabels(id: WorkloadIdentity): Record<string, string> {
  return {
    'app.kubernetes.io/name': id.name,
    'app.kubernetes.io/instance': id.instance,
  };
}

/** Every recommended label; for metadata, not selectors. */
export function recommendedLabels(id: WorkloadIdentity): Record<string, string> {
  return {
    ...selectorLabels(id),
    'app.kubernetes.io/component': id.component,
    'app.kubernetes.io/part-of': id.partOf ?? PART_OF,
    'app.kubernetes.io/managed-by': MANAGED_BY,
    ...(id.version ? { 'app.kubernetes.io/version': labelValue(id.version) } : {}),
  };
}

/** Turns any string (an image tag, a digest) into a valid label value. */
export function labelValue(raw: string): string {
  const cleaned = raw.replace(/^sha256:/, '').replace(/[^A-Za-z0-9_.-]/g, '-').slice(0, 63);
  return cleaned.replace(/^[^A-Za-z0-9]+/, '').replace(/[^A-Za-z0-9]+$/, '');
}

/**
 * The one label that ties monitoring objects (ServiceMonitor, PodMonitor, Probe, PrometheusRule)
 * to the Prometheus that picks them up. Its value is the monitoring stack's name.
 */
export const MONITORING_STACK_LABEL = 'monitoring.media-ai.io/stack';
/** The stack name our constructs use unless told otherwise. */
export const DEFAULT_MONITORING_STACK = 'platform';
