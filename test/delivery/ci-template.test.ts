import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { run, workDir } from '../harness/tools';
import { toolDescribe } from '../harness/fast';

const ROOT = path.resolve(__dirname, '..', '..');
const CI = path.join(ROOT, 'ci');
const template = YAML.parse(fs.readFileSync(path.join(CI, 'gitlab-ci.yml'), 'utf8'));
const KEYWORDS = new Set(['variables', 'stages', 'include', 'default', 'workflow']);
const jobs = Object.fromEntries(Object.entries(template).filter(([k]) => !KEYWORDS.has(k) && !k.startsWith('.'))) as Record<string, any>;

/** A job with its `extends` chain merged (GitLab's deep merge is enough for the keys used here). */
function resolved(name: string): any {
  const job = template[name];
  if (!job) throw new Error(`no job ${name}`);
  const parents = ([] as string[]).concat(job.extends ?? []);
  return parents.reduce((acc, p) => ({ ...resolved(p), ...acc }), { ...job });
}
const scripts = (job: any): string[] => [...(job.before_script ?? []), ...(job.script ?? [])];

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

describe('ci/gitlab-ci.yml', () => {
  test('stages test → synth → check → deploy, every job in one of them', () => {
    expect(template.stages).toEqual(['test', 'synth', 'check', 'deploy']);
    expect(Object.keys(jobs).sort()).toEqual(['media-ai-check', 'media-ai-deploy-production', 'media-ai-deploy-staging', 'media-ai-synth', 'media-ai-test']);
    for (const name of Object.keys(jobs)) expect(template.stages).toContain(resolved(name).stage);
  });

  test('every script a job runs exists, and every needed job exists', () => {
    const ciDir = template.variables.MEDIA_AI_CI_DIR;
    let referenced = 0;
    for (const [name] of Object.entries(jobs)) {
      const job = resolved(name);
      expect(scripts(job).length).toBeGreaterThan(0);
      for (const line of scripts(job)) {
        for (const m of line.matchAll(/"\$MEDIA_AI_CI_DIR\/([^"]+)"/g)) {
          expect(fs.existsSync(path.join(ROOT, ciDir, m[1]))).toBe(true);
          referenced++;
        }
      }
      for (const need of job.needs ?? []) expect(jobs[need]).toBeDefined();
    }
    // synth.sh, mr-comment.sh, check.sh, deploy.sh twice.
    expect(referenced).toBe(5);
  });

  test('test runs npm ci and npm test; synth keeps the manifests and the summary; check validates them', () => {
    expect(scripts(resolved('media-ai-test'))).toEqual(['npm ci --cache .npm --prefer-offline --no-audit --no-fund', 'npm test']);
    const synth = resolved('media-ai-synth');
    expect(synth.artifacts.paths).toEqual(['$MANIFEST_DIR/', 'change-summary.md']);
    expect(synth.script[0]).toBe('sh "$MEDIA_AI_CI_DIR/scripts/synth.sh" "$MANIFEST_DIR"');
    expect(resolved('media-ai-check').script).toEqual(['sh "$MEDIA_AI_CI_DIR/scripts/check.sh" "$MANIFEST_DIR"']);
  });

  test('deploys are GitLab environments, one at a time, production after staging and a manual approval', () => {
    const staging = resolved('media-ai-deploy-staging');
    const prod = resolved('media-ai-deploy-production');
    expect(staging.environment).toEqual({ name: 'staging', deployment_tier: 'staging' });
    expect(prod.environment).toEqual({ name: 'production', deployment_tier: 'production' });
    for (const job of [staging, prod]) {
      expect(job.script).toEqual(['sh "$MEDIA_AI_CI_DIR/scripts/deploy.sh" "$MANIFEST_DIR"']);
      expect(job.resource_group).toBe('$CI_ENVIRONMENT_NAME');
      expect(job.needs).toEqual(expect.arrayContaining(['media-ai-synth', 'media-ai-check']));
    }
    expect(prod.needs).toContain('media-ai-deploy-staging');
    expect(prod.rules).toEqual([{ if: '$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH', when: 'manual' }]);
    // A manual job that may fail would let the pipeline pass without the release.
    expect(prod.allow_failure).toBe(false);
    expect(staging.rules.every((r: any) => r.when !== 'manual')).toBe(true);
  });
});

