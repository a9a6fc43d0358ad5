/**
 * What the operators make from their custom resources, modelled from their documentation and
 * source, so the other checks see the cluster the operators will produce:
 *  - Prometheus Operator (v0.7x): StatefulSets `prometheus-<name>` / `alertmanager-<name>` with
 *    the `config-reloader` sidecar and `init-config-reloader` init container (both with
 *    allowPrivilegeEscalation false, readOnlyRootFilesystem, drop ALL; no seccomp: that comes from
 *    the CR's pod securityContext), the governing Services `prometheus-operated` /
 *    `alertmanager-operated`, and the generated config Secrets.
 *  - ECK (elastic/cloud-on-k8s `pkg/controller/*`, read at tags v2.14.0–v2.16.1 and v3.0.0):
 *    Elasticsearch pods with the init containers `elastic-internal-init-filesystem` and
 *    `elastic-internal-suspend`; every container without a securityContext gets
 *    `securitycontext.For(version)` (privileged/escalation false, read-only root, drop ALL from
 *    stack 8.0, runAsNonRoot from 8.8) and the pod fsGroup 1000. Kibana before ECK 2.16.1 adds
 *    `elastic-internal-init-config` with only `privileged: false`; from 2.16.1 `elastic-internal-init`
 *    with no securityContext at all (added after the defaults are applied); the kibana container
 *    gets the hardened default. Logstash adds `logstash-internal-init-config` with only
 *    `privileged: false`, as does the keystore init container `elastic-internal-init-keystore`
 *    added with spec.secureSettings (any Stack application); Services `<es>-es-http`, `<es>-es-transport`, `<kb>-kb-http`,
 *    `<ls>-ls-api`, `<ls>-ls-<service>`; Secrets `<es>-es-elastic-user`, `<es>-es-http-certs-public`, …
 * A podTemplate container with the same name as an operator container is merged over it (the
 * template's fields win), as both operators do.
 */
import type { ContainerPort, NamedObject, PodModel, ServiceModel, ServicePort } from './model';
import { K8sObject } from './types';

export interface OperatorOutput {
  readonly pods: PodModel[];
  readonly services: ServiceModel[];
  readonly named: NamedObject[];
}

const PROMETHEUS_OPERATOR = 'Prometheus Operator';
const ECK = 'ECK';
const HARDENED = { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } };

export interface OperatorVersions {
  /** ECK version, `major.minor.patch`. */
  readonly eckVersion: string;
}

export function operatorOutput(o: K8sObject, versions: OperatorVersions = { eckVersion: '2.16.1' }): OperatorOutput | undefined {
  const group = o.apiVersion.split('/')[0];
  if (group === 'monitoring.coreos.com' && o.kind === 'Prometheus') return prometheus(o);
  if (group === 'monitoring.coreos.com' && o.kind === 'Alertmanager') return alertmanager(o);
  if (group === 'elasticsearch.k8s.elastic.co' && o.kind === 'Elasticsearch') return elasticsearch(o);
  if (group === 'kibana.k8s.elastic.co' && o.kind === 'Kibana') return kibana(o, versionAtLeast(versions.eckVersion, 2, 16, 1));
  if (group === 'logstash.k8s.elastic.co' && o.kind === 'Logstash') return logstash(o);
  if (group === 'beat.k8s.elastic.co' && o.kind === 'Beat') return beat(o);
  return undefined;
}

/** Deep merge: objects merge key by key, anything else from `over` replaces `base`. */
export function deepMerge(base: any, over: any): any {
  if (over === undefined) return base;
  if (base === null || over === null || typeof base !== 'object' || typeof over !== 'object' || Array.isArray(base) || Array.isArray(over)) return over;
  const out: any = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = deepMerge(base[k], v);
  return out;
}

/**
 * Operator containers with the template's same-named containers merged over them, then the
 * template's others. The Prometheus Operator applies a strategic merge patch (securityContext
 * merges field by field); ECK's PodTemplateBuilder keeps the user's container and fills only
 * unset fields, so a template securityContext replaces the operator's whole.
 */
