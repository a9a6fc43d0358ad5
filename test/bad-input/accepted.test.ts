import { Testing } from 'cdk8s';
import { ApiService, DataTier, EnvValue, ObservabilityStack } from '../../lib';
import { TIER_PROPS } from '../data-tier/fixtures';
import { only, synthAppValid } from '../harness/synth';
import { appChart, GRAFANA, IMAGE, monitoringChart } from './builders';

// The stricter checks must leave the legitimate forms possible.
describe('what the validation still accepts', () => {
  test('a credential-like name marked not secret is accepted and the reason recorded on the Deployment', () => {
    const app = Testing.app();
    const api = new ApiService(appChart(app), 'api', { image: IMAGE, env: { CACHE_KEY_PREFIX: EnvValue.fromValue('media:', { notSecret: 'a cache key prefix' }) } });
    api.addEnv('TOKEN_AUDIENCE', EnvValue.fromValue('media-ai', { notSecret: 'the audience claim, public' }));
    const deployment = only(synthAppValid(app), 'Deployment');
    expect(JSON.parse((deployment.metadata as any).annotations['security.media-ai.io/not-secret'])).toEqual({
      CACHE_KEY_PREFIX: 'a cache key prefix', TOKEN_AUDIENCE: 'the audience claim, public',
    });
    expect(deployment.spec.template.spec.containers[0].env).toContainEqual({ name: 'CACHE_KEY_PREFIX', value: 'media:' });
  });

  test('without a literal marked not secret there is no annotation', () => {
    const app = Testing.app();
    new ApiService(appChart(app), 'api', { image: IMAGE, env: { LOG_LEVEL: EnvValue.fromValue('info') } });
    expect((only(synthAppValid(app), 'Deployment').metadata as any).annotations).toBeUndefined();
  });

  test('Secret-backed URLs by $(VAR) expansion, and flags that point at files, are no credentials', () => {
    expect(() => new ApiService(appChart(), 'api', {
      image: IMAGE,
      env: { DB_PASSWORD: EnvValue.fromSecret('pg', 'password'), DATABASE_URL: EnvValue.fromValue('postgresql://app:$(DB_PASSWORD)@db:5432/media') },
      args: ['--password-file=/run/secrets/pw', '--password', '$(DB_PASSWORD)'],
    })).not.toThrow();
  });

  test('majorVersion 16 defaults to a pinned minor release', () => {
    const app = Testing.app();
    const tier = new DataTier(appChart(app), 'data', { ...TIER_PROPS, postgres: { ...TIER_PROPS.postgres, majorVersion: 16 } });
    expect(tier.postgres.image).toBe('postgres:16.6');
    expect(only(synthAppValid(app), 'StatefulSet', 'postgres').spec.template.spec.containers[0].image).toBe('postgres:16.6');
  });

  test('a wildcard Ingress is probed at a concrete name under it', () => {
    const app = Testing.app();
    const api = new ApiService(appChart(app), 'api', { image: IMAGE, ingress: { host: '*.media-ai.com', tlsSecretName: 'wildcard-tls' } });
    const stack = new ObservabilityStack(monitoringChart(app), 'observability', { grafana: GRAFANA, logging: false });
    stack.monitor(api, { probeHost: 'api.media-ai.com' });
    const probe = only(synthAppValid(app), 'Probe');
    expect(probe.spec.targets.staticConfig.static).toEqual(['https://api.media-ai.com/health']);
  });

  test('Redis maxmemory in whole bytes with room for the fork, and an unknown key left undefined', () => {
    const app = Testing.app();
    const tier = new DataTier(appChart(app), 'data', { ...TIER_PROPS, redis: { ...TIER_PROPS.redis, maxmemory: '1024Mi', ...{ maxMemory: undefined } } });
    expect(tier.redis.redisConf).toMatch(/^maxmemory 1073741824$/m);
    synthAppValid(app);
  });
});
