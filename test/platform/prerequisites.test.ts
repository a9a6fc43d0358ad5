// Issue #8 (minor): the prerequisites (Secrets with keys, operators, CRDs, controllers, the operator's
// --kubelet-service flag) were documented nowhere. Now a typed list is exported and the README prints it.
import * as fs from 'fs';
import * as path from 'path';
import { Testing } from 'cdk8s';
import { MediaAiPlatform, PREREQUISITES, prerequisitesMarkdown } from '../../lib';
import { K8sObject, only, synthAppValid } from '../harness/synth';

const README = fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');
const app = Testing.app();
const platform = new MediaAiPlatform(app, 'media-ai');
const objects = synthAppValid(app);

/** Every (namespace, Secret, key) the objects read; key undefined for whole-Secret references. */
function secretReferences(all: K8sObject[]): Array<{ where: string; namespace: string; name: string; key?: string }> {
  const refs: Array<{ where: string; namespace: string; name: string; key?: string }> = [];
  for (const o of all) {
    const ns = o.metadata.namespace ?? 'default';
    const where = `${o.kind} ${ns}/${o.metadata.name}`;
    const pods = [o.spec?.template?.spec, o.spec?.jobTemplate?.spec?.template?.spec, o.spec?.podTemplate?.spec, o.spec?.daemonSet?.podTemplate?.spec,
      ...(o.spec?.nodeSets ?? []).map((n: any) => n.podTemplate?.spec)].filter(Boolean);
    for (const pod of pods) {
      for (const c of [...(pod.containers ?? []), ...(pod.initContainers ?? [])]) {
        for (const e of c.env ?? []) if (e.valueFrom?.secretKeyRef) refs.push({ where, namespace: ns, name: e.valueFrom.secretKeyRef.name, key: e.valueFrom.secretKeyRef.key });
      }
      for (const v of pod.volumes ?? []) if (v.secret) refs.push({ where, namespace: ns, name: v.secret.secretName });
    }
    for (const t of o.kind === 'Ingress' ? o.spec.tls ?? [] : []) refs.push({ where, namespace: ns, name: t.secretName });
    for (const name of o.kind === 'Alertmanager' ? o.spec.secrets ?? [] : []) refs.push({ where, namespace: ns, name });
    // The Alertmanager configuration reads keys of the Secrets the operator mounts, as files.
    for (const [, name, key] of o.kind === 'Secret' ? JSON.stringify(o.stringData ?? {}).matchAll(/\/etc\/alertmanager\/secrets\/([a-z0-9.-]+)\/([A-Za-z0-9._-]+)/g) : []) {
      refs.push({ where, namespace: ns, name, key });
    }
    for (const r of o.kind === 'Elasticsearch' ? [...o.spec.auth?.fileRealm ?? [], ...o.spec.auth?.roles ?? []] : []) refs.push({ where, namespace: ns, name: r.secretName });
  }
  return refs;
}

// Secrets ECK creates for the Elasticsearch cluster `logs` and the Kibana `kibana` (documented ECK behaviour).
const OPERATOR_SECRETS = new Set(['monitoring/logs-es-http-certs-public', 'monitoring/kibana-kb-http-certs-public']);

describe('PREREQUISITES', () => {
  test('the README "Prerequisites" section is the exported list, rendered', () => {
    const block = /<!-- prerequisites:start -->\n([\s\S]*?)\n<!-- prerequisites:end -->/.exec(README);
    expect(block).not.toBeNull();
    expect(block![1]).toBe(prerequisitesMarkdown(PREREQUISITES));
  });

  test('every Secret the reference platform reads is created, made by an operator, or a prerequisite with that key', () => {
    const created = new Set(objects.filter((o) => o.kind === 'Secret').map((o) => `${o.metadata.namespace}/${o.metadata.name}`));
    const listed = new Map(PREREQUISITES.filter((p) => p.kind === 'Secret').map((p) => [`${p.namespace}/${p.name}`, p.keys ?? []]));
    const refs = secretReferences(objects);
    expect(refs.length).toBeGreaterThan(30);
    const missing = refs.filter((r) => {
      const id = `${r.namespace}/${r.name}`;
      if (created.has(id) || OPERATOR_SECRETS.has(id)) return false;
      const keys = listed.get(id);
      return keys === undefined || (r.key !== undefined && !keys.includes(r.key));
    });
    expect(missing).toEqual([]);
    // No stale entry: each listed Secret, and each listed key, is read somewhere.
    const read = new Set(refs.map((r) => `${r.namespace}/${r.name}`));
    const readKeys = new Set(refs.filter((r) => r.key).map((r) => `${r.namespace}/${r.name}:${r.key}`));
    for (const [id, keys] of listed) {
      expect([id, read.has(id)]).toEqual([id, true]);
      // ECK reads the file-realm Secrets' keys itself; the tls Secret's keys are read by the ingress controller.
      if (!/es-user-|-tls$/.test(id)) for (const key of keys) expect([id, key, readKeys.has(`${id}:${key}`)]).toEqual([id, key, true]);
    }
    expect(platform.prerequisites).toEqual([...PREREQUISITES]);
  });

  test('the kubelet Service the operator keeps (--kubelet-service) is what the kubelet ServiceMonitor selects', () => {
    const operator = PREREQUISITES.find((p) => p.kind === 'Operator' && p.name === 'prometheus-operator')!;
    expect(operator.flags).toEqual(['--kubelet-service=kube-system/kubelet']);
    const kubelet = PREREQUISITES.find((p) => p.kind === 'Service' && p.name === 'kubelet')!;
    const monitor = only(objects, 'ServiceMonitor', 'kubelet').spec;
    expect(monitor.namespaceSelector.matchNames).toEqual([kubelet.namespace]);
    for (const [k, v] of Object.entries<string>(monitor.selector.matchLabels)) expect(kubelet.labels![k]).toBe(v);
  });

  test('operators, CRDs and controllers: every custom resource kind the platform renders has its CRD listed', () => {
    const crds = new Set(PREREQUISITES.filter((p) => p.kind === 'CustomResourceDefinition').map((p) => p.name));
    const plural = (kind: string) => (/(s|sh|ch)$/.test(kind) ? `${kind}es` : `${kind}s`).toLowerCase();
    const custom = [...new Set(objects.filter((o) => /\.(coreos\.com|elastic\.co)\//.test(o.apiVersion)).map((o) => `${plural(o.kind)}.${o.apiVersion.split('/')[0]}`))];
    expect(custom.length).toBeGreaterThanOrEqual(9);
    for (const c of custom) expect([c, crds.has(c)]).toEqual([c, true]);
    const ingressClasses = new Set(objects.filter((o) => o.kind === 'Ingress').map((o) => o.spec.ingressClassName));
    for (const c of ingressClasses) expect(PREREQUISITES.some((p) => p.kind === 'IngressClass' && p.name === c)).toBe(true);
  });
});
