import { k8s } from 'cdk8s-plus-27';
import { Chart, Lazy } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { EnvValue } from './env';

/** Something pods can be told apart by: a set of pod labels in a namespace. */
export interface INetworkEndpoint extends IConstruct {
  /** Labels that select exactly this endpoint's pods. */
  readonly podSelector: Record<string, string>;
  /** Namespace of the pods; undefined means the namespace the manifests are applied to. */
  readonly namespace?: string;
  /** The policy governing these pods, so a connection can open both sides. */
  readonly network: NetworkRules;
}

export interface NetworkPort {
  readonly port: number;
  /** @default 'TCP' */
  readonly protocol?: 'TCP' | 'UDP';
}

/** The namespace a construct's objects land in: the chart's namespace. */
export function namespaceOf(scope: IConstruct): string | undefined {
  return Chart.of(scope).namespace;
}

/** Selects a whole namespace by the label Kubernetes sets on every namespace. */
export function namespacePeer(namespace: string, podLabels?: Record<string, string>): k8s.NetworkPolicyPeer {
  return {
    namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': namespace } },
    ...(podLabels ? { podSelector: { matchLabels: podLabels } } : {}),
  };
}

/** A peer selecting an endpoint as seen from a policy in `fromNamespace` (cross-namespace aware). */
export function endpointPeer(fromNamespace: string | undefined, endpoint: INetworkEndpoint): k8s.NetworkPolicyPeer {
  if (endpoint.namespace && endpoint.namespace !== fromNamespace) {
    return namespacePeer(endpoint.namespace, endpoint.podSelector);
  }
  return { podSelector: { matchLabels: endpoint.podSelector } };
}

function toPorts(ports: NetworkPort[]): k8s.NetworkPolicyPort[] {
  return ports.map((p) => ({ port: k8s.IntOrString.fromNumber(p.port), protocol: p.protocol ?? 'TCP' }));
}

/**
 * The ingress and egress rules of one workload. Rules are added by methods (connect, monitor)
 * after construction and rendered at synth, deduplicated, in the order they were added.
 */
export class NetworkRules {
  private readonly ingress: k8s.NetworkPolicyIngressRule[] = [];
  private readonly egress: k8s.NetworkPolicyEgressRule[] = [];
  private readonly seen = new Set<string>();

  constructor(public readonly namespace: string | undefined) {}

  /** Admits `from` (every source when empty) on the ports (every port when empty). */
  public allowIngress(from: k8s.NetworkPolicyPeer[], ports: NetworkPort[]): void {
    this.add('in', this.ingress, { ...(from.length ? { from } : {}), ...(ports.length ? { ports: toPorts(ports) } : {}) });
  }

  public allowEgress(to: k8s.NetworkPolicyPeer[], ports: NetworkPort[]): void {
    this.add('out', this.egress, { to, ...(ports.length ? { ports: toPorts(ports) } : {}) });
  }

  public allowIngressFrom(endpoint: INetworkEndpoint, ports: NetworkPort[]): void {
    this.allowIngress([endpointPeer(this.namespace, endpoint)], ports);
  }

  public allowEgressTo(endpoint: INetworkEndpoint, ports: NetworkPort[]): void {
    this.allowEgress([endpointPeer(this.namespace, endpoint)], ports);
  }

  /** DNS lookups to the cluster DNS in kube-system. */
  public allowDns(): void {
    this.allowEgress([namespacePeer('kube-system', { 'k8s-app': 'kube-dns' })], [{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }]);
  }

  /** Egress to addresses outside the cluster (an S3 endpoint, a webhook), on the given ports. */
  public allowEgressToCidr(cidr: string, ports: NetworkPort[], except: string[] = []): void {
    this.allowEgress([{ ipBlock: { cidr, ...(except.length ? { except } : {}) } }], ports);
  }

  /** The rules as rendered; a fresh array so the output cannot be mutated from outside. */
  public get ingressRules(): k8s.NetworkPolicyIngressRule[] {
    return [...this.ingress];
  }

  public get egressRules(): k8s.NetworkPolicyEgressRule[] {
    return [...this.egress];
  }

  private add<T>(direction: string, list: T[], rule: T): void {
    const key = direction + JSON.stringify(rule);
    if (this.seen.has(key)) return;
    this.seen.add(key);
    list.push(rule);
  }
}

/** Opens both sides: the client's egress to the server and the server's ingress from the client. */
export function openConnection(client: INetworkEndpoint, server: INetworkEndpoint, ports: NetworkPort[]): void {
  client.network.allowEgressTo(server, ports);
  server.network.allowIngressFrom(client, ports);
}

/**
 * A NetworkPolicy for one workload: default deny in both directions except the rules
 * collected in `endpoint.network` (rendered lazily, so later connections are included).
 */
export function workloadNetworkPolicy(scope: Construct, id: string, name: string, labels: Record<string, string>, endpoint: INetworkEndpoint, namespace?: string): k8s.KubeNetworkPolicy {
  return new k8s.KubeNetworkPolicy(scope, id, {
    metadata: { name, namespace, labels },
    spec: {
      podSelector: { matchLabels: endpoint.podSelector },
      policyTypes: ['Ingress', 'Egress'],
      ingress: Lazy.any({ produce: () => endpoint.network.ingressRules }),
      egress: Lazy.any({ produce: () => endpoint.network.egressRules }),
    },
  });
}

/** Something an ApiService can connect to: it opens its side of the network and says how to reach it. */
export interface IConnectable {
  /**
   * Called by `api.connect(target)`: admits the client on the target's ports and returns the
   * environment variables the client needs, in order.
   */
  bindClient(client: INetworkEndpoint): ConnectionBinding;
}

export interface ConnectionBinding {
  /** Environment variables for the client, in the order they must be defined. */
  readonly env: ReadonlyArray<readonly [string, EnvValue]>;
  /** The server pods and ports the client's egress must reach. */
  readonly server: INetworkEndpoint;
  readonly ports: NetworkPort[];
}


/**
 * Pods that another controller creates (an operator's StatefulSet, a DaemonSet), seen as a
 * network endpoint: they get a default-deny NetworkPolicy and rules added by connections.
 */
export class PodGroup extends Construct implements INetworkEndpoint {
  public readonly namespace?: string;
  public readonly network: NetworkRules;

  constructor(scope: Construct, id: string, public readonly name: string, public readonly podSelector: Record<string, string>, labels: Record<string, string>, namespace?: string) {
    super(scope, id);
    this.namespace = namespace ?? namespaceOf(this);
    this.network = new NetworkRules(this.namespace);
    workloadNetworkPolicy(this, 'NetworkPolicy', name, labels, this, namespace);
  }
}
