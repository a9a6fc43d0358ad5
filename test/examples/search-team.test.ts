import { Testing } from 'cdk8s';
import { searchTeamApp } from '../../examples/search-team';
import { MediaAiPlatform } from '../../lib';
import { only, synthAppValid } from '../harness/synth';
import { Prerequisite } from '../harness/cluster';
import { clusterFindings, LIBRARY_PREREQUISITES } from '../harness/cluster/platform';
import { KNOWN_EXAMPLE_FINDINGS, KNOWN_FINDINGS } from '../harness/cluster/known-findings';

/** What the search team provides itself before applying its chart. */
const SEARCH_TEAM_PREREQUISITES: readonly Prerequisite[] = [
  { kind: 'Namespace', name: 'search', reason: 'the search team namespace, made by the cluster admins' },
  { kind: 'Secret', namespace: 'search', name: 'search-secrets', keys: ['api-token', 'redis-password'], reason: 'the search team credentials' },
  { kind: 'Secret', namespace: 'search', name: 'search-tls', keys: ['tls.crt', 'tls.key'], reason: 'certificate of search.media-ai.com (cert-manager)' },
];

describe('another team imports the library into its own chart', () => {
  test('their API, their Redis, connected across nothing but methods, monitored by the platform stack', () => {
    const app = Testing.app();
    const platform = new MediaAiPlatform(app, 'media-ai');
    const chart = searchTeamApp(app, platform.observability);
    const objects = synthAppValid(app);
    const search = objects.filter((o) => o.metadata.namespace === 'search');
    expect(search.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(expect.arrayContaining([
      'Deployment/search-api', 'StatefulSet/search-cache', 'NetworkPolicy/search-api', 'ServiceMonitor/search-api',
    ]));
    const env = only(search, 'Deployment').spec.template.spec.containers[0].env.map((e: any) => e.name);
    expect(env).toEqual(expect.arrayContaining(['REDIS_URL', 'OTEL_EXPORTER_OTLP_ENDPOINT']));
    expect(only(objects, 'Probe', 'search-api-search').spec.targets.staticConfig.static).toEqual(['https://search.media-ai.com/health']);
    expect(chart.node.id).toBe('search');
  });

  test('on a cluster: nothing beyond the known findings of the platform and of the example (test/harness/cluster)', () => {
    const app = Testing.app();
    const platform = new MediaAiPlatform(app, 'media-ai');
    searchTeamApp(app, platform.observability);
    const findings = clusterFindings(synthAppValid(app), 'search-team example with the reference platform', {
      prerequisites: [...LIBRARY_PREREQUISITES, ...SEARCH_TEAM_PREREQUISITES],
    });
    expect([...findings].sort()).toEqual([...KNOWN_FINDINGS, ...KNOWN_EXAMPLE_FINDINGS].map((k) => k.finding).sort());
  });
});
