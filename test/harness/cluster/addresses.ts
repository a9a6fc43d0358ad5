/** Addresses written in configuration: in-cluster Service DNS names and external URLs. */
import { Cluster, PodModel } from './model';
import { K8sObject } from './types';

export interface ServiceAddress { readonly namespace: string; readonly name: string; readonly port?: number; readonly text: string }
export interface ExternalAddress { readonly host: string; readonly port: number; readonly text: string }

const IN_CLUSTER = /(?:^|[^a-z0-9.-])((?:[a-z0-9](?:[-a-z0-9]*[a-z0-9])?))\.([a-z0-9](?:[-a-z0-9]*[a-z0-9])?)\.svc(?:\.cluster\.local)?(?![a-z0-9.-])(?::(\d+))?/g;
const SCHEME_PORT: Record<string, number> = { http: 80, https: 443 };

/** Every string leaf of a value. */
export function strings(value: any): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value && typeof value === 'object') return Object.values(value).flatMap(strings);
  return [];
}

/** `<svc>.<ns>.svc[.cluster.local][:port]`, with the scheme's port when a URL gives none. */
export function serviceAddresses(text: string): ServiceAddress[] {
  const out: ServiceAddress[] = [];
  for (const m of text.matchAll(IN_CLUSTER)) {
    const before = text.slice(0, m.index + m[0].length - m[0].replace(/^[^a-z0-9]/, '').length);
    const scheme = /([a-z]+):\/\/$/.exec(before)?.[1];
    const port = m[3] ? Number(m[3]) : scheme ? SCHEME_PORT[scheme] : undefined;
    out.push({ name: m[1], namespace: m[2], port, text: m[0].replace(/^[^a-z0-9]/, '') });
  }
  return out;
}

/** An http(s) URL to a host outside the cluster, at the start of a string. */
export function externalAddress(text: string): ExternalAddress | undefined {
  const m = /^(https?):\/\/([a-z0-9.-]+\.[a-z]{2,})(?::(\d+))?(?:[/?#]|$)/i.exec(text.trim());
  if (!m || /\.(svc|local|cluster\.local|internal)$/i.test(m[2])) return undefined;
  return { host: m[2], port: m[3] ? Number(m[3]) : SCHEME_PORT[m[1].toLowerCase()], text: m[0] };
}

/** A ConfigMap/Secret value holding Kubernetes manifests (a backup of the config) is data, not configuration the pod connects to. */
const isManifest = (s: string) => (/^apiVersion:\s/m.test(s) && /^kind:\s/m.test(s)) || s.startsWith('{"apiVersion":"v1","kind":"List","items":[');

/** The ConfigMaps and Secrets a pod spec reads, by kind and name. */
export function configSources(spec: any): { kind: 'ConfigMap' | 'Secret'; name: string }[] {
  const out: { kind: 'ConfigMap' | 'Secret'; name: string }[] = [];
  for (const v of spec.volumes ?? []) {
    if (v.configMap?.name) out.push({ kind: 'ConfigMap', name: v.configMap.name });
    if (v.secret?.secretName) out.push({ kind: 'Secret', name: v.secret.secretName });
    for (const s of v.projected?.sources ?? []) {
      if (s.configMap?.name) out.push({ kind: 'ConfigMap', name: s.configMap.name });
      if (s.secret?.name) out.push({ kind: 'Secret', name: s.secret.name });
    }
  }
  for (const c of [...(spec.containers ?? []), ...(spec.initContainers ?? [])]) {
    for (const e of c.envFrom ?? []) {
      if (e.configMapRef?.name) out.push({ kind: 'ConfigMap', name: e.configMapRef.name });
      if (e.secretRef?.name) out.push({ kind: 'Secret', name: e.secretRef.name });
    }
  }
  return out;
}

/** The strings a pod is configured with: its spec (for operator pods: the CR's spec) and the ConfigMaps/Secrets it reads. */
export function podConfigStrings(cluster: Cluster, pod: PodModel): string[] {
  const own = workloadOwned(pod) ? strings(pod.spec) : strings(pod.owner?.spec ?? pod.spec);
  const mounted = configSources(pod.spec).flatMap(({ kind, name }) => {
    const o = cluster.objects.find((x) => x.kind === kind && x.metadata.name === name && (x.metadata.namespace ?? 'default') === pod.namespace);
    return o ? dataStrings(o) : [];
  });
  return [...own, ...mounted];
}

function workloadOwned(pod: PodModel): boolean {
  return !pod.owner || !pod.owner.apiVersion.includes('.k8s.elastic.co') && !pod.owner.apiVersion.startsWith('monitoring.coreos.com');
}

export function dataStrings(o: K8sObject): string[] {
  const values = [...Object.values(o.stringData ?? {}), ...Object.values(o.data ?? {}).map((v: any) => (o.kind === 'Secret' ? Buffer.from(String(v), 'base64').toString('utf8') : v))];
  return values.map(String).filter((s) => !isManifest(s));
}