function mergeContainers(operator: any[], template: any[] = [], wholeSecurityContext = false): any[] {
  const merge = (c: any, t: any) => (t && wholeSecurityContext && t.securityContext ? { ...deepMerge(c, t), securityContext: t.securityContext } : deepMerge(c, t));
  const merged = operator.map((c) => merge(c, template.find((t) => t.name === c.name)));
  return [...merged, ...template.filter((t) => !operator.some((c) => c.name === t.name))];
}

const ports = (list: ContainerPort[]) => list.map((p) => ({ name: p.name, containerPort: p.port, protocol: p.protocol }));
const svcPorts = (list: ContainerPort[]): ServicePort[] => list.map((p) => ({ name: p.name, port: p.port, targetPort: p.name ?? p.port, protocol: p.protocol }));
const tcp = (name: string, port: number): ContainerPort => ({ name, port, protocol: 'TCP' });

function pod(o: K8sObject, labels: Record<string, string>, spec: any): PodModel {
  return { id: `${o.kind} ${o.metadata.namespace}/${o.metadata.name}`, owner: o, namespace: o.metadata.namespace ?? 'default', labels, spec };
}

function service(namespace: string, name: string, selector: Record<string, string>, list: ServicePort[], origin: string): ServiceModel {
  return { namespace, name, labels: {}, selector, ports: list, origin };
}

function named(kind: string, namespace: string, names: string[], origin: string, keys?: Record<string, string[]>): NamedObject[] {
  return names.map((name) => ({ kind, namespace, name, origin, keys: keys?.[name] }));
}

function prometheusOperatorPod(o: K8sObject, app: string, main: any, extraLabels: Record<string, string>): PodModel {
  const s = o.spec ?? {};
  const name = o.metadata.name;
  const reloader = { name: 'config-reloader', ports: ports([tcp('reloader-web', 8080)]), securityContext: HARDENED };
  const labels = {
    ...(s.podMetadata?.labels ?? {}),
    'app.kubernetes.io/name': app, 'app.kubernetes.io/instance': name, 'app.kubernetes.io/managed-by': 'prometheus-operator', [app]: name, ...extraLabels,
  };
  return pod(o, labels, {
    ...s,
    serviceAccountName: s.serviceAccountName ?? 'default',
    // Without spec.securityContext the operator sets this default.
    securityContext: s.securityContext ?? { runAsUser: 1000, runAsNonRoot: true, fsGroup: 2000 },
    hostNetwork: s.hostNetwork ?? false,
    containers: mergeContainers([{ ...main, securityContext: HARDENED }, reloader], s.containers),
    initContainers: mergeContainers([{ name: 'init-config-reloader', securityContext: HARDENED }], s.initContainers),
  });
}

function prometheus(o: K8sObject): OperatorOutput {
  const ns = o.metadata.namespace ?? 'default';
  const name = o.metadata.name;
  const web = tcp('web', 9090);
  return {
    pods: [prometheusOperatorPod(o, 'prometheus', { name: 'prometheus', ports: ports([web]) }, { 'operator.prometheus.io/name': name, 'operator.prometheus.io/shard': '0' })],
    services: [service(ns, 'prometheus-operated', { 'app.kubernetes.io/name': 'prometheus' }, svcPorts([web]), PROMETHEUS_OPERATOR)],
    named: [
      ...named('Secret', ns, [`prometheus-${name}`, `prometheus-${name}-tls-assets-0`, `prometheus-${name}-web-config`], PROMETHEUS_OPERATOR),
      ...named('ConfigMap', ns, [`prometheus-${name}-rulefiles-0`], PROMETHEUS_OPERATOR),
      ...named('StatefulSet', ns, [`prometheus-${name}`], PROMETHEUS_OPERATOR),
      ...named('Service', ns, ['prometheus-operated'], PROMETHEUS_OPERATOR),
    ],
  };
}

