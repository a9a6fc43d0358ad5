/**
 * Sample lines of each log source parsed by the grok patterns the Logstash pipeline is rendered
 * with (read back from the synthesized Logstash object), evaluated by Oniguruma with Logstash's
 * ECS-v1 pattern library; lines no pattern matches are kept and tagged.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Testing } from 'cdk8s';
import { MediaAiPlatform } from '../../lib';
import { only, synthAppValid } from '../harness/synth';
import { compileGrok, CompiledGrok, loadOniguruma } from './grok';

const SAMPLES = path.join(__dirname, '..', 'fixtures', 'log-samples');

function samples(file: string): { good: string[]; bad: string[] } {
  const lines = fs.readFileSync(path.join(SAMPLES, file), 'utf8').split('\n').filter(Boolean);
  return { good: lines.filter((l) => !l.startsWith('BAD ')), bad: lines.filter((l) => l.startsWith('BAD ')).map((l) => l.slice(4)) };
}

/** The grok blocks of the rendered pipeline: condition, patterns, tag_on_failure. */
function renderedGroks(pipeline: string): Array<{ condition: string; patterns: string[]; tags: string[] }> {
  const unquote = (list: string) => [...list.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((m) => m[1].replace(/\\(["\\])/g, '$1'));
  return [...pipeline.matchAll(/ {2}if (.+) \{\n {4}grok \{\n.*\n {6}match => \{ "message" => \[ (.*) \] \}\n {6}tag_on_failure => \[ (.*) \]/g)]
    .map((m) => ({ condition: m[1], patterns: unquote(m[2]), tags: unquote(m[3]) }));
}

describe('log parsing (grok, as Logstash runs it)', () => {
  const objects = (() => {
    const app = Testing.app();
    new MediaAiPlatform(app, 'media-ai');
    return synthAppValid(app);
  })();
  const pipeline: string = only(objects, 'Logstash').spec.pipelines[0]['config.string'];
  const groks = renderedGroks(pipeline);
  const ingress = groks.find((g) => g.condition.includes('"ingress-nginx"') && g.condition.includes('=='))!;
  const app = groks.find((g) => g.condition.includes('!='))!;
  let ingressGrok: CompiledGrok;
  let appGrok: CompiledGrok;

  beforeAll(async () => {
    await loadOniguruma();
    ingressGrok = compileGrok(ingress.patterns);
    appGrok = compileGrok(app.patterns);
  });

  test('the pipeline has a grok per source, ECS mode, failures tagged (not dropped: no drop filter)', () => {
    expect(groks.map((g) => g.tags)).toEqual([['_grokparsefailure', 'ingress_access_unparsed'], ['app_unparsed']]);
    expect(pipeline).toContain('ecs_compatibility => "v1"');
    expect(pipeline).not.toMatch(/\bdrop\b/);
  });

  test('ingress-nginx access lines: ECS client, url, http and request time', () => {
    const { good } = samples('ingress-nginx.log');
    const [ok, retried, ipv6] = good.map((l) => ingressGrok.match(l));
    expect(ok).toMatchObject({
      '[client][ip]': '10.244.2.1', '[http][request][method]': 'GET', '[url][original]': '/v1/search?q=cat&limit=10',
      '[url][path]': '/v1/search', '[url][query]': 'q=cat&limit=10', '[http][version]': '2.0', '[http][response][status_code]': 200,
      '[http][response][body][bytes]': 1534, '[user_agent][original]': 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36',
      '[http][request][bytes]': 412, '[nginx][request_time]': 0.012, '[nginx][upstream][name]': 'media-ai-media-ai-api-8000',
      '[nginx][upstream][address]': '10.244.1.15:8000', '[nginx][upstream][status]': '200', '[http][request][id]': '6f2b0c8e1f3a4d5e9c0b1a2d3e4f5a6b',
    });
    expect(ok).not.toHaveProperty(['[http][request][referrer]']);
    expect(ok).not.toHaveProperty(['[user][name]']);
    expect(retried).toMatchObject({
      '[client][ip]': '203.0.113.9', '[user][name]': 'alice', '[http][response][status_code]': 502, '[nginx][request_time]': 30.001,
      '[http][request][referrer]': 'https://app.media-ai.com/', '[nginx][upstream][address]': '10.244.1.15:8000, 10.244.3.4:8000',
      '[nginx][upstream][status]': '502, 502', '[url][path]': '/v1/media/upload',
    });
    expect(retried).not.toHaveProperty(['[url][query]']);
    expect(ipv6).toMatchObject({ '[client][ip]': '2001:db8::7', '[http][response][status_code]': 404, '[nginx][upstream][name]': 'upstream-default-backend' });
    expect(ipv6).not.toHaveProperty(['[nginx][upstream][address]']);
  });

  test('the event.duration conversion is in nanoseconds (ECS), from the parsed request time', () => {
    expect(pipeline).toContain("event.set('[event][duration]', (event.get('[nginx][request_time]').to_f * 1_000_000_000).round)");
    expect(pipeline).toMatch(/\[http\]\[response\]\[status_code\] >= 500 \{ mutate \{ add_field => \{ "\[event\]\[outcome\]" => "failure" \}/);
  });

  test("the controller's klog lines parse as log lines, other lines are tagged unparsed", () => {
    const { good, bad } = samples('ingress-nginx.log');
    expect(ingressGrok.match(good[3])).toMatchObject({ '[log][level]': 'I', '[log][origin][file][name]': 'controller.go', '[log][origin][file][line]': 190 });
    expect(ingressGrok.match(good[3])).not.toHaveProperty(['[http][response][status_code]']);
    expect(bad).toHaveLength(1);
    for (const line of bad) expect(ingressGrok.match(line)).toBeUndefined();
  });

  test('API lines: uvicorn access lines, and log lines with their trace id (trace.id links to Jaeger)', () => {
    const { good, bad } = samples('api.log');
    expect(appGrok.match(good[0])).toMatchObject({ '[log][level]': 'INFO', '[client][ip]': '10.244.2.9', '[client][port]': 51234, '[http][request][method]': 'GET', '[url][path]': '/v1/search', '[url][query]': 'q=dog', '[http][response][status_code]': 200 });
    expect(appGrok.match(good[1])).toMatchObject({ '[http][response][status_code]': 500, '[http][response][status_text]': 'Internal Server Error', '[url][path]': '/v1/embeddings' });
    expect(appGrok.match(good[2])).toMatchObject({
      '[log][level]': 'ERROR', '[log][logger]': 'media_ai.search', '[trace][id]': '4bf92f3577b34da6a3ce929d0e0e4736', '[span][id]': '00f067aa0ba902b7',
      '[service][name]': 'media-ai-api', '[app][message]': 'vector search failed: MilvusException: timeout',
    });
    // An unsampled line (trace_id=0) has no trace id rather than a false one.
    expect(appGrok.match(good[3])).not.toHaveProperty(['[trace][id]']);
    expect(appGrok.match(good[3])).toMatchObject({ '[log][level]': 'INFO', '[app][message]': 'Application startup complete.' });
    for (const line of bad) expect(appGrok.match(line)).toBeUndefined();
  });

  test('JSON lines keep their trace ids under trace.id, whatever the logger calls them', () => {
    for (const f of ['trace_id', 'traceId', 'otelTraceID']) expect(pipeline).toContain(`if [app][${f}] and ![trace][id] { mutate { copy => { "[app][${f}]" => "[trace][id]" } } }`);
  });

  test('a broken pattern is caught: the grok evaluation can fail', () => {
    const broken = compileGrok([ingress.patterns[0].replace('%{INT:[http][response][status_code]:int}', '%{WORD:[http][response][status_code]} x')]);
    expect(broken.match(samples('ingress-nginx.log').good[0])).toBeUndefined();
  });

  test('Filebeat collects the node journal with the node name as host.name; the exception is recorded', () => {
    const beat: any = only(objects, 'Beat', 'filebeat');
    expect(beat.spec.config.name).toBe('${NODE_NAME}');
    expect(beat.spec.config['filebeat.inputs']).toContainEqual(expect.objectContaining({ type: 'journald', paths: ['/var/log/journal', '/run/log/journal'] }));
    const volumes = beat.spec.daemonSet.podTemplate.spec.volumes.map((v: any) => v.hostPath?.path);
    expect(volumes).toEqual(expect.arrayContaining(['/var/log/journal', '/run/log/journal', '/etc/machine-id']));
    expect(beat.spec.daemonSet.podTemplate.spec.containers[0].volumeMounts.every((m: any) => m.readOnly)).toBe(true);
    expect(beat.metadata.annotations['security.media-ai.io/exception']).toMatch(/journal/);
  });
});
