import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, App, Chart, Lazy, Testing } from 'cdk8s';
import { MediaAiPlatform } from '../../lib/platform/media-ai-platform';
import { renderApp, synthesizeAtomically } from '../../lib/platform/synth';
import { escapeHelmDelimiters } from '../../lib/platform/helm';
import { parseObjects, readYamlFiles, ROOT, safeSynth, tempDir } from '../harness/cli';
import { expectValid } from '../harness/synth';

/** Every file of a folder and its subfolders (any extension), by relative path. */
function filesOf(dir: string): Map<string, string> {
  return new Map(fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort()
    .filter((f) => fs.statSync(path.join(dir, f)).isFile())
    .map((f) => [f, fs.readFileSync(path.join(dir, f), 'utf8')]));
}

/** What cdk8s's own `app.synth()` writes for an app built by `build`, and what synthesizeAtomically writes. */
function bothWays(build: (app: App) => void, appProps: { recordConstructMetadata?: boolean } = {}): { stock: Map<string, string>; ours: Map<string, string> } {
  const stockDir = tempDir('stock');
  const oursDir = tempDir('ours');
  const stock = new App({ outdir: stockDir, ...appProps });
  build(stock);
  stock.synth();
  const ours = new App({ outdir: oursDir, ...appProps });
  build(ours);
  synthesizeAtomically(ours);
  return { stock: filesOf(stockDir), ours: filesOf(oursDir) };
}

/** Charts in several shapes: a chart depending on another, a nested chart, an independent one. */
function chartShapes(app: App): void {
  const base = new Chart(app, 'base', { namespace: 'base' });
  const cm = new ApiObject(base, 'config', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'shared' }, data: { a: '1' } });
  const user = new Chart(app, 'user', { namespace: 'user' });
  const dep = new ApiObject(user, 'reader', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'reader' } });
  dep.node.addDependency(cm);
  new ApiObject(user, 'first', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'first' } });
  const nested = new Chart(user, 'nested');
  new ApiObject(nested, 'inner', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'inner' } });
}

describe('synthesizeAtomically: app.synth() output, rendered once', () => {
  test('the reference app: byte-identical files to app.synth()', () => {
    const { stock, ours } = bothWays((app) => new MediaAiPlatform(app, 'media-ai'));
    expect([...ours.keys()]).toEqual(['0000-media-ai-namespaces.k8s.yaml', '0001-media-ai.k8s.yaml', '0002-media-ai-monitoring.k8s.yaml']);
    expect(ours).toEqual(stock);
  });

  test('dependent, nested and independent charts, and construct metadata: byte-identical', () => {
    const dependent = bothWays(chartShapes);
    expect([...dependent.ours.keys()]).toEqual(['0000-user-nested-c84ec527.k8s.yaml', '0001-base.k8s.yaml', '0002-user.k8s.yaml']);
    expect(dependent.ours).toEqual(dependent.stock);

    const independent = bothWays((app) => {
      new ApiObject(new Chart(app, 'one'), 'sa', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'one' } });
      new ApiObject(new Chart(app, 'two'), 'sa', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'two' } });
    });
    expect([...independent.ours.keys()]).toEqual(['one.k8s.yaml', 'two.k8s.yaml']);
    expect(independent.ours).toEqual(independent.stock);

    const withMetadata = bothWays(chartShapes, { recordConstructMetadata: true });
    expect(withMetadata.ours.has('construct-metadata.json')).toBe(true);
    expect(withMetadata.ours).toEqual(withMetadata.stock);
  });

  test('every lazy value is produced once per synth (one render)', () => {
    const app = new App({ outdir: tempDir('once') });
    let produced = 0;
    new ApiObject(new Chart(app, 'c'), 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'counted' }, data: { n: Lazy.any({ produce: () => String(++produced) }) } });
    synthesizeAtomically(app);
    expect(produced).toBe(1);
    expect(fs.readFileSync(path.join(app.outdir, 'c.k8s.yaml'), 'utf8')).toMatch(/"n": "1"/);
  });

  test('a validation error writes nothing and leaves the folder as it was', () => {
    const outdir = tempDir('invalid');
    fs.writeFileSync(path.join(outdir, 'previous.k8s.yaml'), 'kept\n');
    const app = new App({ outdir });
    const chart = new Chart(app, 'good');
    new ApiObject(chart, 'sa', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'sa' } });
    const bad = new Chart(app, 'bad');
    bad.node.addValidation({ validate: () => ['replicas must be positive'] });
    expect(() => synthesizeAtomically(app)).toThrow('Validation failed with the following errors:\n  [bad] replicas must be positive');
    expect(filesOf(outdir)).toEqual(new Map([['previous.k8s.yaml', 'kept\n']]));
  });

  test('Helm: escaped when writing into a chart\'s templates/ (cdk8s synth --format helm), plain otherwise', () => {
    const build = (app: App) => new ApiObject(new Chart(app, 'rules'), 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'rules' }, data: { summary: '{{ $labels.pod }} down' } });
    const chartDir = tempDir('helm-chart');
    fs.writeFileSync(path.join(chartDir, 'Chart.yaml'), 'apiVersion: v2\nname: x\nversion: 0.1.0\n');
    const helmApp = new App({ outdir: path.join(chartDir, 'templates') });
    build(helmApp);
    synthesizeAtomically(helmApp);
    const plainApp = new App({ outdir: tempDir('not-helm') });
    build(plainApp);
    synthesizeAtomically(plainApp);
    const plain = fs.readFileSync(path.join(plainApp.outdir, 'rules.k8s.yaml'), 'utf8');
    expect(plain).toMatch(/summary: "\{\{ \$labels.pod \}\} down"/);
    expect(fs.readFileSync(path.join(helmApp.outdir, 'rules.k8s.yaml'), 'utf8')).toBe(escapeHelmDelimiters(plain));
    expect(renderApp(plainApp)[0].text).toBe(plain);
  });

  test('Testing.synth of one chart is unaffected (the pattern for consumers\' snapshot tests)', () => {
    const app = Testing.app();
    chartShapes(app);
    expect(Testing.synth(app.charts.find((c) => c.node.id === 'base')!)).toEqual([expect.objectContaining({ kind: 'ConfigMap', metadata: { name: 'shared', namespace: 'base' } })]);
  });
});

