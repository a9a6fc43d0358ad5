/**
 * Every object an object names must exist: in the output, made by an operator (see operators.ts),
 * built into every cluster, or listed in the prerequisites. Secret/ConfigMap keys are checked when
 * the holder's keys are known.
 */
import { configSources, dataStrings, podConfigStrings, serviceAddresses } from './addresses';
import { allContainers, Cluster, objectId, PodModel, scope, targetPortOn } from './model';
import { probes, resolveScrapes } from './scrape';
import { matches } from './selectors';
import { Finding, K8sObject } from './types';

const BUILTIN_CLUSTER_ROLES = new Set(['cluster-admin', 'admin', 'edit', 'view']);
const BUILTIN_GROUPS = new Set(['', 'apps', 'batch', 'autoscaling', 'policy', 'networking.k8s.io', 'rbac.authorization.k8s.io', 'storage.k8s.io',
  'apiextensions.k8s.io', 'admissionregistration.k8s.io', 'scheduling.k8s.io', 'coordination.k8s.io', 'discovery.k8s.io', 'certificates.k8s.io',
  'node.k8s.io', 'flowcontrol.apiserver.k8s.io', 'apiregistration.k8s.io', 'events.k8s.io', 'authentication.k8s.io', 'authorization.k8s.io']);

/** `<plural>.<group>` of a custom resource (plural by the English rules CRDs follow), or undefined for built-in kinds. */
export function crdName(o: K8sObject): string | undefined {
  const group = o.apiVersion.includes('/') ? o.apiVersion.split('/')[0] : '';
  if (BUILTIN_GROUPS.has(group)) return undefined;
  const kind = o.kind.toLowerCase();
  const plural = /(s|x|ch|sh)$/.test(kind) ? `${kind}es` : /[^aeiou]y$/.test(kind) ? `${kind.slice(0, -1)}ies` : `${kind}s`;
  return `${plural}.${group}`;
}

