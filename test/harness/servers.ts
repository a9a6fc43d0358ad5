/**
 * Real PostgreSQL and Redis servers for tests: private ports, sockets and data in temporary
 * directories, stopped by the caller. PostgreSQL refuses to run as root, so as root it runs as
 * the `postgres` system user.
 */
import { execFileSync, spawn, ChildProcess, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';

export function findBinary(name: string): string {
  const onPath = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).stdout.trim();
  if (onPath) return onPath;
  const pgRoot = '/usr/lib/postgresql';
  if (fs.existsSync(pgRoot)) {
    for (const v of fs.readdirSync(pgRoot).sort().reverse()) {
      const p = path.join(pgRoot, v, 'bin', name);
      if (fs.existsSync(p)) return p;
    }
  }
  throw new Error(`${name} not found: .ci/run installs it (PostgreSQL, Redis, …)`);
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

/** Runs a command as the postgres user when we are root (as CI is). */
export function asPostgres(cmd: string, args: string[], opts: { input?: string; env?: NodeJS.ProcessEnv } = {}): string {
  const [file, argv] = isRoot() ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] : [cmd, args];
  return execFileSync(file, argv, { encoding: 'utf8', input: opts.input, env: { ...process.env, ...opts.env }, stdio: ['pipe', 'pipe', 'pipe'] });
}

/** A directory the server user may write. */
export function postgresOwnedDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `${prefix}-`));
  fs.chmodSync(dir, 0o755);
  if (isRoot()) execFileSync('chown', ['postgres:postgres', dir]);
  return dir;
}

export interface PostgresServer {
  readonly port: number;
  readonly socketDir: string;
  readonly dataDir: string;
  readonly log: string;
  /** psql -Atc as the superuser. */
  sql(query: string, database?: string): string;
  stop(): void;
}

export async function waitFor(check: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** initdb + start; `extraArgs` are extra `-c name=value` settings (e.g. config_file). */
export async function startPostgres(opts: { initdbArgs?: string[]; serverArgs?: string[]; dataDir?: string; skipInit?: boolean } = {}): Promise<PostgresServer> {
  const root = postgresOwnedDir('pg');
  const dataDir = opts.dataDir ?? path.join(root, 'data');
  const socketDir = root;
  const log = path.join(root, 'server.log');
  if (!opts.skipInit) asPostgres(findBinary('initdb'), ['-D', dataDir, '-U', 'postgres', '--auth=trust', '--no-sync', ...(opts.initdbArgs ?? [])]);
  const port = await freePort();
  asPostgres(findBinary('pg_ctl'), ['-D', dataDir, '-l', log, '-w', '-t', '60', '-o',
    [`-p ${port}`, `-k ${socketDir}`, "-c listen_addresses=''", ...(opts.serverArgs ?? [])].join(' '), 'start']);
  const psql = findBinary('psql');
  const server: PostgresServer = {
    port, socketDir, dataDir, log,
    sql: (query, database = 'postgres') => asPostgres(psql, ['-X', '-v', 'ON_ERROR_STOP=1', '-h', socketDir, '-p', String(port), '-U', 'postgres', '-d', database, '-Atc', query]).trim(),
    stop: () => {
      try { asPostgres(findBinary('pg_ctl'), ['-D', dataDir, '-m', 'fast', '-w', 'stop']); } catch { /* already stopped */ }
    },
  };
  return server;
}

export interface RedisServer {
  readonly port: number;
  readonly process: ChildProcess;
  cli(args: string[], password?: string): string;
  stop(): Promise<void>;
}

/** Starts redis-server with a config file and command-line overrides (port, dir, bind). */
export async function startRedis(configFile: string, dataDir: string, extra: string[] = []): Promise<RedisServer> {
  const port = await freePort();
  const proc = spawn(findBinary('redis-server'), [configFile, '--port', String(port), '--bind', '127.0.0.1', '--dir', dataDir, ...extra], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  proc.stdout.on('data', (d) => { output += d; });
  proc.stderr.on('data', (d) => { output += d; });
  const cli = (args: string[], password?: string) => {
    const r = spawnSync(findBinary('redis-cli'), ['-h', '127.0.0.1', '-p', String(port), ...args], { encoding: 'utf8', env: { ...process.env, ...(password !== undefined ? { REDISCLI_AUTH: password } : {}) } });
    return (r.stdout + r.stderr).trim();
  };
  try {
    await waitFor(() => proc.exitCode === null && /PONG|NOAUTH/.test(cli(['ping'])), 'redis-server', 15_000);
  } catch {
    proc.kill('SIGKILL');
    throw new Error(`redis-server did not start: ${output}`);
  }
  return {
    port, process: proc, cli,
    stop: () => new Promise((resolve) => {
      if (proc.exitCode !== null) return resolve();
      proc.once('exit', () => resolve());
      proc.kill('SIGTERM');
    }),
  };
}
