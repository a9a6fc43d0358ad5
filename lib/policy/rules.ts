import { CREDENTIAL_NAME, credentialArgIndex, detectCredential, PolicyRule, WORKLOAD_KINDS } from '../shared';

/** A rendered Kubernetes object, as the gate reads it. */
export type Manifest = { apiVersion?: string; kind?: string; metadata?: { name?: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> }; [k: string]: any };

/** One violation: the index of the object in the list given to the rules, the rule, what is wrong. */
export interface RuleViolation {
  readonly object: number;
  readonly rule: PolicyRule;
  readonly message: string;
}

interface Workload {
  readonly index: number;
  readonly manifest: Manifest;
  readonly namespace: string;
  readonly podLabels: Record<string, string>;
  readonly pod: any;
  readonly replicas: number;
}

type LabelSelector = { matchLabels?: Record<string, string>; matchExpressions?: Array<{ key: string; operator: string; values?: string[] }> };

const RUN_TO_COMPLETION: ReadonlySet<string> = new Set(['Job', 'CronJob']);
const nsOf = (m: Manifest) => m.metadata?.namespace ?? 'default';

function byNamespace(objects: readonly Manifest[]): Map<string, Manifest[]> {
  const out = new Map<string, Manifest[]>();
  for (const o of objects) {
    const list = out.get(nsOf(o));
    if (list) list.push(o);
    else out.set(nsOf(o), [o]);
  }
  return out;
}

/** Label selector semantics of Kubernetes (an empty selector selects everything). */
export function selects(selector: LabelSelector | undefined, labels: Record<string, string>): boolean {
  if (!selector) return false;
  const byLabels = Object.entries(selector.matchLabels ?? {}).every(([k, v]) => labels[k] === v);
  const byExpressions = (selector.matchExpressions ?? []).every((e) => {
    const has = Object.prototype.hasOwnProperty.call(labels, e.key);
    switch (e.operator) {
      case 'In': return has && (e.values ?? []).includes(labels[e.key]);
      case 'NotIn': return !has || !(e.values ?? []).includes(labels[e.key]);
      case 'Exists': return has;
      case 'DoesNotExist': return !has;
      default: return false;
    }
  });
  return byLabels && byExpressions;
}

function workloads(objects: readonly Manifest[]): Workload[] {
  // An HPA decides the replica count of its target: the maximum is what a PDB must cover.
  const hpaMax = new Map<string, number>();
  for (const o of objects.filter((x) => x.kind === 'HorizontalPodAutoscaler')) {
    const ref = o.spec?.scaleTargetRef;
    if (ref) hpaMax.set(`${nsOf(o)}/${ref.kind}/${ref.name}`, o.spec.maxReplicas ?? 1);
  }
  const out: Workload[] = [];
  objects.forEach((m, index) => {
    if (!m.kind || !WORKLOAD_KINDS.has(m.kind)) return;
    const template = m.kind === 'Pod' ? m : m.kind === 'CronJob' ? m.spec?.jobTemplate?.spec?.template : m.spec?.template;
    if (!template?.spec) return; // e.g. a Rollout with a workloadRef: its Deployment is checked
    const scalable = ['Deployment', 'StatefulSet', 'ReplicaSet', 'Rollout'].includes(m.kind);
    const replicas = scalable ? Math.max(m.spec?.replicas ?? 1, hpaMax.get(`${nsOf(m)}/${m.kind}/${m.metadata?.name}`) ?? 0) : 1;
    out.push({ index, manifest: m, namespace: nsOf(m), podLabels: template.metadata?.labels ?? {}, pod: template.spec, replicas });
  });
  return out;
}

function containersOf(pod: any): any[] {
  return [...(pod.initContainers ?? []), ...(pod.containers ?? []), ...(pod.ephemeralContainers ?? [])];
}

// Pod Security Standards v1.27, "restricted" (which includes "baseline").
const RESTRICTED_VOLUMES = ['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret'];
const SAFE_SYSCTLS = ['kernel.shm_rmid_forced', 'net.ipv4.ip_local_port_range', 'net.ipv4.ip_unprivileged_port_start', 'net.ipv4.tcp_syncookies', 'net.ipv4.ping_group_range'];

