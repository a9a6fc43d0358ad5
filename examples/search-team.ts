/**
 * Another team's chart importing the library: their own API, connected to their own Redis, watched
 * by the platform's monitoring stack. Tested in test/examples.
 */
import { App, Chart } from 'cdk8s';
import { ApiService, EnvValue, ObservabilityStack, Redis } from '../lib';

export function searchTeamApp(app: App, platformMonitoring: ObservabilityStack): Chart {
  const chart = new Chart(app, 'search', { namespace: 'search', disableResourceNameHashes: true });
  const api = new ApiService(chart, 'search-api', {
    image: 'registry.example.com/search-api:2.3.1',
    port: 8080,
    replicas: 3,
    resources: { cpuRequest: '250m', cpuLimit: '1', memoryRequest: '512Mi', memoryLimit: '1Gi' },
    ingress: { host: 'search.media-ai.com', tlsSecretName: 'search-tls' },
    autoscaling: { maxReplicas: 12, cpuUtilization: 70, memoryUtilization: 80 },
    env: {
      LOG_LEVEL: EnvValue.fromValue('info'),
      API_TOKEN: EnvValue.fromSecret('search-secrets', 'api-token'),
    },
  });
  const cache = new Redis(chart, 'search-cache', {
    password: { name: 'search-secrets', key: 'redis-password' },
    maxmemoryPolicy: 'allkeys-lru',
    persistence: 'none',
  });
  api.connect(cache);
  platformMonitoring.monitor(api, { slo: { availabilityPercent: 99.5 } });
  return chart;
}