export function checkReferences(cluster: Cluster): Finding[] {
  const findings: Finding[] = [];
  const seen = new Set<string>();
  const report = (object: string, message: string) => {
    if (!seen.has(object + message)) { seen.add(object + message); findings.push({ object, check: 'references', message }); }
  };
  /** Reports unless kind/ns/name exists (and has the key, when keys are known). */
  const need = (object: string, kind: string, ns: string | undefined, name: string | undefined, via: string, key?: string) => {
    if (!name) return;
    if (kind === 'ClusterRole' && (BUILTIN_CLUSTER_ROLES.has(name) || name.startsWith('system:'))) return;
    const found = cluster.find(kind, ns, name);
    const where = ns ? `${ns}/${name}` : name;
    if (!found) report(object, `${via}: ${kind} ${where} does not exist (not in the output, not made by an operator, not a prerequisite)`);
    else if (key !== undefined && found.keys && !found.keys.includes(key)) report(object, `${via}: ${kind} ${where} has no key "${key}" (it has ${found.keys.join(', ') || 'none'})`);
  };

  // A missing namespace is reported once, on itself, not on each object in it.
  const namespaces = [...new Set(cluster.objects.map(scope).filter((ns): ns is string => ns !== undefined))];
  for (const ns of namespaces) need(`Namespace ${ns}`, 'Namespace', undefined, ns, `${cluster.objects.filter((o) => scope(o) === ns).length} objects are in it`);
  // Custom resources need their CRD, serving their version: in the output or a prerequisite.
  const crdsNeeded = new Map<string, string>();
  for (const o of cluster.objects) {
    const crd = crdName(o);
    if (crd && !crdsNeeded.has(crd)) crdsNeeded.set(crd, objectId(o));
  }
  for (const [crd, first] of crdsNeeded) {
    const inOutput = cluster.objects.find((o) => o.kind === 'CustomResourceDefinition' && o.metadata.name === crd);
    if (!inOutput) need(first, 'CustomResourceDefinition', undefined, crd, 'custom resource');
    const versions = (inOutput?.spec?.versions ?? []).filter((v: any) => v.served !== false).map((v: any) => v.name);
    for (const o of cluster.objects.filter((x) => inOutput && crdName(x) === crd && !versions.includes(x.apiVersion.split('/')[1]))) {
      report(objectId(o), `apiVersion ${o.apiVersion} is not served by CustomResourceDefinition ${crd} (serves ${versions.join(', ')})`);
    }
  }
  for (const o of cluster.objects) {
    const id = objectId(o);
    const ns = scope(o);
    if (o.kind === 'Ingress') {
      if (o.spec?.ingressClassName) need(id, 'IngressClass', undefined, o.spec.ingressClassName, 'ingressClassName');
      for (const t of o.spec?.tls ?? []) need(id, 'Secret', ns, t.secretName, 'tls.secretName');
      const backends = [o.spec?.defaultBackend, ...(o.spec?.rules ?? []).flatMap((r: any) => (r.http?.paths ?? []).map((p: any) => p.backend))].filter((b) => b?.service);
      for (const b of backends) {
        const svc = cluster.service(ns!, b.service.name);
        if (!svc) need(id, 'Service', ns, b.service.name, 'backend');
        else if (!svc.ports.some((p) => p.name === b.service.port?.name || p.port === b.service.port?.number)) report(id, `backend port ${JSON.stringify(b.service.port)} is not a port of Service ${ns}/${svc.name}`);
      }
    }
    if (o.kind === 'Service' && o.spec?.selector && Object.keys(o.spec.selector).length > 0) {
      const svc = cluster.service(ns!, o.metadata.name)!;
      const pods = cluster.podsOf(svc);
      if (pods.length === 0) report(id, `selector ${JSON.stringify(o.spec.selector)} matches no pod`);
      // A named targetPort a backend pod does not declare gives that pod no endpoint on the port.
      for (const p of svc.ports) for (const pod of pods) if (targetPortOn(pod, p.targetPort, p.protocol) === undefined) report(id, `port ${p.name ?? p.port}: targetPort "${p.targetPort}" is no ${p.protocol} container port of ${pod.id}`);
    }
    if (o.kind === 'PodDisruptionBudget' && !cluster.pods.some((p) => p.namespace === ns && matches(o.spec?.selector ?? {}, p.labels))) report(id, 'selector matches no pod');
    if (o.kind === 'HorizontalPodAutoscaler') need(id, o.spec?.scaleTargetRef?.kind, ns, o.spec?.scaleTargetRef?.name, 'scaleTargetRef');
    if (o.kind === 'RoleBinding' || o.kind === 'ClusterRoleBinding') {
      need(id, o.roleRef?.kind, o.roleRef?.kind === 'Role' ? ns : undefined, o.roleRef?.name, 'roleRef');
      for (const s of o.subjects ?? []) if (s.kind === 'ServiceAccount') need(id, 'ServiceAccount', s.namespace ?? ns, s.name, 'subject');
    }
    if (o.apiVersion.startsWith('monitoring.coreos.com/')) monitoringRefs(cluster, o, need, report);
    if (o.apiVersion.includes('.k8s.elastic.co/')) {
      for (const ref of [o.spec?.elasticsearchRef, ...(o.spec?.elasticsearchRefs ?? [])].filter((r) => r?.name)) need(id, 'Elasticsearch', ref.namespace ?? ns, ref.name, 'elasticsearchRef');
      if (o.spec?.kibanaRef?.name) need(id, 'Kibana', o.spec.kibanaRef.namespace ?? ns, o.spec.kibanaRef.name, 'kibanaRef');
      for (const s of o.spec?.secureSettings ?? []) need(id, 'Secret', ns, s.secretName, 'secureSettings');
      need(id, 'Secret', ns, o.spec?.http?.tls?.certificate?.secretName, 'http.tls.certificate');
      for (const r of o.spec?.auth?.fileRealm ?? []) need(id, 'Secret', ns, r.secretName, 'auth.fileRealm');
      for (const r of o.spec?.auth?.roles ?? []) need(id, 'Secret', ns, r.secretName, 'auth.roles');
      for (const c of o.spec?.configRef ? [o.spec.configRef] : []) need(id, 'Secret', ns, c.secretName, 'configRef');
    }
  }
  for (const pod of cluster.pods.filter((p) => !p.system)) podRefs(cluster, pod, need, report);
  for (const p of resolveScrapes(cluster).problems) report(objectId(p.monitor), p.message);
  return findings;
}

type Need = (object: string, kind: string, ns: string | undefined, name: string | undefined, via: string, key?: string) => void;
type Report = (object: string, message: string) => void;

