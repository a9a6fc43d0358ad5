/**
 * The harness on the reference platform (lib/platform MediaAiPlatform): nothing beyond the known
 * open findings, and deleting one NetworkPolicy rule that a flow needs is found. (Kept here rather
 * than in test/platform so the library fixes and the harness do not edit one file at once.)
 */
import * as fs from 'fs';
import * as path from 'path';
import { Testing } from 'cdk8s';
import * as YAML from 'yaml';
import { MediaAiPlatform, platformPrerequisites } from '../../../lib';
import { synthAppValid } from '../synth';
import { run, workDir } from '../tools';
import { routeReceivers } from './alerts';
import { checkCluster } from '.';
import { KNOWN_FINDINGS } from './known-findings';
import { clusterFindings, deleteRulesAllowing, findingLine, knownForm } from './platform';
import { toolTest } from '../fast';

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

  test('in other namespaces too (nothing hard-coded): the same known findings, moved', () => {
    const app = Testing.app();
    new MediaAiPlatform(app, 'x', { namespace: 'prod', monitoringNamespace: 'obs' });
    const prerequisites = platformPrerequisites({ namespace: 'prod', monitoringNamespace: 'obs' });
    const moved = KNOWN_FINDINGS.map((k) => k.finding.replace(/ media-ai\//g, ' prod/').replace(/ monitoring\//g, ' obs/'));
    expect(checkCluster(synthAppValid(app), { prerequisites }).map(findingLine).map(knownForm)).toEqual(moved);
  });

  toolTest('the harness routes every alert as amtool does (amtool config routes test)', () => {
    const config = objects.find((o) => o.kind === 'Secret' && o.metadata.name === 'alertmanager-config')!.stringData['alertmanager.yaml'];
    const dir = workDir('am-routes', { 'alertmanager.yml': config });
    try {
      const alerts = objects.filter((o) => o.kind === 'PrometheusRule').flatMap((r) => r.spec.groups.flatMap((g: any) => g.rules)).filter((r: any) => r.alert);
      expect(alerts.length).toBeGreaterThan(20);
      const route = YAML.parse(config).route;
      const checked = new Set<string>();
      for (const a of alerts) {
        const labels: Record<string, string> = { ...(a.labels ?? {}), alertname: a.alert };
        const key = JSON.stringify(labels);
        if (checked.has(key)) continue;
        checked.add(key);
        const out = run('amtool', ['config', 'routes', 'test', `--config.file=${path.join(dir, 'alertmanager.yml')}`, ...Object.entries(labels).map(([k, v]) => `${k}=${v}`)]);
        expect(out.status).toBe(0);
        expect({ alert: labels, receivers: routeReceivers(route, labels) }).toEqual({ alert: labels, receivers: out.stdout.trim().split(',') });
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
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
