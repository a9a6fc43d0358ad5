import { spawnSync, SpawnSyncReturns } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as YAML from 'yaml';
import { K8sObject } from './synth';

export const ROOT = path.resolve(__dirname, '..', '..');

/** Runs the project's cdk8s CLI (offline, no upgrade check) in the project root. */
export function cdk8s(args: string[]): SpawnSyncReturns<string> {
  return spawnSync(path.join(ROOT, 'node_modules', '.bin', 'cdk8s'), args, {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, CDK8S_CHECK_UPGRADE: 'false' },
    timeout: 240_000,
  });
}

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `${prefix}-`));
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
