/**
 * The very scripts the CronJobs run (taken from the synthesized ConfigMap), against real servers:
 * PostgreSQL (full, incremental WAL, point in time, drill), Redis, object storage, configuration.
 * rclone writes to a local directory standing in for the S3 bucket. Nothing may be lost.
 */
import { execFileSync, spawnSync } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { only } from '../harness/synth';
import { asPostgres, findBinary, PostgresServer, postgresOwnedDir, startPostgres, startRedis, waitFor } from '../harness/servers';
import { configJob, extractScripts, synthBackupApp } from './fixtures';

jest.setTimeout(300_000);

const { objects, policy } = synthBackupApp();
const root = postgresOwnedDir('backup-roundtrip');
const scripts = extractScripts(objects, path.join(root, 'scripts'));
fs.writeFileSync(path.join(root, 'rclone.conf'), '');
fs.chmodSync(path.join(root, 'rclone.conf'), 0o644);
const binPath = [path.dirname(findBinary('pg_ctl')), process.env.PATH].join(':');
// Every backup, restore and server directory of this file lives below root (or is removed with its server).
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

/** Runs a backup script as the job would (as the postgres user here, for the PostgreSQL tools). */
function script(name: string, env: Record<string, string>): string {
  return asPostgres('/bin/sh', [path.join(scripts, name)], {
    env: { PATH: binPath, SCRIPTS_DIR: scripts, RCLONE_CONFIG: path.join(root, 'rclone.conf'), ...env },
  });
}

function scriptFails(name: string, env: Record<string, string>): string {
  try {
    script(name, env);
  } catch (e: any) {
    return `${e.stdout ?? ''}${e.stderr ?? ''}`;
  }
  throw new Error(`${name} was expected to fail`);
}

