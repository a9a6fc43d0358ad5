import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { fail } from './validation';
import { EXEMPT_ANNOTATION_PREFIX, POLICY_RULES, PolicyRule, RULE_INFO } from './policy-rules';

/** A recorded exception to one rule of the policy gate. */
export interface PolicyExemption {
  /** The rule the object does not meet. */
  readonly rule: PolicyRule;
  /** Why, in a sentence a reviewer can check (written onto the object). */
  readonly reason: string;
}

/** Kinds whose pod template the gate checks. */
export const WORKLOAD_KINDS: ReadonlySet<string> = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'CronJob', 'Pod', 'Rollout']);
const RBAC_KINDS: ReadonlySet<string> = new Set(['ClusterRole', 'Role']);

const recorded = new WeakMap<ApiObject, Map<PolicyRule, string>>();

/** The objects an exemption of a rule lands on: the object itself, or the matching objects below a construct. */
function subjects(target: IConstruct, rule: PolicyRule): ApiObject[] {
  if (target instanceof ApiObject) return [target];
  const kinds = rule === 'rbac-dangerous' ? RBAC_KINDS : WORKLOAD_KINDS;
  return target.node.findAll().filter((c): c is ApiObject => c instanceof ApiObject && (kinds.has(c.kind) || (rule === 'credential-literal' && c.kind === 'Secret')));
}

/**
 * Records exceptions to policy rules as data on the objects: a `policy.media-ai.io/exempt-<rule>`
 * annotation with the reason (what the gate reads and the synth report lists), plus each auditor's
 * own per-check exemption annotation (Polaris, Checkov, kube-score, KubeLinter), so the YAML audits
 * clean with the same exceptions. `target` is an ApiObject, or a construct: then every workload
 * below it (ClusterRoles and Roles for `rbac-dangerous`) is exempted.
 */
export function exemptFromPolicy(target: IConstruct, ...exemptions: PolicyExemption[]): void {
  for (const { rule, reason } of exemptions) {
    if (!(POLICY_RULES as readonly string[]).includes(rule)) fail(target, 'exemption.rule', rule, `must be one of ${POLICY_RULES.join(', ')}`);
    if (typeof reason !== 'string' || reason.trim().length === 0) fail(target, `exemption.reason of ${rule}`, reason, 'must be a non-empty sentence saying why');
    const objects = subjects(target, rule);
    if (objects.length === 0) fail(target, `exemption of ${rule}`, rule, 'must apply to an object: the construct has no workload (or ClusterRole/Role for rbac-dangerous) below it');
    for (const o of objects) {
      const rules = recorded.get(o) ?? new Map<PolicyRule, string>();
      rules.set(rule, reason.trim());
      recorded.set(o, rules);
      writeAnnotations(o, rules);
    }
  }
}

/** The annotations for a set of exemptions; rewritten whole because Checkov and kube-score number or join them. */
export function exemptionAnnotations(rules: ReadonlyMap<PolicyRule, string>): Record<string, string> {
  const out: Record<string, string> = {};
  const checkov: string[] = [];
  const kubeScore: string[] = [];
  // Rule order, not insertion order: the output is the same whichever construct exempted first.
  for (const rule of POLICY_RULES.filter((r) => rules.has(r))) {
    const reason = rules.get(rule)!;
    const { polaris, checkov: ckv, kubeScore: ks, kubeLinter } = RULE_INFO[rule].auditors;
    out[`${EXEMPT_ANNOTATION_PREFIX}${rule}`] = reason;
    for (const check of polaris) out[`polaris.fairwinds.com/${check}-exempt`] = 'true';
    for (const check of kubeLinter) out[`ignore-check.kube-linter.io/${check}`] = reason;
    checkov.push(...ckv.map((id) => `${id}=${reason}`));
    kubeScore.push(...ks);
  }
  checkov.forEach((skip, i) => { out[`checkov.io/skip${i + 1}`] = skip; });
  if (kubeScore.length > 0) out['kube-score/ignore'] = [...new Set(kubeScore)].join(',');
  return out;
}

function writeAnnotations(o: ApiObject, rules: ReadonlyMap<PolicyRule, string>): void {
  for (const [key, value] of Object.entries(exemptionAnnotations(rules))) o.metadata.addAnnotation(key, value);
}

/** The exemptions recorded on a rendered object (read back from its annotations). */
export function exemptionsOf(manifest: { metadata?: { annotations?: Record<string, string> } }): Map<PolicyRule, string> {
  const out = new Map<PolicyRule, string>();
  for (const [key, value] of Object.entries(manifest.metadata?.annotations ?? {})) {
    if (!key.startsWith(EXEMPT_ANNOTATION_PREFIX)) continue;
    const rule = key.slice(EXEMPT_ANNOTATION_PREFIX.length);
    if ((POLICY_RULES as readonly string[]).includes(rule) && value.trim().length > 0) out.set(rule as PolicyRule, value);
  }
  return out;
}
