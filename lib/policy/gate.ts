import { ApiObject, App, Chart } from 'cdk8s';
import { exemptionsOf, POLICY_RULES, PolicyRule, RULE_INFO } from '../shared';
import { Manifest, ruleViolations } from './rules';

/** Options of the policy gate (also `SynthesizeOptions.policy`). */
export interface PolicyGateOptions {
  /**
   * Rules whose findings are reported as warnings and do not fail the synth: for migrating an
   * existing app one rule at a time. Exemptions, not this, are the way to accept a single object.
   * @default [] (every rule fails the synth)
   */
  readonly warnOnly?: PolicyRule[];
  /**
   * Where the report (findings, warnings, exemptions) is written.
   * @default process.stderr
   */
  readonly log?: (text: string) => void;
}

/** One row of the report. */
export interface PolicyFinding {
  /** `Kind namespace/name`, and the construct path when the object comes from a construct. */
  readonly object: string;
  readonly rule: PolicyRule;
  /** What is wrong with this object. */
  readonly message: string;
  /** Why the rule exists. */
  readonly why: string;
  readonly fix: string;
}

/** An exemption found on an object. */
export interface PolicyExemptionRecord {
  readonly object: string;
  readonly rule: PolicyRule;
  readonly reason: string;
  /** True when the object actually breaks the rule (an exemption that covers nothing is listed too). */
  readonly used: boolean;
}

/** The outcome of the gate. */
export interface PolicyReport {
  /** Findings that fail the synth. */
  readonly errors: PolicyFinding[];
  /** Findings of rules in `warnOnly`. */
  readonly warnings: PolicyFinding[];
  readonly exemptions: PolicyExemptionRecord[];
}

/** Thrown by {@link enforcePolicy} when the gate finds errors; the message is the report. */
export class PolicyGateError extends Error {
  constructor(public readonly report: PolicyReport) {
    super(formatPolicyReport(report));
    this.name = 'PolicyGateError';
  }
}

/** A rendered object and, when known, the construct path it came from. */
export interface PolicySubject {
  readonly manifest: Manifest;
  readonly path?: string;
}

/** Every ApiObject of the app, rendered (use the objects a synth already rendered when there are any). */
export function appSubjects(app: App): PolicySubject[] {
  return app.charts.flatMap((chart) => chart.node.findAll()
    .filter((c): c is ApiObject => c instanceof ApiObject && Chart.of(c) === chart)
    .map((o) => ({ manifest: o.toJson(), path: o.node.path })));
}

const label = (s: PolicySubject) => {
  const m = s.manifest.metadata ?? {};
  return `${s.manifest.kind} ${m.namespace ? `${m.namespace}/` : ''}${m.name}${s.path ? ` (${s.path})` : ''}`;
};

/** Runs every rule over the objects (an app, or rendered objects of any origin) and applies the recorded exemptions. */
export function checkPolicy(target: App | readonly (PolicySubject | Manifest)[], options: PolicyGateOptions = {}): PolicyReport {
  const subjects: PolicySubject[] = target instanceof App ? appSubjects(target) : target.map((t) => ('manifest' in t && typeof t.manifest === 'object' ? t as PolicySubject : { manifest: t }));
  if (options.warnOnly !== undefined && !Array.isArray(options.warnOnly)) {
    throw new Error(`policy gate: warnOnly (${JSON.stringify(options.warnOnly)}) must be a list of rules of ${POLICY_RULES.join(', ')}`);
  }
  const warnOnly = new Set(options.warnOnly ?? []);
  for (const rule of warnOnly) if (!(POLICY_RULES as readonly string[]).includes(rule)) throw new Error(`policy gate: warnOnly (${JSON.stringify(rule)}) must list rules of ${POLICY_RULES.join(', ')}`);
  const errors: PolicyFinding[] = [];
  const warnings: PolicyFinding[] = [];
  const used = new Set<string>();
  for (const v of ruleViolations(subjects.map((s) => s.manifest))) {
    const subject = subjects[v.object];
    if (exemptionsOf(subject.manifest).has(v.rule)) { used.add(`${v.object}:${v.rule}`); continue; }
    const finding = { object: label(subject), rule: v.rule, message: v.message, why: RULE_INFO[v.rule].why, fix: RULE_INFO[v.rule].fix };
    (warnOnly.has(v.rule) ? warnings : errors).push(finding);
  }
  const exemptions = subjects.flatMap((s, i) => [...exemptionsOf(s.manifest)].map(([rule, reason]) => ({ object: label(s), rule, reason, used: used.has(`${i}:${rule}`) })));
  return { errors, warnings, exemptions };
}

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const table = (header: string[], rows: string[][]) => [header, header.map(() => '---'), ...rows].map((r) => `| ${r.map(cell).join(' | ')} |`).join('\n');

/** The report as Markdown tables: object, rule, why, how to fix; then the exemptions. */
export function formatPolicyReport(report: PolicyReport): string {
  const parts: string[] = [];
  const findings = (title: string, list: PolicyFinding[]) => {
    if (list.length > 0) parts.push(`${title} (${list.length}):\n\n${table(['object', 'rule', 'why', 'how to fix'], list.map((f) => [f.object, f.rule, `${f.message}: ${f.why}`, f.fix]))}`);
  };
  findings('Policy gate: errors', report.errors);
  findings('Policy gate: warnings (rules in warnOnly)', report.warnings);
  if (report.exemptions.length > 0) {
    parts.push(`Policy gate: recorded exemptions (${report.exemptions.length}):\n\n${table(['object', 'rule', 'reason', 'covers a finding'], report.exemptions.map((e) => [e.object, e.rule, e.reason, e.used ? 'yes' : 'no']))}`);
  }
  return parts.length > 0 ? `${parts.join('\n\n')}\n` : 'Policy gate: no findings, no exemptions.\n';
}

/**
 * The gate: checks the objects, writes the report, and throws {@link PolicyGateError} when a rule
 * not in `warnOnly` has a finding. `synthesizeAtomically` runs it before writing anything.
 */
export function enforcePolicy(target: App | readonly (PolicySubject | Manifest)[], options: PolicyGateOptions = {}): PolicyReport {
  const report = checkPolicy(target, options);
  if (report.errors.length > 0) throw new PolicyGateError(report);
  const log = options.log ?? ((text: string) => process.stderr.write(text));
  if (report.warnings.length > 0 || report.exemptions.length > 0) log(formatPolicyReport(report));
  return report;
}
