/**
 * Runs the PostgreSQL backup CronJobs' containers as the Job would: in order, stopping at the first
 * failure (init containers), with the scripts from the synthesized ConfigMap, against a real server.
 * `faults` injects failures into rclone (the destination) by call number.
 */
import { ChildProcess, spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { findBinary, PostgresServer, postgresOwnedDir, startPostgres, waitFor } from '../harness/servers';

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

export interface JobResult { readonly ok: boolean; readonly failedStep?: string; readonly output: string }

/** The containers of the PostgreSQL jobs, in the order BackupPolicy renders them. */
export const WAL_JOB = ['pg-wal-archive.sh', 'pg-ship.sh', 'pg-slot-advance.sh'];
export const FULL_JOB = ['pg-base-backup.sh', 'pg-ship.sh', 'pg-slot-advance.sh'];

export class PgJobRunner {
  public readonly root: string;
  /** The destination (a local directory standing in for the bucket). */
  public readonly remote: string;
  private readonly faultBin: string;
  private readonly binPath: string;
  private runs = 0;
  /** Seconds each container took, by script (what the suite reports as measured). */
  public readonly timings: Record<string, number[]> = {};

  constructor(private readonly scripts: string, private readonly baseEnv: Record<string, string>) {
    this.root = postgresOwnedDir('backup-jobs');
    this.remote = path.join(this.root, 'remote');
    this.faultBin = path.join(this.root, 'fault-bin');
    fs.mkdirSync(this.faultBin);
    // rclone that fails on its FAIL_AT-th call of the run (or always with FAIL_ALL): an object-store error.
    fs.writeFileSync(path.join(this.faultBin, 'rclone'), [
      '#!/bin/sh',
      'n=$(($(cat "$FAULT_COUNT" 2>/dev/null || echo 0) + 1)); echo "$n" >"$FAULT_COUNT"',
      'if [ -n "${FAIL_ALL:-}" ] || [ "$n" = "${FAIL_AT:-0}" ]; then echo "injected: destination unreachable (call $n: rclone $1)" >&2; exit 1; fi',
      `exec ${findBinary('rclone')} "$@"`, '',
    ].join('\n'), { mode: 0o755 });
    fs.writeFileSync(path.join(this.root, 'rclone.conf'), '', { mode: 0o644 });
    this.binPath = [this.faultBin, path.dirname(findBinary('pg_ctl')), path.dirname(findBinary('psql')), process.env.PATH].join(':');
  }

  private env(extra: Record<string, string>, counter: string): NodeJS.ProcessEnv {
    return { PATH: this.binPath, SCRIPTS_DIR: this.scripts, RCLONE_CONFIG: path.join(this.root, 'rclone.conf'), HOME: this.root, FAULT_COUNT: counter, BACKUP_REMOTE: this.remote, ...this.baseEnv, ...extra };
  }

  /** Starts one container's script (as the postgres user when root). */
  public spawnStep(script: string, extra: Record<string, string>, counter: string): ChildProcess {
    const argv = ['/bin/sh', path.join(this.scripts, script)];
    const [file, args] = isRoot() ? ['runuser', ['-u', 'postgres', '--', ...argv]] : [argv[0], argv.slice(1)];
    return spawn(file, args, { env: this.env(extra, counter), stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  }

  /** A fresh work directory (the pod's emptyDir) per run; the Job stops at the first failing container. */
  public async run(steps: string[], extra: Record<string, string> = {}): Promise<JobResult & { work: string; rcloneCalls: number }> {
    const work = path.join(this.root, `run-${++this.runs}`);
    const counter = path.join(this.root, `rclone-calls-${this.runs}`);
    let output = '';
    for (const step of steps) {
      const began = Date.now();
      const child = this.spawnStep(step, { WORK_DIR: work, ...extra }, counter);
      child.stdout!.on('data', (d) => { output += d; });
      child.stderr!.on('data', (d) => { output += d; });
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
      (this.timings[step] ??= []).push((Date.now() - began) / 1000);
      if (code !== 0) return { ok: false, failedStep: step, output, work, rcloneCalls: this.calls(counter) };
    }
    return { ok: true, output, work, rcloneCalls: this.calls(counter) };
  }

  private calls(counter: string): number {
    return fs.existsSync(counter) ? Number(fs.readFileSync(counter, 'utf8').trim()) : 0;
  }

  public cleanup(): void {
    fs.rmSync(this.root, { recursive: true, force: true });
  }
}

/** Restored-instance start: archive off, waits for promotion; the caller stops it and removes its dirs. */
export async function startRestored(dataDir: string, args: string[] = []): Promise<PostgresServer> {
  const server = await startPostgres({ dataDir, skipInit: true, serverArgs: ['-c archive_mode=off', ...args] });
  await waitFor(() => {
    try { return server.sql('SELECT pg_is_in_recovery()') === 'f'; } catch { return false; }
  }, 'promotion of the restored instance', 60_000);
  return server;
}

/** Stops a test server and removes its socket/log directory (and data, when it lives there). */
export function dispose(server: PostgresServer): void {
  server.stop();
  fs.rmSync(server.socketDir, { recursive: true, force: true });
}