function podSecurityViolations(pod: any): string[] {
  const v: string[] = [];
  for (const host of ['hostNetwork', 'hostPID', 'hostIPC']) if (pod[host] === true) v.push(`${host}: true`);
  for (const vol of pod.volumes ?? []) {
    const type = Object.keys(vol).find((k) => k !== 'name');
    if (type && !RESTRICTED_VOLUMES.includes(type)) v.push(`volume ${vol.name} of type ${type}`);
  }
  for (const s of pod.securityContext?.sysctls ?? []) if (!SAFE_SYSCTLS.includes(s.name)) v.push(`unsafe sysctl ${s.name}`);
  const podCtx = pod.securityContext ?? {};
  if (podCtx.runAsUser === 0) v.push('pod runAsUser: 0');
  for (const c of containersOf(pod)) {
    const ctx = c.securityContext ?? {};
    const where = `container ${c.name}`;
    if (ctx.privileged === true) v.push(`${where}: privileged`);
    if (ctx.allowPrivilegeEscalation !== false) v.push(`${where}: allowPrivilegeEscalation is not false`);
    if ((ctx.runAsNonRoot ?? podCtx.runAsNonRoot) !== true) v.push(`${where}: runAsNonRoot is not true`);
    if (ctx.runAsUser === 0) v.push(`${where}: runAsUser: 0`);
    const seccomp = (ctx.seccompProfile ?? podCtx.seccompProfile)?.type;
    if (seccomp !== 'RuntimeDefault' && seccomp !== 'Localhost') v.push(`${where}: seccompProfile is not RuntimeDefault or Localhost`);
    if (!(ctx.capabilities?.drop ?? []).includes('ALL')) v.push(`${where}: capabilities do not drop ALL`);
    const added = (ctx.capabilities?.add ?? []).filter((cap: string) => cap !== 'NET_BIND_SERVICE');
    if (added.length > 0) v.push(`${where}: adds capabilities ${added.join(', ')}`);
    for (const p of c.ports ?? []) if (p.hostPort) v.push(`${where}: hostPort ${p.hostPort}`);
    if (ctx.procMount !== undefined && ctx.procMount !== 'Default') v.push(`${where}: procMount ${ctx.procMount}`);
  }
  return v;
}

/** Tag or digest, and not `latest`. */
function imagePinned(image: unknown): boolean {
  if (typeof image !== 'string' || image.length === 0) return false;
  if (/@sha256:[0-9a-f]{64}$/.test(image)) return true;
  const lastSegment = image.slice(image.lastIndexOf('/') + 1);
  const tag = lastSegment.includes(':') ? lastSegment.slice(lastSegment.indexOf(':') + 1) : undefined;
  return tag !== undefined && tag !== '' && tag !== 'latest';
}

function allowsDisruption(pdb: Manifest, replicas: number): boolean {
  const count = (v: unknown, round: (x: number) => number) => (typeof v === 'string' && v.endsWith('%') ? round((Number(v.slice(0, -1)) * replicas) / 100) : Number(v));
  const { maxUnavailable, minAvailable } = pdb.spec ?? {};
  if (maxUnavailable !== undefined) return count(maxUnavailable, Math.ceil) >= 1;
  if (minAvailable !== undefined) return count(minAvailable, Math.ceil) < replicas;
  return false;
}

function policyTypes(np: Manifest): string[] {
  return np.spec?.policyTypes ?? ['Ingress', ...(np.spec?.egress ? ['Egress'] : [])];
}

function credentialViolations(pod: any): string[] {
  const v: string[] = [];
  for (const c of containersOf(pod)) {
    for (const e of c.env ?? []) {
      if (typeof e.value !== 'string' || e.value.length === 0) continue;
      const kind = detectCredential(e.value, e.name);
      if (kind) v.push(`container ${c.name} env ${e.name} holds ${kind}`);
      else if (CREDENTIAL_NAME.test(e.name) && !/_(FILE|PATH|DIR|ENV|NAME|REF|ID|USER|USERNAME|TYPE|MODE|METHOD)$/i.test(e.name) && !/^\$\([A-Za-z_]\w*\)$/.test(e.value)) {
        v.push(`container ${c.name} env ${e.name} is a literal under a credential name`);
      }
    }
    const args = [...(c.command ?? []), ...(c.args ?? [])];
    const i = credentialArgIndex(args);
    if (i !== undefined) v.push(`container ${c.name} command/args item ${i} holds a credential`);
  }
  return v;
}

const DANGEROUS_RESOURCES = ['*', 'secrets', 'pods/exec', 'pods/attach'];

function rbacViolations(role: Manifest): string[] {
  const v: string[] = [];
  (role.rules ?? []).forEach((r: any, i: number) => {
    const resources: string[] = r.resources ?? [];
    const verbs: string[] = r.verbs ?? [];
    if (verbs.includes('*')) v.push(`rules[${i}] grants every verb`);
    for (const res of resources.filter((x) => DANGEROUS_RESOURCES.includes(x))) v.push(`rules[${i}] grants ${res}`);
    if ((r.apiGroups ?? []).includes('*')) v.push(`rules[${i}] covers every API group`);
  });
  return v;
}

