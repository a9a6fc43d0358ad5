/**
 * Size limits the API server and the tools enforce:
 *  - a ConfigMap's or Secret's data must stay under 1 MiB;
 *  - `kubectl apply` (client-side) stores the whole object as JSON in the
 *    `kubectl.kubernetes.io/last-applied-configuration` annotation, and all annotations together
 *    must stay under 256 KiB (262144 bytes);
 *  - Helm 3 stores a release in a Secret: the release JSON (manifest plus the chart's templates)
 *    gzipped and base64-encoded, which must stay under 1 MiB. CRDs in `crds/` are not part of it.
 */
import { gzipSync } from 'zlib';
import * as YAML from 'yaml';
import { Cluster, objectId } from './model';
import { Finding, K8sObject } from './types';

export const MiB = 1024 * 1024;
export const ANNOTATIONS_LIMIT = 256 * 1024;

export function dataBytes(o: K8sObject): number {
  const b64 = (v: any) => Buffer.from(String(v), 'base64').length;
  const utf8 = (v: any) => Buffer.byteLength(String(v), 'utf8');
  const sum = (obj: Record<string, any> | undefined, size: (v: any) => number) => Object.entries(obj ?? {}).reduce((n, [k, v]) => n + utf8(k) + size(v), 0);
  return o.kind === 'Secret' ? sum(o.data, b64) + sum(o.stringData, utf8) : sum(o.data, utf8) + sum(o.binaryData, b64);
}

/** The bytes of annotations a client-side apply writes: the object's JSON as the annotation, plus the other annotations. */
export function lastAppliedBytes(o: K8sObject): number {
  const others = Object.entries(o.metadata.annotations ?? {}).reduce((n, [k, v]) => n + Buffer.byteLength(k) + Buffer.byteLength(v), 0);
  return Buffer.byteLength('kubectl.kubernetes.io/last-applied-configuration') + Buffer.byteLength(JSON.stringify(o)) + others;
}

/** Size of the Helm release Secret payload: base64(gzip(release JSON)), the release holding the manifest and the chart templates. */
export function helmReleaseBytes(objects: K8sObject[]): number {
  const manifest = objects.filter((o) => o.kind !== 'CustomResourceDefinition').map((o) => `---\n${YAML.stringify(o)}`).join('');
  const release = { name: 'release', manifest, chart: { templates: [{ name: 'templates/all.yaml', data: Buffer.from(manifest).toString('base64') }] }, version: 1 };
  return gzipSync(Buffer.from(JSON.stringify(release))).toString('base64').length;
}

export function checkSizes(cluster: Cluster): Finding[] {
  const findings: Finding[] = [];
  for (const o of cluster.objects) {
    if ((o.kind === 'ConfigMap' || o.kind === 'Secret') && dataBytes(o) >= MiB) {
      findings.push({ object: objectId(o), check: 'size', message: `data is ${dataBytes(o)} bytes, over the 1 MiB limit` });
    }
    if (lastAppliedBytes(o) > ANNOTATIONS_LIMIT) {
      findings.push({ object: objectId(o), check: 'size', message: `client-side kubectl apply would write ${lastAppliedBytes(o)} bytes of annotations (last-applied-configuration), over the 262144-byte limit` });
    }
  }
  if (cluster.options.helmRelease) {
    const bytes = helmReleaseBytes(cluster.objects);
    if (bytes >= MiB) findings.push({ object: 'Helm release', check: 'size', message: `the release Secret would hold ${bytes} bytes (gzip+base64, CRDs excluded), over the 1 MiB limit` });
  }
  return findings;
}
