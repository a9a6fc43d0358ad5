import * as fs from 'fs';
import * as path from 'path';
import { App, Testing } from 'cdk8s';
import { escapeHelmDelimiters, MediaAiPlatform } from '../../lib';
import { cdk8s, parseObjects, readYamlFiles, ROOT, tempDir } from '../harness/cli';
import { helm } from '../harness/helm';
import { expectValid, K8sObject, synthAppValid } from '../harness/synth';
import { spawnSync } from 'child_process';

function referenceApp(): App {
  const app = Testing.app();
  new MediaAiPlatform(app, 'media-ai');
  return app;
}

// File names are public: chart dependencies number them, so the namespaces come first.
const CHART_FILES = ['0000-media-ai-namespaces.k8s.yaml', '0001-media-ai.k8s.yaml', '0002-media-ai-monitoring.k8s.yaml'];
const key = (o: K8sObject) => `${o.apiVersion}/${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;
const byKey = (objects: K8sObject[]) => new Map(objects.map((o) => [key(o), o]));

describe('reference app (media-ai)', () => {
  test('every chart renders valid objects (snapshot per chart)', () => {
    const app = referenceApp();
    synthAppValid(app);
    for (const chart of app.charts) expect(Testing.synth(chart)).toMatchSnapshot(chart.node.id);
  });

  test('object keys are unique across the app', () => {
    const objects = synthAppValid(referenceApp());
    expect(byKey(objects).size).toBe(objects.length);
  });

  test('two synths are byte-identical', () => {
    expect(referenceApp().synthYaml()).toBe(referenceApp().synthYaml());
  });

  describe('with the cdk8s CLI', () => {
    // prod: the environment MediaAiPlatform defaults to; the CLI writes every environment.
    let plainDir: string;
    let cliOut: string;
    beforeAll(() => {
      cliOut = tempDir('plain');
      plainDir = path.join(cliOut, 'prod');
      const res = cdk8s(['synth', '--output', cliOut]);
      expect(res.stderr).not.toMatch(/Error/);
      expect(res.status).toBe(0);
    });

    test('cdk8s synth writes every environment, one file per chart, namespaces first, all valid, with a capacity report', () => {
      expect(fs.readdirSync(cliOut).sort()).toEqual(['dev', 'prod', 'staging']);
      for (const env of ['dev', 'staging', 'prod']) {
        const files = readYamlFiles(path.join(cliOut, env));
        expect([...files.keys()]).toEqual(CHART_FILES);
        expectValid([...files.values()].flatMap(parseObjects));
        expect(JSON.parse(fs.readFileSync(path.join(cliOut, env, 'capacity.json'), 'utf8'))).toMatchObject({ environment: env, shortfalls: [] });
        expect(fs.readFileSync(path.join(cliOut, env, 'capacity.md'), 'utf8')).toMatch(new RegExp(`^# Capacity: ${env}\n`));
      }
    });

    test('the prod output equals MediaAiPlatform with its defaults', () => {
      const objects = [...readYamlFiles(plainDir).values()].flatMap(parseObjects);
      expect(byKey(objects)).toEqual(byKey(synthAppValid(referenceApp())));
    });

    test('dist/ holds no credential literal: every credential is a secretKeyRef or a file from a mounted Secret', () => {
      const objects = [...readYamlFiles(plainDir).values()].flatMap(parseObjects);
      // Two Secrets, because the operators read them from Secrets: the Alertmanager configuration (only
      // file paths) and the Elasticsearch role definitions (privileges; the users' passwords are prerequisites).
      const secrets = objects.filter((o) => o.kind === 'Secret');
      expect(secrets.map((o) => o.metadata.name)).toEqual(['alertmanager-config', 'logs-media-ai-roles']);
      expect(secrets[0].stringData['alertmanager.yaml']).not.toMatch(/(routing_key|api_url|auth_password|service_key|credentials):/);
      expect(Object.keys(secrets[1].stringData)).toEqual(['roles.yml']);
      expect(secrets[1].stringData['roles.yml']).not.toMatch(/password|passwd|hash/i);
      const envs = objects.flatMap((o) => {
        const pod = o.spec?.template?.spec ?? o.spec?.jobTemplate?.spec?.template?.spec;
        return pod ? [...pod.containers, ...(pod.initContainers ?? [])].flatMap((c: any) => c.env ?? []) : [];
      });
      expect(envs.length).toBeGreaterThan(10);
      for (const e of envs) {
        if (/PASSWORD|_PASS$|SECRET|ACCESS_KEY|CLI_AUTH$/.test(e.name)) expect(e.valueFrom?.secretKeyRef).toBeDefined();
        if (e.value) expect(e.value).not.toMatch(/:\/\/[^/\s:@]*:(?!\$\()[^@\s/]+@/);
      }
    });

    test('a second CLI synth is byte-identical', () => {
      const again = tempDir('plain2');
      expect(cdk8s(['synth', '--output', again]).status).toBe(0);
      for (const env of ['dev', 'staging', 'prod']) expect(readYamlFiles(path.join(again, env))).toEqual(readYamlFiles(path.join(cliOut, env)));
    });

    test('Helm chart: lint --strict passes and helm template renders the same objects as the plain synth', () => {
      const chartDir = path.join(tempDir('helm'), 'chart');
      const res = spawnSync(path.join(ROOT, 'node_modules', '.bin', 'ts-node'), ['--transpile-only', 'scripts/helm-chart.ts', chartDir], { cwd: ROOT, encoding: 'utf8' });
      expect(res.status).toBe(0);
      expect(fs.readFileSync(path.join(chartDir, 'Chart.yaml'), 'utf8')).toMatch(/apiVersion: "v2"[\s\S]*name: "media-ai"/);
      expect(fs.readdirSync(path.join(chartDir, 'templates')).sort()).toEqual(CHART_FILES);
      expect(helm(['lint', '--strict', chartDir])).toMatch(/1 chart\(s\) linted, 0 chart\(s\) failed/);
      const rendered = parseObjects(helm(['template', 'media-ai', chartDir]));
      const plain = [...readYamlFiles(plainDir).values()].flatMap(parseObjects);
      expect(byKey(rendered)).toEqual(byKey(plain));
      // The chart version is package.json's; helm package turns the chart into the release artifact.
      const version = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version;
      expect(fs.readFileSync(path.join(chartDir, 'Chart.yaml'), 'utf8')).toMatch(new RegExp(`version: "?${version.replace(/\./g, '\\.')}"?`));
      const packages = tempDir('helm-package');
      helm(['package', chartDir, '--destination', packages]);
      expect(fs.readdirSync(packages)).toEqual([`media-ai-${version}.tgz`]);
    });

    test.each(['dev', 'staging'])('Helm chart of %s: lint --strict passes, helm template renders its plain synth, capacity at the chart root', (env) => {
      const chartDir = path.join(tempDir(`helm-${env}`), 'chart');
      const res = spawnSync(path.join(ROOT, 'node_modules', '.bin', 'ts-node'), ['--transpile-only', 'scripts/helm-chart.ts', chartDir, env], { cwd: ROOT, encoding: 'utf8' });
      expect(res.status).toBe(0);
      expect(fs.readdirSync(path.join(chartDir, 'templates')).sort()).toEqual(CHART_FILES);
      expect(JSON.parse(fs.readFileSync(path.join(chartDir, 'capacity.json'), 'utf8')).environment).toBe(env);
      expect(helm(['lint', '--strict', chartDir])).toMatch(/1 chart\(s\) linted, 0 chart\(s\) failed/);
      const rendered = parseObjects(helm(['template', 'media-ai', chartDir]));
      expect(byKey(rendered)).toEqual(byKey([...readYamlFiles(path.join(cliOut, env)).values()].flatMap(parseObjects)));
    });

    test('invalid props: synth exits non-zero, names the prop, writes nothing', () => {
      const out = path.join(tempDir('bad'), 'dist');
      const res = cdk8s(['synth', '--app', 'npx ts-node --transpile-only test/fixtures/bad-app.ts', '--output', out]);
      expect(res.status).not.toBe(0);
      expect(res.stderr).toMatch(/media-ai\/media-ai-api: image \("registry.example.com\/media-ai-api:latest"\) must be pinned/);
      expect(fs.existsSync(out) ? fs.readdirSync(out) : []).toEqual([]);
    });
  });
});

describe('Helm escaping', () => {
  test.each([
    ['summary: "{{ $labels.pod }} down"', 'summary: "{{ "{{" }} $labels.pod {{ "}}" }} down"'],
    ['{"delete": {}}}', '{"delete": {{ "{}}}" }}'],
    ['plain {} and {x}', 'plain {} and {x}'],
  ])('escapes %j so helm renders it unchanged', (input, escaped) => {
    expect(escapeHelmDelimiters(input)).toBe(escaped);
  });
});