function alertmanager(o: K8sObject): OperatorOutput {
  const ns = o.metadata.namespace ?? 'default';
  const name = o.metadata.name;
  const list = [tcp('web', 9093), tcp('mesh-tcp', 9094), { name: 'mesh-udp', port: 9094, protocol: 'UDP' }];
  const svc = [{ name: 'web', port: 9093, targetPort: 'web', protocol: 'TCP' }, { name: 'tcp-mesh', port: 9094, targetPort: 9094, protocol: 'TCP' }, { name: 'udp-mesh', port: 9094, targetPort: 9094, protocol: 'UDP' }];
  return {
    pods: [prometheusOperatorPod(o, 'alertmanager', { name: 'alertmanager', ports: ports(list) }, {})],
    services: [service(ns, 'alertmanager-operated', { 'app.kubernetes.io/name': 'alertmanager' }, svc, PROMETHEUS_OPERATOR)],
    named: [
      ...named('Secret', ns, [`alertmanager-${name}-generated`, `alertmanager-${name}-tls-assets-0`, `alertmanager-${name}-web-config`], PROMETHEUS_OPERATOR),
      ...named('StatefulSet', ns, [`alertmanager-${name}`], PROMETHEUS_OPERATOR),
      ...named('Service', ns, ['alertmanager-operated'], PROMETHEUS_OPERATOR),
    ],
  };
}

function versionAtLeast(version: string | undefined, major: number, minor: number, patch = 0): boolean {
  const [ma, mi, pa] = (version ?? '0.0.0').split('.').map((x) => parseInt(x, 10) || 0);
  return ma !== major ? ma > major : mi !== minor ? mi > minor : pa >= patch;
}

/** With spec.secureSettings ECK adds a keystore init container that sets only `privileged: false`. */
const KEYSTORE_INIT = { name: 'elastic-internal-init-keystore', securityContext: { privileged: false } };

function eckPod(o: K8sObject, template: any, identity: Record<string, string>, main: any, operatorInit: any[], podDefaults: any = {}): PodModel {
  const spec = template?.spec ?? {};
  const init = (o.spec?.secureSettings ?? []).length > 0 ? [...operatorInit, KEYSTORE_INIT] : operatorInit;
  return pod(o, { ...(template?.metadata?.labels ?? {}), ...identity }, {
    ...spec,
    // ECK sets its pod securityContext only when the template has none.
    securityContext: spec.securityContext ?? podDefaults,
    containers: mergeContainers([main], spec.containers, true),
    initContainers: mergeContainers(init, spec.initContainers, true),
  });
}

function elasticsearch(o: K8sObject): OperatorOutput {
  const ns = o.metadata.namespace ?? 'default';
  const es = o.metadata.name;
  const v = o.spec?.version;
  const sc = {
    privileged: false, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false,
    ...(versionAtLeast(v, 8, 0) ? { capabilities: { drop: ['ALL'] } } : {}),
    ...(versionAtLeast(v, 8, 8) ? { runAsNonRoot: true } : {}),
  };
  const list = [tcp('https', 9200), tcp('transport', 9300)];
  const selector = { 'common.k8s.elastic.co/type': 'elasticsearch', 'elasticsearch.k8s.elastic.co/cluster-name': es };
  const pods = (o.spec?.nodeSets ?? []).map((set: any) => eckPod(o, set.podTemplate,
    { ...selector, 'elasticsearch.k8s.elastic.co/statefulset-name': `${es}-es-${set.name}` },
    { name: 'elasticsearch', ports: ports(list), securityContext: sc },
    [{ name: 'elastic-internal-init-filesystem', securityContext: sc }, { name: 'elastic-internal-suspend', securityContext: sc }],
    versionAtLeast(v, 8, 0) ? { fsGroup: 1000 } : {}));
  return {
    pods,
    services: [
      service(ns, `${es}-es-http`, selector, [{ name: 'https', port: 9200, targetPort: 9200, protocol: 'TCP' }], ECK),
      service(ns, `${es}-es-internal-http`, selector, [{ name: 'https', port: 9200, targetPort: 9200, protocol: 'TCP' }], ECK),
      service(ns, `${es}-es-transport`, selector, [{ name: 'tls-transport', port: 9300, targetPort: 9300, protocol: 'TCP' }], ECK),
      ...(o.spec?.nodeSets ?? []).map((set: any) => service(ns, `${es}-es-${set.name}`, { ...selector, 'elasticsearch.k8s.elastic.co/statefulset-name': `${es}-es-${set.name}` }, svcPorts(list), ECK)),
    ],
    named: [
      ...named('Secret', ns, [`${es}-es-elastic-user`, `${es}-es-http-certs-public`, `${es}-es-http-certs-internal`, `${es}-es-http-ca-internal`,
        `${es}-es-transport-certs-public`, `${es}-es-transport-ca-internal`, `${es}-es-internal-users`, `${es}-es-xpack-file-realm`, `${es}-es-remote-ca`, `${es}-es-file-settings`], ECK,
      { [`${es}-es-elastic-user`]: ['elastic'], [`${es}-es-http-certs-public`]: ['ca.crt', 'tls.crt'] }),
      ...named('ConfigMap', ns, [`${es}-es-scripts`, `${es}-es-unicast-hosts`], ECK),
      ...named('Service', ns, [`${es}-es-http`, `${es}-es-internal-http`, `${es}-es-transport`], ECK),
    ],
  };
}

