import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import {
  ConnectionBinding, CredentialsSecret, credentialsSecretProp, sharesCredentialKey, EnvValue, execProbe, fail, IConnectable, imageProp, imageVersion, INetworkEndpoint,
  integerProp, resolveResources, resolveStorage, ResourceSpec, restrictedContainerSecurityContext, scratchVolume,
  secretKeyProp, SecretKeyReference, StorageOptions, toKubeResources, IBackupSource, PostgresBackupFacts,
} from '../shared';
import { checkPostgresOverrides, ConfValue, derivePostgresSettings, PG_HBA_CONF, renderPostgresConf } from './postgres-config';
import { checkPostgresProps, checkPostgresSettingsTogether, POSTGRES_IMAGES } from './data-tier-checks';
import { PostgresAppRole } from './postgres-app-role';
import { exporterSidecar, StatefulStore, StoreCommonProps } from './stateful-store';
import { postgresSignals, StoreSignals } from './store-signals';

/** The PostgreSQL majors we render configuration for (the operations spec runs 14). */
export const SUPPORTED_POSTGRES_MAJORS = [13, 14, 15, 16];

/** The Secret holding PostgreSQL credentials. @deprecated use `CredentialsSecret` (the same shape). */
export type PostgresCredentials = CredentialsSecret;

export interface PostgresProps extends StoreCommonProps {
  /** Existing Secret with the user name and password (never literals). */
  readonly credentials: CredentialsSecret;
  /** Database created at first start. @default 'media_ai' */
  readonly database?: string;
  /** PostgreSQL major version; the image tag must match it. @default 14 */
  readonly majorVersion?: number;
  /** Image, pinned; the official image or a mirror of it. @default 'postgres:14.15' */
  readonly image?: string;
  /** Container resources; memory settings are derived from the memory limit. @default requests 500m / 2Gi, limits 2 / 4Gi */
  readonly resources?: ResourceSpec;
  /** Data volume. @default expected data 20Gi, 40 % headroom (28Gi) */
  readonly storage?: StorageOptions;
  /** max_connections. @default 200 */
  readonly maxConnections?: number;
  /** postgresql.conf overrides (name → value), applied over the derived settings. @default none */
  readonly settings?: Record<string, ConfValue>;
  /** archive_command, the hook for WAL archiving. @default '/bin/true' (WAL is streamed by the backup jobs instead) */
  readonly archiveCommand?: string;
  /** postgres-exporter image. @default 'quay.io/prometheuscommunity/postgres-exporter:v0.15.0' */
  readonly exporterImage?: string;
  /** Secret key holding a complete connection URL for clients (as the spec's media-ai-secrets `database-url`). @default the URL is built from the credentials */
  readonly connectionUrlSecret?: SecretKeyReference;
  /**
   * Secret of the application's own role (least privilege: LOGIN, CONNECT, USAGE and CREATE on
   * schema public). A Job creates or updates the role; `connect()` hands clients these credentials
   * instead of the superuser's. @default none: clients get the superuser credentials
   */
  readonly appCredentials?: CredentialsSecret;
}

const DATA_MOUNT = '/var/lib/postgresql/data';
const POSTGRES_UID = 999; // the `postgres` user of the official image

/** PostgreSQL as a StatefulSet on the official image, configured from its memory limit, with a postgres-exporter sidecar. */
export class Postgres extends StatefulStore implements IConnectable, IBackupSource {
  public static readonly PORT = 5432;
  public readonly database: string;
  public readonly credentials: Required<CredentialsSecret>;
  public readonly majorVersion: number;
  public readonly image: string;
  /** The rendered postgresql.conf (also in the ConfigMap). */
  public readonly postgresqlConf: string;
  /** Settings in postgresql.conf, after overrides. */
  public readonly settings: Record<string, ConfValue>;
  private readonly connectionUrlSecret?: SecretKeyReference;
  /** The credentials clients get: the application role's when set, else the superuser's. */
  public readonly clientCredentials: Required<CredentialsSecret>;

