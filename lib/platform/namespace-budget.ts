import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { parseBytes, parseMillicores, PART_OF } from '../shared';
import { ClusterCapacity } from './capacity';

/** Sizes of a namespace's ResourceQuota and LimitRange. */
export interface NamespaceBudgetProps {
  /** The namespace. */
  readonly namespace: string;
  /** The cluster the shares are of. */
  readonly capacity: ClusterCapacity;
  /** Share of the cluster's allocatable CPU, memory, pods and storage budget the namespace may request, in %. */
  readonly sharePercent: number;
}

/** Pods a node runs at most (the kubelet's default `maxPods`). */
const PODS_PER_NODE = 110;

/**
 * A ResourceQuota of a share of the environment's cluster (requests, pods, storage), and a
 * LimitRange that gives containers without resources a small default and caps one container at
 * one node's allocatable. The capacity report checks that the namespace's objects at the HPA
 * maximum fit the quota, so the synth fails before the API server would refuse pods.
 */
export class NamespaceBudget extends Construct {
  constructor(scope: Construct, id: string, props: NamespaceBudgetProps) {
    super(scope, id);
    const { namespace, capacity } = props;
    const share = props.sharePercent / 100;
    const labels = { 'app.kubernetes.io/part-of': PART_OF, 'app.kubernetes.io/managed-by': 'cdk8s' };
    const storage = Object.values(capacity.storage).reduce((s, q) => s + (parseBytes(q) ?? 0), 0);
    new k8s.KubeResourceQuota(this, 'Quota', {
      metadata: { name: 'platform-budget', namespace, labels },
      spec: {
        hard: {
          'pods': k8s.Quantity.fromString(String(Math.floor(share * capacity.nodes * PODS_PER_NODE))),
          'requests.cpu': k8s.Quantity.fromString(`${Math.floor(share * capacity.nodes * (parseMillicores(capacity.allocatableCpu) ?? 0))}m`),
          'requests.memory': k8s.Quantity.fromString(`${Math.floor((share * capacity.nodes * (parseBytes(capacity.allocatableMemory) ?? 0)) / 2 ** 20)}Mi`),
          'requests.storage': k8s.Quantity.fromString(`${Math.floor((share * storage) / 2 ** 30)}Gi`),
        },
      },
    });
    new k8s.KubeLimitRange(this, 'Limits', {
      metadata: { name: 'platform-defaults', namespace, labels },
      spec: {
        limits: [{
          type: 'Container',
          defaultRequest: { cpu: k8s.Quantity.fromString('50m'), memory: k8s.Quantity.fromString('64Mi') },
          default: { cpu: k8s.Quantity.fromString('500m'), memory: k8s.Quantity.fromString('256Mi') },
          max: { cpu: k8s.Quantity.fromString(capacity.allocatableCpu), memory: k8s.Quantity.fromString(capacity.allocatableMemory) },
        }],
      },
    });
  }
}