toolDescribe('ci/scripts/synth.sh', () => {
  test('writes the manifests and a change summary against the target branch', () => {
    // A repository whose "app" renders a Deployment with the image named in VERSION.
    const repo = workDir('synth-repo', {
      VERSION: '1.0.0\n',
      'render.sh': 'set -eu\nmkdir -p "$1"\nprintf "apiVersion: apps/v1\\nkind: Deployment\\nmetadata: {name: api, namespace: shop}\\nspec:\\n  template:\\n    spec:\\n      containers: [{name: api, image: \\"registry.example.com/api:%s\\"}]\\n" "$(cat VERSION)" > "$1/app.k8s.yaml"\n',
    });
    dirs.push(repo);
    const git = (...args: string[]) => run('git', ['-c', 'user.email=ci@example.com', '-c', 'user.name=ci', ...args], { cwd: repo });
    git('init', '-q', '-b', 'main');
    git('add', '.');
    git('commit', '-qm', 'base');
    git('remote', 'add', 'origin', repo);
    git('checkout', '-qb', 'feature');
    fs.writeFileSync(path.join(repo, 'VERSION'), '1.1.0\n');
    git('commit', '-qam', 'bump');
    const r = run('sh', [path.join(CI, 'scripts', 'synth.sh'), 'out'], {
      cwd: repo,
      env: { SYNTH_CMD: `sh ${path.join(repo, 'render.sh')}`, MEDIA_AI_DIFF: `node ${path.join(ROOT, 'bin', 'media-ai-diff')}`, CI_MERGE_REQUEST_TARGET_BRANCH_NAME: 'main' },
    });
    expect(r.status).toBe(0);
    expect(fs.readFileSync(path.join(repo, 'out', 'app.k8s.yaml'), 'utf8')).toContain('api:1.1.0');
    const summary = fs.readFileSync(path.join(repo, 'change-summary.md'), 'utf8');
    expect(summary).toContain('### Manifest changes: 0 added, 0 removed, 1 changed, 0 unchanged');
    expect(summary).toContain('- Deployment shop/api containers[api]: `registry.example.com/api:1.0.0` → `registry.example.com/api:1.1.0`');
    // The target branch's worktree is gone.
    expect(git('worktree', 'list').stdout.trim().split('\n')).toHaveLength(1);

    // A target branch that cannot be fetched: every object is new, the job still succeeds.
    const lost = run('sh', [path.join(CI, 'scripts', 'synth.sh'), 'out'], {
      cwd: repo,
      env: { SYNTH_CMD: `sh ${path.join(repo, 'render.sh')}`, MEDIA_AI_DIFF: `node ${path.join(ROOT, 'bin', 'media-ai-diff')}`, CI_MERGE_REQUEST_TARGET_BRANCH_NAME: 'no-such-branch' },
    });
    expect(lost.status).toBe(0);
    expect(lost.output).toContain('cannot fetch no-such-branch');
    expect(fs.readFileSync(path.join(repo, 'change-summary.md'), 'utf8')).toContain('1 added, 0 removed');
  });
});

toolDescribe('ci/scripts/check.sh', () => {
  test('passes valid manifests and fails, naming the field, on an object its CRD rejects', () => {
    expect(run('sh', [path.join(CI, 'scripts', 'check.sh'), path.join(__dirname, 'fixtures', 'diff', 'new')]).status).toBe(0);
    const bad = workDir('check-bad', {
      'app.k8s.yaml': { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', metadata: { name: 'api' }, spec: { strategy: { canary: { steps: [{ setWieght: 10 }] } } } },
    });
    dirs.push(bad);
    const r = run('sh', [path.join(CI, 'scripts', 'check.sh'), bad]);
    expect(r.status).toBe(1);
    expect(r.output).toContain("argoproj.io/v1alpha1/Rollout api: /spec/strategy/canary/steps/0 must NOT have additional properties 'setWieght'");
  });
});

toolDescribe('ci/scripts/mr-comment.sh', () => {
  const stubCurl = () => {
    const dir = workDir('curl-stub', {
      'bin/curl': '#!/bin/sh\nprintf "%s\\n" "$@" > "$STUB_DIR/args"\ncat > "$STUB_DIR/stdin"\n',
      'summary.md': '### Manifest changes: 1 added\n',
    });
    fs.chmodSync(path.join(dir, 'bin', 'curl'), 0o755);
    dirs.push(dir);
    return dir;
  };
  const gitlab = { CI_API_V4_URL: 'https://gitlab.example.com/api/v4', CI_PROJECT_ID: '42', CI_MERGE_REQUEST_IID: '7' };

  test('posts the summary on the merge request, the token only through stdin', () => {
    const dir = stubCurl();
    const r = run('sh', [path.join(CI, 'scripts', 'mr-comment.sh'), path.join(dir, 'summary.md')], {
      env: { PATH: `${path.join(dir, 'bin')}:${process.env.PATH}`, STUB_DIR: dir, GITLAB_TOKEN: 'glpat-secret', ...gitlab },
    });
    expect(r.status).toBe(0);
    const args = fs.readFileSync(path.join(dir, 'args'), 'utf8');
    expect(args).toContain('https://gitlab.example.com/api/v4/projects/42/merge_requests/7/notes');
    expect(args).toContain(`body@${path.join(dir, 'summary.md')}`);
    expect(args).not.toContain('glpat-secret');
    expect(fs.readFileSync(path.join(dir, 'stdin'), 'utf8')).toBe('PRIVATE-TOKEN: glpat-secret\n');
  });

  test('does nothing without a token or outside a merge request', () => {
    const dir = stubCurl();
    const r = run('sh', [path.join(CI, 'scripts', 'mr-comment.sh'), path.join(dir, 'summary.md')], {
      env: { PATH: `${path.join(dir, 'bin')}:${process.env.PATH}`, STUB_DIR: dir, GITLAB_TOKEN: '', ...gitlab },
    });
    expect(r.status).toBe(0);
    expect(fs.existsSync(path.join(dir, 'args'))).toBe(false);
  });
});
