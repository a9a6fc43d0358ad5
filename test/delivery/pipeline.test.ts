import * as fs from 'fs';
import * as path from 'path';
import { run } from '../harness/tools';
import { KubectlStub, StubOptions } from './kubectl-stub';
import { toolDescribe } from '../harness/fast';

const ROOT = path.resolve(__dirname, '..', '..');
const DEPLOY = path.join(ROOT, 'ci', 'scripts', 'deploy.sh');
const stubs: KubectlStub[] = [];
afterAll(() => stubs.forEach((s) => s.cleanup()));

function deploy(opts: StubOptions, env: NodeJS.ProcessEnv = {}) {
  const stub = new KubectlStub(opts);
  stubs.push(stub);
  const result = run('sh', [DEPLOY, stub.manifests], { env: { ...stub.env(), ROLLOUT_TIMEOUT: '2m', ...env } });
  return { ...result, calls: stub.calls() };
}

// The reference app: media-ai-api as a canary Rollout (its Deployment taken over), Postgres rolling.
const OBJECTS = ['Deployment media-ai media-ai-api', 'Rollout media-ai media-ai-api', 'Deployment media-ai grafana', 'Service media-ai media-ai-api'];

toolDescribe('ci/scripts', () => {
  test('every script passes shellcheck', () => {
    const scripts = fs.readdirSync(path.join(ROOT, 'ci', 'scripts')).filter((f) => f.endsWith('.sh')).map((f) => path.join(ROOT, 'ci', 'scripts', f));
    expect(scripts.length).toBeGreaterThan(0);
    const r = run('shellcheck', ['--shell=sh', ...scripts]);
    expect(r.output).toBe('');
    expect(r.status).toBe(0);
  });
});

toolDescribe('deploy.sh with a recording kubectl', () => {
  test('applies server-side with pruning, then waits for each Deployment and Rollout', () => {
    const r = deploy({ objects: OBJECTS });
    expect(r.status).toBe(0);
    const apply = r.calls.find((c) => c.startsWith('apply'))!;
    expect(apply).toMatch(/^apply --server-side --field-manager=media-ai-ci --prune -l app.kubernetes.io\/part-of=media-ai /);
    expect(apply).toContain('--prune-allowlist=argoproj.io/v1alpha1/Rollout');
    expect(apply).toContain('--prune-allowlist=apps/v1/Deployment');
    expect(r.calls.filter((c) => !c.startsWith('apply') && !c.startsWith('create') && !c.startsWith('get'))).toEqual([
      // The Deployment behind the Rollout is not watched: the Rollout manages its pods.
      'rollout status deployment grafana -n media-ai --timeout=2m',
      'argo rollouts status media-ai-api -n media-ai --timeout 2m',
    ]);
    expect(r.output).toContain('all workloads healthy');
  });

  test('a Deployment that does not complete is undone, and the job fails', () => {
    const r = deploy({ objects: OBJECTS, fail: ['rollout status deployment grafana'] });
    expect(r.status).toBe(1);
    expect(r.calls).toContain('rollout undo deployment grafana -n media-ai');
    // The other workloads are still watched, so the log tells the whole story.
    expect(r.calls).toContain('argo rollouts status media-ai-api -n media-ai --timeout 2m');
    expect(r.output).toContain('deployment media-ai/grafana did not complete: rolling back');
  });

  test('a Rollout that degrades or times out is aborted, and the job fails', () => {
    const r = deploy({ objects: OBJECTS, fail: ['argo rollouts status media-ai-api'] });
    expect(r.status).toBe(1);
    expect(r.calls).toContain('argo rollouts abort media-ai-api -n media-ai');
    expect(r.calls.filter((c) => c.includes('undo'))).toEqual([]);
    expect(r.output).toContain('release failed and was rolled back');
  });

  test('a Rollout paused for manual promotion is left to a person only with ALLOW_PAUSED=true', () => {
    const timedOut = { objects: OBJECTS, fail: ['argo rollouts status media-ai-api -n media-ai --timeout'], rolloutPhase: 'Paused - CanaryPauseStep' };
    const left = deploy(timedOut, { ALLOW_PAUSED: 'true' });
    expect(left.status).toBe(0);
    expect(left.calls.filter((c) => c.includes('abort'))).toEqual([]);
    expect(left.output).toContain('kubectl argo rollouts promote media-ai-api -n media-ai');
    // Without the flag a paused release at the timeout is aborted like a failing one.
    const aborted = deploy(timedOut);
    expect(aborted.status).toBe(1);
    expect(aborted.calls).toContain('argo rollouts abort media-ai-api -n media-ai');
    // A degraded Rollout is aborted even with the flag.
    const degraded = deploy({ ...timedOut, rolloutPhase: 'Degraded - RolloutAborted' }, { ALLOW_PAUSED: 'true' });
    expect(degraded.status).toBe(1);
    expect(degraded.calls).toContain('argo rollouts abort media-ai-api -n media-ai');
  });

  test('a failed apply stops before any watch or rollback', () => {
    const r = deploy({ objects: OBJECTS, fail: ['apply --server-side'] });
    expect(r.status).not.toBe(0);
    expect(r.calls.filter((c) => /^(rollout|argo) /.test(c))).toEqual([]);
  });

  test('going back from a Rollout to rolling scales the Deployment up before the Rollout is pruned', () => {
    const r = deploy({ objects: ['Deployment media-ai media-ai-api'], liveRollouts: ['media-ai media-ai-api 7'] });
    expect(r.status).toBe(0);
    const scale = r.calls.indexOf('scale deployment media-ai-api -n media-ai --replicas=7');
    const ready = r.calls.indexOf('rollout status deployment media-ai-api -n media-ai --timeout=2m');
    const apply = r.calls.findIndex((c) => c.startsWith('apply'));
    expect(scale).toBeGreaterThan(-1);
    expect(ready).toBeGreaterThan(scale);
    expect(apply).toBeGreaterThan(ready);
  });

  test('no handover when the Rollout stays; a failed handover stops before pruning', () => {
    expect(deploy({ objects: OBJECTS, liveRollouts: ['media-ai media-ai-api 7'] }).calls.filter((c) => c.startsWith('scale'))).toEqual([]);
    const r = deploy({ objects: ['Deployment media-ai media-ai-api'], liveRollouts: ['media-ai media-ai-api 7'], fail: ['rollout status deployment media-ai-api'] });
    expect(r.status).not.toBe(0);
    expect(r.calls.filter((c) => c.startsWith('apply'))).toEqual([]);
  });
});