function podRefs(cluster: Cluster, pod: PodModel, need: Need, report: Report): void {
  const s = pod.spec;
  const ns = pod.namespace;
  const id = pod.id;
  const claimTemplates = new Set((pod.owner?.spec?.volumeClaimTemplates ?? []).map((t: any) => t.metadata?.name));
  need(id, 'ServiceAccount', ns, s.serviceAccountName ?? 'default', 'serviceAccountName');
  need(id, 'PriorityClass', undefined, s.priorityClassName, 'priorityClassName');
  for (const r of s.imagePullSecrets ?? []) need(id, 'Secret', ns, r.name, 'imagePullSecrets');
  for (const v of s.volumes ?? []) {
    if (v.secret && !v.secret.optional) for (const k of keysOr(v.secret.items)) need(id, 'Secret', ns, v.secret.secretName, `volume ${v.name}`, k);
    if (v.configMap && !v.configMap.optional) for (const k of keysOr(v.configMap.items)) need(id, 'ConfigMap', ns, v.configMap.name, `volume ${v.name}`, k);
    if (v.persistentVolumeClaim && !claimTemplates.has(v.name)) need(id, 'PersistentVolumeClaim', ns, v.persistentVolumeClaim.claimName, `volume ${v.name}`);
    for (const src of v.projected?.sources ?? []) {
      if (src.secret && !src.secret.optional) for (const k of keysOr(src.secret.items)) need(id, 'Secret', ns, src.secret.name, `volume ${v.name}`, k);
      if (src.configMap && !src.configMap.optional) for (const k of keysOr(src.configMap.items)) need(id, 'ConfigMap', ns, src.configMap.name, `volume ${v.name}`, k);
    }
  }
  for (const c of allContainers(s)) {
    // A subPath into a whole ConfigMap/Secret volume names one of its keys: a missing key fails the container start.
    for (const m of c.volumeMounts ?? []) {
      const v = (s.volumes ?? []).find((x: any) => x.name === m.name);
      if (!m.subPath || !v) continue;
      if (v.configMap && !v.configMap.items && !v.configMap.optional) need(id, 'ConfigMap', ns, v.configMap.name, `container ${c.name} subPath ${m.subPath}`, m.subPath);
      if (v.secret && !v.secret.items && !v.secret.optional) need(id, 'Secret', ns, v.secret.secretName, `container ${c.name} subPath ${m.subPath}`, m.subPath);
    }
    for (const e of c.env ?? []) {
      const sk = e.valueFrom?.secretKeyRef;
      if (sk && !sk.optional) need(id, 'Secret', ns, sk.name, `container ${c.name} env ${e.name}`, sk.key);
      const ck = e.valueFrom?.configMapKeyRef;
      if (ck && !ck.optional) need(id, 'ConfigMap', ns, ck.name, `container ${c.name} env ${e.name}`, ck.key);
    }
    for (const e of c.envFrom ?? []) {
      if (e.secretRef && !e.secretRef.optional) need(id, 'Secret', ns, e.secretRef.name, `container ${c.name} envFrom`);
      if (e.configMapRef && !e.configMapRef.optional) need(id, 'ConfigMap', ns, e.configMapRef.name, `container ${c.name} envFrom`);
    }
  }
  for (const text of new Set(podConfigStrings(cluster, pod))) addressRefs(cluster, id, text, 'configured address', need, report);
  eckTlsRefs(cluster, pod, report);
}

/**
 * ECK serves Elasticsearch/Kibana HTTP with TLS from its own self-signed CA unless told otherwise:
 * a plain pod calling `https://<es>-es-http…` must read the CA (`<es>-es-http-certs-public`, or the
 * Secret of a custom certificate), or every request fails certificate verification.
 */