/** Every violation of every rule over a list of rendered objects (exemptions not applied). */
export function ruleViolations(objects: readonly Manifest[]): RuleViolation[] {
  const out: RuleViolation[] = [];
  const add = (object: number, rule: PolicyRule, messages: string[]) => { for (const message of messages) out.push({ object, rule, message }); };
  const serviceAccounts = new Map(objects.filter((o) => o.kind === 'ServiceAccount').map((o) => [`${nsOf(o)}/${o.metadata?.name}`, o]));
  // By namespace: a workload meets only its own namespace's policies (linear in apps of many namespaces, issue #15).
  const pdbs = byNamespace(objects.filter((o) => o.kind === 'PodDisruptionBudget'));
  const netpols = byNamespace(objects.filter((o) => o.kind === 'NetworkPolicy'));

  for (const w of workloads(objects)) {
    const containers = containersOf(w.pod);
    const regular = w.pod.containers ?? [];
    add(w.index, 'pod-security', podSecurityViolations(w.pod));
    add(w.index, 'read-only-root-filesystem', containers.filter((c) => c.securityContext?.readOnlyRootFilesystem !== true).map((c) => `container ${c.name} has a writable root filesystem`));
    add(w.index, 'resources', containers.flatMap((c) => ['requests', 'limits'].flatMap((k) => ['cpu', 'memory']
      .filter((r) => c.resources?.[k]?.[r] === undefined).map((r) => `container ${c.name} has no ${r} ${k.slice(0, -1)}`))));
    // Jobs and init containers run to completion: probes are for long-running containers.
    if (!RUN_TO_COMPLETION.has(w.manifest.kind!)) add(w.index, 'probes', regular.flatMap((c: any) => ['readinessProbe', 'livenessProbe'].filter((p) => !c[p]).map((p) => `container ${c.name} has no ${p}`)));
    add(w.index, 'image-pinned', containers.filter((c) => !imagePinned(c.image)).map((c) => `container ${c.name} image ${JSON.stringify(c.image)} is not pinned by tag or digest`));
    add(w.index, 'credential-literal', credentialViolations(w.pod));
    if (!w.pod.priorityClassName) add(w.index, 'priority-class', ['the pod template has no priorityClassName']);
    const sa = serviceAccounts.get(`${w.namespace}/${w.pod.serviceAccountName ?? 'default'}`);
    const mounted = w.pod.automountServiceAccountToken ?? sa?.automountServiceAccountToken ?? true;
    if (mounted !== false) add(w.index, 'service-account-token', [`the ServiceAccount token is mounted (automountServiceAccountToken is ${w.pod.automountServiceAccountToken ?? `unset, ServiceAccount ${w.pod.serviceAccountName ?? 'default'} ${sa ? 'does not disable it' : 'not in the app'}`})`]);
    if (w.replicas > 1) {
      const covering = (pdbs.get(w.namespace) ?? []).filter((p) => selects(p.spec?.selector, w.podLabels));
      if (covering.length === 0) add(w.index, 'disruption-budget', [`${w.replicas} replicas and no PodDisruptionBudget selects the pods`]);
      else if (!covering.some((p) => allowsDisruption(p, w.replicas))) add(w.index, 'disruption-budget', [`PodDisruptionBudget ${covering.map((p) => p.metadata?.name).join(', ')} allows no disruption of ${w.replicas} replicas`]);
    }
    const types = new Set((netpols.get(w.namespace) ?? []).filter((p) => selects(p.spec?.podSelector, w.podLabels)).flatMap(policyTypes));
    const missing = ['Ingress', 'Egress'].filter((t) => !types.has(t));
    if (missing.length > 0) add(w.index, 'network-policy', [`no NetworkPolicy of type ${missing.join(' or ')} selects the pods`]);
  }
  objects.forEach((o, i) => {
    if (o.kind === 'Secret') {
      const literal = Object.entries({ ...(o.data ?? {}), ...(o.stringData ?? {}) }).filter(([k, value]) => {
        const text = o.stringData?.[k] ?? Buffer.from(String(value), 'base64').toString('utf8');
        return text.length > 0 && (CREDENTIAL_NAME.test(k) || detectCredential(text, k) !== undefined);
      });
      add(i, 'credential-literal', literal.map(([k]) => `Secret key ${k} carries a literal credential`));
    }
    if (o.kind === 'ClusterRole') add(i, 'rbac-dangerous', rbacViolations(o));
  });
  return out;
}
