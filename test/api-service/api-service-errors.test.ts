import { ApiService, ApiServiceProps, EnvValue } from '../../lib';
import { testChart } from '../harness/synth';

const IMAGE = 'registry.example.com/media-ai-api:1.4.2';

// Each row: an invalid input and the message it must produce (construct path, prop, what is accepted).
const cases: Array<[string, Partial<ApiServiceProps>, RegExp]> = [
  ['replicas 0', { replicas: 0 }, /^test\/api: replicas \(0\) must be an integer ≥ 1/],
  ['fractional replicas', { replicas: 2.5 }, /replicas \(2.5\) must be an integer ≥ 1 and ≤ 1000/],
  ['min > max replicas', { autoscaling: { minReplicas: 6, maxReplicas: 3 } }, /autoscaling.maxReplicas \(3\) must be ≥ autoscaling.minReplicas \(6\)/],
  ['CPU limit below request', { resources: { cpuRequest: '1', cpuLimit: '500m' } }, /resources.cpuLimit \("500m"\) must be ≥ cpuRequest \(1\)/],
  ['memory limit below request', { resources: { memoryRequest: '2Gi', memoryLimit: '1Gi' } }, /resources.memoryLimit \("1Gi"\) must be ≥ memoryRequest/],
  ['malformed memory', { resources: { memoryLimit: '4GB' } }, /resources.memoryLimit \("4GB"\) must be a memory quantity/],
  ['malformed cpu', { resources: { cpuRequest: 'half' } }, /resources.cpuRequest \("half"\) must be a CPU quantity/],
  ['malformed host', { ingress: { host: 'API_media' } }, /ingress.host \("API_media"\) must be a fully qualified lower-case host name/],
  ['host without domain', { ingress: { host: 'localhost' } }, /ingress.host \("localhost"\)/],
  ['image without tag', { image: 'registry.example.com/media-ai-api' }, /image \("registry.example.com\/media-ai-api"\) must be pinned to a version tag/],
  ['image tagged latest', { image: 'media-ai-api:latest' }, /image \("media-ai-api:latest"\) must be pinned/],
  ['malformed image', { image: 'Media AI:1' }, /image \("Media AI:1"\) must be an image reference/],
  ['port 0', { port: 0 }, /port \(0\) must be an integer ≥ 1 and ≤ 65535/],
  ['port above 65535', { port: 70000 }, /port \(70000\) must be an integer ≥ 1 and ≤ 65535/],
  ['service port out of range', { service: { port: -1 } }, /service.port \(-1\) must be an integer ≥ 1/],
  ['credential literal by name', { env: { DB_PASSWORD: EnvValue.fromValue('hunter2') } }, /env.DB_PASSWORD \("<literal>"\) looks like a credential: use EnvValue.fromSecret\(\)/],
  ['API key literal', { env: { OPENAI_API_KEY: EnvValue.fromValue('sk-123') } }, /env.OPENAI_API_KEY .* looks like a credential/],
  ['password inside a URL', { env: { DATABASE_URL: EnvValue.fromValue('postgresql://user:password@db:5432/media_ai') } }, /env.DATABASE_URL \("<url with password>"\) contains a password in a URL/],
  ['probe path without /', { livenessProbe: { path: 'health' } }, /livenessProbe.path \("health"\) must be an absolute HTTP path starting with '\/'/],
  ['probe period 0', { readinessProbe: { periodSeconds: 0 } }, /readinessProbe.periodSeconds \(0\) must be an integer ≥ 1/],
  ['CPU utilization 0', { autoscaling: { cpuUtilization: 0 } }, /autoscaling.cpuUtilization \(0\) must be an integer ≥ 1 and ≤ 100/],
  ['memory utilization 150', { autoscaling: { memoryUtilization: 150 } }, /autoscaling.memoryUtilization \(150\) must be an integer ≥ 1 and ≤ 100/],
  ['PDB that blocks drains', { replicas: 3, disruptionBudget: { minAvailable: 3 } }, /disruptionBudget.minAvailable \(3\) must be below the minimum replica count \(3\)/],
  ['PDB with both fields', { disruptionBudget: { minAvailable: 1, maxUnavailable: 1 } }, /disruptionBudget .* takes either minAvailable or maxUnavailable, not both/],
  ['maxSurge malformed', { rollingUpdate: { maxSurge: '150 percent' } }, /rollingUpdate.maxSurge \("150 percent"\) must be a non-negative integer or a percentage/],
  ['preStop longer than grace', { terminationGracePeriodSeconds: 10, preStopSleepSeconds: 10 }, /preStopSleepSeconds \(10\) must be less than terminationGracePeriodSeconds \(10\)/],
  ['name with capitals', { name: 'MediaAI' }, /name \("MediaAI"\) must be a DNS-1035 label \(a Service name\)/],
  ['root user', { runAsUser: 0 }, /runAsUser \(0\) must be an integer ≥ 1/],
  ['scrape interval malformed', { metrics: { interval: '30 seconds' } }, /metrics.interval \("30 seconds"\) must be a duration/],
  ['scale-down without policy', { autoscaling: { scaleDown: { percentPerPeriod: 0 } } }, /autoscaling.scaleDown .* needs percentPerPeriod or podsPerPeriod above 0/],
  ['invalid env var name', { env: { '1BAD': EnvValue.fromValue('x') } }, /env \("1BAD"\) names must start with a letter/],
  ['invalid ingress namespace', { network: { ingressControllerNamespace: 'Ingress NGINX' } }, /network.ingressControllerNamespace \("Ingress NGINX"\) must be a DNS-1123 label/],
];

describe('ApiService rejects bad input with a clear message', () => {
  test.each(cases)('%s', (_title, props, message) => {
    expect(() => new ApiService(testChart(), 'api', { image: IMAGE, ...props })).toThrow(message);
  });

  test('the table is at least 20 distinct cases', () => {
    expect(new Set(cases.map(([t]) => t)).size).toBeGreaterThanOrEqual(20);
  });

  test('an unpinned image is accepted only when explicitly allowed', () => {
    expect(() => new ApiService(testChart(), 'api', { image: 'media-ai-api:latest', allowUnpinnedImage: true })).not.toThrow();
  });
});
