import { IConstruct } from 'constructs';
import { CredentialsSecret, IBackupSource, SecretKeyReference } from '../shared';

/** The S3-compatible bucket backups are written to. */
export interface BackupDestination {
  /** Endpoint URL, e.g. 'https://s3.eu-central-1.amazonaws.com'. */
  readonly endpoint: string;
  /** Bucket name. */
  readonly bucket: string;
  /** Prefix inside the bucket. @default 'media-ai' */
  readonly prefix?: string;
  /** Region. @default 'us-east-1' */
  readonly region?: string;
  /** rclone S3 provider ('AWS', 'Minio', 'Ceph', 'Other', …). @default 'Other' */
  readonly provider?: string;
  /** Secret key of the access key id. */
  readonly accessKeyId: SecretKeyReference;
  /** Secret key of the secret access key. */
  readonly secretAccessKey: SecretKeyReference;
  /** Addresses the jobs may reach the endpoint at. @default '0.0.0.0/0' */
  readonly egressCidr?: string;
}

/** Cron schedules (UTC) of every job. */
export interface BackupSchedules {
  /** PostgreSQL full (base) backup. @default '0 2 * * *' (daily) */
  readonly postgresFull?: string;
  /** PostgreSQL WAL (incremental); the interval bounds the RPO. The run may take 4 minutes. @default '*\/5 * * * *' (every 5 minutes) */
  readonly postgresWal?: string;
  /** PostgreSQL logical dump. @default '30 2 * * *' (daily) */
  readonly postgresDump?: string;
  /** Redis snapshot. @default '15 3 * * *' (daily) */
  readonly redis?: string;
  /** Milvus backup. @default '45 3 * * *' (daily) */
  readonly milvus?: string;
  /** Object storage (MinIO) mirror. @default '30 4 * * *' (daily) */
  readonly objects?: string;
  /** PostgreSQL restore drill. @default '0 6 * * 0' (weekly, Sunday) */
  readonly restoreDrill?: string;
}

/** How many backups of each kind are kept (enforced by the jobs after every run). */
export interface BackupRetention {
  /** PostgreSQL base backups (WAL is kept from the oldest one on). @default 7 */
  readonly postgresFull?: number;
  /** PostgreSQL dumps. @default 7 */
  readonly postgresDump?: number;
  /** Redis snapshots. @default 7 */
  readonly redis?: number;
  /** Milvus backups. @default 7 */
  readonly milvus?: number;
  /** Object-storage copies. @default 7 */
  readonly objects?: number;
  /** Configuration snapshots. @default 30 */
  readonly config?: number;
  /** Also keep the newest backup of each of this many weeks (fulls, dumps, Redis, objects). @default 0 */
  readonly weekly?: number;
  /** Also keep the newest backup of each of this many months (fulls, dumps, Redis, objects). @default 0 */
  readonly monthly?: number;
}

export interface BackupPolicyProps {
  /** Where backups go. */
  readonly destination: BackupDestination;
  /** PostgreSQL to back up (full + WAL + dump, with restore drills), e.g. `dataTier.postgres`; same as `policy.protect(pg)`. @default none */
  readonly postgres?: IBackupSource;
  /**
   * Existing Secret with the user name and password of the least-privilege role the PostgreSQL jobs
   * connect as (LOGIN REPLICATION, pg_read_all_data, pg_switch_wal, pg_create_restore_point). A one-shot
   * Job `<postgres>-backup-role-<hash>` creates or updates the role as the superuser on apply.
   * @default { name: '<postgres name>-backup', usernameKey: 'username', passwordKey: 'password' }
   */
  readonly postgresBackupCredentials?: CredentialsSecret;
  /** Redis to back up, e.g. `dataTier.redis`; same as `policy.protect(redis)`. @default none */
  readonly redis?: IBackupSource;
  /** Milvus to back up (milvus-backup), and its MinIO to mirror, e.g. `dataTier.milvus`; same as `policy.protect(milvus)`. @default none */
  readonly milvus?: IBackupSource;
  /** Schedules. @default see BackupSchedules */
  readonly schedules?: BackupSchedules;
  /** Retention. @default see BackupRetention */
  readonly retention?: BackupRetention;
  /** Back up the rendered configuration on every change. @default true */
  readonly configuration?: boolean;
  /**
   * What the configuration backup captures: the objects of these constructs (usually charts). Other
   * configuration backups' snapshots are never included. @default the chart the policy is in
   */
  readonly configurationScope?: IConstruct[];
  /** rclone image, pinned. @default 'rclone/rclone:1.66.0' */
  readonly rcloneImage?: string;
  /** milvus-backup image, pinned (0.4.x works with Milvus 2.3). @default 'milvusdb/milvus-backup:v0.4.24' */
  readonly milvusBackupImage?: string;
  /** Monitoring stack label of the PrometheusRule with the backup alerts. @default the stack that monitors the protected stores ('platform' when none does) */
  readonly monitoringStack?: string;
}