  constructor(scope: Construct, id: string, props: PostgresProps) {
    super(scope, id, props ?? {});
    checkPostgresProps(this, props);
    this.credentials = credentialsSecretProp(this, 'credentials', props.credentials);
    this.connectionUrlSecret = props.connectionUrlSecret ? secretKeyProp(this, 'connectionUrlSecret', props.connectionUrlSecret) : undefined;
    this.database = props.database ?? 'media_ai';
    if (!/^[a-z_][a-z0-9_]{0,62}$/.test(this.database)) fail(this, 'database', this.database, 'must be a lower-case PostgreSQL identifier (letters, digits, _), at most 63 characters');

    this.majorVersion = props.majorVersion ?? 14;
    if (!SUPPORTED_POSTGRES_MAJORS.includes(this.majorVersion)) {
      fail(this, 'majorVersion', this.majorVersion, `must be one of ${SUPPORTED_POSTGRES_MAJORS.join(', ')}`);
    }
    this.image = props.image ?? POSTGRES_IMAGES[this.majorVersion];
    const image = imageProp(this, 'image', this.image);
    if (image.tag && !/^[0-9]+\.[0-9]+/.test(image.tag)) fail(this, 'image', this.image, `must be pinned to a minor release such as '${POSTGRES_IMAGES[this.majorVersion]}' (a bare major tag floats) or a digest`);
    if (image.tag && !image.tag.startsWith(`${this.majorVersion}.`)) {
      fail(this, 'image', this.image, `must be a PostgreSQL ${this.majorVersion} image (its tag starts with ${this.majorVersion})`);
    }

    const resources = resolveResources(this, 'resources', props.resources, { cpuRequest: '500m', cpuLimit: '2', memoryRequest: '2Gi', memoryLimit: '4Gi' });
    const maxConnections = integerProp(this, 'maxConnections', props.maxConnections, 200, { min: 10, max: 10000 });
    checkPostgresOverrides(this, 'settings', props.settings ?? {}, resources.memoryLimitBytes);
    this.settings = { ...derivePostgresSettings(resources.memoryLimitBytes, maxConnections, props.archiveCommand ?? '/bin/true'), ...props.settings };
    checkPostgresSettingsTogether(this, this.settings);
    this.postgresqlConf = renderPostgresConf(this.settings);

    const identity = { user: POSTGRES_UID, group: POSTGRES_UID };
    const isReady = ['sh', '-c', 'exec pg_isready -h 127.0.0.1 -p 5432 -U "$POSTGRES_USER" -d "$POSTGRES_DB"'];
    const secretEnv = (name: string, key: string) => EnvValue.fromSecret(this.credentials.name, key).toEnvVar(name);

    this.build({
      name: this.name,
      appName: 'postgresql',
      component: 'database',
      version: imageVersion(image),
      identity,
      ports: [{ name: 'postgresql', port: Postgres.PORT }, { name: 'metrics', port: 9187, metrics: true }],
      dataVolumeName: 'data',
      storage: resolveStorage(this, 'storage', props.storage, '20Gi'),
      configFiles: { 'postgresql.conf': this.postgresqlConf, 'pg_hba.conf': PG_HBA_CONF },
      common: props,
      containers: [
        {
          name: 'postgres',
          image: this.image,
          imagePullPolicy: 'IfNotPresent',
          args: ['-c', 'config_file=/etc/postgresql/postgresql.conf'],
          ports: [{ name: 'postgresql', containerPort: Postgres.PORT, protocol: 'TCP' }],
          env: [
            secretEnv('POSTGRES_USER', this.credentials.usernameKey),
            secretEnv('POSTGRES_PASSWORD', this.credentials.passwordKey),
            { name: 'POSTGRES_DB', value: this.database },
            // A subdirectory: initdb refuses a volume root that holds lost+found.
            { name: 'PGDATA', value: `${DATA_MOUNT}/pgdata` },
          ],
          resources: toKubeResources(resources),
          startupProbe: execProbe(this, 'startupProbe', isReady, {}, { initialDelaySeconds: 0, periodSeconds: 5, timeoutSeconds: 5, failureThreshold: 120 }),
          livenessProbe: execProbe(this, 'livenessProbe', isReady, {}, { initialDelaySeconds: 0, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 6 }),
          readinessProbe: execProbe(this, 'readinessProbe', isReady, {}, { initialDelaySeconds: 0, periodSeconds: 5, timeoutSeconds: 3, failureThreshold: 3 }),
          securityContext: restrictedContainerSecurityContext(identity),
          volumeMounts: [
            { name: 'data', mountPath: DATA_MOUNT },
            { name: 'config', mountPath: '/etc/postgresql', readOnly: true },
            { name: 'run', mountPath: '/var/run/postgresql' },
            { name: 'tmp', mountPath: '/tmp' },
            { name: 'shm', mountPath: '/dev/shm' },
          ],
        },
        exporterSidecar(this, {
          image: props.exporterImage ?? 'quay.io/prometheuscommunity/postgres-exporter:v0.15.0',
          port: 9187,
          env: [
            { name: 'DATA_SOURCE_URI', value: `127.0.0.1:${Postgres.PORT}/${this.database}?sslmode=disable` },
            secretEnv('DATA_SOURCE_USER', this.credentials.usernameKey),
            secretEnv('DATA_SOURCE_PASS', this.credentials.passwordKey),
          ],
          healthPath: '/',
          uid: 65534,
          memoryLimit: '128Mi',
        }),
      ],
      volumes: [
        { name: 'config', configMap: { name: this.configMapName } },
        scratchVolume('run', '16Mi'),
        scratchVolume('tmp', '256Mi'),
        { name: 'shm', emptyDir: { medium: 'Memory', sizeLimit: k8s.Quantity.fromString('256Mi') } },
      ],
    });

    this.clientCredentials = this.credentials;
    if (props.appCredentials) {
      const app = props.appCredentials;
      this.clientCredentials = credentialsSecretProp(this, 'appCredentials', app);
      if (sharesCredentialKey(this.clientCredentials, this.credentials)) {
        fail(this, 'appCredentials', app, 'must name the application role\'s own Secret (or keys), not the superuser\'s credentials (no key may be shared)');
      }
      new PostgresAppRole(this, 'AppRole', { store: this, image: this.image, superuser: this.credentials, app: this.clientCredentials, port: Postgres.PORT });
    }
  }

