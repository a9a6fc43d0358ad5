import { spawnSync, SpawnSyncReturns } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { ensureBuilt, parseObjects, readYamlFiles, ROOT, tempDir } from '../harness/cli';
import { helm } from '../harness/helm';
import { expectValid, K8sObject } from '../harness/synth';

// Another team's project, as the README tells them to set it up: the packed library installed from
// its tarball into a scratch project outside the repo, type-checked with strict flags, synthesized
// with the cdk8s CLI, plain and as a Helm chart. The peers are links to this repo's node_modules
// (one copy of cdk8s, nothing downloaded).

const PEERS = ['cdk8s', 'cdk8s-plus-27', 'constructs'];
const STRICT_TSCONFIG = {
  compilerOptions: {
    target: 'ES2020', module: 'commonjs', strict: true, noUncheckedIndexedAccess: true, exactOptionalPropertyTypes: true,
    skipLibCheck: false, outDir: 'out', types: [],
  },
  include: ['main.ts'],
};

/** The README's consumer example, between its markers, with the import path a consumer uses. */
function readmeExample(): string {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const block = /<!-- consumer-example:start -->\s*```ts\n([\s\S]*?)```\s*<!-- consumer-example:end -->/.exec(readme);
  if (!block) throw new Error('README.md has no consumer example between <!-- consumer-example:start/end --> markers');
  return block[1];
}

function run(cmd: string, args: string[], cwd: string): SpawnSyncReturns<string> {
  return spawnSync(cmd, args, { cwd, encoding: 'utf8', timeout: 240_000, env: { ...process.env, CDK8S_CHECK_UPGRADE: 'false', npm_config_update_notifier: 'false' } });
}

function ok(res: SpawnSyncReturns<string>, what: string): string {
  if (res.status !== 0) throw new Error(`${what} failed (${res.status}):\n${res.stdout}\n${res.stderr}`);
  return res.stdout;
}

const bin = (name: string) => path.join(ROOT, 'node_modules', '.bin', name);
const key = (o: K8sObject) => `${o.apiVersion}/${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;

describe('a consumer project installs the packed library', () => {
  let work: string;
  let project: string;
  let tarball: string;
  let tsc: SpawnSyncReturns<string>;

  beforeAll(() => {
    ensureBuilt();
    work = tempDir('consumer');
    // `npm pack` runs `prepare` (the build) as it would for a release.
    const packed = JSON.parse(ok(run('npm', ['pack', '--json', '--pack-destination', work], ROOT), 'npm pack'));
    tarball = path.join(work, packed[0].filename);

    project = path.join(work, 'search-team');
    fs.mkdirSync(project);
    const peers = Object.fromEntries(PEERS.map((p) => [p, `file:${fs.realpathSync(path.join(ROOT, 'node_modules', p))}`]));
    fs.writeFileSync(path.join(project, 'package.json'), JSON.stringify({
      name: 'search-team', version: '1.0.0', private: true,
      dependencies: { '@media-ai/cdk8s-platform': `file:${tarball}`, ...peers },
    }, null, 2));
    ok(run('npm', ['install', '--offline', '--no-audit', '--no-fund', '--no-package-lock'], project), 'npm install');

    fs.writeFileSync(path.join(project, 'tsconfig.json'), JSON.stringify(STRICT_TSCONFIG, null, 2));
    fs.writeFileSync(path.join(project, 'main.ts'), readmeExample());
    fs.writeFileSync(path.join(project, 'cdk8s.yaml'), 'language: typescript\napp: node out/main.js\noutput: dist\n');
    tsc = run(bin('tsc'), ['-p', '.'], project); // emits out/main.js even when it reports errors
  });

  test('the tarball holds compiled JS, declarations and the scripts the library loads, nothing else', () => {
    const entries = ok(run('tar', ['-tzf', tarball], work), 'tar').trim().split('\n').map((e) => e.replace(/^package\//, ''));
    const unexpected = entries.filter((e) => !/^build\/(lib|imports)\/.+\.(js|d\.ts)$/.test(e) && !/^build\/lib\/.+\/scripts\/[^/]+\.(sh|sql)$/.test(e) && !['package.json', 'README.md', 'bin/media-ai-diff'].includes(e));
    expect(unexpected).toEqual([]);
    const installed = path.join(project, 'node_modules', '@media-ai', 'cdk8s-platform', 'build', 'lib');
    for (const script of ['backup/scripts/pg-base-backup.sh', 'backup/scripts/pg-manifest.sql', 'observability/scripts/es-ilm-setup.sh']) {
      expect(fs.existsSync(path.join(installed, script))).toBe(true);
    }
    expect(entries).toContain('build/lib/index.d.ts');
  });

  test('strict type-check: no error in the library\'s declarations or the README code', () => {
    const errors = tsc.stdout.split('\n').filter((l) => /error TS\d+/.test(l));
    // cdk8s-plus-27 2.9.5's own declarations fail exactOptionalPropertyTypes (upstream, TS2420 on
    // resourceName); anything else, and anything in this package or main.ts, fails the test.
    const upstream = (l: string) => /node_modules\/cdk8s-plus-27\/lib\/[\w-]+\.d\.ts\(\d+,\d+\): error TS2420: Class '\w+' incorrectly implements interface '\w+'/.test(l);
    expect(errors.filter((l) => !upstream(l))).toEqual([]);
    expect(fs.existsSync(path.join(project, 'out', 'main.js'))).toBe(true);
  });

  test('one copy of cdk8s: the library resolves the consumer\'s cdk8s', () => {
    const script = `const p=require('path'), fs=require('fs');
      const lib=p.dirname(require.resolve('@media-ai/cdk8s-platform'));
      const a=fs.realpathSync(require.resolve('cdk8s')), b=fs.realpathSync(require.resolve('cdk8s',{paths:[lib]}));
      console.log(JSON.stringify([a===b, Object.keys(require('@media-ai/cdk8s-platform')).length]))`;
    const [same, exports] = JSON.parse(ok(run(process.execPath, ['-e', script], project), 'node -e'));
    expect(same).toBe(true);
    expect(exports).toBeGreaterThan(10);
  });

  test('cdk8s synth, plain and --format helm: valid objects; helm lint --strict passes; helm template renders the plain objects', () => {
    ok(run(bin('cdk8s'), ['synth'], project), 'cdk8s synth');
    const plain = [...readYamlFiles(path.join(project, 'dist')).values()].flatMap(parseObjects);
    expect(plain.map(key)).toContain('apps/v1/Deployment/search/search-api');
    expect(plain.filter((o) => o.kind === 'PrometheusRule').length).toBeGreaterThan(0);
    expectValid(plain);
    // The alert annotations carry Prometheus templates: the case Helm would break without escaping.
    expect(JSON.stringify(plain)).toMatch(/\{\{ \$labels\./);

    ok(run(bin('cdk8s'), ['synth', '--format', 'helm', '--chart-version', '1.0.0', '--output', 'chart'], project), 'cdk8s synth --format helm');
    const chart = path.join(project, 'chart');
    expect(helm(['lint', '--strict', chart])).toMatch(/1 chart\(s\) linted, 0 chart\(s\) failed/);
    const rendered = parseObjects(helm(['template', 'search', chart]));
    expect(new Map(rendered.map((o) => [key(o), o]))).toEqual(new Map(plain.map((o) => [key(o), o])));
  });
});
