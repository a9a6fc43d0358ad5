/**
 * Capacity planning at synth (spec 11.3 "容量规划"): what the synthesized objects request at the HPA
 * minimum and maximum, and the headroom that leaves on the environment's cluster.
 * Works on rendered manifests (plain JSON), so objects a team adds next to ours count too.
 */
import { parseBytes, parseMillicores } from '../shared';

/** The cluster an environment runs on. */
export interface ClusterCapacity {
  /** Worker nodes that run the platform's pods. */
  readonly nodes: number;
  /** Allocatable CPU of one node (after system reservations), e.g. '7500m'. */
  readonly allocatableCpu: string;
  /** Allocatable memory of one node, e.g. '28Gi'. */
  readonly allocatableMemory: string;
  /** Storage budget per StorageClass name; `default` is the cluster's default class (PVCs without a class). */
  readonly storage: Readonly<Record<string, string>>;
  /** Network bandwidth of the ingress path and the expected peak, both in Mbit/s. @default not checked */
  readonly bandwidth?: { readonly capacityMbps: number; readonly peakMbps: number };
  /** Compute headroom (CPU and memory requests at the HPA maximum) to keep, in %. @default 20 */
  readonly computeHeadroomPercent?: number;
  /** Storage headroom per class, in %. @default 30 */
  readonly storageHeadroomPercent?: number;
  /** Bandwidth headroom at the expected peak, in %. @default 20 */
  readonly bandwidthHeadroomPercent?: number;
  /** What a headroom below the minimum does at synth. @default 'fail' */
  readonly onShortfall?: 'fail' | 'warn';
}

/** Requests and limits of a set of pods: millicores and bytes. */
export interface ComputeTotals {
  readonly pods: number;
  readonly cpuRequestMillis: number;
  readonly cpuLimitMillis: number;
  readonly memoryRequestBytes: number;
  readonly memoryLimitBytes: number;
}

/** One workload's contribution (for the report's table). */
export interface WorkloadLine {
  readonly object: string;
  readonly namespace: string;
  readonly minReplicas: number;
  readonly maxReplicas: number;
  /** Requests and limits of one pod. */
  readonly perPod: ComputeTotals;
  /** Volume claims each pod gets from a claim template. */
  readonly claims: number;
}

export interface CapacityReport {
  readonly environment: string;
  /** The planned event applied (its raised HPA minimums), if any. */
  readonly event?: string;
  readonly workloads: WorkloadLine[];
  readonly atMinimum: ComputeTotals;
  readonly atMaximum: ComputeTotals;
  readonly allocatable: { readonly cpuMillis: number; readonly memoryBytes: number };
  /** Free share of allocatable CPU/memory left by the requests, in % (rounded down to 0.1). */
  readonly headroomPercent: { readonly cpuAtMinimum: number; readonly memoryAtMinimum: number; readonly cpuAtMaximum: number; readonly memoryAtMaximum: number };
  /** Requested PVC bytes per StorageClass, budget, headroom %. */
  readonly storage: Array<{ readonly storageClass: string; readonly requestedBytes: number; readonly budgetBytes: number; readonly headroomPercent: number }>;
  readonly bandwidth?: { readonly capacityMbps: number; readonly peakMbps: number; readonly headroomPercent: number };
  /** Per namespace with a ResourceQuota: what its objects request at the HPA maximum against the quota's `hard`. */
  readonly quotas: Array<{ readonly namespace: string; readonly used: Record<string, number>; readonly hard: Record<string, number> }>;
  /** Headroom below the minimum (or storage without a budget), as sentences. */
  readonly shortfalls: string[];
}

type Json = Record<string, any>;

const ZERO: ComputeTotals = { pods: 0, cpuRequestMillis: 0, cpuLimitMillis: 0, memoryRequestBytes: 0, memoryLimitBytes: 0 };

// Rounded down to 0.1 (the epsilon keeps 9.999… from float division at 10).
const floor1 = (n: number) => Math.floor(n * 10 + 1e-9) / 10;
const headroom = (used: number, available: number) => (available > 0 ? floor1((1 - used / available) * 100) : 0);

function quantity(value: unknown, parse: (v: string) => number | undefined): number {
  if (typeof value === 'number') return parse(String(value)) ?? 0;
  return typeof value === 'string' ? parse(value) ?? 0 : 0;
}

