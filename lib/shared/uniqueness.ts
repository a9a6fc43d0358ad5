import { ApiObject, Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { fail } from './validation';

/** Kinds without a namespace: their names are unique in the whole cluster. */
const CLUSTER_SCOPED = new Set([
  'Namespace', 'Node', 'PersistentVolume', 'ClusterRole', 'ClusterRoleBinding', 'PriorityClass', 'StorageClass', 'IngressClass',
  'RuntimeClass', 'CSIDriver', 'CustomResourceDefinition', 'APIService', 'ValidatingWebhookConfiguration',
  'MutatingWebhookConfiguration', 'ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding', 'ClusterIssuer',
]);

/** The API group of an apiVersion (`apps/v1` → `apps`, `v1` → core). */
function group(apiVersion: string): string {
  return apiVersion.includes('/') ? apiVersion.split('/')[0] : '';
}

/**
 * Two objects with the same kind, namespace and name anywhere in the app would overwrite each
 * other when applied: an error naming both construct paths.
 */
export function checkUniqueObjects(root: IConstruct): void {
  const seen = new Map<string, ApiObject>();
  for (const c of root.node.findAll()) {
    if (!(c instanceof ApiObject)) continue;
    const namespace = CLUSTER_SCOPED.has(c.kind) ? '' : c.metadata.namespace ?? Chart.of(c).namespace ?? 'default';
    const key = `${group(c.apiVersion)}/${c.kind}/${namespace}/${c.name}`;
    const first = seen.get(key);
    if (first) {
      const where = namespace ? ` in namespace ${namespace}` : '';
      fail(c, 'name', c.name, `is already used by another ${c.kind}${where} (${first.node.path}): object names must be unique per kind and namespace; give one of them another name`);
    }
    seen.set(key, c);
  }
}
