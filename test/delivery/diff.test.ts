import * as fs from 'fs';
import * as path from 'path';
import { App } from 'cdk8s';
import * as YAML from 'yaml';
import { diffManifests, formatDiff, loadManifests, MediaAiPlatform } from '../../lib';
import { run, workDir } from '../harness/tools';
import { PROMETHEUS } from './fixtures';
import { toolDescribe } from '../harness/fast';

const ROOT = path.resolve(__dirname, '..', '..');
const FIXTURES = path.join(__dirname, 'fixtures', 'diff');
const OLD = path.join(FIXTURES, 'old');
const NEW = path.join(FIXTURES, 'new');
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

const cli = (...args: string[]) => run('node', [path.join(ROOT, 'bin', 'media-ai-diff'), ...args]);

toolDescribe('media-ai-diff', () => {
  test('summarises objects, images, replicas, resources and alert rules (fixtures)', () => {
    const r = cli(OLD, NEW);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(`### Manifest changes: 1 added, 1 removed, 2 changed, 1 unchanged

**Images**
- Deployment shop/api containers[api]: \`registry.example.com/api:1.0.0\` → \`registry.example.com/api:1.1.0\`
- Deployment shop/api initContainers[migrate]: \`registry.example.com/api:1.0.0\` → \`registry.example.com/api:1.1.0\`

**Replicas**
- Deployment shop/api replicas: \`3\` → \`4\`
- Rollout shop/api replicas: — → \`4\`

**Resources**
- Deployment shop/api containers[api].resources.limits.memory: \`4Gi\` → \`6Gi\`

**Alert rules**
- removed alert ApiDown{priority=P0,severity=critical} in PrometheusRule monitoring/api-slo
- changed alert ApiErrorBudgetBurn{priority=P0,severity=critical} (for) in PrometheusRule monitoring/api-slo
- added alert ApiLatencyBudgetBurn{priority=P1,severity=warning} in PrometheusRule monitoring/api-slo

**Added**
- Rollout shop/api

**Removed**
- ConfigMap shop/api-legacy

**Changed**
- Deployment shop/api: \`spec.replicas\`, \`containers[api].image\`, \`containers[api].resources.limits.memory\` and 1 more
- PrometheusRule monitoring/api-slo: \`spec.groups[api-slo-alerts].rules[0].for\`, \`spec.groups[api-slo-alerts].rules[2].alert\`, \`spec.groups[api-slo-alerts].rules[2].expr\` and 3 more
`);
  });

  test('no change, a first deploy (old directory missing) and bad usage', () => {
    expect(cli(NEW, NEW).stdout).toBe('### Manifest changes: 0 added, 0 removed, 0 changed, 4 unchanged\n\nNo change to the rendered objects.\n');
    const first = cli(path.join(FIXTURES, 'does-not-exist'), NEW);
    expect(first.status).toBe(0);
    expect(first.stdout).toContain('### Manifest changes: 4 added, 0 removed, 0 changed, 0 unchanged');
    const usage = cli(OLD);
    expect(usage.status).toBe(2);
    expect(usage.output).toContain('usage: media-ai-diff <old-dir> <new-dir>');
  });

  test('long sections are cut, with the count of what is left out', () => {
    const out = formatDiff(diffManifests(new Map(), loadManifests(NEW)), 2);
    expect(out).toContain('**Added**\n- Deployment shop/api\n- PrometheusRule monitoring/api-slo\n- … and 2 more\n');
    expect(out).toContain('**Alert rules**\n- added alert ApiErrorBudgetBurn{priority=P0,severity=critical} in PrometheusRule monitoring/api-slo\n- added alert ApiErrorBudgetBurn{priority=P1,severity=critical} in PrometheusRule monitoring/api-slo\n- … and 1 more\n');
  });

  test('the reference app going from rolling to canary: a few lines instead of a long diff', () => {
    const synth = (name: string, props: ConstructorParameters<typeof MediaAiPlatform>[2]) => {
      const dir = workDir(`diff-${name}`);
      dirs.push(dir);
      const app = new App({ outdir: dir });
      new MediaAiPlatform(app, 'media-ai', props);
      app.synth();
      return dir;
    };
    const before = synth('rolling', {});
    const after = synth('canary', { apiImage: 'registry.example.com/media-ai-api:1.1.0', apiDelivery: { type: 'canary', analysis: { prometheusAddress: PROMETHEUS } } });
    const summary = cli(before, after).stdout;
    const unified = run('diff', ['-ru', before, after]).stdout;
    const lines = (s: string) => s.trimEnd().split('\n').length;
    // Measured: see the report; the summary must stay a small fraction of the raw diff.
    console.log(`reference app rolling → canary: diff -ru ${lines(unified)} lines, media-ai-diff ${lines(summary)} lines`);
    expect(lines(summary)).toBeLessThan(lines(unified) / 3);
    expect(summary).toContain('- AnalysisTemplate media-ai/media-ai-api-slo');
    expect(summary).toContain('- Rollout media-ai/media-ai-api');
    expect(summary).toContain('- Service media-ai/media-ai-api-metrics');
    expect(summary).toContain('Deployment media-ai/media-ai-api containers[api]: `registry.example.com/media-ai-api:1.0.0` → `registry.example.com/media-ai-api:1.1.0`');
    expect(summary).toContain('NetworkPolicy monitoring/prometheus');
    // Content-hashed names are the same object, changed; objects touched only by the new version label share one line.
    expect(summary).toContain('- Job media-ai/backup-config-<hash>: `metadata.name`');
    expect(summary).toMatch(/- only the app.kubernetes.io\/version label: Ingress media-ai\/media-ai-api, /);
    expect(summary).not.toContain('Removed');
    // The YAML it read is the YAML that was written.
    const written = fs.readdirSync(after).filter((f) => f.endsWith('.yaml'));
    const count = written.reduce((n, f) => n + YAML.parseAllDocuments(fs.readFileSync(path.join(after, f), 'utf8')).length, 0);
    expect(loadManifests(after).size).toBe(count);
  });
});
