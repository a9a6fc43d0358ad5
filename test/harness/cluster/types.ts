/** Shapes shared by the cluster-semantics checks. */
export type K8sObject = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> }; [k: string]: any };

export type CheckName = 'references' | 'network' | 'admission' | 'alerts' | 'duplicates' | 'size' | 'exposure' | 'privilege' | 'host-ports';

/** One thing the cluster would reject or get wrong, attributed to the object that causes it. */
export interface Finding {
  /** `Kind namespace/name` (or `Kind name` for cluster-scoped objects). */
  readonly object: string;
  readonly check: CheckName;
  readonly message: string;
}

/**
 * Something the app relies on but does not create: a Secret an operator team provides, a CRD,
 * an operator, a controller. The library exports its list (`PREREQUISITES`) in this shape.
 */
export interface Prerequisite {
  readonly kind: string;
  /** Absent for cluster-scoped things (CRDs, IngressClasses, operators described by name). */
  readonly namespace?: string;
  readonly name: string;
  /** For Secrets and ConfigMaps: the keys the app reads. When given, references to other keys are findings. */
  readonly keys?: readonly string[];
  /** Labels it carries (what selectors match), e.g. of a Service an operator keeps. */
  readonly labels?: Record<string, string>;
  /** Why it must exist and who provides it. */
  readonly reason: string;
}

export interface ClusterOptions {
  /** Objects that exist before the app is applied. @default [] */
  readonly prerequisites?: readonly Prerequisite[];
  /** Namespace of the ingress controller's pods. @default the namespace of a `Controller` prerequisite, else 'ingress-nginx' */
  readonly ingressNamespace?: string;
  /** Labels of the ingress controller's pods. @default ingress-nginx's controller labels */
  readonly ingressControllerLabels?: Record<string, string>;
  /** Namespace of the ECK operator (it calls every Elasticsearch on 9200). @default the namespace of the `Operator` prerequisite `elastic-operator`, else 'elastic-system' */
  readonly eckOperatorNamespace?: string;
  /** An IPv4 address of a node: host-network pods (node-exporter, kubelet) are reached at it. @default '10.0.0.10' */
  readonly nodeIP?: string;
  /** An IPv4 address outside the cluster (object store, webhook receivers). @default '203.0.113.10' */
  readonly externalIP?: string;
  /**
   * Where the `kubernetes` Service sends API clients (after DNAT: the control plane's address and
   * port). Pods whose ServiceAccount is bound to a Role/ClusterRole in the output talk to it.
   * @default { ip: '10.0.0.2', port: 6443 }
   */
  readonly apiServer?: { readonly ip: string; readonly port: number };
  /**
   * The ECK version that will run: it decides the init containers ECK adds (2.16.1 renamed
   * Kibana's `elastic-internal-init-config` to `elastic-internal-init`). @default '2.16.1'
   */
  readonly eckVersion?: string;
  /** Pod Security level assumed for namespaces not in the output. @default 'restricted' */
  readonly unlabelledNamespaceLevel?: PodSecurityLevel;
  /** Check the size of a Helm release holding every object but the CRDs. @default true */
  readonly helmRelease?: boolean;
  /** Run only these checks. @default every check */
  readonly checks?: readonly CheckName[];
}

export type PodSecurityLevel = 'privileged' | 'baseline' | 'restricted';

export function describe(o: K8sObject): string {
  return o.metadata.namespace ? `${o.kind} ${o.metadata.namespace}/${o.metadata.name}` : `${o.kind} ${o.metadata.name}`;
}
