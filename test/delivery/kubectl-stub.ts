/** A recording `kubectl` on PATH for the pipeline scripts: logs every call, answers from files, fails on demand. */
import * as fs from 'fs';
import * as path from 'path';
import { workDir } from '../harness/tools';

export interface StubOptions {
  /** Objects in the manifests, as `kubectl create --dry-run=client -o jsonpath` prints them: "<kind> <namespace> <name>". */
  readonly objects: string[];
  /** Live Rollouts: "<namespace> <name> <replicas>". */
  readonly liveRollouts?: string[];
  /** Calls (substrings of the argument line) that exit 1. */
  readonly fail?: string[];
  /** What `kubectl argo rollouts status … --watch=false` prints. @default 'Degraded' */
  readonly rolloutPhase?: string;
}

const STUB = `#!/bin/sh
printf '%s\\n' "$*" >> "$STUB_DIR/calls"
args="$*"
while IFS= read -r pattern; do
  [ -n "$pattern" ] || continue
  case "$args" in *"$pattern"*) echo "stub: failing on purpose: $args" >&2; exit 1 ;; esac
done < "$STUB_DIR/fail"
case "$args" in
  "create --dry-run=client"*) cat "$STUB_DIR/objects" ;;
  "get rollouts.argoproj.io"*) cat "$STUB_DIR/live-rollouts" ;;
  "argo rollouts status "*"--watch=false"*) cat "$STUB_DIR/rollout-phase" ;;
esac
exit 0
`;

export class KubectlStub {
  public readonly dir: string;

  constructor(opts: StubOptions) {
    this.dir = workDir('kubectl-stub', {
      'bin/kubectl': STUB,
      objects: opts.objects.map((o) => `${o}\n`).join(''),
      'live-rollouts': (opts.liveRollouts ?? []).map((o) => `${o}\n`).join(''),
      fail: (opts.fail ?? []).map((o) => `${o}\n`).join(''),
      'rollout-phase': `${opts.rolloutPhase ?? 'Degraded'}\n`,
      calls: '',
      'manifests/app.k8s.yaml': 'kind: List\n',
    });
    fs.chmodSync(path.join(this.dir, 'bin/kubectl'), 0o755);
  }

  /** Environment running the scripts against the stub. */
  public env(): NodeJS.ProcessEnv {
    return { PATH: `${path.join(this.dir, 'bin')}:${process.env.PATH}`, STUB_DIR: this.dir };
  }

  public get manifests(): string {
    return path.join(this.dir, 'manifests');
  }

  /** Every kubectl call, in order. */
  public calls(): string[] {
    return fs.readFileSync(path.join(this.dir, 'calls'), 'utf8').split('\n').filter(Boolean);
  }

  public cleanup(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
