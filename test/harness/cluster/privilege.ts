/**
 * Least privilege of what the app grants: no ServiceAccount may read Secrets cluster-wide, and no
 * Role/ClusterRole bound to one may use wildcards (they grow with every new resource type).
 */
import { Cluster, objectId } from './model';
import { Finding, K8sObject } from './types';

const READ = ['get', 'list', 'watch', '*'];

export function checkPrivilege(cluster: Cluster): Finding[] {
  const findings: Finding[] = [];
  const role = (kind: string, name: string, ns?: string) =>
    cluster.objects.find((o) => o.kind === kind && o.metadata.name === name && (kind === 'ClusterRole' || o.metadata.namespace === ns));
  for (const binding of cluster.objects.filter((o) => (o.kind === 'ClusterRoleBinding' || o.kind === 'RoleBinding') && (o.subjects ?? []).some((s: any) => s.kind === 'ServiceAccount'))) {
    const r: K8sObject | undefined = role(binding.roleRef?.kind, binding.roleRef?.name, binding.metadata.namespace);
    if (!r) continue; // the references check reports it
    const clusterWide = binding.kind === 'ClusterRoleBinding';
    for (const rule of r.rules ?? []) {
      const resources: string[] = rule.resources ?? [];
      const verbs: string[] = rule.verbs ?? [];
      if (resources.includes('*') || verbs.includes('*') || (rule.apiGroups ?? []).includes('*')) {
        findings.push({ object: objectId(r), check: 'privilege', message: `wildcard rule ${JSON.stringify(rule)} bound by ${objectId(binding)}` });
      } else if (clusterWide && (rule.apiGroups ?? ['']).includes('') && resources.includes('secrets') && verbs.some((v) => READ.includes(v))) {
        findings.push({ object: objectId(r), check: 'privilege', message: `reads Secrets in every namespace (${verbs.join(', ')}), bound by ${objectId(binding)}` });
      }
    }
  }
  return findings;
}
