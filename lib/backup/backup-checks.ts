import { IConstruct } from 'constructs';
import { BackupSourceFacts, cidrProp, checkKnownProps, fail, httpUrlProp, isBackupSource, nameBudgetProp, propKeys } from '../shared';
import { BackupDestination, BackupPolicyProps, BackupRetention, BackupSchedules } from './backup-policy-props';

// Prop names, checked complete by the compiler: a prop added to an interface must be added here.
const POLICY_KEYS = propKeys<BackupPolicyProps>()({
  destination: true, postgres: true, redis: true, milvus: true, schedules: true, retention: true, configuration: true,
  rcloneImage: true, milvusBackupImage: true, monitoringStack: true, postgresBackupCredentials: true, configurationScope: true,
});
const DESTINATION_KEYS = propKeys<BackupDestination>()({
  endpoint: true, bucket: true, prefix: true, region: true, provider: true, accessKeyId: true, secretAccessKey: true, egressCidr: true,
});
const SCHEDULE_KEYS = propKeys<BackupSchedules>()({ postgresFull: true, postgresWal: true, postgresDump: true, redis: true, milvus: true, objects: true, restoreDrill: true });
const RETENTION_KEYS = propKeys<BackupRetention>()({ postgresFull: true, postgresDump: true, redis: true, milvus: true, objects: true, config: true, weekly: true, monthly: true });

/** CronJob names take at most 52 characters (the controller appends an 11-character suffix to Job names). */
export const CRONJOB_NAME_MAX = 52;
/** The suffixes the policy appends to each store's name for its CronJobs. */
export const JOB_SUFFIXES = {
  postgres: ['-base-backup', '-wal-backup', '-dump', '-restore-drill'],
  redis: ['-backup'],
  milvus: ['-backup', '-minio-mirror'],
} as const;

/** The props object itself (for untyped callers), before anything is read from it. */
export function checkBackupPolicyKeys(scope: IConstruct, props: BackupPolicyProps): void {
  checkKnownProps(scope, 'props', props, POLICY_KEYS);
}

export function checkBackupPolicyProps(scope: IConstruct, props: BackupPolicyProps): void {
  checkKnownProps(scope, 'destination', props.destination, DESTINATION_KEYS);
  checkKnownProps(scope, 'schedules', props.schedules, SCHEDULE_KEYS, false);
  checkKnownProps(scope, 'retention', props.retention, RETENTION_KEYS, false);
  const d = props.destination;
  const url = httpUrlProp(scope, 'destination.endpoint', d.endpoint);
  if (url.path !== '' && url.path !== '/') fail(scope, 'destination.endpoint', d.endpoint, 'must be the S3 endpoint without a path (the bucket and prefix are separate props)');
  if (d.egressCidr !== undefined) cidrProp(scope, 'destination.egressCidr', d.egressCidr);
  for (const prop of ['postgres', 'redis', 'milvus'] as const) {
    const store = props[prop];
    if (store === undefined) continue;
    const facts = backupSourceFacts(scope, prop, store);
    if (facts.length !== 1 || facts[0].kind !== prop) {
      fail(scope, prop, isBackupSource(store) ? store.node.path : typeof store, `must be one ${prop} store (e.g. dataTier.${prop}); protect a group of stores with policy.protect()`);
    }
  }
}

/** The facts of a backup source, each store's name checked against the CronJob name budget. */
export function backupSourceFacts(scope: IConstruct, prop: string, source: unknown): BackupSourceFacts[] {
  if (!isBackupSource(source)) {
    fail(scope, prop, source === undefined || source === null ? source : typeof source, 'must be a store that can be backed up (IBackupSource): a Postgres, Redis, Milvus, or a DataTier');
  }
  const facts = source.backupSources();
  for (const f of facts) nameBudgetProp(scope, `${prop === 'protect()' ? f.kind : prop}.name`, f.name, JOB_SUFFIXES[f.kind], CRONJOB_NAME_MAX, 'CronJob');
  return facts;
}