function eckTlsRefs(cluster: Cluster, pod: PodModel, report: Report): void {
  if (pod.owner?.apiVersion.includes('.k8s.elastic.co/')) return; // ECK wires the CA into its own Stack applications
  const read = new Set(configSources(pod.spec).filter((x) => x.kind === 'Secret').map((x) => x.name));
  for (const c of allContainers(pod.spec)) for (const e of c.env ?? []) if (e.valueFrom?.secretKeyRef) read.add(e.valueFrom.secretKeyRef.name);
  for (const text of new Set(podConfigStrings(cluster, pod))) {
    for (const a of serviceAddresses(text)) {
      const m = /^(.+)-(es|kb)-http$/.exec(a.name);
      const cr = m && cluster.objects.find((o) => o.kind === (m[2] === 'es' ? 'Elasticsearch' : 'Kibana') && o.metadata.name === m[1] && (o.metadata.namespace ?? 'default') === a.namespace);
      if (!cr || cr.spec?.http?.tls?.selfSignedCertificate?.disabled === true || !text.includes(`https://${a.text}`)) continue;
      const ca = cr.spec?.http?.tls?.certificate?.secretName ?? `${a.name}-certs-public`;
      if (!read.has(ca)) report(pod.id, `configured address https://${a.text}: TLS from the ECK CA, but the pod reads no Secret ${a.namespace}/${ca} (ca.crt)`);
    }
  }
}

const keysOr = (items: { key: string }[] | undefined): (string | undefined)[] => (items && items.length > 0 ? items.map((i) => i.key) : [undefined]);

function addressRefs(cluster: Cluster, id: string, text: string, via: string, need: Need, report: Report): void {
  for (const a of serviceAddresses(text)) {
    const svc = cluster.service(a.namespace, a.name);
    if (!svc) need(id, 'Service', a.namespace, a.name, `${via} ${a.text}`);
    else if (a.port !== undefined && !svc.ports.some((p) => p.port === a.port)) report(id, `${via} ${a.text}: Service ${a.namespace}/${a.name} has no port ${a.port}`);
  }
}

function monitoringRefs(cluster: Cluster, o: K8sObject, need: Need, report: Report): void {
  const id = objectId(o);
  const ns = o.metadata.namespace ?? 'default';
  if (o.kind === 'Prometheus' || o.kind === 'Alertmanager') {
    for (const s of o.spec?.secrets ?? []) need(id, 'Secret', ns, s, 'spec.secrets');
    for (const c of o.spec?.configMaps ?? []) need(id, 'ConfigMap', ns, c, 'spec.configMaps');
  }
  if (o.kind === 'Alertmanager') {
    need(id, 'Secret', ns, o.spec?.configSecret ?? `alertmanager-${o.metadata.name}`, 'configSecret');
    // Receiver credentials read from the mounted Secrets: /etc/alertmanager/secrets/<secret>/<key>.
    const config = cluster.find('Secret', ns, o.spec?.configSecret ?? `alertmanager-${o.metadata.name}`);
    const secret = config && cluster.objects.find((x) => x.kind === 'Secret' && x.metadata.namespace === ns && x.metadata.name === config.name);
    for (const text of secret ? dataStrings(secret) : []) {
      for (const m of text.matchAll(/\/etc\/alertmanager\/secrets\/([^/\s"]+)\/([^/\s"]+)/g)) {
        if (!(o.spec?.secrets ?? []).includes(m[1])) report(id, `configuration reads ${m[0]} but spec.secrets does not mount Secret ${m[1]}`);
        if (cluster.find('Secret', ns, m[1])) need(id, 'Secret', ns, m[1], 'receiver credential file', m[2]);
      }
    }
  }
  if (o.kind === 'Prometheus') {
    for (const am of o.spec?.alerting?.alertmanagers ?? []) {
      const svc = cluster.service(am.namespace ?? ns, am.name);
      if (!svc) need(id, 'Service', am.namespace ?? ns, am.name, 'alerting.alertmanagers');
      else if (!svc.ports.some((p) => p.name === am.port || p.port === am.port)) report(id, `alerting.alertmanagers: Service ${svc.namespace}/${svc.name} has no port ${am.port}`);
      else if (cluster.podsOf(svc).length === 0 && !svc.nodeEndpoints) report(id, `alerting.alertmanagers: Service ${svc.namespace}/${svc.name} selects no pod`);
    }
  }
  if (o.kind === 'Probe' && probes(cluster).includes(o)) {
    const url = o.spec?.prober?.url as string | undefined;
    if (url) addressRefs(cluster, id, url.includes('.svc') ? url : `${url.split(':')[0]}.svc:${url.split(':')[1] ?? 80}`, 'prober.url', need, report);
    for (const t of o.spec?.targets?.staticConfig?.static ?? []) addressRefs(cluster, id, t, 'static target', need, report);
  }
}
