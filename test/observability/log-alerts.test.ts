/**
 * Log alerts: every ElastAlert 2 rule file the platform renders is valid against the engine's own
 * schema (elastalert/schema.yaml of ElastAlert 2.31.0, the pinned image, vendored in
 * test/fixtures), and every log alert routes to its priority's receiver (amtool).
 */
import * as fs from 'fs';
import * as path from 'path';
import Ajv from 'ajv';
import { Testing } from 'cdk8s';
import * as YAML from 'yaml';
import { MediaAiPlatform, Priority } from '../../lib';
import { PRIORITY_TIMING } from '../../lib/observability/alertmanager-config';
import { only, synthAppValid } from '../harness/synth';
import { run, workDir } from '../harness/tools';
import { toolTest } from '../harness/fast';

const SCHEMA = YAML.parse(fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'elastalert2-2.31.0-schema.yaml'), 'utf8'));
// The engine validates with jsonschema's Draft7Validator; its schema has a typo'd keyword (`item`), so not strict.
const validate = new Ajv({ strict: false, allErrors: true, validateFormats: false }).compile(SCHEMA);

describe('log alerts (ElastAlert 2)', () => {
  const objects = (() => {
    const app = Testing.app();
    new MediaAiPlatform(app, 'media-ai');
    return synthAppValid(app);
  })();
  const ruleFiles: Record<string, string> = only(objects, 'ConfigMap', 'elastalert-rules').data;
  const rules = Object.entries(ruleFiles).map(([file, text]) => ({ file, rule: YAML.parse(text) }));
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

  test('the platform has the required log alerts: error rate, fatal lines, silence, node OOM', () => {
    expect(rules.map((r) => r.rule.alertmanager_alertname).sort()).toEqual(['ApiFatalLogLines', 'ApiLogErrorRate', 'ApiLogsMissing', 'NodeLogsMissing', 'NodeOomKill']);
    for (const { file, rule } of rules) expect(file).toBe(`${rule.name}.yaml`);
  });

  test.each(['ApiLogErrorRate', 'ApiFatalLogLines', 'ApiLogsMissing', 'NodeOomKill', 'NodeLogsMissing'])('%s is valid against ElastAlert\'s schema.yaml', (name) => {
    const { rule } = rules.find((r) => r.rule.alertmanager_alertname === name)!;
    const ok = validate(rule);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  test('the schema catches a broken rule (the check can fail)', () => {
    const { rule } = rules.find((r) => r.rule.type === 'frequency')!;
    const noTimeframe: Record<string, unknown> = { ...rule };
    delete noTimeframe.timeframe;
    expect(validate(noTimeframe)).toBe(false);
    expect(validate({ ...rule, alertmanager_api_version: 'v3' })).toBe(false);
    expect(validate({ ...rule, alertmanager_labels: { priority: { template: 'P1' } } })).toBe(false);
  });

  test('ElastAlert config has the globals its loader requires; credentials only from the Secret', () => {
    const config = YAML.parse(only(objects, 'ConfigMap', 'elastalert-config').data['config.yaml']);
    for (const key of ['run_every', 'es_host', 'es_port', 'writeback_index', 'buffer_time']) expect(config).toHaveProperty(key);
    expect(config).not.toHaveProperty('es_password');
    const container = only(objects, 'Deployment', 'elastalert').spec.template.spec.containers[0];
    expect(container.env.filter((e: any) => e.name.startsWith('ES_')).map((e: any) => e.valueFrom.secretKeyRef.name)).toEqual(['es-user-elastalert', 'es-user-elastalert']);
    expect(container.image).toMatch(/^jertel\/elastalert2:2\.31\.0$/);
  });

  test('every rule posts to Alertmanager v2 with priority, severity and service labels, runbook and dashboard', () => {
    for (const { rule } of rules) {
      expect(rule.alert).toEqual(['alertmanager']);
      expect(rule.alertmanager_api_version).toBe('v2');
      expect(rule.alertmanager_hosts).toEqual(['http://alertmanager-operated.monitoring.svc:9093']);
      expect(rule.alertmanager_labels).toEqual(expect.objectContaining({ priority: expect.stringMatching(/^P[0-3]$/), severity: expect.any(String), service: expect.any(String) }));
      expect(rule.alertmanager_annotations.runbook_url).toMatch(new RegExp(`/docs/runbooks/${rule.alertmanager_alertname}\\.md$`));
      expect(rule.alertmanager_annotations.dashboard).toBeTruthy();
    }
  });

  toolTest('every log alert routes to the receiver of its priority (amtool config routes test)', () => {
    const config = only(objects, 'Secret', 'alertmanager-config').stringData['alertmanager.yaml'];
    const dir = workDir('log-alert-routes', { 'alertmanager.yml': config });
    dirs.push(dir);
    for (const { rule } of rules) {
      const labels = { ...rule.alertmanager_labels, alertname: rule.alertmanager_alertname, elastalert_rule: rule.name };
      const out = run('amtool', ['config', 'routes', 'test', `--config.file=${path.join(dir, 'alertmanager.yml')}`, ...Object.entries(labels).map(([k, v]) => `${k}=${String(v)}`)]);
      expect(out.status).toBe(0);
      expect({ alert: rule.name, receivers: out.stdout.trim() }).toEqual({ alert: rule.name, receivers: PRIORITY_TIMING[rule.alertmanager_labels.priority as Priority].receiver });
    }
  });

  test('ElastAlert reaches only Elasticsearch, Alertmanager and DNS; only Prometheus reaches it, to scrape its metrics', () => {
    const policy = only(objects, 'NetworkPolicy', 'elastalert').spec;
    expect(policy.ingress).toEqual([{ from: [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'prometheus', 'app.kubernetes.io/instance': 'prometheus' } } }], ports: [{ port: 9979, protocol: 'TCP' }] }]);
    expect(only(objects, 'ServiceMonitor', 'elastalert').spec.endpoints).toEqual([expect.objectContaining({ port: 'metrics' })]);
    expect(only(objects, 'Deployment', 'elastalert').spec.template.spec.containers[0].command[2]).toContain('--prometheus_port 9979');
    expect(policy.egress.map((e: any) => e.ports.map((p: any) => p.port).join(','))).toEqual(['9200', '9093', '53,53']);
  });
});