describe('npm run synth keeps the last good output', () => {
  let out: string;
  beforeAll(() => {
    out = path.join(tempDir('safe-synth'), 'dist');
    const first = safeSynth(['--output', out]);
    expect(first.stderr).not.toMatch(/Error/);
    expect(first.status).toBe(0);
  });

  test('a good synth writes the reference app in every environment, valid', () => {
    expect(fs.readdirSync(out).sort()).toEqual(['dev', 'prod', 'staging']);
    for (const env of ['dev', 'staging', 'prod']) {
      const files = readYamlFiles(path.join(out, env));
      expect([...files.keys()]).toEqual(['0000-media-ai-namespaces.k8s.yaml', '0001-media-ai.k8s.yaml', '0002-media-ai-monitoring.k8s.yaml']);
      expectValid([...files.values()].flatMap(parseObjects));
    }
    expect(fs.readdirSync(path.dirname(out))).toEqual(['dist']);
  });

  test('--env renders one environment and replaces only its folder; --event applies a planned event', () => {
    const before = { dev: filesOf(path.join(out, 'dev')), staging: filesOf(path.join(out, 'staging')) };
    fs.writeFileSync(path.join(out, 'prod', 'stale.k8s.yaml'), 'stale\n');
    const res = safeSynth(['--output', out, '--env', 'prod', '--event', 'peak']);
    expect(res.status).toBe(0);
    expect(fs.existsSync(path.join(out, 'prod', 'stale.k8s.yaml'))).toBe(false);
    const hpa = [...readYamlFiles(path.join(out, 'prod')).values()].flatMap(parseObjects).find((o) => o.kind === 'HorizontalPodAutoscaler' && o.metadata.name === 'media-ai-api')!;
    expect(hpa.spec).toMatchObject({ minReplicas: 12, maxReplicas: 24 });
    expect(filesOf(path.join(out, 'dev'))).toEqual(before.dev);
    expect(filesOf(path.join(out, 'staging'))).toEqual(before.staging);
    expect(fs.readdirSync(path.dirname(out))).toEqual(['dist']);
    // An unknown event fails and keeps the folder.
    const prod = filesOf(path.join(out, 'prod'));
    const bad = safeSynth(['--output', out, '--env', 'prod', '--event', 'black-friday']);
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toMatch(/environment prod: event \("black-friday"\) is not a planned event \(known: peak\)/);
    expect(filesOf(path.join(out, 'prod'))).toEqual(prod);
    expect(fs.readdirSync(path.dirname(out))).toEqual(['dist']);
  });

  test('a failing app: exit code non-zero, the error names the prop, the previous dist/ is untouched', () => {
    const before = filesOf(out);
    const res = safeSynth(['--app', `${path.join(ROOT, 'node_modules', '.bin', 'ts-node')} --transpile-only test/fixtures/bad-app.ts`, '--output', out]);
    expect(res.status).not.toBe(0);
    expect(res.stderr).toMatch(/media-ai\/media-ai-api: image \("registry.example.com\/media-ai-api:latest"\) must be pinned/);
    expect(res.stderr).toMatch(/keeps the previous output/);
    expect(filesOf(out)).toEqual(before);
    // No staging folder left behind.
    expect(fs.readdirSync(path.dirname(out))).toEqual(['dist']);
  });
});
