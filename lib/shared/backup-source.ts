import { IConstruct } from 'constructs';
import { INetworkEndpoint } from './network';
import { CredentialsSecret, SecretKeyReference } from './secret-ref';
import { ResolvedStorage } from './storage';

/** The kinds of store a backup policy knows how to back up. */
export type BackupSourceKind = 'postgres' | 'redis' | 'milvus';

/** What every backed-up store tells the policy: who it is and where the jobs connect. */
export interface BackupSourceCommon {
  readonly kind: BackupSourceKind;
  /** Store name: the prefix of its backup CronJobs. */
  readonly name: string;
  readonly namespace?: string;
  /** In-cluster host name of the store's client Service. */
  readonly host: string;
  readonly port: number;
  /** The store's own image: the jobs run its client tools (pg_basebackup, redis-cli). */
  readonly image: string;
  /** The store's pods: the jobs' egress to `port` is opened here, and the store admits them. */
  readonly endpoint: INetworkEndpoint;
  /**
   * The monitoring stack chosen for the store as it stands at synth (its prop or `monitor()`), or
   * undefined when none is: the policy's backup alerts go to that stack unless the policy names one.
   */
  readonly monitoringStack?: () => string | undefined;
}

/** A PostgreSQL server. */
export interface PostgresBackupFacts extends BackupSourceCommon {
  readonly kind: 'postgres';
  readonly majorVersion: number;
  readonly database: string;
  /** Superuser credentials: only the one-shot Job that creates the backup role reads them. */
  readonly superuser: Required<CredentialsSecret>;
  /** The application role's credentials, when the server has one: the backup role must not share them. */
  readonly application?: Required<CredentialsSecret>;
  /** The store's volume: the restore drill's scratch volume gets the same size and StorageClass. */
  readonly storage: ResolvedStorage;
}

/** A Redis server. */
export interface RedisBackupFacts extends BackupSourceCommon {
  readonly kind: 'redis';
  readonly password: SecretKeyReference;
}

/** The S3-compatible object store a Milvus keeps its segments in. */
export interface ObjectStoreFacts {
  readonly name: string;
  readonly host: string;
  readonly port: number;
  readonly accessKey: SecretKeyReference;
  readonly secretKey: SecretKeyReference;
  /** The object store's pods, for the jobs' egress and its ingress. */
  readonly endpoint: INetworkEndpoint;
}

/** A Milvus server and its object store. */
export interface MilvusBackupFacts extends BackupSourceCommon {
  readonly kind: 'milvus';
  /** Bucket of the object store holding Milvus' data. */
  readonly bucket: string;
  readonly objectStore: ObjectStoreFacts;
}

export type BackupSourceFacts = PostgresBackupFacts | RedisBackupFacts | MilvusBackupFacts;

/**
 * Something a backup policy can protect: a store (one set of facts) or a group of stores such as
 * a DataTier (one per store). `policy.protect(x)` accepts any implementer.
 */
export interface IBackupSource extends IConstruct {
  backupSources(): BackupSourceFacts[];
}

export function isBackupSource(x: unknown): x is IBackupSource {
  return typeof x === 'object' && x !== null && typeof (x as Partial<IBackupSource>).backupSources === 'function';
}
