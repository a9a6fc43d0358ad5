/** The real programs that check generated configuration: promtool, amtool, blackbox exporter, shellcheck. */
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as YAML from 'yaml';
import { findBinary } from './servers';

export interface ToolResult {
  readonly status: number | null;
  /** stdout and stderr together. */
  readonly output: string;
  readonly stdout: string;
}

export function run(binary: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; input?: string } = {}): ToolResult {
  const r = spawnSync(findBinary(binary), args, { encoding: 'utf8', cwd: opts.cwd, env: { ...process.env, ...opts.env }, input: opts.input, timeout: 120_000 });
  return { status: r.status, output: `${r.stdout ?? ''}${r.stderr ?? ''}`, stdout: r.stdout ?? '' };
}

/** Writes files into a fresh temporary directory and returns it. */
export function workDir(prefix: string, files: Record<string, string | object> = {}): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `${prefix}-`));
  for (const [name, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), typeof content === 'string' ? content : YAML.stringify(content));
  }
  return dir;
}

/** Fails with the tool's output unless it exited 0. */
export function expectSuccess(result: ToolResult): string {
  if (result.status !== 0) throw new Error(`exit ${result.status}:\n${result.output}`);
  return result.output;
}

/**
 * Runs a shell script with only PATH and the given environment, without blocking the event loop
 * (the tests that use it answer the script's requests from an HTTP server in this process).
 */
export function runShellScript(script: string, env: Record<string, string>): Promise<{ status: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn('sh', ['-c', script], { env: { PATH: process.env.PATH!, ...env } });
    let output = '';
    child.stdout.on('data', (d) => { output += d; });
    child.stderr.on('data', (d) => { output += d; });
    child.on('close', (status) => resolve({ status, output }));
  });
}
