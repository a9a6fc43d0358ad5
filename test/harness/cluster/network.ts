/**
 * NetworkPolicy semantics (networking.k8s.io/v1) and the flows the manifests imply.
 *
 * A flow passes when the source's egress AND the destination's ingress allow it:
 *  - a pod selected by no policy of a type is open for that direction; policyTypes default to
 *    ["Ingress"] plus "Egress" when the policy has egress rules;
 *  - a rule with no peers matches every peer, with no ports every port; a peer with both
 *    namespaceSelector and podSelector needs both; podSelector alone means the policy's namespace;
 *  - ipBlock (with except) matches only addresses outside the pod network: nodes and external hosts.
 *    Host-network pods are addressed by their node's IP, so only ipBlock peers match them, and
 *    policies do not apply to them as subjects;
 *  - ports compare after the Service's DNAT (the pod port); a named port resolves on the
 *    destination pod; endPort makes a range; protocol defaults to TCP.
 */
import { externalAddress, podConfigStrings, serviceAddresses } from './addresses';
import { Cluster, PodModel, ServiceModel, podPorts, targetPortOn } from './model';
import { probes, prometheuses, resolveScrapes, selects } from './scrape';
import { inCidr, matches } from './selectors';
import { Finding, K8sObject } from './types';

export type Endpoint =
  | { readonly kind: 'pod'; readonly pod: PodModel }
  | { readonly kind: 'node' }
  | { readonly kind: 'external'; readonly host: string }
  | { readonly kind: 'apiserver' };

export interface Flow { readonly from: Endpoint; readonly to: Endpoint; readonly port: number; readonly protocol: string }

/** A connection the manifests need; it works when any one of its alternatives (e.g. ports of a port-less address) passes. */
export interface Demand { readonly why: string; readonly alternatives: Flow[] }

const hostNetwork = (e: Endpoint) => e.kind === 'pod' && e.pod.spec.hostNetwork === true;
const isPodNetwork = (e: Endpoint): e is { kind: 'pod'; pod: PodModel } => e.kind === 'pod' && !hostNetwork(e);

export function label(e: Endpoint): string {
  if (e.kind === 'pod') return hostNetwork(e) ? `${e.pod.id} (host network)` : e.pod.id;
  if (e.kind === 'apiserver') return 'kube-apiserver';
  return e.kind === 'node' ? 'node (kubelet)' : `external ${e.host}`;
}

function ipOf(cluster: Cluster, e: Endpoint): string | undefined {
  if (e.kind === 'external') return cluster.options.externalIP;
  if (e.kind === 'apiserver') return cluster.options.apiServer.ip;
  if (e.kind === 'node' || hostNetwork(e)) return cluster.options.nodeIP;
  return undefined;
}

export function policyTypes(p: K8sObject): string[] {
  return p.spec?.policyTypes ?? (p.spec?.egress ? ['Ingress', 'Egress'] : ['Ingress']);
}

function policiesSelecting(cluster: Cluster, pod: PodModel, type: string): K8sObject[] {
  return cluster.objects.filter((o) => o.kind === 'NetworkPolicy' && (o.metadata.namespace ?? 'default') === pod.namespace
    && matches(o.spec?.podSelector ?? {}, pod.labels) && policyTypes(o).includes(type));
}

function peerMatches(cluster: Cluster, policyNs: string, peer: any, other: Endpoint): boolean {
  if (peer.ipBlock) {
    const ip = ipOf(cluster, other);
    return ip !== undefined && inCidr(ip, peer.ipBlock.cidr) && !(peer.ipBlock.except ?? []).some((c: string) => inCidr(ip, c));
  }
  if (!isPodNetwork(other)) return false;
  const nsOk = peer.namespaceSelector ? matches(peer.namespaceSelector, cluster.namespaceLabels(other.pod.namespace)) : other.pod.namespace === policyNs;
  return nsOk && (peer.podSelector ? matches(peer.podSelector, other.pod.labels) : true);
}

function portMatches(rulePorts: any[] | undefined, dst: Endpoint, port: number, protocol: string): boolean {
  if (!rulePorts || rulePorts.length === 0) return true;
  return rulePorts.some((rp) => {
    if ((rp.protocol ?? 'TCP') !== protocol) return false;
    if (rp.port === undefined) return true;
    if (typeof rp.port === 'number') return port >= rp.port && port <= (rp.endPort ?? rp.port);
    if (/^\d+$/.test(rp.port)) return port === Number(rp.port);
    return dst.kind === 'pod' && podPorts(dst.pod).some((p) => p.name === rp.port && p.port === port && p.protocol === protocol);
  });
}

