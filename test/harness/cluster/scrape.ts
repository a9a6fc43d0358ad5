/**
 * What each Prometheus scrapes, as the Prometheus Operator builds its configuration: the
 * ServiceMonitors/PodMonitors/Probes its selectors pick, resolved Service → endpoints (pods) → port.
 */
import { Cluster, PodModel, ServiceModel, targetPortOn } from './model';
import { matches, selectsNamespace } from './selectors';
import { K8sObject } from './types';

export interface ScrapeTarget {
  readonly prometheus: K8sObject;
  /** The ServiceMonitor/PodMonitor/Probe that produced it. */
  readonly monitor: K8sObject;
  /** A pod, or the nodes (host-network endpoints of the kubelet Service). */
  readonly pod?: PodModel;
  readonly node?: true;
  readonly port: number;
  readonly protocol: string;
  readonly path: string;
  readonly via?: ServiceModel;
}

export interface ScrapeProblem { readonly monitor: K8sObject; readonly message: string }

const group = (o: K8sObject) => o.apiVersion.split('/')[0];
const isMonitoring = (o: K8sObject, kind: string) => group(o) === 'monitoring.coreos.com' && o.kind === kind;

/** Does this Prometheus pick up the object through its selector and namespace selector (absent selector: none; absent ns selector: own namespace)? */
export function selects(cluster: Cluster, prom: K8sObject, o: K8sObject, selectorField: string, nsSelectorField: string): boolean {
  const selector = prom.spec?.[selectorField];
  if (!selector || !matches(selector, o.metadata.labels)) return false;
  const nsSel = prom.spec?.[nsSelectorField];
  const ns = o.metadata.namespace ?? 'default';
  return nsSel ? matches(nsSel, cluster.namespaceLabels(ns)) : ns === prom.metadata.namespace;
}

export const prometheuses = (cluster: Cluster) => cluster.objects.filter((o) => isMonitoring(o, 'Prometheus'));

export function resolveScrapes(cluster: Cluster): { targets: ScrapeTarget[]; problems: ScrapeProblem[] } {
  const targets: ScrapeTarget[] = [];
  const problems: ScrapeProblem[] = [];
  const monitors = (kind: string) => cluster.objects.filter((o) => isMonitoring(o, kind));
  for (const sm of monitors('ServiceMonitor')) {
    const own = sm.metadata.namespace ?? 'default';
    const services = cluster.services.filter((s) => selectsNamespace(sm.spec?.namespaceSelector, own, s.namespace) && matches(sm.spec?.selector ?? {}, s.labels));
    if (services.length === 0) {
      const where = sm.spec?.namespaceSelector?.any ? 'any namespace' : `namespaces ${(sm.spec?.namespaceSelector?.matchNames ?? [own]).join(', ')}`;
      problems.push({ monitor: sm, message: `selects no Service (${where}, selector ${JSON.stringify(sm.spec?.selector ?? {})})` });
    }
    for (const ep of sm.spec?.endpoints ?? []) {
      for (const svc of services) {
        const sp = ep.port !== undefined ? svc.ports.find((p) => p.name === ep.port) : undefined;
        if (ep.port !== undefined && !sp) { problems.push({ monitor: sm, message: `endpoint port "${ep.port}" is not a port of Service ${svc.namespace}/${svc.name}` }); continue; }
        for (const prom of prometheuses(cluster).filter((p) => selects(cluster, p, sm, 'serviceMonitorSelector', 'serviceMonitorNamespaceSelector'))) {
          const path = ep.path ?? '/metrics';
          if (svc.nodeEndpoints) {
            const port = sp ? Number(sp.targetPort) : Number(ep.targetPort);
            targets.push({ prometheus: prom, monitor: sm, node: true, port, protocol: 'TCP', path, via: svc });
            continue;
          }
          for (const pod of cluster.podsOf(svc)) {
            const port = sp ? targetPortOn(pod, sp.targetPort, sp.protocol) : targetPortOn(pod, ep.targetPort, 'TCP');
            if (port === undefined) { problems.push({ monitor: sm, message: `Service ${svc.namespace}/${svc.name} port "${ep.port ?? ep.targetPort}" names no container port of ${pod.id}` }); continue; }
            targets.push({ prometheus: prom, monitor: sm, pod, port, protocol: 'TCP', path, via: svc });
          }
        }
      }
    }
  }
  for (const pm of monitors('PodMonitor')) {
    const own = pm.metadata.namespace ?? 'default';
    const pods = cluster.pods.filter((p) => !p.system && selectsNamespace(pm.spec?.namespaceSelector, own, p.namespace) && matches(pm.spec?.selector ?? {}, p.labels));
    if (pods.length === 0) problems.push({ monitor: pm, message: 'selects no pod' });
    for (const ep of pm.spec?.podMetricsEndpoints ?? []) {
      for (const prom of prometheuses(cluster).filter((p) => selects(cluster, p, pm, 'podMonitorSelector', 'podMonitorNamespaceSelector'))) {
        for (const pod of pods) {
          const port = targetPortOn(pod, ep.port ?? ep.targetPort, 'TCP');
          if (port === undefined) { problems.push({ monitor: pm, message: `port "${ep.port ?? ep.targetPort}" names no container port of ${pod.id}` }); continue; }
          targets.push({ prometheus: prom, monitor: pm, pod, port, protocol: 'TCP', path: ep.path ?? '/metrics' });
        }
      }
    }
  }
  // A monitor no Prometheus picks up is never scraped (judged only when the app has a Prometheus).
  const fields: Record<string, [string, string]> = {
    ServiceMonitor: ['serviceMonitorSelector', 'serviceMonitorNamespaceSelector'],
    PodMonitor: ['podMonitorSelector', 'podMonitorNamespaceSelector'],
    Probe: ['probeSelector', 'probeNamespaceSelector'],
  };
  const proms = prometheuses(cluster);
  for (const [kind, [sel, nsSel]] of Object.entries(fields)) {
    for (const m of proms.length > 0 ? monitors(kind) : []) {
      if (!proms.some((p) => selects(cluster, p, m, sel, nsSel))) problems.push({ monitor: m, message: `no Prometheus selects this ${kind} (${sel}, ${nsSel}): it is never scraped` });
    }
  }
  return { targets, problems };
}

export const probes = (cluster: Cluster) => cluster.objects.filter((o) => isMonitoring(o, 'Probe'));
