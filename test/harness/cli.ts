import { spawnSync, SpawnSyncReturns } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as YAML from 'yaml';
import { K8sObject } from './synth';

export const ROOT = path.resolve(__dirname, '..', '..');

/** Runs the project's cdk8s CLI (offline, no upgrade check) in the project root, on a fresh build. */
export function cdk8s(args: string[]): SpawnSyncReturns<string> {
  ensureBuilt();
  return spawnSync(path.join(ROOT, 'node_modules', '.bin', 'cdk8s'), args, {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, CDK8S_CHECK_UPGRADE: 'false' },
    timeout: 240_000,
  });
}

const tempDirs: string[] = [];

/** A new empty folder in the OS temp folder, removed after the test file that made it. */
export function tempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `${prefix}-`));
  tempDirs.push(dir);
  return dir;
}

// Registered when a test file first imports this module, so every test file cleans up after itself.
if (typeof afterAll === 'function') {
  afterAll(() => {
    for (const dir of tempDirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  });
}

let built = false;

/**
 * Compiles the library to build/ (`npm run build`, incremental), once per test file: the
 * documented synth path (cdk8s.yaml `app: node build/main.js`) runs the compiled JavaScript, so the
 * CLI tests must see the current sources. A lock folder serialises jest workers building at once.
 */
export function ensureBuilt(): void {
  if (built) return;
  const lock = path.join(ROOT, 'node_modules', '.cache', 'build.lock');
  fs.mkdirSync(path.dirname(lock), { recursive: true });
  const deadline = Date.now() + 240_000;
  for (;;) {
    try {
      fs.mkdirSync(lock);
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      // A lock older than any build is left over from a killed run.
      const since = fs.statSync(lock, { throwIfNoEntry: false })?.mtimeMs;
      if (since !== undefined && Date.now() - since > 180_000) fs.rmSync(lock, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error(`build lock ${lock} held for too long`);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
    }
  }
  try {
    const res = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'build.js')], { cwd: ROOT, encoding: 'utf8', timeout: 240_000 });
    if (res.status !== 0) throw new Error(`npm run build failed:\n${res.stdout}${res.stderr}`);
    built = true;
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}

/** `node scripts/synth.js …` (what `npm run synth` runs after the build) in the project root. */
export function safeSynth(args: string[]): SpawnSyncReturns<string> {
  ensureBuilt();
  return spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'synth.js'), ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, CDK8S_CHECK_UPGRADE: 'false' },
    timeout: 240_000,
  });
}

/** Every YAML file in a directory, by file name. */
export function readYamlFiles(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const f of fs.readdirSync(dir).filter((n) => n.endsWith('.yaml')).sort()) out.set(f, fs.readFileSync(path.join(dir, f), 'utf8'));
  return out;
}

export function parseObjects(yamlText: string): K8sObject[] {
  return YAML.parseAllDocuments(yamlText).map((d) => d.toJS()).filter((o) => o && typeof o === 'object') as K8sObject[];
}