/** Why the flow is blocked, or undefined when it passes. */
export function blocked(cluster: Cluster, f: Flow): string | undefined {
  if (isPodNetwork(f.from)) {
    const pols = policiesSelecting(cluster, f.from.pod, 'Egress');
    const ok = pols.length === 0 || pols.some((p) => (p.spec.egress ?? []).some((r: any) =>
      portMatches(r.ports, f.to, f.port, f.protocol) && (!r.to || r.to.length === 0 || r.to.some((peer: any) => peerMatches(cluster, p.metadata.namespace ?? 'default', peer, f.to)))));
    if (!ok) return `egress of ${f.from.pod.namespace} policies [${pols.map((p) => p.metadata.name).join(', ')}]`;
  }
  if (isPodNetwork(f.to)) {
    const pols = policiesSelecting(cluster, f.to.pod, 'Ingress');
    const ok = pols.length === 0 || pols.some((p) => (p.spec.ingress ?? []).some((r: any) =>
      portMatches(r.ports, f.to, f.port, f.protocol) && (!r.from || r.from.length === 0 || r.from.some((peer: any) => peerMatches(cluster, p.metadata.namespace ?? 'default', peer, f.from)))));
    if (!ok) return `ingress of ${f.to.pod.namespace} policies [${pols.map((p) => p.metadata.name).join(', ')}]`;
  }
  return undefined;
}

const podEp = (pod: PodModel): Endpoint => ({ kind: 'pod', pod });

/** Demands to reach a Service: one per backend pod, on the Service port given (or any of its ports). */
export function serviceDemands(cluster: Cluster, from: PodModel, svc: ServiceModel, pick: (p: ServiceModel['ports'][number]) => boolean, why: string): Demand[] {
  const ports = svc.ports.filter(pick);
  if (svc.nodeEndpoints) return [{ why, alternatives: ports.map((p) => ({ from: podEp(from), to: { kind: 'node' }, port: Number(p.targetPort), protocol: p.protocol })) }];
  return cluster.podsOf(svc).map((pod) => ({
    why,
    alternatives: ports.flatMap((p) => {
      const port = targetPortOn(pod, p.targetPort, p.protocol);
      return port === undefined ? [] : [{ from: podEp(from), to: podEp(pod), port, protocol: p.protocol }];
    }),
  })).filter((d) => d.alternatives.length > 0);
}

function addressDemands(cluster: Cluster, from: PodModel, text: string, why: string): Demand[] {
  const out: Demand[] = [];
  for (const a of serviceAddresses(text)) {
    const svc = cluster.service(a.namespace, a.name);
    if (!svc) continue; // the references check reports it
    // A server naming its own Service advertises it (etcd's advertise-client-urls); it does not connect to it.
    const toOthers = (d: Demand) => !d.alternatives.some((f) => f.to.kind === 'pod' && f.to.pod === from);
    out.push(...serviceDemands(cluster, from, svc, (p) => a.port === undefined || p.port === a.port, `${why} ${a.text}`).filter(toOthers));
  }
  const ext = externalAddress(text);
  if (ext) out.push({ why: `${why} ${ext.text}`, alternatives: [{ from: podEp(from), to: { kind: 'external', host: ext.host }, port: ext.port, protocol: 'TCP' }] });
  return out;
}

