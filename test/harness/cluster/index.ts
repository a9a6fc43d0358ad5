/**
 * The cluster-semantics harness: checks a synthesized app's objects against each other the way
 * the API server, the admission controller, the network plugin and the operators will.
 *
 *   const findings = checkCluster(synthAppValid(app), { prerequisites: PREREQUISITES });
 *   expect(findings).toEqual([]);
 */
import { checkAdmission } from './admission';
import { checkAlerts } from './alerts';
import { checkDuplicates } from './duplicates';
import { checkExposure } from './exposure';
import { checkHostPorts } from './host-ports';
import { buildCluster } from './model';
import { checkNetwork } from './network';
import { checkPrivilege } from './privilege';
import { checkReferences } from './references';
import { checkSizes } from './sizes';
import { CheckName, ClusterOptions, Finding, K8sObject } from './types';

export * from './types';
export { buildCluster } from './model';

const CHECKS: Record<CheckName, (c: ReturnType<typeof buildCluster>) => Finding[]> = {
  references: checkReferences,
  network: checkNetwork,
  admission: checkAdmission,
  alerts: checkAlerts,
  duplicates: checkDuplicates,
  size: checkSizes,
  exposure: checkExposure,
  privilege: checkPrivilege,
  'host-ports': checkHostPorts,
};

export function checkCluster(objects: K8sObject[], options: ClusterOptions = {}): Finding[] {
  const cluster = buildCluster(objects, options);
  const names = options.checks ?? (Object.keys(CHECKS) as CheckName[]);
  return names.flatMap((n) => CHECKS[n](cluster));
}

/** One line per finding: `check  object: message`. */
export function formatFindings(findings: readonly Finding[]): string {
  return findings.map((f) => `[${f.check}] ${f.object}: ${f.message}`).join('\n');
}
