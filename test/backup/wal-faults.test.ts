/**
 * The WAL invariant under fault injection, with the CronJobs' own scripts against a real PostgreSQL
 * configured unlike the defaults (max_connections 200, max_wal_senders 16, …, 1 MB WAL segments):
 * no WAL leaves the primary's retention before it is verified in the destination, whatever fails;
 * after every fault, restores to the latest point and to a time in between hold exactly what the
 * primary had committed.
 */
import * as fs from 'fs';
import * as path from 'path';
import { PostgresServer, startPostgres } from '../harness/servers';
import { extractScripts, synthBackupApp } from './fixtures';
import { dispose, FULL_JOB, PgJobRunner, startRestored, WAL_JOB } from './pg-jobs';

jest.setTimeout(240_000);

const SLOT = 'media_ai_backup';
/** Recovery-relevant settings unlike initdb's defaults: a restore into a default server refuses them. */
const PRIMARY_SETTINGS = ['max_connections=200', 'max_wal_senders=16', 'max_worker_processes=12', 'max_prepared_transactions=10', 'max_locks_per_transaction=128'];

describe('WAL backups under fault injection (real PostgreSQL, rclone)', () => {
  const { objects } = synthBackupApp();
  let jobs: PgJobRunner;
  let primary: PostgresServer;
  const restored: PostgresServer[] = [];
  let nextId = 1;

  const slot = () => primary.sql(`SELECT restart_lsn FROM pg_replication_slots WHERE slot_name = '${SLOT}'`);
  const state = (s: PostgresServer, where = 'true') => s.sql(`SELECT count(*) || ' ' || coalesce(md5(string_agg(t::text, ',' ORDER BY id)), '-') FROM items t WHERE ${where}`);
  const now = () => primary.sql("SELECT to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') || '+00'");
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  /** Commits a batch of writes (inserts, updates, deletes) and returns the committed state. */
  const write = (rows = 300) => {
    const from = nextId;
    nextId += rows;
    primary.sql(`INSERT INTO items (id, payload) SELECT g, repeat(md5(g::text), 40) FROM generate_series(${from}, ${nextId - 1}) g`);
    primary.sql(`UPDATE items SET payload = 'edited ' || id WHERE id % 17 = ${from % 17}`);
    primary.sql(`DELETE FROM items WHERE id % 101 = ${from % 101}`);
    return state(primary);
  };

  /** Fetches the newest full + archived WAL once, restores it to each target; returns the restored states. */
  async function restore(name: string, targets: Array<Record<string, string>>): Promise<string[]> {
    const dir = path.join(jobs.root, `restore-${name}`);
    const fetched = await jobs.run(['pg-fetch.sh'], { RESTORE_DIR: dir });
    expect(fetched).toMatchObject({ ok: true });
    const states: string[] = [];
    try {
      for (const [i, target] of targets.entries()) {
        const data = path.join(dir, `data-${i}`);
        expect(await jobs.run(['pg-restore.sh'], { RESTORE_DIR: dir, TARGET_DATA: data, ...target })).toMatchObject({ ok: true });
        const server = await startRestored(data);
        restored.push(server);
        states.push(state(server));
        dispose(server);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    return states;
  }

  /** After a fault: latest and a point in time before the last batch both restore exactly. */
  async function expectNothingLost(label: string) {
    const before = write();
    await sleep(200);
    const point = now();
    await sleep(200);
    const latest = write();
    const run = await jobs.run(WAL_JOB);
    expect(run).toMatchObject({ ok: true });
    expect(await restore(label, [{ RECOVERY_TARGET: 'latest' }, { RECOVERY_TARGET_TIME: point }])).toEqual([latest, before]);
  }

  beforeAll(async () => {
    primary = await startPostgres({ initdbArgs: ['--wal-segsize=1'], serverArgs: PRIMARY_SETTINGS.map((s) => `-c ${s}`) });
    const scripts = extractScripts(objects, path.join(primary.socketDir, 'scripts'));
    jobs = new PgJobRunner(scripts, { PGHOST: primary.socketDir, PGPORT: String(primary.port), PGUSER: 'postgres', PGDATABASE: 'postgres', BACKUP_SLOT: SLOT, RETAIN_FULL: '3' });
    primary.sql('CREATE TABLE items (id int PRIMARY KEY, payload text)');
    write(2000);
    expect(await jobs.run(FULL_JOB, { BACKUP_STAMP: '20260101T020000Z' })).toMatchObject({ ok: true });
  });
  afterAll(() => {
    if (jobs) console.log(`container run times (s): ${Object.entries(jobs.timings).map(([k, v]) => `${k} n=${v.length} median=${v.sort((a, b) => a - b)[Math.floor(v.length / 2)]}`).join('; ')}`);
    restored.forEach(dispose);
    if (primary) dispose(primary);
    jobs?.cleanup();
  });

  test('a shipping failure at every rclone call leaves the slot where it was; the next good run ships everything', async () => {
    write();
    const good = await jobs.run(WAL_JOB);
    expect(good).toMatchObject({ ok: true });
    const calls = good.rcloneCalls;
    expect(calls).toBeGreaterThanOrEqual(3);
    for (let failAt = 1; failAt <= calls; failAt++) {
      write();
      const held = slot();
      const run = await jobs.run(WAL_JOB, { FAIL_AT: String(failAt) });
      expect({ failAt, ok: run.ok, step: run.failedStep }).toEqual({ failAt, ok: false, step: 'pg-ship.sh' });
      expect(run.output).toMatch(/injected: destination unreachable|verification of .* failed/);
      expect(slot()).toBe(held);
    }
    await expectNothingLost('upload-faults');
  });

  test('a job killed mid-run (while streaming, or between shipping and advancing) loses nothing', async () => {
    write();
    const held = slot();
    // SIGKILL to the whole process group of the streaming container, as an evicted pod gets.
    const child = jobs.spawnStep('pg-wal-archive.sh', { WORK_DIR: path.join(jobs.root, 'killed') }, path.join(jobs.root, 'killed-calls'));
    await sleep(700);
    process.kill(-child.pid!, 'SIGKILL');
    await new Promise((r) => child.on('close', r));
    expect(slot()).toBe(held);
    // Streamed and shipped, but killed before the advance container ran.
    write();
    const shippedOnly = await jobs.run(WAL_JOB.slice(0, 2));
    expect(shippedOnly).toMatchObject({ ok: true });
    expect(slot()).toBe(held);
    await expectNothingLost('killed');
  });

  test('destination down for three runs, then back: the slot holds the WAL, the fourth run ships all of it', async () => {
    const held = slot();
    for (let i = 0; i < 3; i++) {
      write();
      const run = await jobs.run(WAL_JOB, { FAIL_ALL: '1' });
      expect(run).toMatchObject({ ok: false, failedStep: 'pg-ship.sh' });
      expect(slot()).toBe(held);
    }
    const retained = Number(primary.sql(`SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn) FROM pg_replication_slots WHERE slot_name = '${SLOT}'`));
    expect(retained).toBeGreaterThan(3 * 2 ** 20);
    await expectNothingLost('outage');
    expect(slot()).not.toBe(held);
  });

  test('a full and a WAL job overlapping both succeed (the slot is never held by a stream)', async () => {
    write();
    const [full, wal] = await Promise.all([jobs.run(FULL_JOB, { BACKUP_STAMP: '20260102T020000Z' }), jobs.run(WAL_JOB)]);
    expect(full).toMatchObject({ ok: true });
    expect(wal).toMatchObject({ ok: true });
    await expectNothingLost('overlap');
  });

  test('RPO: a restore to latest holds every transaction committed before the last WAL run started', async () => {
    write();
    const committed = primary.sql('SELECT max(id) FROM items');
    // Commit → durable in the destination takes one run; the RPO is the schedule interval plus this.
    const started = Date.now();
    expect(await jobs.run(WAL_JOB)).toMatchObject({ ok: true });
    const durableAfterMs = Date.now() - started;
    expect(durableAfterMs).toBeLessThan(60_000);
    console.log(`measured: a WAL run made the last commit durable in the destination after ${durableAfterMs} ms; RPO ≤ 5 min schedule + that`);
    primary.sql(`INSERT INTO items VALUES (${nextId++}, 'after the run: lost with the primary')`);
    const dir = path.join(jobs.root, 'restore-rpo');
    expect(await jobs.run(['pg-fetch.sh'], { RESTORE_DIR: dir })).toMatchObject({ ok: true });
    expect(await jobs.run(['pg-restore.sh'], { RESTORE_DIR: dir, TARGET_DATA: path.join(dir, 'data'), RECOVERY_TARGET: 'latest' })).toMatchObject({ ok: true });
    const server = await startRestored(path.join(dir, 'data'));
    restored.push(server);
    expect(server.sql('SELECT max(id) FROM items')).toBe(committed);
    dispose(server);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('a backlog larger than one run ships over several runs (each within its deadline), nothing lost', async () => {
    for (let i = 0; i < 8; i++) { write(50); primary.sql('SELECT pg_switch_wal()'); }
    const lsn = () => Number(primary.sql(`SELECT pg_wal_lsn_diff(restart_lsn, '0/0') FROM pg_replication_slots WHERE slot_name = '${SLOT}'`));
    const start = lsn();
    const capped = await jobs.run(WAL_JOB, { WAL_MAX_SEGMENTS: '3' });
    expect(capped).toMatchObject({ ok: true });
    expect(capped.output).toMatch(/backlog: shipping 3 segments this run/);
    // 1 MB segments: the slot moved to the end of the third segment from its start, no further.
    expect(lsn()).toBe(start - (start % 2 ** 20) + 3 * 2 ** 20);
    let runs = 1;
    while (/backlog/.test((await jobs.run(WAL_JOB, { WAL_MAX_SEGMENTS: '3' })).output)) runs++;
    expect(runs).toBeGreaterThanOrEqual(2);
    await expectNothingLost('backlog');
  });

  test('WAL retention is bounded: past max_slot_wal_keep_size the slot is lost, the WAL job fails loudly, the next full starts a new chain', async () => {
    primary.sql("ALTER SYSTEM SET max_slot_wal_keep_size = '4MB'");
    primary.sql('SELECT pg_reload_conf()');
    try {
      for (let i = 0; i < 8; i++) { write(50); primary.sql('SELECT pg_switch_wal()'); }
      primary.sql('CHECKPOINT');
      expect(primary.sql(`SELECT wal_status FROM pg_replication_slots WHERE slot_name = '${SLOT}'`)).toBe('lost');
      const run = await jobs.run(WAL_JOB);
      expect(run).toMatchObject({ ok: false, failedStep: 'pg-wal-archive.sh' });
      expect(run.output).toMatch(/slot media_ai_backup lost its WAL .*the archive has a gap/);
    } finally {
      primary.sql('ALTER SYSTEM RESET max_slot_wal_keep_size');
      primary.sql('SELECT pg_reload_conf()');
    }
    expect(await jobs.run(FULL_JOB, { BACKUP_STAMP: '20260103T020000Z' })).toMatchObject({ ok: true });
    await expectNothingLost('new-chain');
  });

  test('the weekly drill restores into a server configured like the primary (max_connections 200, …) and passes', async () => {
    const dir = path.join(jobs.root, 'drill');
    expect(await jobs.run(['pg-fetch.sh'], { RESTORE_DIR: dir })).toMatchObject({ ok: true });
    const drill = await jobs.run(['pg-restore-drill.sh'], { RESTORE_DIR: dir, DRILL_DIR: path.join(dir, 'drill'), RESULT_FILE: path.join(dir, 'result.json') });
    expect(drill.output).not.toMatch(/insufficient parameter settings/);
    expect(drill).toMatchObject({ ok: true });
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'result.json'), 'utf8'))).toMatchObject({ ok: true, tables: 1 });
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('a hole in the archived WAL stops the restore before promotion, naming the gap', async () => {
    write();
    expect(await jobs.run(WAL_JOB)).toMatchObject({ ok: true });
    const wal = path.join(jobs.remote, 'postgres/wal');
    const segments = fs.readdirSync(wal).filter((f) => /^[0-9A-F]{24}$/.test(f)).sort();
    const victim = segments[segments.length - 2];
    const saved = fs.readFileSync(path.join(wal, victim));
    fs.rmSync(path.join(wal, victim));
    fs.renameSync(path.join(wal, `${victim}.sha256`), path.join(jobs.root, 'victim.sha256'));
    try {
      const fetched = await jobs.run(['pg-fetch.sh'], { RESTORE_DIR: path.join(jobs.root, 'restore-gap') });
      expect(fetched.ok).toBe(false);
      expect(fetched.output).toMatch(new RegExp(`WAL chain of base backup .* is broken: WAL gap after [0-9A-F]{24}: next is ${segments[segments.length - 1]}`));
    } finally {
      fs.writeFileSync(path.join(wal, victim), saved);
      fs.renameSync(path.join(jobs.root, 'victim.sha256'), path.join(wal, `${victim}.sha256`));
      fs.rmSync(path.join(jobs.root, 'restore-gap'), { recursive: true, force: true });
    }
  });
});
