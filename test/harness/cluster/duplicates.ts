/** Two objects with the same identity overwrite each other; one endpoint scraped twice doubles series and alerts. */
import { Cluster, objectId, scope } from './model';
import { resolveScrapes } from './scrape';
import { Finding } from './types';

export function checkDuplicates(cluster: Cluster): Finding[] {
  const findings: Finding[] = [];
  const seen = new Map<string, number>();
  for (const o of cluster.objects) {
    const k = `${o.apiVersion.includes('/') ? o.apiVersion.split('/')[0] : ''}/${o.kind}/${scope(o) ?? ''}/${o.metadata.name}`;
    seen.set(k, (seen.get(k) ?? 0) + 1);
    if (seen.get(k) === 2) findings.push({ object: objectId(o), check: 'duplicates', message: 'declared more than once in the app (same group, kind, namespace and name)' });
  }
  const scrapes = new Map<string, { monitor: string; via: string }[]>();
  for (const t of resolveScrapes(cluster).targets) {
    const target = t.node ? `nodes:${t.port}` : `${t.pod!.id}:${t.port}`;
    const k = `${objectId(t.prometheus)} scrapes ${target}${t.path}`;
    scrapes.set(k, [...(scrapes.get(k) ?? []), { monitor: objectId(t.monitor), via: `${t.monitor.kind} ${t.monitor.metadata.name}${t.via ? ` via Service ${t.via.name}` : ''}` }]);
  }
  for (const [k, list] of scrapes) {
    if (list.length > 1) findings.push({ object: list[0].monitor, check: 'duplicates', message: `${k} ${list.length} times (${list.map((x) => x.via).join('; ')})` });
  }
  return findings;
}
