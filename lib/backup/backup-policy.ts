import { k8s } from 'cdk8s-plus-27';
import { Chart, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { PrometheusRule, PrometheusRuleSpecGroupsRulesExpr } from '../../imports/monitoring.coreos.com';
import {
  BackupSourceFacts, CredentialsSecret, dnsLabelProp, credentialsSecretProp, sharesCredentialKey, cronIntervalSeconds, DEFAULT_MONITORING_STACK, EnvValue, fail, IBackupSource, imageProp, INetworkEndpoint, integerProp, loadScript,
  MilvusBackupFacts, MONITORING_STACK_LABEL, openConnection, PostgresBackupFacts, recommendedLabels, RedisBackupFacts, RuleGroup, SecretKeyReference, secretKeyProp,
  toKubeResources, resolveResources,
} from '../shared';
import { ACCESS_KEY_PLACEHOLDER, RENDER_USER_YAML_SCRIPT, SECRET_KEY_PLACEHOLDER } from '../shared/milvus-user-yaml';
import { backupSourceFacts, checkBackupPolicyKeys, checkBackupPolicyProps } from './backup-checks';
import { BackupJob } from './backup-job';
import { BackupPolicyProps, BackupRetention, BackupSchedules } from './backup-policy-props';
import { backupRuleGroups, BackupJobAge } from './backup-rules';
import { ConfigBackup } from './config-backup';

/** Every script the jobs run, from lib/backup/scripts (checked by shellcheck), in one ConfigMap. */
export const BACKUP_SCRIPTS = [
  'backup-lib.sh', 'pg-base-backup.sh', 'pg-wal-archive.sh', 'pg-dump.sh', 'pg-ship.sh', 'pg-fetch.sh', 'pg-restore.sh',
  'pg-restore-drill.sh', 'pg-manifest.sql', 'pg-slot-advance.sh', 'pg-backup-role.sh', 'redis-backup.sh', 'ship-dated.sh', 'fetch-dated.sh', 'objects-mirror.sh',
  'objects-restore.sh', 'config-backup.sh', 'milvus-backup.sh', 'milvus-ship.sh', 'drill-record.sh',
];

const SLOT = 'media_ai_backup';
const WORK = { name: 'work', mountPath: '/work' };
const SCRIPTS = { name: 'scripts', mountPath: '/scripts', readOnly: true };
const TMP = { name: 'tmp', mountPath: '/tmp' };

/**
 * Scheduled backups of the data tier to an S3-compatible destination, with retention enforced by
 * the jobs, a weekly restore drill, configuration backups on every change, and alerts.
 *
 * - PostgreSQL: daily base backup + WAL every 5 minutes (point-in-time recovery, RPO ≈ 5–10 min), daily pg_dump.
 * - Redis: daily RDB snapshot (RPO ≤ 24 h). Milvus: daily milvus-backup, moved to the destination. MinIO: daily dated copy.
 */
export class BackupPolicy extends Construct {
  public readonly scriptsConfigMap: string;
  public readonly jobs: BackupJob[] = [];
  public readonly configBackup?: ConfigBackup;
  private readonly ages: BackupJobAge[] = [];
  /** The stores protected so far, by `<kind>/<name>` (their CronJob names). */
  private readonly sources = new Map<string, BackupSourceFacts>();
  private readonly keep: (prop: keyof BackupRetention, fallback: number) => number;
  private readonly schedules: BackupSchedules;
  private readonly remote: string;
  private readonly destinationEnv: k8s.EnvVar[];
  private readonly rcloneImage: string;
  private readonly labels: Record<string, string>;
  private readonly longTermEnv: k8s.EnvVar[];
  /** Destination (endpoint/bucket/prefix) of this policy: two policies must not share one. */
  public readonly destinationKey: string;

  constructor(scope: Construct, id: string, private readonly props: BackupPolicyProps) {
    super(scope, id);
    checkBackupPolicyKeys(this, props);
    const d = props.destination;
    if (!d || typeof d !== 'object') fail(this, 'destination', d, 'is required: { endpoint, bucket, accessKeyId, secretAccessKey }');
    checkBackupPolicyProps(this, props);
    // Stacks are DNS labels (ObservabilityStackProps.stack): anything else never matches one.
    if (props.monitoringStack !== undefined) dnsLabelProp(this, 'monitoringStack', props.monitoringStack);
    // Checked with the app's validations, before anything renders: a clear error, not one from inside a Lazy.
    this.node.addValidation({ validate: () => (props.monitoringStack === undefined ? (this.alertsStack(), []) : []) });
    if (!/^https?:\/\/[a-z0-9.-]+(:[0-9]+)?\/?$/.test(d.endpoint ?? '')) fail(this, 'destination.endpoint', d.endpoint, "must be an http(s) URL of the S3 endpoint, e.g. 'https://s3.eu-central-1.amazonaws.com'");
    if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(d.bucket ?? '')) fail(this, 'destination.bucket', d.bucket, 'must be an S3 bucket name: 3–63 lower-case letters, digits, dots and hyphens');
    const prefix = d.prefix ?? 'media-ai';
    if (!/^[A-Za-z0-9._/-]*$/.test(prefix) || prefix.startsWith('/') || prefix.includes('..')) fail(this, 'destination.prefix', prefix, "must be a relative key prefix such as 'media-ai/prod'");
    const accessKeyId = secretKeyProp(this, 'destination.accessKeyId', d.accessKeyId);
    const secretAccessKey = secretKeyProp(this, 'destination.secretAccessKey', d.secretAccessKey);
    this.rcloneImage = props.rcloneImage ?? 'rclone/rclone:1.66.0';
    imageProp(this, 'rcloneImage', this.rcloneImage);
    this.labels = recommendedLabels({ name: 'media-ai-backup', instance: id, component: 'backup' });
    this.remote = `dest:${d.bucket}/${prefix}`.replace(/\/$/, '');
    this.destinationKey = `${d.endpoint.replace(/\/$/, '')}/${this.remote}`;
    const sharing = this.node.root.node.findAll().find((c) => c !== this && c instanceof BackupPolicy && c.destinationKey === this.destinationKey);
    if (sharing) fail(this, 'destination.prefix', prefix, `is already used by ${sharing.node.path} in the same bucket: give each BackupPolicy its own prefix (their retention would delete each other's backups)`);
    this.destinationEnv = [
      // The root filesystem is read-only: rclone's config and cache live in /tmp.
      { name: 'RCLONE_CONFIG', value: '/tmp/rclone.conf' },
      { name: 'HOME', value: '/tmp' },
      { name: 'RCLONE_CONFIG_DEST_TYPE', value: 's3' },
      { name: 'RCLONE_CONFIG_DEST_PROVIDER', value: d.provider ?? 'Other' },
      { name: 'RCLONE_CONFIG_DEST_ENDPOINT', value: d.endpoint },
      { name: 'RCLONE_CONFIG_DEST_REGION', value: d.region ?? 'us-east-1' },
      EnvValue.fromSecret(accessKeyId.name, accessKeyId.key).toEnvVar('RCLONE_CONFIG_DEST_ACCESS_KEY_ID'),
      EnvValue.fromSecret(secretAccessKey.name, secretAccessKey.key).toEnvVar('RCLONE_CONFIG_DEST_SECRET_ACCESS_KEY'),
      { name: 'BACKUP_REMOTE', value: this.remote },
    ];
    const retention = props.retention ?? {};
    const keep = (prop: keyof BackupRetention, fallback: number) =>
      integerProp(this, `retention.${prop}`, retention[prop], fallback, { min: 1, max: 3650 });
    this.keep = keep;
    this.schedules = props.schedules ?? {};
    const longTerm = [['RETAIN_WEEKLY', integerProp(this, 'retention.weekly', retention.weekly, 0, { min: 0, max: 520 })],
      ['RETAIN_MONTHLY', integerProp(this, 'retention.monthly', retention.monthly, 0, { min: 0, max: 240 })]] as const;
    this.longTermEnv = longTerm.filter(([, n]) => n > 0).map(([name, n]) => ({ name, value: String(n) }));

    // Names derive from the construct id, so several policies can share a namespace.
    this.scriptsConfigMap = `${id}-scripts`;
    new k8s.KubeConfigMap(this, 'Scripts', {
      metadata: { name: this.scriptsConfigMap, labels: this.labels },
      data: Object.fromEntries(BACKUP_SCRIPTS.map((f) => [f, loadScript(__dirname, f)])),
    });
    if (!props.postgres && !props.redis && !props.milvus && props.configuration === false) {
      fail(this, 'postgres', undefined, 'nothing to back up: give postgres, redis, milvus, or leave configuration on');
    }

    for (const prop of ['postgres', 'redis', 'milvus'] as const) {
      if (props[prop]) this.protect(props[prop]);
    }
    if (props.configuration ?? true) {
      this.configBackup = new ConfigBackup(this, 'Config', {
        name: `${id}-config`, scope: props.configurationScope ?? [Chart.of(this)],
        rcloneImage: this.rcloneImage, destinationEnv: this.destinationEnv, scriptsConfigMap: this.scriptsConfigMap, retain: keep('config', 30),
        egressCidr: d.egressCidr ?? '0.0.0.0/0', endpointPort: this.endpointPort(),
      });
    }

    // Rendered lazily: stores protected after construction get their alerts too.
    const groups = Lazy.any({
      produce: () => this.ruleGroups.map((g) => ({ name: g.name, rules: g.rules.map((r) => ({ ...r, expr: PrometheusRuleSpecGroupsRulesExpr.fromString(r.expr) })) })),
    });
    new PrometheusRule(this, 'Rules', {
      // The stack label follows the protected stores (whichever stack monitors them at synth) unless given.
      metadata: { name: `${id}-backup-alerts`, labels: { ...this.labels, [MONITORING_STACK_LABEL]: props.monitoringStack ?? Lazy.any({ produce: () => this.alertsStack() }) } },
      spec: { groups },
    });
  }

  /** The stack chosen for the protected stores (one at most), for the backup alerts' PrometheusRule. */
  private alertsStack(): string {
    const chosen = [...this.sources.values()].flatMap((f) => {
      const stack = f.monitoringStack?.();
      return stack === undefined ? [] : [`${stack} (${f.endpoint.node.path})`];
    });
    const stacks = new Set([...this.sources.values()].map((f) => f.monitoringStack?.()).filter((s) => s !== undefined));
    if (stacks.size > 1) {
      fail(this, 'monitoringStack', undefined, `must be given: the protected stores are monitored by different stacks (${chosen.sort().join(', ')}); name the stack whose Alertmanager gets the backup alerts`);
    }
    return [...stacks][0] ?? DEFAULT_MONITORING_STACK;
  }

  /** The alert rule groups emitted (what promtool checks), for the jobs added so far. */
  public get ruleGroups(): RuleGroup[] {
    return backupRuleGroups(this.jobs[0]?.namespace ?? 'default', this.ages);
  }

  /**
   * Backs up a store, or every store of a group such as a DataTier: PostgreSQL gets base, WAL and
   * dump backups with a weekly restore drill, Redis a snapshot, Milvus a milvus-backup and a mirror
   * of its MinIO. Protecting the same store again changes nothing; another store of the same kind
   * and name is refused (their CronJobs would share names).
   */
  public protect(source: IBackupSource): void {
    for (const facts of backupSourceFacts(this, 'protect()', source)) {
      const key = `${facts.kind}/${facts.name}`;
      const known = this.sources.get(key);
      if (known?.endpoint === facts.endpoint) continue;
      if (known) {
        fail(this, 'protect()', facts.endpoint.node.path, `is a second ${facts.kind} named '${facts.name}': ${known.endpoint.node.path} is already protected by this policy and the CronJobs would share names; protect one of them, or give the other its own name`);
      }
      const here = Chart.of(this).namespace;
      if (facts.namespace !== here) {
        fail(this, 'protect()', facts.endpoint.node.path, `is in namespace '${facts.namespace ?? '(none)'}' and the backup jobs run in the policy's ('${here ?? '(none)'}'): they read the store's Secrets, and a pod reads Secrets only in its own namespace; put the BackupPolicy in the store's namespace (one policy per namespace)`);
      }
      this.sources.set(key, facts);
      if (facts.kind === 'postgres') this.addPostgres(facts, this.schedules, this.keep('postgresFull', 7), this.keep('postgresDump', 7));
      else if (facts.kind === 'redis') this.addRedis(facts, this.schedules.redis ?? '15 3 * * *', this.keep('redis', 7));
      else this.addMilvus(facts, this.schedules, this.keep('milvus', 7), this.keep('objects', 7));
    }
  }

  private endpointPort(): number {
    const m = /:([0-9]+)\/?$/.exec(this.props.destination.endpoint);
    return m ? Number(m[1]) : this.props.destination.endpoint.startsWith('https') ? 443 : 80;
  }

  /** A CronJob whose last container ships to the destination; opens DNS, the destination and the store. */
  private addJob(name: string, component: string, schedule: string | undefined, scheduleProp: string | undefined, deadlineSeconds: number, uid: number,
    steps: k8s.Container[], main: k8s.Container, extraVolumes: k8s.Volume[] = [], store?: { endpoint: INetworkEndpoint; ports: number[] }): BackupJob {
    const job = new BackupJob(this, name, {
      name, component, schedule, scheduleProp, deadlineSeconds,
      identity: { user: uid, group: uid },
      steps,
      main,
      volumes: [
        { name: 'scripts', configMap: { name: this.scriptsConfigMap } },
        { name: 'work', emptyDir: { sizeLimit: k8s.Quantity.fromString('50Gi') } },
        { name: 'tmp', emptyDir: { sizeLimit: k8s.Quantity.fromString('64Mi') } },
        ...extraVolumes,
      ],
    });
    job.network.allowEgressToCidr(this.props.destination.egressCidr ?? '0.0.0.0/0', [{ port: this.endpointPort() }]);
    if (store) openConnection(job, store.endpoint, store.ports.map((port) => ({ port })));
    this.jobs.push(job);
    if (schedule !== undefined) this.ages.push({ cronJob: name, maxAgeSeconds: Math.round(cronIntervalSeconds(schedule) * 1.5) + 3600, drill: component === 'restore-drill' });
    return job;
  }

  private rclone(script: string, env: k8s.EnvVar[]): k8s.Container {
    return {
      name: 'ship',
      image: this.rcloneImage,
      command: ['sh', `/scripts/${script}`],
      env: [...this.destinationEnv, { name: 'WORK_DIR', value: '/work' }, ...this.longTermEnv, ...env],
      resources: toKubeResources(resolveResources(this, 'rcloneResources', undefined, { cpuRequest: '100m', cpuLimit: '1', memoryRequest: '128Mi', memoryLimit: '512Mi' })),
      volumeMounts: [WORK, SCRIPTS, TMP],
    };
  }

  private addPostgres(pg: PostgresBackupFacts, schedules: NonNullable<BackupPolicyProps['schedules']>, retainFull: number, retainDump: number): void {
    // The backup role's pg_read_all_data and the scripts' pg_lsn arithmetic arrived in PostgreSQL 14.
    if (pg.majorVersion < 14) fail(this, 'postgres', `${pg.endpoint.node.path} (PostgreSQL ${pg.majorVersion})`, 'must be PostgreSQL 14 or later to be backed up');
    const given = credentialsSecretProp(this, 'postgresBackupCredentials', this.props.postgresBackupCredentials ?? { name: `${pg.name}-backup` });
    // The backup-role Job runs ALTER ROLE … NOSUPERUSER on the role it is given: never the superuser's or the application's.
    for (const [whose, other] of [['the superuser', pg.superuser], ['the application role', pg.application]] as const) {
      if (other && sharesCredentialKey(given, other)) {
        fail(this, 'postgresBackupCredentials', given, `must be the backup role's own Secret (or keys): it shares a key with ${whose}'s credentials in Secret '${other.name}', and the backup-role Job would turn that role into the backup role (NOSUPERUSER, REPLICATION, pg_read_all_data)`);
      }
    }
    const connection = (as: Required<CredentialsSecret>): k8s.EnvVar[] => [
      { name: 'PGHOST', value: pg.host },
      { name: 'PGPORT', value: String(pg.port) },
      EnvValue.fromSecret(as.name, as.usernameKey).toEnvVar('PGUSER'),
      EnvValue.fromSecret(as.name, as.passwordKey).toEnvVar('PGPASSWORD'),
      { name: 'PGDATABASE', value: pg.database },
    ];
    // The jobs connect as the backup role (`given`), never as the superuser.
    const env: k8s.EnvVar[] = [...connection(given), { name: 'WORK_DIR', value: '/work' }, { name: 'BACKUP_SLOT', value: SLOT }];
    const pgStep = (name: string, script: string): k8s.Container => ({
      name, image: pg.image, command: ['sh', `/scripts/${script}`], env,
      resources: toKubeResources(resolveResources(this, 'postgresJobResources', undefined, { cpuRequest: '250m', cpuLimit: '2', memoryRequest: '256Mi', memoryLimit: '1Gi' })),
      volumeMounts: [WORK, SCRIPTS, TMP],
    });
    const store = { endpoint: pg.endpoint, ports: [pg.port] };
    // The only container with the superuser's credentials: creates/updates the backup role on apply.
    const roleSetup: k8s.Container = {
      ...pgStep('backup-role', 'pg-backup-role.sh'),
      env: [...connection(pg.superuser),
        EnvValue.fromSecret(given.name, given.usernameKey).toEnvVar('BACKUP_ROLE_USER'),
        EnvValue.fromSecret(given.name, given.passwordKey).toEnvVar('BACKUP_ROLE_PASSWORD')],
      volumeMounts: [SCRIPTS, TMP],
    };
    this.addJob(`${pg.name}-backup-role`, 'backup-role', undefined, undefined, 600, 999, [], roleSetup, [], store);
    const ship = { ...this.rclone('pg-ship.sh', [{ name: 'RETAIN_FULL', value: String(retainFull) }]), name: 'ship' };
    // The slot moves only in the last container, after the WAL is verified in the destination
    // (init containers run in order and stop the Job at the first failure).
    const advance = pgStep('advance-slot', 'pg-slot-advance.sh');
    this.addJob(`${pg.name}-base-backup`, 'backup', schedules.postgresFull ?? '0 2 * * *', 'schedules.postgresFull', 4 * 3600, 999,
      [pgStep('base-backup', 'pg-base-backup.sh'), ship], advance, [], store);
    this.addJob(`${pg.name}-wal-backup`, 'backup', schedules.postgresWal ?? '*/5 * * * *', 'schedules.postgresWal', 4 * 60, 999,
      [pgStep('wal-archive', 'pg-wal-archive.sh'), ship], advance, [], store);
    this.addJob(`${pg.name}-dump`, 'backup', schedules.postgresDump ?? '30 2 * * *', 'schedules.postgresDump', 4 * 3600, 999,
      [pgStep('dump', 'pg-dump.sh')], this.rclone('ship-dated.sh', [{ name: 'BACKUP_KIND', value: 'postgres-dump' }, { name: 'RETAIN', value: String(retainDump) }]), [], store);

    // Weekly drill: fetch the newest backup, restore it into a throwaway instance on a scratch volume, compare.
    const drillEnv: k8s.EnvVar[] = [{ name: 'RESTORE_DIR', value: '/work/restore' }, { name: 'DRILL_DIR', value: '/drill' }, { name: 'RESULT_FILE', value: '/work/result.json' },
      EnvValue.fromSecret(given.name, given.usernameKey).toEnvVar('PGUSER')];
    const fetch = { ...this.rclone('pg-fetch.sh', [{ name: 'RESTORE_DIR', value: '/work/restore' }]), name: 'fetch' };
    const drill: k8s.Container = { ...pgStep('restore-drill', 'pg-restore-drill.sh'), env: drillEnv, volumeMounts: [WORK, SCRIPTS, TMP, { name: 'drill', mountPath: '/drill' }] };
    const record = { ...this.rclone('drill-record.sh', [{ name: 'RESULT_FILE', value: '/work/result.json' }]), name: 'record' };
    const scratch: k8s.Volume = {
      name: 'drill',
      ephemeral: { volumeClaimTemplate: { spec: { accessModes: ['ReadWriteOnce'], storageClassName: pg.storage.storageClassName, resources: { requests: { storage: k8s.Quantity.fromString(pg.storage.size) } } } } },
    };
    this.addJob(`${pg.name}-restore-drill`, 'restore-drill', schedules.restoreDrill ?? '0 6 * * 0', 'schedules.restoreDrill', 6 * 3600, 999, [fetch, drill], record, [scratch]);
  }

  private addRedis(redis: RedisBackupFacts, schedule: string, retain: number): void {
    const step: k8s.Container = {
      name: 'snapshot',
      image: redis.image,
      command: ['sh', '/scripts/redis-backup.sh'],
      env: [{ name: 'REDIS_HOST', value: redis.host }, { name: 'REDIS_PORT', value: String(redis.port) }, EnvValue.fromSecret(redis.password.name, redis.password.key).toEnvVar('REDISCLI_AUTH'), { name: 'WORK_DIR', value: '/work' }],
      resources: toKubeResources(resolveResources(this, 'redisJobResources', undefined, { cpuRequest: '100m', cpuLimit: '1', memoryRequest: '64Mi', memoryLimit: '256Mi' })),
      volumeMounts: [WORK, SCRIPTS, TMP],
    };
    this.addJob(`${redis.name}-backup`, 'backup', schedule, 'schedules.redis', 2 * 3600, 999, [step],
      this.rclone('ship-dated.sh', [{ name: 'BACKUP_KIND', value: 'redis' }, { name: 'RETAIN', value: String(retain) }]), [], { endpoint: redis.endpoint, ports: [redis.port] });
  }

  private addMilvus(milvus: MilvusBackupFacts, schedules: NonNullable<BackupPolicyProps['schedules']>, retainMilvus: number, retainObjects: number): void {
    const minio = milvus.objectStore;
    const creds = { accessKey: minio.accessKey, secretKey: minio.secretKey };
    const minioEnv = (prefix: string, access: SecretKeyReference, secret: SecretKeyReference): k8s.EnvVar[] => [
      { name: `RCLONE_CONFIG_${prefix}_TYPE`, value: 's3' },
      { name: `RCLONE_CONFIG_${prefix}_PROVIDER`, value: 'Minio' },
      { name: `RCLONE_CONFIG_${prefix}_ENDPOINT`, value: `http://${minio.host}:${minio.port}` },
      EnvValue.fromSecret(access.name, access.key).toEnvVar(`RCLONE_CONFIG_${prefix}_ACCESS_KEY_ID`),
      EnvValue.fromSecret(secret.name, secret.key).toEnvVar(`RCLONE_CONFIG_${prefix}_SECRET_ACCESS_KEY`),
    ];
    // The whole MinIO but the milvus-backups bucket (shipped by the Milvus job) into a dated copy.
    const mirror = { ...this.rclone('objects-mirror.sh', [...minioEnv('MINIO', creds.accessKey, creds.secretKey), { name: 'SOURCE_REMOTE', value: 'minio:' }, { name: 'RETAIN', value: String(retainObjects) }]), name: 'mirror' };
    this.addJob(`${minio.name}-mirror`, 'backup', schedules.objects ?? '30 4 * * *', 'schedules.objects', 6 * 3600, 65534, [], mirror, [], { endpoint: minio.endpoint, ports: [minio.port] });

    const image = this.props.milvusBackupImage ?? 'milvusdb/milvus-backup:v0.4.24';
    imageProp(this, 'milvusBackupImage', image);
    const configName = `${milvus.name}-backup-config`;
    // The first Milvus keeps the historical id (object names are public API).
    const configId = this.node.tryFindChild('MilvusBackupConfig') ? `MilvusBackupConfig-${milvus.name}` : 'MilvusBackupConfig';
    new k8s.KubeConfigMap(this, configId, {
      metadata: { name: configName, labels: this.labels },
      data: {
        'user.yaml': [
          'milvus:', `  address: ${milvus.host}`, `  port: ${milvus.port}`,
          'minio:', `  address: ${minio.host}`, `  port: ${minio.port}`, `  accessKeyID: ${ACCESS_KEY_PLACEHOLDER}`, `  secretAccessKey: ${SECRET_KEY_PLACEHOLDER}`,
          '  useSSL: false', `  bucketName: ${milvus.bucket}`, '  rootPath: files', '  backupBucketName: milvus-backups', '  backupRootPath: backup',
          'backup:', '  maxSegmentGroupSize: 2G', '',
        ].join('\n'),
      },
    });
    const render: k8s.Container = {
      name: 'render-config', image, command: ['sh', '-c', RENDER_USER_YAML_SCRIPT],
      env: [EnvValue.fromSecret(creds.accessKey.name, creds.accessKey.key).toEnvVar('MINIO_ACCESS_KEY'), EnvValue.fromSecret(creds.secretKey.name, creds.secretKey.key).toEnvVar('MINIO_SECRET_KEY')],
      resources: toKubeResources(resolveResources(this, 'milvusJobResources', undefined, { cpuRequest: '10m', cpuLimit: '100m', memoryRequest: '16Mi', memoryLimit: '64Mi' })),
      volumeMounts: [{ name: 'milvus-config', mountPath: '/config', readOnly: true }, { name: 'rendered', mountPath: '/rendered' }],
    };
    const backup: k8s.Container = {
      name: 'milvus-backup', image, command: ['sh', '/scripts/milvus-backup.sh'],
      // The image's binary is /app/milvus-backup (not on PATH).
      env: [{ name: 'MILVUS_BACKUP_BIN', value: '/app/milvus-backup' }, { name: 'MILVUS_BACKUP_CONFIG', value: '/rendered/user.yaml' }, { name: 'WORK_DIR', value: '/work' }],
      resources: toKubeResources(resolveResources(this, 'milvusJobResources', undefined, { cpuRequest: '250m', cpuLimit: '2', memoryRequest: '256Mi', memoryLimit: '2Gi' })),
      volumeMounts: [WORK, SCRIPTS, TMP, { name: 'rendered', mountPath: '/rendered', readOnly: true }],
    };
    // Backups must not live only in the MinIO they protect: the last container moves them to the destination.
    const ship = { ...this.rclone('milvus-ship.sh', [...minioEnv('MINIO', creds.accessKey, creds.secretKey), { name: 'RETAIN', value: String(retainMilvus) }]), name: 'ship' };
    const job = this.addJob(`${milvus.name}-backup`, 'backup', schedules.milvus ?? '45 3 * * *', 'schedules.milvus', 4 * 3600, 65534, [render, backup], ship,
      [{ name: 'milvus-config', configMap: { name: configName } }, { name: 'rendered', emptyDir: { medium: 'Memory', sizeLimit: k8s.Quantity.fromString('1Mi') } }],
      { endpoint: milvus.endpoint, ports: [milvus.port] });
    openConnection(job, minio.endpoint, [{ port: minio.port }]);
  }
}
