import * as fs from 'fs';
import * as path from 'path';
import { BackupPolicy } from '../../lib';
import { BACKUP_SCRIPTS } from '../../lib/backup/backup-policy';
import { K8sObject, ofKind, only } from '../harness/synth';
import { expectSuccess, run, workDir } from '../harness/tools';
import { backupApp, configJob, DESTINATION, synthBackupApp } from './fixtures';
import { ApiObject, Chart, Testing } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import { DataTier, Redis } from '../../lib';
import { TIER_PROPS } from '../data-tier/fixtures';
import { synthAppValid } from '../harness/synth';
import { toolTest } from '../harness/fast';

const cronJob = (objects: K8sObject[], name: string) => only(objects, 'CronJob', name);

describe('BackupPolicy', () => {
  const { objects } = synthBackupApp();

  test('renders the jobs for the whole data tier (snapshot), every object strictly valid', () => {
    expect(objects.filter((o) => o.metadata.labels?.['app.kubernetes.io/name'] === 'media-ai-backup' || o.kind === 'CronJob')
      .filter((o) => !(o.kind === 'ConfigMap' && o.metadata.name.startsWith('backup-config-')))).toMatchSnapshot();
  });

  test('schedules follow the operations spec: daily full, hourly incremental, daily objects, weekly drill', () => {
    expect(ofKind(objects, 'CronJob').map((c) => [c.metadata.name, c.spec.schedule]).sort()).toEqual([
      ['milvus-backup', '45 3 * * *'],
      ['milvus-minio-mirror', '30 4 * * *'],
      ['postgres-base-backup', '0 2 * * *'],
      ['postgres-dump', '30 2 * * *'],
      ['postgres-restore-drill', '0 6 * * 0'],
      ['postgres-wal-backup', '*/5 * * * *'],
      ['redis-backup', '15 3 * * *'],
    ]);
  });

  test('every CronJob: Forbid, deadlines, history limits, resources, restricted, own token-less ServiceAccount', () => {
    for (const c of ofKind(objects, 'CronJob')) {
      expect(c.spec).toMatchObject({ concurrencyPolicy: 'Forbid', successfulJobsHistoryLimit: 3, failedJobsHistoryLimit: 3 });
      expect(c.spec.startingDeadlineSeconds).toBeGreaterThan(0);
      const job = c.spec.jobTemplate.spec;
      expect(job.activeDeadlineSeconds).toBeGreaterThan(0);
      const pod = job.template.spec;
      expect(pod.serviceAccountName).toBe(c.metadata.name);
      expect(pod.automountServiceAccountToken).toBe(false);
      expect(only(objects, 'ServiceAccount', c.metadata.name).automountServiceAccountToken).toBe(false);
      for (const ctr of [...pod.containers, ...(pod.initContainers ?? [])]) {
        expect(ctr.resources.limits).toBeDefined();
        expect(ctr.securityContext).toMatchObject({ runAsNonRoot: true, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
      }
    }
  });

  test('each job may reach only its store, DNS and the destination', () => {
    const np = only(objects, 'NetworkPolicy', 'postgres-base-backup').spec;
    expect(np.ingress).toEqual([]);
    expect(np.egress).toEqual([
      { ports: [{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }], to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }] },
      { ports: [{ port: 443, protocol: 'TCP' }], to: [{ ipBlock: { cidr: '0.0.0.0/0' } }] },
      { ports: [{ port: 5432, protocol: 'TCP' }], to: [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'postgresql', 'app.kubernetes.io/instance': 'postgres' } } }] },
    ]);
    // …and the store admits the job.
    expect(only(objects, 'NetworkPolicy', 'postgres').spec.ingress).toContainEqual({
      from: [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'media-ai-backup', 'app.kubernetes.io/instance': 'postgres-base-backup' } } }],
      ports: [{ port: 5432, protocol: 'TCP' }],
    });
    expect(only(objects, 'NetworkPolicy', 'postgres-restore-drill').spec.egress.map((r: any) => r.ports[0].port)).toEqual([53, 443]);
  });

  test('credentials only from Secrets; the scripts are the files in lib/backup/scripts', () => {
    const base = cronJob(objects, 'postgres-base-backup').spec.jobTemplate.spec.template.spec;
    const env = Object.fromEntries([...base.initContainers, ...base.containers].flatMap((c: any) => c.env).map((e: any) => [e.name, e.value ?? e.valueFrom]));
    // The backup role's Secret, not the superuser's.
    expect(env.PGUSER).toEqual({ secretKeyRef: { name: 'postgres-backup', key: 'username' } });
    expect(env.PGPASSWORD).toEqual({ secretKeyRef: { name: 'postgres-backup', key: 'password' } });
    expect(env.RCLONE_CONFIG_DEST_SECRET_ACCESS_KEY).toEqual({ secretKeyRef: { name: 'backup-s3', key: 'secret-access-key' } });
    expect(env.BACKUP_REMOTE).toBe('dest:media-ai-backups/prod');
    expect(base.initContainers[0].image).toBe('postgres:14.15');
    expect(Object.keys(only(objects, 'ConfigMap', 'backup-scripts').data).sort()).toEqual([...BACKUP_SCRIPTS].sort());
  });

  test('the superuser Secret reaches only the one-shot backup-role Job; every CronJob uses the backup role', () => {
    const users = (pod: any) => [...(pod.initContainers ?? []), ...pod.containers].flatMap((c: any) => c.env ?? []).filter((e: any) => e.valueFrom?.secretKeyRef?.name === 'pg-credentials');
    for (const c of ofKind(objects, 'CronJob')) expect(users(c.spec.jobTemplate.spec.template.spec)).toEqual([]);
    const roleJob = ofKind(objects, 'Job').find((j) => j.metadata.name.startsWith('postgres-backup-role-'))!;
    const pod = roleJob.spec.template.spec;
    expect(users(pod).map((e: any) => e.name).sort()).toEqual(['PGPASSWORD', 'PGUSER']);
    expect(pod.containers[0].env).toContainEqual({ name: 'BACKUP_ROLE_PASSWORD', valueFrom: { secretKeyRef: { name: 'postgres-backup', key: 'password' } } });
    expect(pod.containers[0].command).toEqual(['sh', '/scripts/pg-backup-role.sh']);
  });

  toolTest('every script passes shellcheck', () => {
    const data = only(objects, 'ConfigMap', 'backup-scripts').data as Record<string, string>;
    const dir = workDir('scripts', data);
    const scripts = Object.keys(data).filter((f) => f.endsWith('.sh')).map((f) => path.join(dir, f));
    try {
      expectSuccess(run('shellcheck', ['-s', 'sh', '-x', '-P', dir, ...scripts], { cwd: dir }));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  toolTest('backup alerts pass promtool check rules and carry priorities', () => {
    const groups = only(objects, 'PrometheusRule').spec.groups;
    const alerts = groups.flatMap((g: any) => g.rules.map((r: any) => `${r.alert}/${r.labels.priority}/${r.labels.service}`));
    expect(alerts).toContain('BackupTooOld/P1/postgres-wal-backup');
    expect(alerts).toContain('RestoreDrillFailed/P2/postgres-restore-drill');
    const dir = workDir('backup-rules', { 'rules.yaml': { groups } });
    try {
      expectSuccess(run('promtool', ['check', 'rules', path.join(dir, 'rules.yaml')]));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a changed configuration gets a new config-backup Job name; an unchanged one keeps it', () => {
    const jobName = (app: ReturnType<typeof backupApp>) => configJob(Testing.synth(app.chart) as K8sObject[]).metadata.name;
    const first = jobName(backupApp());
    expect(first).toMatch(/^backup-config-[0-9a-f]{16}$/);
    expect(jobName(backupApp())).toBe(first);
    expect(jobName(backupApp({}, 2))).not.toBe(first);
    // Secret values count (by hash) but never appear.
    const built = backupApp();
    const snapshot = built.policy.configBackup!.snapshot();
    expect(snapshot).not.toMatch(/"password":"(?!sha256:)/);
  });
});

describe('BackupPolicy composition', () => {
  /** A data tier and a separate Redis, with a policy each, in one namespace of one App. */
  function twoPolicies(prefixes: [string, string] = ['prod', 'prod-cache']) {
    const { app, chart, tier, policy } = backupApp();
    const cache = new Redis(chart, 'cache', TIER_PROPS.redis);
    const second = new BackupPolicy(chart, 'backup-cache', { destination: { ...DESTINATION, prefix: prefixes[1] }, redis: cache });
    return { app, chart, tier, policy, second };
  }

  test('two policies in one App and namespace synth (no recursion), strictly valid, without name collisions', () => {
    const { app } = twoPolicies();
    const objects = synthAppValid(app);
    const keys = objects.map((o) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`);
    expect(keys.length).toBe(new Set(keys).size);
    expect(ofKind(objects, 'ConfigMap').map((c) => c.metadata.name).filter((n) => n.endsWith('-scripts')).sort()).toEqual(['backup-cache-scripts', 'backup-scripts']);
    expect(ofKind(objects, 'Job').map((j) => j.metadata.name).sort()).toEqual([expect.stringMatching(/^backup-cache-config-[0-9a-f]{16}$/), expect.stringMatching(/^backup-config-[0-9a-f]{16}$/), expect.stringMatching(/^postgres-backup-role-[0-9a-f]{10}$/)]);
  });

  test("a snapshot never embeds a configuration backup's objects (its own or another policy's)", () => {
    const { policy, second } = twoPolicies();
    for (const p of [policy, second]) {
      const snapshot = p.configBackup!.snapshot();
      expect(snapshot).toMatch(/"name":"backup-cache-scripts"/);
      expect(snapshot.match(/"manifests\.json":|backup-config-[0-9a-f]{16}|backup-cache-config-[0-9a-f]{16}|"name":"backup(-cache)?-config"/)?.[0]).toBeUndefined();
    }
  });

  test('the snapshot is scoped to the policy chart unless configurationScope says otherwise', () => {
    const { app, chart, tier } = backupApp({ configuration: false });
    const elsewhere = new Chart(app, 'monitoring', { namespace: 'monitoring' });
    new k8s.KubeConfigMap(elsewhere, 'Slack', { metadata: { name: 'slack-channel' }, data: { channel: '#alerts' } });
    const scoped = new BackupPolicy(chart, 'scoped', { destination: { ...DESTINATION, prefix: 'a' }, redis: tier.redis });
    const wide = new BackupPolicy(chart, 'wide', { destination: { ...DESTINATION, prefix: 'b' }, redis: tier.redis, configurationScope: [chart, elsewhere] });
    expect(scoped.configBackup!.snapshot()).not.toMatch(/slack-channel/);
    expect(wide.configBackup!.snapshot()).toMatch(/slack-channel/);
  });

  test('the snapshot is rendered once per synth (each object serialised once for it), and later changes still count', () => {
    const { app, tier, policy } = backupApp();
    const statefulSet = tier.postgres.node.findAll().find((c) => ApiObject.isApiObject(c) && (c).kind === 'StatefulSet') as ApiObject;
    const toJson = jest.spyOn(statefulSet, 'toJson');
    const first = synthAppValid(app);
    // Once for the output, once for the snapshot (not once per Lazy that needs the hash).
    expect(toJson).toHaveBeenCalledTimes(2);
    toJson.mockRestore();
    const name = (objects: K8sObject[]) => configJob(objects).metadata.name;
    return Promise.resolve().then(() => {
      new k8s.KubeConfigMap(Chart.of(policy), 'Later', { metadata: { name: 'later' }, data: { a: 'b' } });
      expect(name(synthAppValid(app))).not.toBe(name(first));
    });
  });

  test('two policies writing to the same bucket prefix are refused', () => {
    expect(() => twoPolicies(['prod', 'prod'])).toThrow(/app\/backup-cache: destination.prefix \("prod"\) is already used by app\/backup in the same bucket/);
  });
});

describe('BackupPolicy rejects bad input with a clear message', () => {
  const cases: Array<[string, Record<string, unknown>, RegExp]> = [
    ['invalid cron', { schedules: { postgresFull: 'every day' } }, /test\/backup\/postgres-base-backup: schedules.postgresFull \("every day"\) must be a 5-field cron expression/],
    ['cron with six fields', { schedules: { redis: '0 0 3 * * *' } }, /schedules.redis \("0 0 3 \* \* \*"\) must be a 5-field cron/],
    ['schedule more frequent than the deadline', { schedules: { postgresFull: '0 * * * *' } }, /schedules.postgresFull \("0 \* \* \* \*"\) runs every 3600 s, more often than the job deadline \(14400 s\)/],
    ['WAL every minute', { schedules: { postgresWal: '* * * * *' } }, /schedules.postgresWal .* runs every 60 s, more often than the job deadline \(240 s\)/],
    ['retention 0', { retention: { postgresFull: 0 } }, /test\/backup: retention.postgresFull \(0\) must be an integer ≥ 1/],
    ['fractional retention', { retention: { redis: 1.5 } }, /retention.redis \(1.5\) must be an integer ≥ 1/],
    ['missing destination Secret', { destination: { ...DESTINATION, secretAccessKey: undefined } }, /test\/backup: destination.secretAccessKey \(missing\) is required/],
    ['missing destination', { destination: undefined }, /test\/backup: destination \(missing\) is required/],
    ['endpoint not a URL', { destination: { ...DESTINATION, endpoint: 's3.example.com' } }, /destination.endpoint \("s3.example.com"\) must be an http\(s\) URL/],
    ['invalid bucket', { destination: { ...DESTINATION, bucket: 'Backups_2026' } }, /destination.bucket \("Backups_2026"\) must be an S3 bucket name/],
    ['absolute prefix', { destination: { ...DESTINATION, prefix: '/prod' } }, /destination.prefix \("\/prod"\) must be a relative key prefix/],
    ['unpinned rclone image', { rcloneImage: 'rclone/rclone:latest' }, /rcloneImage \("rclone\/rclone:latest"\) must be pinned/],
    ['PostgreSQL 13', { postgres: new DataTier(new Chart(Testing.app(), 'pg13', { namespace: 'media-ai' }), 'data', { ...TIER_PROPS, postgres: { ...TIER_PROPS.postgres, majorVersion: 13, image: 'postgres:13.18' } }).postgres }, /test\/backup: postgres \(".*PostgreSQL 13\)"\) must be PostgreSQL 14 or later/],
    ['nothing to back up', { postgres: undefined, redis: undefined, milvus: undefined, configuration: false }, /test\/backup: postgres \(missing\) nothing to back up/],
  ];
  test.each(cases)('%s', (_title, props, message) => {
    const built = backupApp();
    const chart = new Chart(Testing.app(), 'test', { namespace: 'media-ai' });
    expect(() => new BackupPolicy(chart, 'backup', { destination: DESTINATION, postgres: built.tier.postgres, redis: built.tier.redis, milvus: built.tier.milvus, ...props } as any)).toThrow(message);
  });
  test('the table has at least 10 distinct cases', () => expect(new Set(cases.map(([t]) => t)).size).toBeGreaterThanOrEqual(10));
});
