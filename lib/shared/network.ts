import { k8s } from 'cdk8s-plus-27';
import { Chart, Lazy } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';

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
  private readonly tagged = new Map<string, { list: unknown[]; rule: unknown; key: string }[]>();

  constructor(public readonly namespace: string | undefined) {}

  /**
   * Admits `from` (every source when empty) on the ports (every port when empty). A `tag` marks a
   * default that `withdraw(tag)` removes again (e.g. scrapes from the default monitoring namespace,
   * replaced by the stack that actually monitors the workload).
   */
  public allowIngress(from: k8s.NetworkPolicyPeer[], ports: NetworkPort[], tag?: string): void {
    this.add('in', this.ingress, { ...(from.length ? { from } : {}), ...(ports.length ? { ports: toPorts(ports) } : {}) }, tag);
  }

  /** Removes the rules added with `tag`. */
  public withdraw(tag: string): void {
    for (const { list, rule, key } of this.tagged.get(tag) ?? []) {
      list.splice(list.indexOf(rule), 1);
      this.seen.delete(key);
    }
    this.tagged.delete(tag);
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

  private add<T>(direction: string, list: T[], rule: T, tag?: string): void {
    const key = direction + JSON.stringify(rule);
    if (this.seen.has(key)) return;
    this.seen.add(key);
    list.push(rule);
    if (tag !== undefined) this.tagged.set(tag, [...(this.tagged.get(tag) ?? []), { list, rule, key }]);
  }
}

/**
 * Opens both sides: the client's egress to the server and the server's ingress from the client.
 * The one way parts meet on the network inside the library (a Milvus and its etcd, a backup Job and
 * its store, Prometheus and an exporter); between constructs a user wires, `client.connect(target)`
 * (IConnectable) does this and also hands over the connection variables. Not exported publicly.
 */
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
