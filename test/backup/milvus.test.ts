/**
 * The Milvus backup job's scripts with a stub milvus-backup that behaves like v0.4.24 (`create`
 * exits 0 even when the backup failed; `get` prints the backup's JSON with its state_code), and
 * rclone between a local "MinIO" and a local destination.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { only } from '../harness/synth';
import { extractScripts, synthBackupApp } from './fixtures';
import { toolTest } from '../harness/fast';

const { objects } = synthBackupApp();
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'backup-milvus-'));
const scripts = extractScripts(objects, path.join(root, 'scripts'));
const minio = path.join(root, 'minio');
const remote = path.join(root, 'remote');
fs.mkdirSync(path.join(minio, 'milvus-backups/backup'), { recursive: true });
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

/** A milvus-backup look-alike: `create` writes the backup files (or not) and always exits 0. */
function stub(outcome: 'success' | 'fail'): string {
  const bin = path.join(root, `milvus-backup-${outcome}`);
  fs.writeFileSync(bin, [
    '#!/bin/sh',
    'cmd=$3; name=$5',
    'case "$cmd" in',
    `  create) echo "config:$2"; ${outcome === 'success' ? `mkdir -p "${minio}/milvus-backups/backup/$name/meta" && echo "{\\"name\\":\\"$name\\"}" >"${minio}/milvus-backups/backup/$name/meta/backup_meta.json" && echo "create backup success"` : 'echo "fail to create backup, err: context deadline exceeded"'}; echo "duration:3 s"; exit 0 ;;`,
    `  get) echo "config:$2"; printf '{\\n    "id": "1",\\n    "state_code": ${outcome === 'success' ? 2 : 3},\\n    "name": "%s"\\n}\\n0\\n' "$name" ;;`,
    '  *) exit 2 ;;',
    'esac', '',
  ].join('\n'), { mode: 0o755 });
  return bin;
}

function runScript(name: string, env: Record<string, string>) {
  // A local rclone remote resolves `minio:<bucket>/…` against the working directory: the "MinIO" root.
  return spawnSync('sh', [path.join(scripts, name)], {
    encoding: 'utf8',
    cwd: minio,
    env: {
      PATH: process.env.PATH, SCRIPTS_DIR: scripts, HOME: root, TMPDIR: root, RCLONE_CONFIG: path.join(root, 'rclone.conf'),
      RCLONE_CONFIG_MINIO_TYPE: 'local', BACKUP_REMOTE: remote, WORK_DIR: path.join(root, 'work'), RETAIN: '2', ...env,
    },
  });
}

describe('Milvus backup job', () => {
  beforeAll(() => {
    fs.writeFileSync(path.join(root, 'rclone.conf'), '');
  });

  test('the job runs the image binary /app/milvus-backup (not on PATH)', () => {
    const pod = only(objects, 'CronJob', 'milvus-backup').spec.jobTemplate.spec.template.spec;
    const backup = pod.initContainers.find((c: any) => c.name === 'milvus-backup');
    expect(backup.env).toContainEqual({ name: 'MILVUS_BACKUP_BIN', value: '/app/milvus-backup' });
    expect(backup.image).toBe('milvusdb/milvus-backup:v0.4.24');
    expect(pod.containers[0].command).toEqual(['sh', '/scripts/milvus-ship.sh']);
  });

  toolTest('a failed backup (create exits 0) fails the job loudly; nothing is shipped', () => {
    const r = runScript('milvus-backup.sh', { MILVUS_BACKUP_BIN: stub('fail'), BACKUP_STAMP: '20260101T034500Z' });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/Milvus backup media_ai_20260101T034500Z did not succeed \(state_code 3, 2 is success\)/);
    expect(fs.existsSync(path.join(root, 'work/milvus/NAME'))).toBe(false);
    expect(runScript('milvus-ship.sh', {}).stderr).toMatch(/no Milvus backup under minio:.*to ship/);
  });

  toolTest('a missing binary fails loudly', () => {
    const r = runScript('milvus-backup.sh', { MILVUS_BACKUP_BIN: path.join(root, 'nope') });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/milvus-backup binary .*nope not found/);
  });

  toolTest('successful backups move to the destination (verified), leave MinIO, and the newest RETAIN are kept', () => {
    for (const day of ['01', '02', '03']) {
      const stamp = `202601${day}T034500Z`;
      const made = runScript('milvus-backup.sh', { MILVUS_BACKUP_BIN: stub('success'), BACKUP_STAMP: stamp });
      expect(made.stderr).toMatch(new RegExp(`Milvus backup media_ai_${stamp} created and complete`));
      expect(made.status).toBe(0);
      const shipped = runScript('milvus-ship.sh', {});
      expect(shipped.stderr).toMatch(new RegExp(`shipped Milvus backup media_ai_${stamp}`));
      expect(shipped.status).toBe(0);
      expect(fs.readdirSync(path.join(minio, 'milvus-backups/backup'))).toEqual([]);
      expect(JSON.parse(fs.readFileSync(path.join(remote, 'milvus', stamp, `media_ai_${stamp}`, 'meta/backup_meta.json'), 'utf8'))).toEqual({ name: `media_ai_${stamp}` });
    }
    expect(fs.readdirSync(path.join(remote, 'milvus')).sort()).toEqual(['20260102T034500Z', '20260103T034500Z']);
  });

  toolTest('the daily object copy leaves the milvus-backups bucket out', () => {
    fs.mkdirSync(path.join(minio, 'milvus-data/files'), { recursive: true });
    fs.writeFileSync(path.join(minio, 'milvus-data/files/segment'), 'vectors');
    fs.mkdirSync(path.join(minio, 'milvus-backups/backup/media_ai_20260104T034500Z'), { recursive: true });
    fs.writeFileSync(path.join(minio, 'milvus-backups/backup/media_ai_20260104T034500Z/data'), 'a backup');
    const r = runScript('objects-mirror.sh', { SOURCE_REMOTE: minio, BACKUP_STAMP: '20260104T043000Z' });
    expect(r.status).toBe(0);
    expect(fs.readdirSync(path.join(remote, 'objects/20260104T043000Z'))).toEqual(['milvus-data']);
  });
});