/** Runs a script that needs no PostgreSQL tools (rclone, redis-cli) as the current user; output captured. */
function shScript(name: string, env: NodeJS.ProcessEnv): string {
  return execFileSync('sh', [path.join(scripts, name)], { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

function shScriptStderr(name: string, env: NodeJS.ProcessEnv): string {
  return spawnSync('sh', [path.join(scripts, name)], { env, encoding: 'utf8' }).stderr;
}

function sha256File(file: string): string {
  return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

function treeHashes(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p); else out[path.relative(dir, p)] = sha256File(p);
    }
  };
  walk(dir);
  return out;
}

async function startRestored(dataDir: string): Promise<PostgresServer> {
  const server = await startPostgres({ dataDir, skipInit: true, serverArgs: ['-c archive_mode=off'] });
  await waitFor(() => {
    try { return server.sql('SELECT pg_is_in_recovery()') === 'f'; } catch { return false; }
  }, 'promotion of the restored instance', 60_000);
  return server;
}

describe('PostgreSQL: full + incremental backup, restore to latest and to a point in time, restore drill', () => {
  const remote = path.join(root, 'pg-remote');
  const servers: PostgresServer[] = [];
  let source: PostgresServer;
  const table = (s: PostgresServer, where = 'true') => s.sql(`SELECT count(*) || ' ' || md5(string_agg(t::text, ',' ORDER BY id)) FROM items t WHERE ${where}`);
  let env: Record<string, string>;
  let pointInTime = '';
  let expectedLatest = '';
  let expectedAtPoint = '';

  beforeAll(async () => {
    // 1 MB WAL segments: the same code paths with a sixteenth of the bytes to copy.
    source = await startPostgres({ initdbArgs: ['--wal-segsize=1'] });
    servers.push(source);
    env = { PGHOST: source.socketDir, PGPORT: String(source.port), PGUSER: 'postgres', PGDATABASE: 'postgres', BACKUP_SLOT: 'media_ai_backup', BACKUP_REMOTE: remote, RETAIN_FULL: '3' };
    source.sql("CREATE TABLE items (id int PRIMARY KEY, name text NOT NULL, payload bytea, created timestamptz DEFAULT now())");
    source.sql("INSERT INTO items SELECT g, 'item ' || g, decode(md5(g::text), 'hex') FROM generate_series(1, 5000) g");
    source.sql('CREATE TABLE tags (item int REFERENCES items, tag text)');
    source.sql("INSERT INTO tags SELECT g, 'tag' || (g % 7) FROM generate_series(1, 5000) g");
  });
  afterAll(() => servers.forEach((s) => { s.stop(); fs.rmSync(s.socketDir, { recursive: true, force: true }); }));

  test('daily full backup (base backup + manifest + its WAL) is shipped with checksums', () => {
    script('pg-base-backup.sh', { ...env, WORK_DIR: path.join(root, 'work-full'), BACKUP_STAMP: '20260101T020000Z' });
    script('pg-ship.sh', { ...env, WORK_DIR: path.join(root, 'work-full') });
    const base = path.join(remote, 'postgres/base/20260101T020000Z');
    expect(fs.readdirSync(base).sort()).toEqual(['DATABASE', 'RECOVERY_SETTINGS', 'RESTORE_POINT', 'SHA256SUMS', 'START_WAL', 'WAL_SEGMENT_SIZE', 'backup_manifest', 'base.tar.gz', 'tables.tsv', 'wal']);
    expect(fs.readdirSync(path.join(base, 'wal')).length).toBeGreaterThan(0);
    expect(fs.readFileSync(path.join(base, 'tables.tsv'), 'utf8')).toMatch(/^public\.items\t5000\t[0-9a-f]{32}$/m);
    expect(fs.readdirSync(path.join(remote, 'postgres/wal')).length).toBeGreaterThan(0);
  });

  test('hourly incremental backup ships the WAL written since', async () => {
    source.sql("INSERT INTO items SELECT g, 'item ' || g, decode(md5(g::text), 'hex') FROM generate_series(5001, 8000) g");
    source.sql("UPDATE items SET name = name || ' (edited)' WHERE id % 10 = 0");
    await new Promise((r) => setTimeout(r, 1100));
    pointInTime = source.sql("SELECT to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') || '+00'");
    expectedAtPoint = table(source);
    await new Promise((r) => setTimeout(r, 1100));
    source.sql("INSERT INTO items SELECT g, 'item ' || g, decode(md5(g::text), 'hex') FROM generate_series(8001, 12000) g");
    source.sql('DELETE FROM items WHERE id BETWEEN 9000 AND 9099');
    source.sql('DELETE FROM tags WHERE item BETWEEN 1 AND 50');
    expectedLatest = table(source);
    const before = fs.readdirSync(path.join(remote, 'postgres/wal')).length;
    script('pg-wal-archive.sh', { ...env, WORK_DIR: path.join(root, 'work-wal1') });
    script('pg-ship.sh', { ...env, WORK_DIR: path.join(root, 'work-wal1') });
    expect(fs.readdirSync(path.join(remote, 'postgres/wal')).length).toBeGreaterThan(before);
  });

  test('restore to the latest point: every row is there, byte-identical', async () => {
    const restoreDir = path.join(root, 'restore-latest');
    script('pg-fetch.sh', { ...env, RESTORE_DIR: restoreDir });
    script('pg-restore.sh', { ...env, RESTORE_DIR: restoreDir, TARGET_DATA: path.join(restoreDir, 'data'), RECOVERY_TARGET: 'latest' });
    const restored = await startRestored(path.join(restoreDir, 'data'));
    servers.push(restored);
    expect(table(restored)).toBe(expectedLatest);
    expect(restored.sql('SELECT count(*) FROM tags')).toBe(source.sql('SELECT count(*) FROM tags'));
    expect(table(restored).startsWith('11900 ')).toBe(true);
    restored.stop();
  });

  test('restore to a point in time between the full and the incremental backup', async () => {
    const restoreDir = path.join(root, 'restore-pitr');
    script('pg-fetch.sh', { ...env, RESTORE_DIR: restoreDir });
    script('pg-restore.sh', { ...env, RESTORE_DIR: restoreDir, TARGET_DATA: path.join(restoreDir, 'data'), RECOVERY_TARGET_TIME: pointInTime });
    const restored = await startRestored(path.join(restoreDir, 'data'));
    servers.push(restored);
    expect(table(restored)).toBe(expectedAtPoint);
    expect(table(restored).startsWith('8000 ')).toBe(true);
    restored.stop();
  });

  test('the restore drill passes on a good backup and records the restore time', () => {
    const restoreDir = path.join(root, 'drill-good');
    script('pg-fetch.sh', { ...env, RESTORE_DIR: restoreDir });
    script('pg-restore-drill.sh', { ...env, RESTORE_DIR: restoreDir, DRILL_DIR: path.join(restoreDir, 'drill'), RESULT_FILE: path.join(restoreDir, 'result.json') });
    const result = JSON.parse(fs.readFileSync(path.join(restoreDir, 'result.json'), 'utf8'));
    expect(result).toMatchObject({ backup: '20260101T020000Z', ok: true, tables: 2 });
    expect(result.restore_seconds).toBeGreaterThanOrEqual(0);
    // The record step ships the result next to the backups.
    script('drill-record.sh', { ...env, WORK_DIR: path.join(restoreDir, 'work'), RESULT_FILE: path.join(restoreDir, 'result.json'), BACKUP_STAMP: '20260104T060000Z' });
    expect(JSON.parse(fs.readFileSync(path.join(remote, 'drills/20260104T060000Z/result.json'), 'utf8'))).toEqual(result);
  });

  test('the restore drill fails loudly on a corrupted backup', () => {
    const corrupt = path.join(root, 'pg-remote-corrupt');
    fs.cpSync(remote, corrupt, { recursive: true });
    const tarball = path.join(corrupt, 'postgres/base/20260101T020000Z/base.tar.gz');
    const bytes = fs.readFileSync(tarball);
    bytes[Math.floor(bytes.length / 2)] ^= 0xff;
    fs.writeFileSync(tarball, bytes);
    expect(scriptFails('pg-fetch.sh', { ...env, BACKUP_REMOTE: corrupt, RESTORE_DIR: path.join(root, 'drill-corrupt') })).toMatch(/checksum mismatch/);
  });

  test('the restore drill fails when the restored data differs from the manifest', () => {
    const restoreDir = path.join(root, 'drill-tampered');
    script('pg-fetch.sh', { ...env, RESTORE_DIR: restoreDir });
    const base = path.join(restoreDir, 'base/20260101T020000Z');
    const manifest = fs.readFileSync(path.join(base, 'tables.tsv'), 'utf8').replace(/\t5000\t/, '\t4999\t');
    fs.writeFileSync(path.join(base, 'tables.tsv'), manifest);
    // Re-sign it, so only the data comparison can catch it.
    const sums = fs.readFileSync(path.join(base, 'SHA256SUMS'), 'utf8').replace(/^[0-9a-f]{64}(\s+tables\.tsv)$/m, `${createHash('sha256').update(manifest).digest('hex')}$1`);
    fs.writeFileSync(path.join(base, 'SHA256SUMS'), sums);
    const out = scriptFails('pg-restore-drill.sh', { ...env, RESTORE_DIR: restoreDir, DRILL_DIR: path.join(restoreDir, 'drill') });
    expect(out).toMatch(/restored data differs from the manifest/);
    expect(out).toMatch(/-public\.items\t4999/);
  });

  test('retention: after simulated days of runs, exactly the newest 3 fulls and the WAL from the oldest kept one remain', () => {
    for (const day of ['02', '03', '04', '05']) {
      source.sql(`INSERT INTO items SELECT g, 'day ${day}', NULL FROM generate_series(20000 + ${day} * 100, 20000 + ${day} * 100 + 50) g`);
      script('pg-base-backup.sh', { ...env, WORK_DIR: path.join(root, `work-day${day}`), BACKUP_STAMP: `202601${day}T020000Z` });
      script('pg-ship.sh', { ...env, WORK_DIR: path.join(root, `work-day${day}`) });
      source.sql(`INSERT INTO items SELECT g, 'day ${day} later', NULL FROM generate_series(30000 + ${day} * 100, 30000 + ${day} * 100 + 50) g`);
      script('pg-wal-archive.sh', { ...env, WORK_DIR: path.join(root, `work-wal-day${day}`) });
      script('pg-ship.sh', { ...env, WORK_DIR: path.join(root, `work-wal-day${day}`) });
    }
    expect(fs.readdirSync(path.join(remote, 'postgres/base')).sort()).toEqual(['20260103T020000Z', '20260104T020000Z', '20260105T020000Z']);
    const start = fs.readFileSync(path.join(remote, 'postgres/base/20260103T020000Z/START_WAL'), 'utf8').trim();
    const segments = fs.readdirSync(path.join(remote, 'postgres/wal')).filter((f) => !f.endsWith('.sha256')).sort();
    expect(segments[0]).toBe(start);
    expect(segments.every((s) => s >= start)).toBe(true);
    // The oldest kept full still restores (its WAL chain is complete) and the drill passes on it.
    const restoreDir = path.join(root, 'drill-after-retention');
    script('pg-fetch.sh', { ...env, RESTORE_DIR: restoreDir, BASE_STAMP: '20260103T020000Z' });
    script('pg-restore-drill.sh', { ...env, RESTORE_DIR: restoreDir, DRILL_DIR: path.join(restoreDir, 'drill') });
    // Each full carries the WAL up to its manifest point: restorable even with the archive gone.
    const noArchive = path.join(root, 'pg-remote-no-wal');
    fs.cpSync(remote, noArchive, { recursive: true });
    fs.rmSync(path.join(noArchive, 'postgres/wal'), { recursive: true });
    const alone = path.join(root, 'drill-without-archive');
    script('pg-fetch.sh', { ...env, BACKUP_REMOTE: noArchive, RESTORE_DIR: alone, BASE_STAMP: '20260104T020000Z' });
    script('pg-restore-drill.sh', { ...env, RESTORE_DIR: alone, DRILL_DIR: path.join(alone, 'drill') });
  });
});

describe('Redis: snapshot → destination → fresh server', () => {
  test('same DBSIZE and values after restore', async () => {
    const password = 'redis-test-password';
    const data = path.join(root, 'redis-src');
    fs.mkdirSync(data, { recursive: true });
    const conf = path.join(root, 'redis-src.conf');
    fs.writeFileSync(conf, `requirepass ${password}\nappendonly no\nsave ""\n`);
    const src = await startRedis(conf, data);
    const restoredDir = path.join(root, 'redis-restore');
    try {
      for (let i = 0; i < 300; i++) src.cli(['set', `key:${i}`, `value-${i}-${'x'.repeat(i % 50)}`], password);
      for (let i = 0; i < 50; i++) src.cli(['hset', `hash:${i}`, 'a', String(i), 'b', `b${i}`], password);
      for (let i = 0; i < 20; i++) src.cli(['rpush', `list:${i}`, 'one', 'two', String(i)], password);
      src.cli(['set', 'binary', '\u00ff\u0001 bytes'], password);
      const env = { REDIS_HOST: '127.0.0.1', REDIS_PORT: String(src.port), REDISCLI_AUTH: password, WORK_DIR: path.join(root, 'work-redis'), BACKUP_REMOTE: path.join(root, 'redis-remote'), BACKUP_KIND: 'redis', RETAIN: '7', BACKUP_STAMP: '20260101T031500Z', PATH: process.env.PATH! };
      shScript('redis-backup.sh', { ...env, SCRIPTS_DIR: scripts });
      shScript('ship-dated.sh', { ...env, SCRIPTS_DIR: scripts, RCLONE_CONFIG: path.join(root, 'rclone.conf') });
      shScript('fetch-dated.sh', { ...env, SCRIPTS_DIR: scripts, RCLONE_CONFIG: path.join(root, 'rclone.conf'), RESTORE_DIR: restoredDir, BACKUP_STAMP: '' });
      expect(fs.readFileSync(path.join(restoredDir, 'DBSIZE'), 'utf8').trim()).toBe('371');
      const fresh = await startRedis(conf, restoredDir, ['--dbfilename', 'dump.rdb']);
      try {
        expect(fresh.cli(['dbsize'], password)).toBe(src.cli(['dbsize'], password));
        for (const key of ['key:0', 'key:299', 'binary']) expect(fresh.cli(['get', key], password)).toBe(src.cli(['get', key], password));
        expect(fresh.cli(['hgetall', 'hash:49'], password)).toBe(src.cli(['hgetall', 'hash:49'], password));
        expect(fresh.cli(['lrange', 'list:7', '0', '-1'], password)).toBe(src.cli(['lrange', 'list:7', '0', '-1'], password));
        // Every key, with its serialized value, is identical.
        const dumpAll = (s: typeof src) => s.cli(['--scan'], password).split('\n').sort().map((k) => `${k}=${s.cli(['--no-raw', 'dump', k], password)}`).join('\n');
        expect(dumpAll(fresh)).toBe(dumpAll(src));
      } finally {
        await fresh.stop();
      }
    } finally {
      await src.stop();
    }
  });
});

describe('Object storage and configuration', () => {
  const rcloneEnv = () => ({ SCRIPTS_DIR: scripts, RCLONE_CONFIG: path.join(root, 'rclone.conf'), PATH: process.env.PATH!, WORK_DIR: path.join(root, 'work-objects') });

  test('mirror → restore gives identical file hashes; a later mirror never deletes an earlier copy', () => {
    const bucket = path.join(root, 'minio-bucket');
    fs.mkdirSync(path.join(bucket, 'segments/a'), { recursive: true });
    for (let i = 0; i < 40; i++) fs.writeFileSync(path.join(bucket, 'segments/a', `seg-${i}.bin`), createHash('sha512').update(String(i)).digest());
    fs.writeFileSync(path.join(bucket, 'index.json'), JSON.stringify({ segments: 40 }));
    const remote = path.join(root, 'objects-remote');
    shScript('objects-mirror.sh', { ...rcloneEnv(), SOURCE_REMOTE: bucket, BACKUP_REMOTE: remote, RETAIN: '2', BACKUP_STAMP: '20260101T043000Z' });
    const target = path.join(root, 'minio-restored');
    shScript('objects-restore.sh', { ...rcloneEnv(), BACKUP_REMOTE: remote, TARGET_REMOTE: target });
    expect(treeHashes(target)).toEqual(treeHashes(bucket));

    fs.rmSync(path.join(bucket, 'segments/a/seg-0.bin'));
    shScript('objects-mirror.sh', { ...rcloneEnv(), SOURCE_REMOTE: bucket, BACKUP_REMOTE: remote, RETAIN: '2', BACKUP_STAMP: '20260102T043000Z' });
    expect(fs.existsSync(path.join(remote, 'objects/20260101T043000Z/segments/a/seg-0.bin'))).toBe(true);
    expect(fs.existsSync(path.join(remote, 'objects/20260102T043000Z/segments/a/seg-0.bin'))).toBe(false);
    shScript('objects-mirror.sh', { ...rcloneEnv(), SOURCE_REMOTE: bucket, BACKUP_REMOTE: remote, RETAIN: '2', BACKUP_STAMP: '20260103T043000Z' });
    expect(fs.readdirSync(path.join(remote, 'objects')).sort()).toEqual(['20260102T043000Z', '20260103T043000Z']);
  });

  test('configuration: the snapshot is shipped once per hash, restores byte-identical, and a wrong hash fails', () => {
    const cm = only(objects, 'ConfigMap', configJob(objects).metadata.name);
    const hash = policy.configBackup!.hash;
    expect(configJob(objects).metadata.name).toBe(`backup-config-${hash}`);
    const configDir = path.join(root, 'config-mount');
    fs.mkdirSync(configDir, { recursive: true });
    fs.writeFileSync(path.join(configDir, 'manifests.json'), cm.data['manifests.json']);
    const remote = path.join(root, 'config-remote');
    const env = { ...rcloneEnv(), CONFIG_DIR: configDir, CONFIG_HASH: hash, BACKUP_REMOTE: remote, RETAIN: '30', WORK_DIR: path.join(root, 'work-config1'), BACKUP_STAMP: '20260101T000000Z' };
    shScript('config-backup.sh', env);
    // Same hash again: recognised as already backed up, nothing new is written.
    expect(shScriptStderr('config-backup.sh', { ...env, WORK_DIR: path.join(root, 'work-config2'), BACKUP_STAMP: '20260102T000000Z' })).toMatch(/is already backed up/);
    expect(fs.readdirSync(path.join(remote, 'config'))).toEqual([`20260101T000000Z-${hash}`]);
    expect(sha256File(path.join(remote, 'config', `20260101T000000Z-${hash}`, 'manifests.json'))).toBe(createHash('sha256').update(cm.data['manifests.json']).digest('hex'));
    expect(() => execFileSync('sh', [path.join(scripts, 'config-backup.sh')], { env: { ...env, CONFIG_HASH: '0000000000000000', WORK_DIR: path.join(root, 'work-config3') }, stdio: 'pipe' })).toThrow(/does not match/);
  });

  test('long-term retention: after 120 simulated days, 7 daily + 4 weekly + 3 monthly backups remain', () => {
    const remote = path.join(root, 'longterm-remote');
    const stamps: string[] = [];
    for (let day = 0; day < 120; day++) {
      const date = new Date(Date.UTC(2026, 0, 1) + day * 86400000);
      stamps.push(`${date.toISOString().slice(0, 10).replace(/-/g, '')}T031500Z`);
    }
    // Retention depends only on which backups exist: 119 earlier days already at the destination
    // (written directly, for speed), then the job ships day 120 and prunes.
    for (const stamp of stamps.slice(0, -1)) {
      fs.mkdirSync(path.join(remote, 'redis', stamp), { recursive: true });
      fs.writeFileSync(path.join(remote, 'redis', stamp, 'dump.rdb'), `REDIS ${stamp}`);
    }
    const last = stamps[stamps.length - 1];
    const dir = path.join(root, 'work-longterm', 'redis', last);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'dump.rdb'), `REDIS ${last}`);
    execFileSync('sh', ['-c', `. ${scripts}/backup-lib.sh; write_checksums ${dir}`]);
    shScript('ship-dated.sh', { ...rcloneEnv(), WORK_DIR: path.join(root, 'work-longterm'), BACKUP_REMOTE: remote, BACKUP_KIND: 'redis', RETAIN: '7', RETAIN_WEEKLY: '4', RETAIN_MONTHLY: '3' });
    // Expected, computed independently: weeks start on Monday (1970-01-05 was one).
    const keep = new Set<string>(stamps.slice(-7));
    const weeks = new Map<number, string>();
    const months = new Map<string, string>();
    for (const s of [...stamps].reverse()) {
      const t = Date.UTC(Number(s.slice(0, 4)), Number(s.slice(4, 6)) - 1, Number(s.slice(6, 8))) / 86400000;
      const week = Math.floor((t - 4) / 7);
      if (!weeks.has(week) && weeks.size < 4) weeks.set(week, s);
      if (!months.has(s.slice(0, 6)) && months.size < 3) months.set(s.slice(0, 6), s);
    }
    for (const s of [...weeks.values(), ...months.values()]) keep.add(s);
    expect(fs.readdirSync(path.join(remote, 'redis')).sort()).toEqual([...keep].sort());
    expect(keep.size).toBeGreaterThan(7);
  });

  test('retention of dated backups: after 10 simulated days exactly the newest RETAIN remain', () => {
    const remote = path.join(root, 'dated-remote');
    for (let day = 1; day <= 10; day++) {
      const stamp = `202601${String(day).padStart(2, '0')}T031500Z`;
      const dir = path.join(root, 'work-dated', 'redis', stamp);
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(path.join(dir, 'dump.rdb'), `REDIS day ${day}`);
      execFileSync('sh', ['-c', `. ${scripts}/backup-lib.sh; write_checksums ${dir}`]);
      shScript('ship-dated.sh', { ...rcloneEnv(), WORK_DIR: path.join(root, 'work-dated'), BACKUP_REMOTE: remote, BACKUP_KIND: 'redis', RETAIN: '7' });
      fs.rmSync(dir, { recursive: true });
    }
    expect(fs.readdirSync(path.join(remote, 'redis')).sort()).toEqual(['04', '05', '06', '07', '08', '09', '10'].map((d) => `202601${d}T031500Z`));
  });
});
