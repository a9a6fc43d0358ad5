/**
 * Running the harness on whole apps in the tests: with the library's `PREREQUISITES`, a findings
 * report for the people fixing them, and NetworkPolicy mutations.
 */
import * as fs from 'fs';
import { PREREQUISITES } from '../../../lib';
import { checkCluster } from '.';
import { buildCluster } from './model';
import { blocked, demands } from './network';
import { ClusterOptions, Finding, K8sObject, Prerequisite } from './types';

/** The library's exported prerequisites (the assignment checks that its type fits the harness). */
export const LIBRARY_PREREQUISITES: readonly Prerequisite[] = PREREQUISITES;

/** `[check] object: message`, as the report prints it. */
export const findingLine = (f: Finding) => `[${f.check}] ${f.object}: ${f.message}`;

/**
 * The form KNOWN_FINDINGS lists: content hashes in names (config-backup-<hash>, which changes with
 * every change of the app) and byte counts are replaced, so the list names defects, not versions.
 */
export const knownForm = (line: string) => line.replace(/-[0-9a-f]{16}\b/g, '-<hash>').replace(/\b\d+ bytes\b/g, '<n> bytes');

/** Runs the harness; writes the findings to $CLUSTER_FINDINGS_FILE when set (one per line, for whoever fixes them). */
export function clusterFindings(objects: K8sObject[], title: string, options: ClusterOptions = {}): string[] {
  const findings = checkCluster(objects, { prerequisites: LIBRARY_PREREQUISITES, ...options });
  const file = process.env.CLUSTER_FINDINGS_FILE;
  if (file) fs.writeFileSync(file, report(title, findings));
  return findings.map(findingLine).map(knownForm);
}

const REPORT_NOTE = [
  'Checked with the library\'s PREREQUISITES: what the app needs but does not create (Secrets with their keys, CRDs, the',
  'IngressClass, the kubelet Service) belongs there, as `{ kind, namespace?, name, keys?, labels?, reason }`.',
];

function report(title: string, findings: Finding[]): string {
  return [
    `# Cluster-semantics findings: ${title}`, '',
    `${findings.length} findings, written by test/harness/cluster (checkCluster) at ${new Date().toISOString()}.`,
    'Format: [check] object: reason', '', ...REPORT_NOTE, '',
    ...findings.map((f) => `- ${findingLine(f)}`), '',
  ].join('\n');
}

/**
 * Deletes from one NetworkPolicy the rules that let the first flow matching `why` pass, so a test
 * can assert the harness notices. Returns the mutated copy and the number of rules deleted.
 */
export function deleteRulesAllowing(objects: K8sObject[], policy: { namespace: string; name: string }, why: RegExp): { objects: K8sObject[]; deleted: number } {
  const copy: K8sObject[] = JSON.parse(JSON.stringify(objects));
  const target = copy.find((o) => o.kind === 'NetworkPolicy' && o.metadata.namespace === policy.namespace && o.metadata.name === policy.name);
  if (!target) throw new Error(`no NetworkPolicy ${policy.namespace}/${policy.name}`);
  const flow = demands(buildCluster(copy)).find((d) => why.test(d.why))?.alternatives[0];
  if (!flow) throw new Error(`no flow matches ${why}`);
  // Judge each rule on its own: the policy with only that rule, no other policy in the cluster.
  const others = copy.filter((o) => o.kind !== 'NetworkPolicy');
  const only = (field: 'ingress' | 'egress', rules: any[]) => ({ ...target, spec: { podSelector: target.spec.podSelector, policyTypes: [field === 'ingress' ? 'Ingress' : 'Egress'], [field]: rules } });
  const allows = (field: 'ingress' | 'egress', rules: any[]) => blocked(buildCluster([...others, only(field, rules)]), flow) === undefined;
  let deleted = 0;
  for (const field of ['ingress', 'egress'] as const) {
    if (allows(field, [])) continue; // this side of the policy does not govern the flow
    const rules: any[] = target.spec[field] ?? [];
    target.spec[field] = rules.filter((rule) => !allows(field, [rule]));
    deleted += rules.length - target.spec[field].length;
  }
  return { objects: copy, deleted };
}
