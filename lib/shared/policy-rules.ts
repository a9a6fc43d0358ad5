/**
 * The gate's rules and, for each, the per-check exemption annotations that common Kubernetes
 * auditors read, so an exemption recorded once is honoured by every tool that audits the YAML:
 * Polaris `polaris.fairwinds.com/<check>-exempt: "true"` (checks as in its examples/config-full.yaml),
 * Checkov `checkov.io/skip<n>: <CKV_K8S_id>=<reason>`, kube-score `kube-score/ignore: <check>,…`,
 * KubeLinter `ignore-check.kube-linter.io/<check>: <reason>`.
 */

/** The rules of the policy gate. */
export const POLICY_RULES = [
  'pod-security',
  'read-only-root-filesystem',
  'resources',
  'probes',
  'image-pinned',
  'disruption-budget',
  'network-policy',
  'credential-literal',
  'rbac-dangerous',
  'service-account-token',
  'priority-class',
] as const;

/** A rule of the policy gate. */
export type PolicyRule = typeof POLICY_RULES[number];

interface AuditorChecks {
  readonly polaris: readonly string[];
  readonly checkov: readonly string[];
  readonly kubeScore: readonly string[];
  readonly kubeLinter: readonly string[];
}

/** What each rule asks, how to fix a finding, and the matching checks of the auditors. */
export const RULE_INFO: Record<PolicyRule, { readonly why: string; readonly fix: string; readonly auditors: AuditorChecks }> = {
  'pod-security': {
    why: 'Pod Security Standard "restricted" (the namespace admission would reject the pod)',
    fix: 'use restrictedPodSecurityContext()/restrictedContainerSecurityContext(), or exempt with a reason and a privileged namespace',
    auditors: {
      polaris: ['hostIPCSet', 'hostPIDSet', 'hostNetworkSet', 'hostPortSet', 'privilegeEscalationAllowed', 'runAsRootAllowed', 'runAsPrivileged', 'dangerousCapabilities', 'insecureCapabilities'],
      checkov: ['CKV_K8S_16', 'CKV_K8S_17', 'CKV_K8S_18', 'CKV_K8S_19', 'CKV_K8S_20', 'CKV_K8S_23', 'CKV_K8S_25', 'CKV_K8S_28', 'CKV_K8S_31', 'CKV_K8S_37'],
      kubeScore: ['container-security-context-privileged', 'container-security-context-user-group-id'],
      kubeLinter: ['host-network', 'host-pid', 'host-ipc', 'privileged-container', 'privilege-escalation-container', 'run-as-non-root', 'sensitive-host-mounts', 'writable-host-mount'],
    },
  },
  'read-only-root-filesystem': {
    why: 'a writable root filesystem lets a compromised process change the image',
    fix: 'set readOnlyRootFilesystem: true and mount an emptyDir (scratchVolume()) on the writable paths',
    auditors: { polaris: ['notReadOnlyRootFilesystem'], checkov: ['CKV_K8S_22'], kubeScore: ['container-security-context-readonlyrootfilesystem'], kubeLinter: ['no-read-only-root-fs'] },
  },
  resources: {
    why: 'without CPU and memory requests and limits the scheduler cannot place the pod and it can starve its node',
    fix: 'set resources.requests and resources.limits for cpu and memory (containerResources())',
    auditors: {
      polaris: ['cpuRequestsMissing', 'cpuLimitsMissing', 'memoryRequestsMissing', 'memoryLimitsMissing'],
      checkov: ['CKV_K8S_10', 'CKV_K8S_11', 'CKV_K8S_12', 'CKV_K8S_13'],
      kubeScore: ['container-resources'],
      kubeLinter: ['unset-cpu-requirements', 'unset-memory-requirements'],
    },
  },
  probes: {
    why: 'without readiness and liveness probes a broken container keeps receiving traffic and is never restarted',
    fix: 'add readinessProbe and livenessProbe (httpProbe()/tcpProbe()), or exempt with the reason',
    auditors: { polaris: ['readinessProbeMissing', 'livenessProbeMissing'], checkov: ['CKV_K8S_8', 'CKV_K8S_9'], kubeScore: ['pod-probes'], kubeLinter: ['no-liveness-probe', 'no-readiness-probe'] },
  },
  'image-pinned': {
    why: 'an image without a tag or digest (or :latest) changes under the same manifest',
    fix: 'pin the image by a version tag or an @sha256 digest',
    auditors: { polaris: ['tagNotSpecified'], checkov: ['CKV_K8S_14'], kubeScore: ['container-image-tag'], kubeLinter: ['latest-tag'] },
  },
  'disruption-budget': {
    why: 'a multi-replica workload needs a PodDisruptionBudget that still allows one eviction, or node drains take it down or hang',
    fix: 'add a PodDisruptionBudget selecting its pods with maxUnavailable ≥ 1 (or minAvailable < replicas)',
    auditors: { polaris: ['missingPodDisruptionBudget'], checkov: [], kubeScore: ['deployment-has-poddisruptionbudget', 'statefulset-has-poddisruptionbudget'], kubeLinter: [] },
  },
  'network-policy': {
    why: 'a pod not selected by NetworkPolicies of both types (Ingress and Egress) accepts or sends any traffic',
    fix: 'select its pods with NetworkPolicies covering Ingress and Egress (workloadNetworkPolicy(), the namespace default-deny)',
    auditors: { polaris: ['missingNetworkPolicy'], checkov: [], kubeScore: ['pod-networkpolicy'], kubeLinter: ['non-isolated-pod'] },
  },
  'credential-literal': {
    why: 'a credential written into the manifest ends up in git, in the chart and in every diff',
    fix: 'read it from a Secret the cluster already holds (secretKeyRef / SecretKeyReference)',
    auditors: { polaris: ['sensitiveContainerEnvVar'], checkov: [], kubeScore: [], kubeLinter: ['env-var-secret'] },
  },
  'rbac-dangerous': {
    why: 'a ClusterRole granting "*", secrets or pods/exec lets its holder read every credential or run code in any pod',
    fix: 'list the exact apiGroups, resources and verbs needed',
    auditors: { polaris: ['clusterrolePodExecAttach'], checkov: ['CKV_K8S_49'], kubeScore: [], kubeLinter: ['wildcard-in-rules', 'access-to-secrets'] },
  },
  'service-account-token': {
    why: 'a mounted ServiceAccount token is a Kubernetes API credential in the pod',
    fix: 'set automountServiceAccountToken: false, or exempt the workload that calls the API with the reason',
    auditors: { polaris: ['automountServiceAccountToken'], checkov: ['CKV_K8S_38'], kubeScore: [], kubeLinter: [] },
  },
  'priority-class': {
    why: 'without a PriorityClass the pod is preempted or left pending in the same order as any batch job',
    fix: 'set priorityClassName (PlatformPriorityClasses names the platform tiers)',
    auditors: { polaris: ['priorityClassNotSet'], checkov: [], kubeScore: [], kubeLinter: ['priority-class-name'] },
  },
};

/** Annotation prefix of the gate's own exemption records: `policy.media-ai.io/exempt-<rule>: <reason>`. */
export const EXEMPT_ANNOTATION_PREFIX = 'policy.media-ai.io/exempt-';
