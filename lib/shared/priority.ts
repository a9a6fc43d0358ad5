import { App, Chart, JsonPatch } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import { IConstruct } from 'constructs';
import { recommendedLabels } from './labels';
import { restrictedPodSecurityContext } from './security';
import { perApp } from './per-app';
import { fail } from './validation';

/** The platform's scheduling tiers, highest first. */
export type PriorityTier = 'monitoring' | 'dataStore' | 'api' | 'batch';

interface TierSpec { readonly name: string; readonly value: number; readonly description: string; readonly preemptionPolicy?: string }

/**
 * The PriorityClass of each tier. Monitoring sits near the top because the P0/P1 alerts depend on
 * it when the cluster is short of room; stores above the API (the API is useless without them and
 * scales out, they do not); batch jobs (backups, drills, setup Jobs) last and never preempt.
 * Values stay below the 1e9 reserved for system-* classes; node-exporter keeps system-node-critical.
 */
export const PRIORITY_TIERS: Readonly<Record<PriorityTier, TierSpec>> = {
  monitoring: { name: 'media-ai-monitoring', value: 900000, description: 'media-ai monitoring and alerting: the P0/P1 promises depend on it' },
  dataStore: { name: 'media-ai-data-store', value: 800000, description: 'media-ai data stores (PostgreSQL, Redis, Milvus, etcd, MinIO)' },
  api: { name: 'media-ai-api', value: 700000, description: 'media-ai API workloads' },
  batch: { name: 'media-ai-batch', value: 100000, description: 'media-ai batch work (backups, restore drills, setup Jobs): never preempts', preemptionPolicy: 'Never' },
};

const created = new WeakMap<IConstruct, Set<PriorityTier>>();

/**
 * App context key: 'existing' when the cluster already has the platform's PriorityClasses (a team
 * app next to the platform's): pods name them and the app creates none, so two releases never own
 * the same cluster-scoped object. `app.node.setContext(PRIORITY_CLASSES_CONTEXT, 'existing')`.
 */
export const PRIORITY_CLASSES_CONTEXT = 'media-ai:priorityClasses';

function createsPriorityClasses(scope: IConstruct): boolean {
  const mode: unknown = scope.node.tryGetContext(PRIORITY_CLASSES_CONTEXT) ?? 'create';
  if (mode !== 'create' && mode !== 'existing') {
    fail(scope, `context ${PRIORITY_CLASSES_CONTEXT}`, mode, "must be 'create' (the app creates the PriorityClasses it uses) or 'existing' (the cluster has them)");
  }
  return mode === 'create';
}

/**
 * The name of a tier's PriorityClass, created in the app the first time any construct of the app
 * uses it (in that construct's chart), so a construct used on its own still gets a class that
 * exists. `PlatformPriorityClasses` creates every tier up front in one chart.
 */
export function platformPriorityClass(scope: IConstruct, tier: PriorityTier): string {
  const root = scope.node.root;
  const done = perApp(created, scope, () => new Set<PriorityTier>());
  const spec = PRIORITY_TIERS[tier];
  // Checked on every use: a bad value on any construct's scope is reported, not only on the first.
  const creates = createsPriorityClasses(scope);
  if (!done.has(tier) && root instanceof App && creates) {
    done.add(tier);
    const chart = Chart.of(scope);
    const pc = new k8s.KubePriorityClass(chart, `priority-class-${spec.name}`, {
      metadata: { name: spec.name, labels: recommendedLabels({ name: 'media-ai-platform', instance: spec.name, component: 'scheduling', }) },
      value: spec.value,
      globalDefault: false,
      description: spec.description,
      preemptionPolicy: spec.preemptionPolicy,
    });
    // Cluster-scoped: cdk8s would copy the chart's namespace onto it.
    if (chart.namespace !== undefined) pc.addJsonPatch(JsonPatch.remove('/metadata/namespace'));
  }
  return spec.name;
}

/**
 * The pod-level settings every batch pod of the platform shares (setup Jobs, cleaners, imports):
 * the batch PriorityClass, no ServiceAccount token, the restricted pod securityContext.
 */
export function batchPodSettings(scope: IConstruct, identity: { readonly user: number; readonly group: number }, restartPolicy: 'OnFailure' | 'Never') {
  return {
    restartPolicy,
    priorityClassName: platformPriorityClass(scope, 'batch'),
    automountServiceAccountToken: false,
    securityContext: restrictedPodSecurityContext(identity),
  };
}
