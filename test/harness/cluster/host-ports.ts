/**
 * Host ports. A pod on the host network binds its container ports on the node; a `hostPort` does the
 * same from the pod network. Two pods binding one port and protocol cannot share a node: the
 * scheduler keeps the second Pending there. A DaemonSet (or an ECK Beat run as one) is on every
 * node, so it clashes with any other workload binding its port: two monitoring stacks that each run
 * node-exporter on 9100, for instance, leave the second one's pods Pending everywhere.
 */
import { Cluster, PodModel } from './model';
import { Finding } from './types';

const onEveryNode = (p: PodModel) => p.owner?.kind === 'DaemonSet' || (p.owner?.kind === 'Beat' && p.owner.spec?.daemonSet !== undefined);

export function checkHostPorts(cluster: Cluster): Finding[] {
  const bound = new Map<string, PodModel[]>();
  for (const pod of cluster.pods.filter((p) => !p.system)) {
    for (const c of pod.spec.containers ?? []) {
      for (const port of c.ports ?? []) {
        const hostPort = pod.spec.hostNetwork === true ? port.containerPort : port.hostPort;
        if (!hostPort) continue;
        const key = `${hostPort}/${port.protocol ?? 'TCP'}`;
        const pods = bound.get(key) ?? [];
        if (!pods.includes(pod)) bound.set(key, [...pods, pod]);
      }
    }
  }
  const findings: Finding[] = [];
  for (const [key, pods] of bound) {
    if (pods.length < 2 || !pods.some(onEveryNode)) continue;
    const first = pods.find(onEveryNode)!;
    for (const pod of pods.filter((p) => p !== first)) {
      findings.push({
        object: pod.id, check: 'host-ports',
        message: `binds host port ${key}, which ${first.id} binds on every node: its pods stay Pending wherever both would run (give one of them another port)`,
      });
    }
  }
  return findings;
}