function kibana(o: K8sObject, renamedInit: boolean): OperatorOutput {
  const ns = o.metadata.namespace ?? 'default';
  const kb = o.metadata.name;
  const tls = o.spec?.http?.tls?.selfSignedCertificate?.disabled !== true;
  const identity = { 'common.k8s.elastic.co/type': 'kibana', 'kibana.k8s.elastic.co/name': kb };
  const sc = versionAtLeast(o.spec?.version, 7, 10)
    ? { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, privileged: false, readOnlyRootFilesystem: true, runAsUser: 1000, runAsGroup: 1000 } : undefined;
  const http = tcp(tls ? 'https' : 'http', 5601);
  return {
    pods: [eckPod(o, o.spec?.podTemplate, identity, { name: 'kibana', ports: ports([http]), securityContext: sc },
      [renamedInit ? { name: 'elastic-internal-init' } : { name: 'elastic-internal-init-config', securityContext: { privileged: false } }], { fsGroup: 1000 })],
    services: [service(ns, `${kb}-kb-http`, identity, [{ name: http.name, port: 5601, targetPort: 5601, protocol: 'TCP' }], ECK)],
    named: [
      ...named('Secret', ns, [`${kb}-kb-config`, `${kb}-kb-http-certs-public`, `${kb}-kb-http-certs-internal`, `${kb}-kb-es-ca`, `${kb}-kibana-user`], ECK),
      ...named('Service', ns, [`${kb}-kb-http`], ECK),
    ],
  };
}

function logstash(o: K8sObject): OperatorOutput {
  const ns = o.metadata.namespace ?? 'default';
  const ls = o.metadata.name;
  const identity = { 'common.k8s.elastic.co/type': 'logstash', 'logstash.k8s.elastic.co/name': ls };
  const user = (o.spec?.services ?? []).filter((s: any) => s.name !== 'api').map((s: any) => service(ns, `${ls}-ls-${s.name}`, identity,
    (s.service?.spec?.ports ?? []).map((p: any) => ({ name: p.name, port: p.port, targetPort: p.targetPort ?? p.port, protocol: p.protocol ?? 'TCP' })), ECK));
  return {
    pods: [eckPod(o, o.spec?.podTemplate, identity, { name: 'logstash', ports: ports([tcp('http', 9600)]) },
      [{ name: 'logstash-internal-init-config', securityContext: { privileged: false } }], { fsGroup: 1000 })],
    services: [service(ns, `${ls}-ls-api`, identity, [{ name: 'api', port: 9600, targetPort: 9600, protocol: 'TCP' }], ECK), ...user],
    named: [
      ...named('Secret', ns, [`${ls}-ls-config`, `${ls}-ls-pipeline`], ECK),
      ...named('Service', ns, [`${ls}-ls-api`, ...user.map((s: ServiceModel) => s.name)], ECK),
    ],
  };
}

function beat(o: K8sObject): OperatorOutput {
  const ns = o.metadata.namespace ?? 'default';
  const name = o.metadata.name;
  const template = o.spec?.daemonSet?.podTemplate ?? o.spec?.deployment?.podTemplate;
  const identity = { 'common.k8s.elastic.co/type': 'beat', 'beat.k8s.elastic.co/name': name };
  return {
    pods: [eckPod(o, template, identity, { name: o.spec?.type ?? 'beat' }, [])],
    services: [],
    named: named('Secret', ns, [`${name}-beat-config`], ECK),
  };
}
