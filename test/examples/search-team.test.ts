import { Testing } from 'cdk8s';
import { searchTeamApp } from '../../examples/search-team';
import { MediaAiPlatform } from '../../lib';
import { only, synthAppValid } from '../harness/synth';

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
});
