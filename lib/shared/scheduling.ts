import { k8s } from 'cdk8s-plus-27';
import { IConstruct } from 'constructs';
import { integerProp } from './validation';

/** Topology spread settings. */
export interface TopologySpreadOptions {
  /** Largest difference in pod count between two nodes / zones. @default 1 */
  readonly maxSkew?: number;
  /** What to do when spreading across zones is impossible. @default 'ScheduleAnyway' */
  readonly whenUnsatisfiableZone?: 'DoNotSchedule' | 'ScheduleAnyway';
  /** What to do when spreading across nodes is impossible. @default 'ScheduleAnyway' */
  readonly whenUnsatisfiableNode?: 'DoNotSchedule' | 'ScheduleAnyway';
}

/** Spreads the selected pods across zones, then nodes. */
export function topologySpread(scope: IConstruct, prop: string, given: TopologySpreadOptions | undefined, podSelector: Record<string, string>): k8s.TopologySpreadConstraint[] {
  const t = given ?? {};
  const maxSkew = integerProp(scope, `${prop}.maxSkew`, t.maxSkew, 1, { min: 1 });
  return [
    { topologyKey: 'topology.kubernetes.io/zone', maxSkew, whenUnsatisfiable: t.whenUnsatisfiableZone ?? 'ScheduleAnyway', labelSelector: { matchLabels: podSelector } },
    { topologyKey: 'kubernetes.io/hostname', maxSkew, whenUnsatisfiable: t.whenUnsatisfiableNode ?? 'ScheduleAnyway', labelSelector: { matchLabels: podSelector } },
  ];
}
