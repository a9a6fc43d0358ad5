/** Small hand-written objects for the harness' own tests. */
import { K8sObject, Prerequisite } from './types';

/** The CRDs of the operators the fixtures use, as prerequisites. */
export const OPERATOR_CRDS: Prerequisite[] = [
  ...['prometheuses', 'alertmanagers', 'servicemonitors', 'podmonitors', 'probes', 'prometheusrules'].map((p) => `${p}.monitoring.coreos.com`),
  ...['elasticsearches.elasticsearch', 'kibanas.kibana', 'logstashes.logstash', 'beats.beat'].map((p) => `${p}.k8s.elastic.co`),
].map((name) => ({ kind: 'CustomResourceDefinition', name, reason: 'operator CRD' }));

export const RESTRICTED_POD_SC = { runAsNonRoot: true, runAsUser: 1000, seccompProfile: { type: 'RuntimeDefault' } };
export const RESTRICTED_SC = { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, readOnlyRootFilesystem: true };

export function namespace(name: string, enforce = 'restricted', labels: Record<string, string> = {}): K8sObject {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: { 'pod-security.kubernetes.io/enforce': enforce, ...labels } } };
}

export interface DeploymentOptions {
  readonly ns?: string;
  readonly labels?: Record<string, string>;
  readonly ports?: { name: string; containerPort: number; protocol?: string }[];
  readonly env?: any[];
  readonly podSpec?: Record<string, any>;
  readonly container?: Record<string, any>;
  readonly kind?: string;
}

export function deployment(name: string, o: DeploymentOptions = {}): K8sObject {
  const labels = o.labels ?? { app: name };
  const template = {
    metadata: { labels },
    spec: {
      securityContext: RESTRICTED_POD_SC,
      containers: [{ name, image: 'example/app:1', ports: o.ports ?? [{ name: 'http', containerPort: 8080 }], env: o.env, securityContext: RESTRICTED_SC, ...o.container }],
      ...o.podSpec,
    },
  };
  return { apiVersion: 'apps/v1', kind: o.kind ?? 'Deployment', metadata: { name, namespace: o.ns ?? 'app' }, spec: { selector: { matchLabels: labels }, template } };
}

export function service(name: string, selector: Record<string, string>, ports: { name: string; port: number; targetPort?: number | string; protocol?: string }[], o: { ns?: string; labels?: Record<string, string> } = {}): K8sObject {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: o.ns ?? 'app', labels: o.labels ?? selector }, spec: { selector, ports } };
}

export function policy(name: string, spec: Record<string, any>, ns = 'app'): K8sObject {
  return { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace: ns }, spec };
}

export const DEFAULT_DENY = (ns: string) => policy('default-deny', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] }, ns);
export const DNS_RULE = {
  to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
  ports: [{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }],
};
export const ALLOW_DNS = (ns: string) => policy('allow-dns', { podSelector: {}, policyTypes: ['Egress'], egress: [DNS_RULE] }, ns);

export function secret(name: string, keys: string[], ns = 'app'): K8sObject {
  return { apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace: ns }, stringData: Object.fromEntries(keys.map((k) => [k, 'x'])) };
}

export function monitoringStack(ns = 'monitoring', o: { alertmanagers?: any[]; podSc?: any } = {}): K8sObject[] {
  const sel = { matchLabels: { stack: 'platform' } };
  return [
    {
      apiVersion: 'monitoring.coreos.com/v1', kind: 'Prometheus', metadata: { name: 'prometheus', namespace: ns },
      spec: {
        serviceAccountName: 'prometheus', securityContext: o.podSc ?? RESTRICTED_POD_SC,
        serviceMonitorSelector: sel, serviceMonitorNamespaceSelector: {}, podMonitorSelector: sel, podMonitorNamespaceSelector: {},
        probeSelector: sel, probeNamespaceSelector: {}, ruleSelector: sel, ruleNamespaceSelector: {},
        alerting: { alertmanagers: o.alertmanagers ?? [{ namespace: ns, name: 'alertmanager-operated', port: 'web' }] },
      },
    },
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'prometheus', namespace: ns } },
    {
      apiVersion: 'monitoring.coreos.com/v1', kind: 'Alertmanager', metadata: { name: 'main', namespace: ns },
      spec: { replicas: 1, configSecret: 'alertmanager-config', securityContext: o.podSc ?? RESTRICTED_POD_SC },
    },
  ];
}

export function alertmanagerConfig(config: string, ns = 'monitoring'): K8sObject {
  return { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'alertmanager-config', namespace: ns }, stringData: { 'alertmanager.yaml': config } };
}

export function rule(name: string, alerts: { alert: string; labels?: Record<string, string> }[], o: { ns?: string; labels?: Record<string, string> } = {}): K8sObject {
  return {
    apiVersion: 'monitoring.coreos.com/v1', kind: 'PrometheusRule', metadata: { name, namespace: o.ns ?? 'monitoring', labels: o.labels ?? { stack: 'platform' } },
    spec: { groups: [{ name: 'g', rules: alerts.map((a) => ({ alert: a.alert, expr: 'vector(1)', labels: a.labels })) }] },
  };
}

export function serviceMonitor(name: string, selector: Record<string, string>, port: string, ns = 'app'): K8sObject {
  return {
    apiVersion: 'monitoring.coreos.com/v1', kind: 'ServiceMonitor', metadata: { name, namespace: ns, labels: { stack: 'platform' } },
    spec: { selector: { matchLabels: selector }, endpoints: [{ port }] },
  };
}
