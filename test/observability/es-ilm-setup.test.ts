// Issue #8 items 3 and 9: the ILM Job installs log retention, logging in as its own Elasticsearch
// user (not `elastic`). Its script runs here with the real curl, against a recording HTTP server,
// with the environment exactly as the rendered Job sets it (Secret values filled in).
import * as http from 'http';
import { AddressInfo } from 'net';
import { Chart, Testing } from 'cdk8s';
import { ObservabilityStack } from '../../lib';
import { ofKind, only, synthAppValid } from '../harness/synth';
import { runShellScript } from '../harness/tools';

interface Recorded { method: string; url: string; auth: string; body: string }


describe('es-ilm-setup.sh, as the rendered Job runs it', () => {
  const app = Testing.app();
  const chart = new Chart(app, 'monitoring', { namespace: 'monitoring' });
  new ObservabilityStack(chart, 'obs', { grafana: { adminUser: { name: 'g', key: 'u' }, adminPassword: { name: 'g', key: 'p' } }, logging: { retentionDays: 9 } });
  const objects = synthAppValid(app);
  const job = ofKind(objects, 'Job').find((j) => j.metadata.name.startsWith('es-ilm-setup'))!;
  const script = only(objects, 'ConfigMap', 'es-ilm-setup').data['es-ilm-setup.sh'];
  const secrets: Record<string, string> = { 'es-user-ilm-setup/username': 'media-ai-ilm', 'es-user-ilm-setup/password': 'p@ss "w0rd" \\ $HOME' };

  let server: http.Server;
  const requests: Recorded[] = [];
  let baseUrl: string;
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (d) => { body += d; });
      req.on('end', () => {
        requests.push({ method: req.method!, url: req.url!, auth: req.headers.authorization ?? '', body });
        res.setHeader('Content-Type', 'application/json');
        res.end(req.url!.startsWith('/_cluster/health') ? '{"status":"green"}' : '{"acknowledged":true}');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  const jobEnv = (): Record<string, string> => Object.fromEntries(job.spec.template.spec.containers[0].env.map((e: any) =>
    [e.name, e.value ?? secrets[`${e.valueFrom.secretKeyRef.name}/${e.valueFrom.secretKeyRef.key}`]]));

  test('logs in as its own user and installs the retention policy and the index template', async () => {
    const env = jobEnv();
    expect(env.ES_URL).toBe('https://logs-es-http.monitoring.svc:9200');
    const res = await runShellScript(script, { ...env, ES_URL: baseUrl });
    expect(res.output).toMatch(/lifecycle policy media-ai-logs: delete after 9 days/);
    expect(res.status).toBe(0);
    expect(requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      'GET /_cluster/health?wait_for_status=yellow&timeout=30s', 'PUT /_ilm/policy/media-ai-logs', 'PUT /_index_template/media-ai-logs',
    ]);
    const basic = `Basic ${Buffer.from(`media-ai-ilm:${secrets['es-user-ilm-setup/password']}`).toString('base64')}`;
    for (const r of requests) expect(r.auth).toBe(basic);
    expect(JSON.parse(requests[1].body).policy.phases.delete).toEqual({ min_age: '9d', actions: { delete: {} } });
    const template = JSON.parse(requests[2].body);
    expect(template.index_patterns).toEqual(['logs-media_ai-*']);
    expect(template.template.settings['index.lifecycle.name']).toBe('media-ai-logs');
  });

  test('refuses to run without its user name', async () => {
    const { ES_USERNAME, ...env } = jobEnv();
    expect(ES_USERNAME).toBe('media-ai-ilm');
    const res = await runShellScript(script, { ...env, ES_URL: baseUrl });
    expect(res.status).not.toBe(0);
    expect(res.output).toMatch(/ES_USERNAME is required/);
  });
});
