import * as fs from 'fs';
import * as YAML from 'yaml';
import { escapeHelmDelimiters } from '../../lib/platform/helm';
import { helm } from '../harness/helm';
import { only } from '../harness/synth';
import { expectSuccess, run, workDir } from '../harness/tools';
import { ANALYSIS, renderApi } from './fixtures';
import { toolTest } from '../harness/fast';

const JOB = 'media-ai-api';
const CANARY = 'canary1';
const STABLE = 'stable1';

// The template as rendered: its queries with Argo's {{args.version-hash}} filled in, and the
// thresholds read back from its success/failure conditions.
const template = only(renderApi({ delivery: { type: 'canary', analysis: ANALYSIS } }), 'AnalysisTemplate');
const metrics = template.spec.metrics.map((m: any) => {
  const threshold = (cond: string, op: string) => {
    const match = new RegExp(`^len\\(result\\) > 0 && result\\[0\\] ${op} ([0-9.]+)$`).exec(cond);
    if (!match) throw new Error(`unexpected condition ${cond}`);
    return match[1];
  };
  return {
    name: m.name as string,
    query: (m.provider.prometheus.query as string).split('{{args.version-hash}}').join(CANARY),
    success: threshold(m.successCondition, '>='),
    failure: threshold(m.failureCondition, '<'),
  };
});

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

function series(hash: string, okPerMin: number, failedPerMin: number, fastPerMin: number) {
  const sel = `job="${JOB}",rollouts_pod_template_hash="${hash}"`;
  const out = [
    { series: `http_requests_total{${sel},status="200"}`, values: `0+${okPerMin}x30` },
    { series: `http_request_duration_seconds_bucket{${sel},le="0.5"}`, values: `0+${fastPerMin}x30` },
    { series: `http_request_duration_seconds_count{${sel}}`, values: `0+${okPerMin + failedPerMin}x30` },
  ];
  // A healthy version often has no 5xx series at all: the query must still give a result.
  if (failedPerMin > 0) out.push({ series: `http_requests_total{${sel},status="500"}`, values: `0+${failedPerMin}x30` });
  return out;
}

type Verdict = 'success' | 'failure' | 'inconclusive';

/** One promtool case: with these series, each metric's Argo condition holds as expected. */
function scenario(name: string, input: object[], verdicts: Record<string, Verdict>) {
  return {
    name,
    interval: '1m',
    input_series: input,
    promql_expr_test: metrics.flatMap((m: any) => {
      const present = [{ labels: '{}', value: 1 }];
      const v = verdicts[m.name];
      return [
        { expr: `count((${m.query}) >= ${m.success})`, eval_time: '10m', exp_samples: v === 'success' ? present : [] },
        { expr: `count((${m.query}) < ${m.failure})`, eval_time: '10m', exp_samples: v === 'failure' ? present : [] },
      ];
    }),
  };
}

describe('rollout analysis queries, run by promtool', () => {
  test('the template measures availability and latency', () => {
    expect(metrics.map((m: any) => [m.name, m.success, m.failure])).toEqual([['success-rate', '0.999', '0.999'], ['latency', '0.99', '0.99']]);
  });

  toolTest('promtool parses every analysis query', () => {
    const rules = { groups: [{ name: 'analysis', rules: metrics.map((m: any) => ({ record: `analysis:${m.name.replace('-', '_')}`, expr: m.query })) }] };
    const dir = workDir('analysis-check', { 'rules.yaml': rules });
    dirs.push(dir);
    expect(expectSuccess(run('promtool', ['check', 'rules', `${dir}/rules.yaml`]))).toContain('SUCCESS: 2 rules found');
  });

  toolTest('a bad canary fails, a good one succeeds, no traffic is inconclusive — whatever the stable version does', () => {
    const tests = {
      rule_files: ['empty.yaml'],
      evaluation_interval: '1m',
      tests: [
        scenario('good canary (no 5xx series at all), bad stable', [...series(CANARY, 1000, 0, 995), ...series(STABLE, 900, 100, 500)],
          { 'success-rate': 'success', latency: 'success' }),
        scenario('canary with 5 % errors', [...series(CANARY, 950, 50, 1000), ...series(STABLE, 1000, 0, 1000)],
          { 'success-rate': 'failure', latency: 'success' }),
        scenario('slow canary: 10 % of requests over 0.5 s', [...series(CANARY, 1000, 0, 900), ...series(STABLE, 1000, 0, 1000)],
          { 'success-rate': 'success', latency: 'failure' }),
        scenario('canary without traffic yet (no series)', series(STABLE, 1000, 0, 1000),
          { 'success-rate': 'inconclusive', latency: 'inconclusive' }),
        scenario('canary series without requests (0/0)', [...series(CANARY, 0, 0, 0), ...series(STABLE, 1000, 0, 1000)],
          { 'success-rate': 'inconclusive', latency: 'inconclusive' }),
      ],
    };
    const dir = workDir('analysis-test', { 'empty.yaml': { groups: [] }, 'tests.yaml': YAML.stringify(tests) });
    dirs.push(dir);
    expectSuccess(run('promtool', ['test', 'rules', 'tests.yaml'], { cwd: dir }));
  });
});

describe('Helm packaging of the analysis', () => {
  toolTest('helm template renders the AnalysisTemplate unchanged: Argo\'s {{args.…}} placeholders are escaped', () => {
    const objects = renderApi({ delivery: { type: 'blueGreen', prePromotionAnalysis: true, analysis: ANALYSIS } });
    const chart = workDir('analysis-helm', {
      'Chart.yaml': 'apiVersion: v2\nname: media-ai-api\nversion: 0.1.0\n',
      'templates/app.yaml': escapeHelmDelimiters(objects.map((o) => YAML.stringify(o)).join('---\n')),
    });
    dirs.push(chart);
    const rendered = YAML.parseAllDocuments(helm(['template', 'media-ai-api', chart])).map((d) => d.toJS()).filter(Boolean);
    expect(only(rendered, 'AnalysisTemplate')).toEqual(only(objects, 'AnalysisTemplate'));
    expect(JSON.stringify(only(rendered, 'AnalysisTemplate'))).toContain('{{args.version-hash}}');
    expect(rendered).toHaveLength(objects.length);
  });
});