/** What one pod asks for: the sum of its containers, or its largest init container if that is larger (the scheduler's rule). */
export function podTotals(podSpec: Json): ComputeTotals {
  const of = (c: Json) => ({
    cpuRequestMillis: quantity(c.resources?.requests?.cpu ?? c.resources?.limits?.cpu, parseMillicores),
    cpuLimitMillis: quantity(c.resources?.limits?.cpu, parseMillicores),
    memoryRequestBytes: quantity(c.resources?.requests?.memory ?? c.resources?.limits?.memory, parseBytes),
    memoryLimitBytes: quantity(c.resources?.limits?.memory, parseBytes),
  });
  const main = (podSpec.containers ?? []).map(of);
  const init = (podSpec.initContainers ?? []).map(of);
  const pick = (k: keyof Omit<ComputeTotals, 'pods'>) => Math.max(main.reduce((s: number, c: any) => s + c[k], 0), ...init.map((c: any) => c[k]));
  return { pods: 1, cpuRequestMillis: pick('cpuRequestMillis'), cpuLimitMillis: pick('cpuLimitMillis'), memoryRequestBytes: pick('memoryRequestBytes'), memoryLimitBytes: pick('memoryLimitBytes') };
}

function times(t: ComputeTotals, n: number): ComputeTotals {
  return { pods: t.pods * n, cpuRequestMillis: t.cpuRequestMillis * n, cpuLimitMillis: t.cpuLimitMillis * n, memoryRequestBytes: t.memoryRequestBytes * n, memoryLimitBytes: t.memoryLimitBytes * n };
}

function plus(a: ComputeTotals, b: ComputeTotals): ComputeTotals {
  return { pods: a.pods + b.pods, cpuRequestMillis: a.cpuRequestMillis + b.cpuRequestMillis, cpuLimitMillis: a.cpuLimitMillis + b.cpuLimitMillis, memoryRequestBytes: a.memoryRequestBytes + b.memoryRequestBytes, memoryLimitBytes: a.memoryLimitBytes + b.memoryLimitBytes };
}

const objectKey = (o: Json) => `${o.kind}/${o.metadata?.namespace ?? ''}/${o.metadata?.name}`;

/** A set of identical pods of one object, with the volume claims each pod gets. */
interface PodGroup {
  readonly object: string;
  readonly namespace: string;
  readonly podSpec: Json;
  readonly min: number;
  readonly max: number;
  readonly claims: Json[];
}

/**
 * The pods an object runs: DaemonSets (and Beats) on every node, Jobs and CronJobs once (their
 * parallelism), workloads their `replicas` or their HPA's range (1 when neither is set), and the
 * operator resources of the platform (Prometheus, Alertmanager, Elasticsearch, Kibana, Beat) as
 * their operators expand them (operator-added sidecars such as config reloaders are not counted).
 */
function podGroups(o: Json, nodes: number, hpas: Map<string, { min: number; max: number }>): PodGroup[] {
  const key = objectKey(o);
  const namespace: string = o.metadata?.namespace ?? '';
  const fixed = (podSpec: Json | undefined, n: number, claims: Json[] = []): PodGroup[] => (podSpec ? [{ object: key, namespace, podSpec, min: n, max: n, claims }] : []);
  const spec = o.spec ?? {};
  switch (o.kind) {
    case 'DaemonSet': return fixed(spec.template?.spec, nodes);
    case 'Job': return fixed(spec.template?.spec, spec.parallelism ?? 1);
    case 'CronJob': return fixed(spec.jobTemplate?.spec?.template?.spec, spec.jobTemplate?.spec?.parallelism ?? 1);
    case 'Deployment': case 'StatefulSet': case 'ReplicaSet': case 'Rollout': {
      if (!spec.template?.spec) return [];
      const range = hpas.get(key) ?? { min: spec.replicas ?? 1, max: spec.replicas ?? 1 };
      return [{ object: key, namespace, podSpec: spec.template.spec, ...range, claims: (spec.volumeClaimTemplates ?? []).map((t: Json) => t.spec) }];
    }
    case 'Prometheus': case 'Alertmanager': {
      const claim = spec.storage?.volumeClaimTemplate?.spec;
      return fixed({ containers: [{ resources: spec.resources }] }, spec.replicas ?? 1, claim ? [claim] : []);
    }
    case 'Elasticsearch':
      return (spec.nodeSets ?? []).flatMap((set: Json) => fixed(set.podTemplate?.spec, set.count ?? 1, (set.volumeClaimTemplates ?? []).map((t: Json) => t.spec))
        .map((g) => ({ ...g, object: `${key}/${set.name}` })));
    case 'Kibana': return fixed(spec.podTemplate?.spec, spec.count ?? 1);
    case 'Beat': return spec.daemonSet ? fixed(spec.daemonSet.podTemplate?.spec, nodes) : fixed(spec.deployment?.podTemplate?.spec, spec.deployment?.replicas ?? 1);
    default: return [];
  }
}

