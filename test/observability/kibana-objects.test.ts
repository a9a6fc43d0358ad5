// The Kibana data view and saved searches: the Job's script runs here with the real curl, against
// a recording HTTP server standing in for Kibana, with the environment the rendered Job sets.
import * as fs from 'fs';
import * as http from 'http';
import { AddressInfo } from 'net';
import * as path from 'path';
import { Chart, Testing } from 'cdk8s';
import { KibanaSavedObjects } from '../../lib/observability/kibana-objects';
import { PodGroup } from '../../lib/shared';
import { MediaAiPlatform } from '../../lib';
import { ofKind, only, synthAppValid } from '../harness/synth';
import { expectSuccess, run, runShellScript, workDir } from '../harness/tools';
import { toolTest } from '../harness/fast';

interface Recorded { method: string; url: string; auth: string; xsrf: string; body: string }


describe('Kibana saved objects (data view and saved searches)', () => {
  const objects = (() => {
    const app = Testing.app();
    new MediaAiPlatform(app, 'media-ai');
    return synthAppValid(app);
  })();
  const job = ofKind(objects, 'Job').find((j) => j.metadata.name.startsWith('kibana-saved-objects-'))!;
  const config = only(objects, 'ConfigMap', 'kibana-saved-objects').data;
  const saved = config['objects.ndjson'].trim().split('\n').map((l: string) => JSON.parse(l));
  const secrets: Record<string, string> = { 'es-user-kibana-setup/username': 'kb-setup', 'es-user-kibana-setup/password': 'p@ss "w0rd" \\ $HOME' };
  let answer = '{"success":true,"successCount":5}';
  const requests: Recorded[] = [];
  let server: http.Server;
  let baseUrl: string;
  let dir: string;
  beforeAll(async () => {
    dir = workDir('kibana-objects', { 'objects.ndjson': config['objects.ndjson'] });
    server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (d) => { body += d; });
      req.on('end', () => {
        requests.push({ method: req.method!, url: req.url!, auth: req.headers.authorization ?? '', xsrf: String(req.headers['kbn-xsrf'] ?? ''), body });
        res.setHeader('Content-Type', 'application/json');
        res.end(req.url === '/api/status' ? '{"status":{"overall":{"level":"available"}}}' : answer);
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise<void>((r) => server.close(() => r()));
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const jobEnv = (): Record<string, string> => Object.fromEntries(job.spec.template.spec.containers[0].env.map((e: any) =>
    [e.name, e.value ?? secrets[`${e.valueFrom.secretKeyRef.name}/${e.valueFrom.secretKeyRef.key}`]]));

  test('a data view of the platform logs and saved searches that use it', () => {
    const view = saved.find((o: any) => o.type === 'index-pattern');
    expect(view.attributes).toEqual({ title: 'logs-media_ai-*', name: 'media-ai logs', timeFieldName: '@timestamp' });
    const searches = saved.filter((o: any) => o.type === 'search');
    expect(searches.map((s: any) => s.attributes.title)).toEqual(['media-ai errors', 'media-ai access logs', 'media-ai system logs (nodes)', 'media-ai unparsed lines']);
    for (const s of searches) {
      const source = JSON.parse(s.attributes.kibanaSavedObjectMeta.searchSourceJSON);
      expect(source.query.language).toBe('kuery');
      expect(s.references).toEqual([{ name: source.indexRefName, type: 'index-pattern', id: view.id }]);
    }
  });

  toolTest('the Job imports them through the saved-objects API as its own user, once Kibana is available', async () => {
    const env = jobEnv();
    expect(env.KIBANA_URL).toBe('https://kibana-kb-http.monitoring.svc:5601');
    const res = await runShellScript(config['kibana-saved-objects.sh'], { ...env, KIBANA_URL: baseUrl, OBJECTS: path.join(dir, 'objects.ndjson') });
    expect(res.output).toMatch(/imported: "successCount":5/);
    expect(res.status).toBe(0);
    expect(requests.map((r) => `${r.method} ${r.url}`)).toEqual(['GET /api/status', 'POST /api/saved_objects/_import?overwrite=true']);
    const basic = `Basic ${Buffer.from(`kb-setup:${secrets['es-user-kibana-setup/password']}`).toString('base64')}`;
    for (const r of requests) expect({ auth: r.auth, xsrf: r.xsrf }).toEqual({ auth: basic, xsrf: 'true' });
    expect(requests[1].body).toContain('Content-Type: application/ndjson');
    expect(requests[1].body).toContain(config['objects.ndjson'].trim());
  });

  toolTest('fails (so the Job retries) when Kibana refuses the objects', async () => {
    answer = '{"success":false,"errors":[{"id":"media-ai-errors","error":{"type":"conflict"}}]}';
    const res = await runShellScript(config['kibana-saved-objects.sh'], { ...jobEnv(), KIBANA_URL: baseUrl, OBJECTS: path.join(dir, 'objects.ndjson') });
    expect(res.status).not.toBe(0);
    expect(res.output).toMatch(/Kibana refused the saved objects/);
  });

  toolTest('the script passes shellcheck', () => {
    expectSuccess(run('shellcheck', ['-s', 'sh', '-'], { input: config['kibana-saved-objects.sh'] }));
  });

  test('its NetworkPolicy reaches only Kibana and DNS; Kibana admits it', () => {
    const policy = only(objects, 'NetworkPolicy', 'kibana-saved-objects').spec;
    expect(policy.egress.map((e: any) => e.ports.map((p: any) => p.port).join(','))).toEqual(['5601', '53,53']);
    const kibana = only(objects, 'NetworkPolicy', 'kibana').spec;
    expect(kibana.ingress).toContainEqual(expect.objectContaining({ from: [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'kibana-saved-objects', 'app.kubernetes.io/instance': 'kibana-saved-objects' } } }] }));
  });
});

describe('the Kibana import Job name', () => {
  const jobName = (credentialsSecret: string, indexPattern = 'logs-media_ai-*') => {
    const chart = new Chart(Testing.app(), 'monitoring', { namespace: 'monitoring' });
    const kibana = new PodGroup(chart, 'Kibana', 'kibana', { 'kibana.k8s.elastic.co/name': 'kibana' }, {});
    new KibanaSavedObjects(chart, 'Objects', { kibanaName: 'kibana', kibana, credentials: { name: credentialsSecret }, indexPattern });
    return ofKind(Testing.synth(chart), 'Job')[0].metadata.name;
  };

  test('follows its pod template and the objects: a change is a new Job (Jobs are immutable), no change keeps the name', () => {
    expect(jobName('a')).toMatch(/^kibana-saved-objects-[0-9a-f]{10}$/);
    expect(jobName('a')).toBe(jobName('a'));
    expect(jobName('b')).not.toBe(jobName('a'));
    expect(jobName('a', 'logs-other-*')).not.toBe(jobName('a'));
  });
});
