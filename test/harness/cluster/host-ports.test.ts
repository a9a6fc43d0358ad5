/** Harness rule: host ports, each with a fixture that fails and one that passes. */
import { checkCluster } from '.';
import { deployment } from './fixtures';

const hostPorts = (objects: ReturnType<typeof deployment>[]) => checkCluster(objects, { checks: ['host-ports'] }).map((f) => `${f.object}: ${f.message}`);
const exporter = (name: string, ns: string, port: number) => deployment(name, { kind: 'DaemonSet', ns, labels: { app: name }, podSpec: { hostNetwork: true }, ports: [{ name: 'metrics', containerPort: port }] });

describe('host ports (node-exporter of two stacks, hostPort pods)', () => {
  test('two DaemonSets on the host network binding one port: the second is found', () => {
    expect(hostPorts([exporter('node-exporter', 'agents-a', 9100), exporter('node-exporter', 'agents-b', 9100)])).toEqual([
      'DaemonSet agents-b/node-exporter: binds host port 9100/TCP, which DaemonSet agents-a/node-exporter binds on every node: its pods stay Pending wherever both would run (give one of them another port)',
    ]);
  });

  test('a hostPort Deployment against a DaemonSet is found; another port, another protocol or the pod network are not', () => {
    const hostPortPod = deployment('proxy', { ports: [{ name: 'p', containerPort: 8080, hostPort: 9100 } as any] });
    expect(hostPorts([exporter('node-exporter', 'agents', 9100), hostPortPod])).toHaveLength(1);
    expect(hostPorts([exporter('node-exporter', 'agents-a', 9100), exporter('node-exporter', 'agents-b', 9101)])).toEqual([]);
    const udp = deployment('dns', { kind: 'DaemonSet', podSpec: { hostNetwork: true }, ports: [{ name: 'dns', containerPort: 9100, protocol: 'UDP' }] });
    expect(hostPorts([exporter('node-exporter', 'agents', 9100), udp])).toEqual([]);
    const podNetwork = deployment('web', { kind: 'DaemonSet', ports: [{ name: 'metrics', containerPort: 9100 }] });
    expect(hostPorts([exporter('node-exporter', 'agents', 9100), podNetwork])).toEqual([]);
  });

  test('two Deployments with one hostPort are left to the scheduler (spread over nodes), not found', () => {
    const pod = (name: string) => deployment(name, { ports: [{ name: 'p', containerPort: 80, hostPort: 8080 } as any] });
    expect(hostPorts([pod('a'), pod('b')])).toEqual([]);
  });
});
