/**
 * The harness on the reference platform (lib/platform MediaAiPlatform): nothing beyond the known
 * open findings, and deleting one NetworkPolicy rule that a flow needs is found. (Kept here rather
 * than in test/platform so the library fixes and the harness do not edit one file at once.)
 */
import { Testing } from 'cdk8s';
import { MediaAiPlatform } from '../../../lib';
import { synthAppValid } from '../synth';
import { checkCluster } from '.';
import { KNOWN_FINDINGS } from './known-findings';
import { clusterFindings, deleteRulesAllowing, findingLine } from './platform';

function referenceObjects() {
  const app = Testing.app();
  new MediaAiPlatform(app, 'media-ai');
  return synthAppValid(app);
}

describe('the reference platform on a cluster', () => {
  const objects = referenceObjects();

  test('the harness finds nothing beyond the known open findings', () => {
    expect(clusterFindings(objects, 'reference platform (MediaAiPlatform)')).toEqual(KNOWN_FINDINGS.map((k) => k.finding));
  });

  test.each([
    ['Prometheus egress to Alertmanager', { namespace: 'monitoring', name: 'prometheus' }, /^alerts to Alertmanager/],
    ['Alertmanager ingress from Prometheus', { namespace: 'monitoring', name: 'alertmanager' }, /^alerts to Alertmanager/],
    ['the API egress to cluster DNS', { namespace: 'media-ai', name: 'media-ai-api' }, /^cluster DNS \(UDP\)/],
    ['PostgreSQL ingress from its clients', { namespace: 'media-ai', name: 'postgres' }, /^configured address postgres\.media-ai/],
    ['Elasticsearch ingress from Logstash', { namespace: 'monitoring', name: 'elasticsearch' }, /^Logstash elasticsearchRef/],
  ])('mutation: deleting the NetworkPolicy rule for %s is found', (_what, policy, why) => {
    const before = checkCluster(objects, { prerequisites: [] }).map(findingLine);
    const mutated = deleteRulesAllowing(objects, policy, why);
    expect(mutated.deleted).toBeGreaterThan(0);
    const added = checkCluster(mutated.objects, { prerequisites: [] }).map(findingLine).filter((f) => !before.includes(f));
    expect(added).toContainEqual(expect.stringMatching(new RegExp(`^\\[network\\] .*\\(${why.source.slice(1)}`)));
  });
});