function allPodGroups(objects: readonly Json[], nodes: number): PodGroup[] {
  const hpas = new Map<string, { min: number; max: number }>();
  for (const o of objects.filter((x) => x.kind === 'HorizontalPodAutoscaler')) {
    const ref = o.spec?.scaleTargetRef ?? {};
    hpas.set(`${ref.kind}/${o.metadata?.namespace ?? ''}/${ref.name}`, { min: o.spec?.minReplicas ?? 1, max: o.spec?.maxReplicas ?? 1 });
  }
  return objects.flatMap((o) => podGroups(o, nodes, hpas));
}

/** Pods per workload at the HPA minimum and maximum, with one pod's requests and limits. */
export function workloadLines(objects: readonly Json[], nodes: number): WorkloadLine[] {
  return allPodGroups(objects, nodes).map((g) => ({ object: g.object, namespace: g.namespace, minReplicas: g.min, maxReplicas: g.max, perPod: podTotals(g.podSpec), claims: g.claims.length }));
}

/** Requested storage per StorageClass: PVCs, and per-pod claim templates × the most pods (PVCs stay after a scale-down). */
export function storageByClass(objects: readonly Json[], nodes: number): Map<string, number> {
  const byClass = new Map<string, number>();
  const add = (pvcSpec: Json | undefined, n: number) => {
    const cls = pvcSpec?.storageClassName ?? 'default';
    byClass.set(cls, (byClass.get(cls) ?? 0) + n * quantity(pvcSpec?.resources?.requests?.storage, parseBytes));
  };
  for (const o of objects.filter((x) => x.kind === 'PersistentVolumeClaim')) add(o.spec, 1);
  for (const g of allPodGroups(objects, nodes)) for (const claim of g.claims) add(claim, g.max);
  return byClass;
}

/** The capacity report of an environment's rendered objects. */
export function capacityReport(environment: string, objects: readonly Json[], capacity: ClusterCapacity, event?: string): CapacityReport {
  const lines = workloadLines(objects, capacity.nodes);
  const atMinimum = lines.reduce((s, l) => plus(s, times(l.perPod, l.minReplicas)), ZERO);
  const atMaximum = lines.reduce((s, l) => plus(s, times(l.perPod, l.maxReplicas)), ZERO);
  const allocatable = {
    cpuMillis: capacity.nodes * quantity(capacity.allocatableCpu, parseMillicores),
    memoryBytes: capacity.nodes * quantity(capacity.allocatableMemory, parseBytes),
  };
  const headroomPercent = {
    cpuAtMinimum: headroom(atMinimum.cpuRequestMillis, allocatable.cpuMillis),
    memoryAtMinimum: headroom(atMinimum.memoryRequestBytes, allocatable.memoryBytes),
    cpuAtMaximum: headroom(atMaximum.cpuRequestMillis, allocatable.cpuMillis),
    memoryAtMaximum: headroom(atMaximum.memoryRequestBytes, allocatable.memoryBytes),
  };
  const shortfalls: string[] = [];
  const computeMin = capacity.computeHeadroomPercent ?? 20;
  for (const [what, value] of [['CPU', headroomPercent.cpuAtMaximum], ['memory', headroomPercent.memoryAtMaximum]] as const) {
    if (value < computeMin) shortfalls.push(`${what} headroom at the HPA maximum is ${value} % (< ${computeMin} %): add nodes or lower maxReplicas/requests`);
  }
  const requested = storageByClass(objects, capacity.nodes);
  const storageMin = capacity.storageHeadroomPercent ?? 30;
  const storage = [...new Set([...Object.keys(capacity.storage), ...requested.keys()])].sort().map((storageClass) => {
    const requestedBytes = requested.get(storageClass) ?? 0;
    const budgetBytes = quantity(capacity.storage[storageClass], parseBytes);
    const h = headroom(requestedBytes, budgetBytes);
    if (requestedBytes > 0 && budgetBytes === 0) shortfalls.push(`storage class ${storageClass} has no budget in the capacity (${requestedBytes} bytes requested)`);
    else if (requestedBytes > 0 && h < storageMin) shortfalls.push(`storage headroom of class ${storageClass} is ${h} % (< ${storageMin} %): grow the budget or shrink the volumes`);
    return { storageClass, requestedBytes, budgetBytes, headroomPercent: h };
  });
  let bandwidth: CapacityReport['bandwidth'];
  if (capacity.bandwidth) {
    const h = headroom(capacity.bandwidth.peakMbps, capacity.bandwidth.capacityMbps);
    bandwidth = { ...capacity.bandwidth, headroomPercent: h };
    const bwMin = capacity.bandwidthHeadroomPercent ?? 20;
    if (h < bwMin) shortfalls.push(`bandwidth headroom at the expected peak is ${h} % (< ${bwMin} %)`);
  }
  const quotas = objects.filter((o) => o.kind === 'ResourceQuota').map((q) => {
    const namespace: string = q.metadata?.namespace ?? '';
    const mine = lines.filter((l) => l.namespace === namespace);
    const sum = (f: (l: WorkloadLine) => number) => mine.reduce((s, l) => s + l.maxReplicas * f(l), 0);
    const storageUsed = [...storageByClass(objects.filter((o) => (o.metadata?.namespace ?? '') === namespace), capacity.nodes).values()].reduce((a, b) => a + b, 0);
    const used: Record<string, number> = {
      'pods': sum(() => 1),
      'requests.cpu': sum((l) => l.perPod.cpuRequestMillis) / 1000,
      'requests.memory': sum((l) => l.perPod.memoryRequestBytes),
      'requests.storage': storageUsed,
    };
    const hard: Record<string, number> = {};
    for (const [k, v] of Object.entries<unknown>(q.spec?.hard ?? {})) if (k in used) hard[k] = quantity(v, parseBytes);
    for (const [k, limit] of Object.entries(hard)) {
      if (used[k] > limit) shortfalls.push(`namespace ${namespace}: ${k} at the HPA maximum (${used[k]}) exceeds its ResourceQuota ${q.metadata?.name} (${limit}): raise the namespace's share or lower the workloads`);
    }
    return { namespace, used, hard };
  });
  return { environment, event, workloads: lines, atMinimum, atMaximum, allocatable, headroomPercent, storage, bandwidth, quotas, shortfalls };
}

