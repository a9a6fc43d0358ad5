import { IConstruct } from 'constructs';
import { EnvValue } from './env';
import { INetworkEndpoint, NetworkPort } from './network';
import { fail } from './validation';

/**
 * Something a client can `connect()` to (a store, another API): `bindClient()` admits the client on
 * the target's ports and says how to reach it; the client sets the variables and opens its egress.
 */
export interface IConnectable extends IConstruct {
  /**
   * Called by `client.connect(target)`: admits the client on the target's ports and returns the
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

export function isConnectable(x: unknown): x is IConnectable {
  return typeof x === 'object' && x !== null && typeof (x as Partial<IConnectable>).bindClient === 'function';
}

/**
 * Refuses a connection the manifests cannot make work: one side in a chart without a namespace
 * (its address and NetworkPolicy peer would point at the other side's namespace).
 */
export function checkConnectionNamespaces(client: INetworkEndpoint, server: INetworkEndpoint): void {
  if ((client.namespace === undefined) !== (server.namespace === undefined)) {
    const [without, other] = client.namespace === undefined ? [client, server] : [server, client];
    fail(client, 'connect()', server.node.path, `cannot reach across namespaces from a chart without a namespace: give the chart of ${without.node.path} a namespace (${other.node.path} is in '${other.namespace}')`);
  }
}

/**
 * Secrets are read in the pod's own namespace: a Secret-backed variable from a server in another
 * namespace is refused, naming the Secret to copy (or give the server a `connectionUrlSecret`
 * that exists in the client's namespace).
 */
export function checkSecretsReachable(client: INetworkEndpoint, binding: ConnectionBinding): void {
  if (binding.server.namespace === client.namespace) return;
  for (const [name, value] of binding.env) {
    if (value.secretName !== undefined) {
      fail(client, 'connect()', binding.server.node.path, `is in namespace '${binding.server.namespace}' and ${name} reads Secret '${value.secretName}' there; a pod reads Secrets only in its own namespace ('${client.namespace}'): copy Secret '${value.secretName}' into '${client.namespace}' (e.g. with External Secrets) and connect with { secretsInClientNamespace: true }, or deploy both in one namespace`);
    }
  }
}
