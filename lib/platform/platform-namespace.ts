import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { checkKnownProps, dnsLabelProp, fail, PART_OF, propKeys } from '../shared';

export interface PlatformNamespaceProps {
  /** Namespace name. @default the construct id */
  readonly name?: string;
  /** Pod Security Standard enforced by Pod Security Admission. @default 'restricted' */
  readonly podSecurity?: 'restricted' | 'baseline' | 'privileged';
  /** Kubernetes version whose Pod Security rules apply. @default 'v1.27' */
  readonly podSecurityVersion?: string;
  /** Add a NetworkPolicy that denies all traffic not allowed by a workload's own policy. @default true */
  readonly defaultDeny?: boolean;
}

const KEYS = propKeys<PlatformNamespaceProps>()({ name: true, podSecurity: true, podSecurityVersion: true, defaultDeny: true });

/** Namespaces Kubernetes creates and runs itself: labelling or default-denying them breaks the cluster. */
const RESERVED = /^(kube-.*|default)$/;

/**
 * A namespace labelled for Pod Security Admission (enforce, audit and warn at the same level),
 * with a default-deny NetworkPolicy so that only declared connections pass.
 */
export class PlatformNamespace extends Construct {
  public readonly name: string;

  constructor(scope: Construct, id: string, props: PlatformNamespaceProps = {}) {
    super(scope, id);
    checkKnownProps(this, 'props', props, KEYS);
    this.name = dnsLabelProp(this, 'name', props.name ?? id);
    if (RESERVED.test(this.name)) {
      fail(this, 'name', this.name, "must not be 'default' or a kube-* namespace: those belong to Kubernetes, and a default-deny policy or Pod Security labels there break the cluster");
    }
    const level = props.podSecurity ?? 'restricted';
    if (!['restricted', 'baseline', 'privileged'].includes(level)) fail(this, 'podSecurity', level, "must be 'restricted', 'baseline' or 'privileged'");
    const version = props.podSecurityVersion ?? 'v1.27';
    if (!/^(v1\.[0-9]+|latest)$/.test(version)) {
      fail(this, 'podSecurityVersion', version, "must be 'latest' or a version such as 'v1.27'");
    }
    const labels: Record<string, string> = { 'app.kubernetes.io/part-of': PART_OF, 'app.kubernetes.io/managed-by': 'cdk8s' };
    for (const mode of ['enforce', 'audit', 'warn']) {
      labels[`pod-security.kubernetes.io/${mode}`] = level;
      labels[`pod-security.kubernetes.io/${mode}-version`] = version;
    }
    new k8s.KubeNamespace(this, 'Namespace', { metadata: { name: this.name, labels } });
    if (props.defaultDeny ?? true) {
      new k8s.KubeNetworkPolicy(this, 'DefaultDeny', {
        metadata: { name: 'default-deny', namespace: this.name, labels },
        spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
      });
    }
  }
}