/** Every connection the manifests imply. */
export function demands(cluster: Cluster): Demand[] {
  const out: Demand[] = [];
  const appPods = cluster.pods.filter((p) => !p.system);
  const system = (name: string) => cluster.pods.find((p) => p.system && p.id.endsWith(`/${name}`))!;
  const dns = system('kube-dns');
  for (const pod of appPods.filter((p) => p.spec.hostNetwork !== true)) {
    for (const protocol of ['UDP', 'TCP']) out.push({ why: `cluster DNS (${protocol})`, alternatives: [{ from: podEp(pod), to: podEp(dns), port: 53, protocol }] });
  }
  // Pods whose ServiceAccount has RBAC bindings use the API (watches, service discovery, metadata).
  const bound = new Set(cluster.objects.filter((o) => o.kind === 'RoleBinding' || o.kind === 'ClusterRoleBinding')
    .flatMap((b) => (b.subjects ?? []).filter((s: any) => s.kind === 'ServiceAccount').map((s: any) => `${s.namespace ?? b.metadata.namespace}/${s.name}`)));
  for (const pod of appPods.filter((p) => bound.has(`${p.namespace}/${p.spec.serviceAccountName ?? 'default'}`) && p.spec.automountServiceAccountToken !== false)) {
    out.push({ why: 'Kubernetes API (RBAC-bound ServiceAccount)', alternatives: [{ from: podEp(pod), to: { kind: 'apiserver' }, port: cluster.options.apiServer.port, protocol: 'TCP' }] });
  }
  // Addresses in env, args, config files and CR specs.
  for (const pod of appPods) {
    for (const s of new Set(podConfigStrings(cluster, pod))) out.push(...addressDemands(cluster, pod, s, 'configured address'));
  }
  // Prometheus scrapes, and sends alerts.
  for (const t of resolveScrapes(cluster).targets) {
    for (const from of cluster.pods.filter((p) => p.owner === t.prometheus)) {
      const to: Endpoint = t.node ? { kind: 'node' } : podEp(t.pod!);
      out.push({ why: `scrape by ${t.monitor.kind} ${t.monitor.metadata.namespace}/${t.monitor.metadata.name}`, alternatives: [{ from: podEp(from), to, port: t.port, protocol: t.protocol }] });
    }
  }
  for (const prom of prometheuses(cluster)) {
    for (const from of cluster.pods.filter((p) => p.owner === prom)) {
      for (const am of prom.spec?.alerting?.alertmanagers ?? []) {
        const svc = cluster.service(am.namespace ?? prom.metadata.namespace, am.name);
        if (svc) out.push(...serviceDemands(cluster, from, svc, (p) => p.name === am.port || p.port === am.port, `alerts to Alertmanager Service ${svc.namespace}/${svc.name}`));
      }
    }
    for (const probe of probes(cluster).filter((x) => selects(cluster, prom, x, 'probeSelector', 'probeNamespaceSelector'))) {
      const svc = proberService(cluster, probe);
      if (!svc) continue; // the references check reports it
      const port = Number(String(probe.spec.prober.url).split(':')[1] ?? 80);
      for (const from of cluster.pods.filter((p) => p.owner === prom)) {
        out.push(...serviceDemands(cluster, from, svc, (p) => p.port === port, `probe ${probe.metadata.name} via prober`));
      }
      for (const prober of cluster.podsOf(svc)) {
        for (const target of probe.spec?.targets?.staticConfig?.static ?? []) out.push(...addressDemands(cluster, prober, target, `probe target of ${probe.metadata.name}`));
      }
    }
  }
  // ECK: Stack applications reach Elasticsearch through <es>-es-http; the operator calls every cluster; nodes talk on transport.
  for (const o of cluster.objects.filter((x) => x.apiVersion.includes('.k8s.elastic.co/'))) {
    const refs = [o.spec?.elasticsearchRef, ...(o.spec?.elasticsearchRefs ?? [])].filter((r) => r?.name);
    for (const ref of refs) {
      const svc = cluster.service(ref.namespace ?? o.metadata.namespace, `${ref.name}-es-http`);
      if (!svc) continue;
      for (const from of cluster.pods.filter((p) => p.owner === o)) out.push(...serviceDemands(cluster, from, svc, () => true, `${o.kind} elasticsearchRef ${ref.name}`));
    }
    if (o.kind === 'Elasticsearch') {
      const esPods = cluster.pods.filter((p) => p.owner === o);
      const http = cluster.service(o.metadata.namespace ?? 'default', `${o.metadata.name}-es-http`)!;
      out.push(...serviceDemands(cluster, system('elastic-operator'), http, () => true, 'ECK operator manages Elasticsearch'));
      for (const a of esPods) for (const b of esPods) out.push({ why: 'Elasticsearch transport', alternatives: [{ from: podEp(a), to: podEp(b), port: 9300, protocol: 'TCP' }] });
    }
  }
  for (const am of cluster.objects.filter((x) => x.kind === 'Alertmanager' && (x.spec?.replicas ?? 1) > 1)) {
    for (const p of cluster.pods.filter((x) => x.owner === am)) {
      for (const protocol of ['TCP', 'UDP']) out.push({ why: 'Alertmanager cluster mesh', alternatives: [{ from: podEp(p), to: podEp(p), port: 9094, protocol }] });
    }
  }
  // The ingress controller forwards to each backend.
  const controller = system('ingress-controller');
  for (const ing of cluster.objects.filter((x) => x.kind === 'Ingress')) {
    const backends = [ing.spec?.defaultBackend, ...(ing.spec?.rules ?? []).flatMap((r: any) => (r.http?.paths ?? []).map((p: any) => p.backend))].filter((b) => b?.service);
    for (const b of backends) {
      const svc = cluster.service(ing.metadata.namespace ?? 'default', b.service.name);
      if (svc) out.push(...serviceDemands(cluster, controller, svc, (p) => p.name === b.service.port?.name || p.port === b.service.port?.number, `Ingress ${ing.metadata.name} backend`));
    }
  }
  return out;
}

/** The Service behind a Probe's `prober.url` (`<svc>.<ns>[.svc[.cluster.local]]:<port>`). */
function proberService(cluster: Cluster, probe: K8sObject): ServiceModel | undefined {
  const [name, ns] = String(probe.spec?.prober?.url ?? '').split(':')[0].split('.');
  return ns ? cluster.service(ns, name) : undefined;
}

export function checkNetwork(cluster: Cluster): Finding[] {
  const seen = new Set<string>();
  const findings: Finding[] = [];
  for (const d of demands(cluster)) {
    const reasons = d.alternatives.map((f) => ({ f, why: blocked(cluster, f) }));
    if (reasons.some((r) => r.why === undefined)) continue;
    const { f, why } = reasons[0];
    const message = `${label(f.from)} → ${label(f.to)}:${f.port}/${f.protocol} (${d.why}) is blocked by the ${why}`;
    const object = f.from.kind === 'pod' ? f.from.pod.id : label(f.from);
    if (!seen.has(object + message)) { seen.add(object + message); findings.push({ object, check: 'network', message }); }
  }
  return findings;
}

