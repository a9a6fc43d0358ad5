import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { SchemaValidator, schemaValidator } from './schema-validator';

const deployment = () => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', labels: { 'app.kubernetes.io/name': 'web' } },
  spec: {
    selector: { matchLabels: { app: 'web' } },
    template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.25', ports: [{ containerPort: 80 }] }] } },
  },
});

describe('strict schema validation', () => {
  const v: SchemaValidator = schemaValidator();

  test('accepts a valid Deployment', () => {
    expect(v.validate(deployment())).toEqual([]);
  });

  test('rejects an unknown field, deep in the pod spec', () => {
    const d: any = deployment();
    d.spec.template.spec.containers[0].imagePullPolicyy = 'Always';
    expect(v.validate(d).map((i) => i.message)).toEqual([expect.stringContaining("must NOT have additional properties 'imagePullPolicyy'")]);
  });

  test('rejects a wrong type', () => {
    const d: any = deployment();
    d.spec.replicas = 'three';
    expect(v.validate(d).map((i) => i.message)).toContainEqual(expect.stringMatching(/\/spec\/replicas must be integer/));
  });

  test('rejects an unknown kind and an unknown version of a known kind', () => {
    expect(v.validate({ apiVersion: 'apps/v1', kind: 'Deploymnt', metadata: { name: 'x' } })[0].message).toMatch(/unknown kind apps\/v1\/Deploymnt/);
    expect(v.validate({ ...deployment(), apiVersion: 'apps/v1beta1' })[0].message).toMatch(/unknown kind/);
  });

  test('rejects invalid names and label values', () => {
    const d: any = deployment();
    d.metadata.name = 'Web_1';
    d.metadata.labels['app.kubernetes.io/version'] = 'sha256:abc';
    const messages = v.validate(d).map((i) => i.message);
    expect(messages).toContainEqual(expect.stringMatching(/metadata.name "Web_1" is not a DNS-1123 subdomain/));
    expect(messages).toContainEqual(expect.stringMatching(/invalid value/));
  });

  test('validates custom resources against their CRD schema, strictly', () => {
    const monitor: any = {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'ServiceMonitor',
      metadata: { name: 'api' },
      spec: { selector: { matchLabels: { app: 'api' } }, endpoints: [{ port: 'http', interval: '30s' }] },
    };
    expect(v.validate(monitor)).toEqual([]);
    monitor.spec.endpoints[0].intervall = '30s';
    expect(v.validate(monitor).map((i) => i.message)).toContainEqual(expect.stringContaining("'intervall'"));
    monitor.spec.endpoints[0] = { port: 'http', interval: 'thirty seconds' };
    expect(v.validate(monitor).map((i) => i.message)).toContainEqual(expect.stringMatching(/interval must match pattern/));
  });

  test('checks the metadata of custom resources against ObjectMeta', () => {
    const rule = { apiVersion: 'monitoring.coreos.com/v1', kind: 'PrometheusRule', metadata: { name: 'r', labelz: {} }, spec: { groups: [] } };
    expect(v.validate(rule).map((i) => i.message)).toContainEqual(expect.stringContaining("'labelz'"));
  });

  test('knows every kind we emit', () => {
    for (const [apiVersion, kind] of [
      ['v1', 'Service'], ['policy/v1', 'PodDisruptionBudget'], ['autoscaling/v2', 'HorizontalPodAutoscaler'], ['batch/v1', 'CronJob'],
      ['monitoring.coreos.com/v1', 'Prometheus'], ['monitoring.coreos.com/v1', 'Probe'], ['elasticsearch.k8s.elastic.co/v1', 'Elasticsearch'],
    ]) expect(v.knows(apiVersion, kind)).toBe(true);
  });
});

describe('the compiled-validator cache', () => {
  // A Go (?i) pattern (AlertmanagerConfig months) exercises the regexp helper the cached code requires.
  const amConfig = (month: string) => ({
    apiVersion: 'monitoring.coreos.com/v1alpha1', kind: 'AlertmanagerConfig', metadata: { name: 'quiet' },
    spec: { muteTimeIntervals: [{ name: 'q', timeIntervals: [{ months: [month] }] }] },
  });
  const bad: any = deployment();
  bad.spec.template.spec.containers[0].imagePullPolicyy = 'Always';
  const samples = [deployment(), bad, amConfig('JANUARY'), amConfig('1:March'), amConfig('Janvier')];

  test('a fresh compile, its cached files and the shared validator give the same verdicts', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'schema-cache-'));
    try {
      const fresh = samples.map((o) => new SchemaValidator(root).validate(o));
      const files = fs.readdirSync(root, { recursive: true }).filter((f) => String(f).endsWith('.js'));
      expect(files).toHaveLength(2); // Deployment and AlertmanagerConfig: only what was asked for
      const cached = samples.map((o) => new SchemaValidator(root).validate(o));
      expect(cached).toEqual(fresh);
      expect(samples.map((o) => schemaValidator().validate(o))).toEqual(fresh);
      expect(fresh.map((issues) => issues.length > 0)).toEqual([false, true, false, false, true]);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
