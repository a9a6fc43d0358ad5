import { IConstruct } from 'constructs';
import { cidrProp, checkKnownProps, fail, httpUrlProp, nameBudgetProp, propKeys } from '../shared';
import { Milvus, Postgres, Redis } from '../data-tier';
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
  const stores = [['postgres', Postgres], ['redis', Redis], ['milvus', Milvus]] as const;
  for (const [prop, kind] of stores) {
    const store = props[prop];
    if (store === undefined) continue;
    if (!(store instanceof kind)) fail(scope, prop, typeof store, `must be a ${kind.name} construct (e.g. dataTier.${prop})`);
    nameBudgetProp(scope, `${prop}.name`, store.name, JOB_SUFFIXES[prop], CRONJOB_NAME_MAX, 'CronJob');
  }
}