const cores = (m: number) => `${floor1(m / 1000)}`;
const gib = (b: number) => `${floor1(b / 2 ** 30)}Gi`;

const quotaValue = (key: string, n: number) => (/memory|storage/.test(key) ? gib(n) : `${floor1(n)}`);

/** The report as Markdown (dist/<env>/capacity.md). */
export function capacityMarkdown(r: CapacityReport): string {
  const row = (name: string, t: ComputeTotals) => `| ${name} | ${t.pods} | ${cores(t.cpuRequestMillis)} | ${cores(t.cpuLimitMillis)} | ${gib(t.memoryRequestBytes)} | ${gib(t.memoryLimitBytes)} |`;
  return [
    `# Capacity: ${r.environment}${r.event ? ` (event: ${r.event})` : ''}`,
    '',
    `Allocatable: ${cores(r.allocatable.cpuMillis)} CPU, ${gib(r.allocatable.memoryBytes)} memory.`,
    '',
    '| | pods | CPU requests | CPU limits | memory requests | memory limits |',
    '|---|---|---|---|---|---|',
    row('HPA minimum', r.atMinimum),
    row('HPA maximum', r.atMaximum),
    '',
    `Compute headroom (requests): CPU ${r.headroomPercent.cpuAtMinimum} % / memory ${r.headroomPercent.memoryAtMinimum} % at the minimum, ` +
      `CPU ${r.headroomPercent.cpuAtMaximum} % / memory ${r.headroomPercent.memoryAtMaximum} % at the maximum.`,
    '',
    '| storage class | requested | budget | headroom |',
    '|---|---|---|---|',
    ...r.storage.map((s) => `| ${s.storageClass} | ${gib(s.requestedBytes)} | ${gib(s.budgetBytes)} | ${s.headroomPercent} % |`),
    ...(r.bandwidth ? ['', `Bandwidth: peak ${r.bandwidth.peakMbps} of ${r.bandwidth.capacityMbps} Mbit/s, headroom ${r.bandwidth.headroomPercent} %.`] : []),
    '',
    '| namespace | quota | used at HPA maximum / hard |',
    '|---|---|---|',
    ...r.quotas.flatMap((q) => Object.keys(q.hard).map((k) => `| ${q.namespace} | ${k} | ${quotaValue(k, q.used[k])} / ${quotaValue(k, q.hard[k])} |`)),
    '',
    '| workload | min | max | CPU request/pod | memory request/pod |',
    '|---|---|---|---|---|',
    ...r.workloads.map((w) => `| ${w.object} | ${w.minReplicas} | ${w.maxReplicas} | ${w.perPod.cpuRequestMillis}m | ${gib(w.perPod.memoryRequestBytes)} |`),
    '',
    r.shortfalls.length ? `## Shortfalls\n\n${r.shortfalls.map((s) => `- ${s}`).join('\n')}` : 'No shortfall.',
    '',
  ].join('\n');
}