  /**
   * Admits the client on 5432 and gives it DATABASE_URL: from the connection-URL Secret when set,
   * otherwise built by dependent-variable expansion from DB_USER and DB_PASSWORD (Secret-backed).
   */
  public bindClient(client: INetworkEndpoint): ConnectionBinding {
    return this.admit(client, Postgres.PORT, 'DATABASE_URL', this.connectionUrlSecret, [
      ['DB_USER', EnvValue.fromSecret(this.clientCredentials.name, this.clientCredentials.usernameKey)],
      ['DB_PASSWORD', EnvValue.fromSecret(this.clientCredentials.name, this.clientCredentials.passwordKey)],
      ['DATABASE_URL', EnvValue.fromValue(`postgresql://$(DB_USER):$(DB_PASSWORD)@${this.host}:${Postgres.PORT}/${this.database}`)],
    ]);
  }

  protected signals(sel: string): StoreSignals {
    return postgresSignals(sel, this.serviceName);
  }

  /** Called by `policy.protect(pg)`: how the backup jobs reach this server. */
  public backupSources(): PostgresBackupFacts[] {
    return [{
      kind: 'postgres', name: this.name, namespace: this.namespace, host: this.host, port: Postgres.PORT, image: this.image, endpoint: this, monitoringStack: () => this.chosenStack,
      majorVersion: this.majorVersion, database: this.database, storage: this.storage,
      superuser: this.credentials,
      ...(this.clientCredentials !== this.credentials ? { application: this.clientCredentials } : {}),
    }];
  }
}
