/**
 * Exposure: a pod served through a TLS Ingress must not be reachable around it, in plain text.
 * Found when a LoadBalancer/NodePort Service selects it, or when its NetworkPolicies admit any
 * source (a rule without peers, or an ipBlock covering outside addresses) on the backend port.
 */
import { Cluster, objectId, targetPortOn } from './model';
import { blocked } from './network';
import { Finding } from './types';

export function checkExposure(cluster: Cluster): Finding[] {
  const findings: Finding[] = [];
  const seen = new Set<string>();
  const report = (object: string, message: string) => {
    if (!seen.has(object + message)) { seen.add(object + message); findings.push({ object, check: 'exposure', message }); }
  };
  for (const ing of cluster.objects.filter((o) => o.kind === 'Ingress' && (o.spec?.tls ?? []).length > 0)) {
    const ns = ing.metadata.namespace ?? 'default';
    const backends = (ing.spec?.rules ?? []).flatMap((r: any) => (r.http?.paths ?? []).map((p: any) => p.backend?.service)).filter(Boolean);
    for (const b of backends) {
      const svc = cluster.service(ns, b.name);
      const sp = svc?.ports.find((p) => p.name === b.port?.name || p.port === b.port?.number);
      if (!svc || !sp) continue; // the references check reports it
      for (const pod of cluster.podsOf(svc)) {
        for (const other of cluster.objects.filter((o) => o.kind === 'Service' && (o.metadata.namespace ?? 'default') === ns && ['LoadBalancer', 'NodePort'].includes(o.spec?.type))) {
          if (cluster.podsOf(cluster.service(ns, other.metadata.name)!).includes(pod)) {
            report(objectId(other), `type ${other.spec.type} exposes ${pod.id}, the backend of TLS ${objectId(ing)}, outside the cluster without its TLS`);
          }
        }
        const port = targetPortOn(pod, sp.targetPort, sp.protocol);
        if (port === undefined) continue;
        const fromAnywhere = blocked(cluster, { from: { kind: 'external', host: 'any client' }, to: { kind: 'pod', pod }, port, protocol: sp.protocol });
        if (fromAnywhere === undefined) report(pod.id, `its NetworkPolicies admit any source on port ${port}, around the TLS of ${objectId(ing)} (admit the ingress controller only)`);
      }
    }
  }
  return findings;
}
