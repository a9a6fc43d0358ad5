import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import {
  ConnectionBinding, EnvValue, execProbe, fail, IConnectable, imageProp, imageVersion, INetworkEndpoint,
  parseBytes, redisBytesProp, resolveResources, resolveStorage, ResourceSpec, restrictedContainerSecurityContext, scratchVolume,
  secretKeyProp, SecretKeyReference, StorageOptions, toKubeResources, IBackupSource, RedisBackupFacts,
} from '../shared';
import { AUTH_INCLUDE, RedisPersistence, renderRedisConf, WRITE_AUTH_SCRIPT } from './redis-config';
import { checkRedisMemory, checkRedisProps } from './data-tier-checks';
import { exporterSidecar, StatefulStore, StoreCommonProps } from './stateful-store';
import { redisSignals, StoreSignals } from './store-signals';

export const REDIS_EVICTION_POLICIES = ['noeviction', 'allkeys-lru', 'allkeys-lfu', 'allkeys-random', 'volatile-lru', 'volatile-lfu', 'volatile-random', 'volatile-ttl'];

export interface RedisProps extends StoreCommonProps {
  /** Secret key holding the password (`requirepass`); never a literal. */
  readonly password: SecretKeyReference;
  /** Image, pinned. @default 'redis:7.2.5' */
  readonly image?: string;
  /** Container resources. @default requests 250m / 1Gi, limits 1 / 2Gi */
  readonly resources?: ResourceSpec;
  /**
   * maxmemory. Persistence forks (RDB save, AOF rewrite, a replica's or backup's snapshot), and the
   * child's copy-on-write pages count against the same memory limit: in the worst case (every page
   * written during the save) the dataset is there twice. So with persistence maxmemory is at most
   * 50 % of the limit; without (`persistence: 'none'`, a cache) at most 90 %.
   * @default 45 % of the memory limit with persistence, 75 % without
   */
  readonly maxmemory?: string;
  /** Eviction policy when maxmemory is reached. @default 'noeviction' (Redis holds data, not only cache) */
  readonly maxmemoryPolicy?: string;
  /** Persistence: AOF, RDB snapshots, both or none. @default 'aof+rdb' */
  readonly persistence?: RedisPersistence;
  /** Data volume; must hold at least maxmemory (an RDB snapshot). @default expected data 4Gi, 40 % headroom */
  readonly storage?: StorageOptions;
  /** redis_exporter image. @default 'oliver006/redis_exporter:v1.62.0' */
  readonly exporterImage?: string;
  /** Secret key holding a complete URL for clients (as the spec's media-ai-secrets `redis-url`). @default built from the password */
  readonly connectionUrlSecret?: SecretKeyReference;
}

const REDIS_UID = 999; // the `redis` user of the official image

/** Redis 7 as a StatefulSet: persistence, password from a Secret, maxmemory tied to the limit, redis_exporter sidecar. */
export class Redis extends StatefulStore implements IConnectable, IBackupSource {
  public static readonly PORT = 6379;
  public readonly password: SecretKeyReference;
  public readonly redisConf: string;
  public readonly maxmemoryBytes: number;
  public readonly image: string;
  private readonly connectionUrlSecret?: SecretKeyReference;

  constructor(scope: Construct, id: string, props: RedisProps) {
    super(scope, id, props ?? {});
    checkRedisProps(this, props);
    this.password = secretKeyProp(this, 'password', props.password);
    this.connectionUrlSecret = props.connectionUrlSecret ? secretKeyProp(this, 'connectionUrlSecret', props.connectionUrlSecret) : undefined;
    this.image = props.image ?? 'redis:7.2.5';
    const image = imageProp(this, 'image', this.image);
    if (image.tag && !/^7\.[0-9]+\.[0-9]+/.test(image.tag)) fail(this, 'image', this.image, "must be a Redis 7 image pinned to a patch release (tag 7.x.y, such as '7.2.5')");

    const resources = resolveResources(this, 'resources', props.resources, { cpuRequest: '250m', cpuLimit: '1', memoryRequest: '1Gi', memoryLimit: '2Gi' });
    const persistence = props.persistence ?? 'aof+rdb';
    if (!['aof+rdb', 'aof', 'rdb', 'none'].includes(persistence)) fail(this, 'persistence', persistence, "must be 'aof+rdb', 'aof', 'rdb' or 'none'");
    const forks = persistence !== 'none';
    this.maxmemoryBytes = props.maxmemory !== undefined
      ? redisBytesProp(this, 'maxmemory', props.maxmemory)
      // A save forks: its copy-on-write pages can double the dataset under the same limit.
      : Math.floor(resources.memoryLimitBytes * (forks ? 0.45 : 0.75));
    checkRedisMemory(this, this.maxmemoryBytes, props.maxmemory, resources.memoryLimitBytes, resources.memoryLimit, persistence);
    const policy = props.maxmemoryPolicy ?? 'noeviction';
    if (!REDIS_EVICTION_POLICIES.includes(policy)) fail(this, 'maxmemoryPolicy', policy, `must be one of ${REDIS_EVICTION_POLICIES.join(', ')}`);

    const storage = resolveStorage(this, 'storage', props.storage, '4Gi');
    if ((parseBytes(storage.size) ?? 0) < this.maxmemoryBytes) {
      fail(this, 'storage.size', storage.size, `must hold a snapshot of maxmemory (${Math.ceil(this.maxmemoryBytes / 2 ** 20)}Mi)`);
    }

    this.redisConf = renderRedisConf({ maxmemoryBytes: this.maxmemoryBytes, maxmemoryPolicy: policy, persistence });

    const identity = { user: REDIS_UID, group: REDIS_UID };
    const passwordEnv = (name: string) => EnvValue.fromSecret(this.password.name, this.password.key).toEnvVar(name);
    const ping = (accept: string) => ['sh', '-c', `redis-cli -h 127.0.0.1 -p ${Redis.PORT} ping | grep -Eq '${accept}'`];
    const authDir = AUTH_INCLUDE.slice(0, AUTH_INCLUDE.lastIndexOf('/'));

    this.build({
      name: this.name,
      appName: 'redis',
      component: 'cache',
      version: imageVersion(image),
      identity,
      ports: [{ name: 'redis', port: Redis.PORT }, { name: 'metrics', port: 9121, metrics: true }],
      dataVolumeName: 'data',
      storage,
      configFiles: { 'redis.conf': this.redisConf },
      common: props,
      initContainers: [{
        name: 'write-auth',
        image: this.image,
        imagePullPolicy: 'IfNotPresent',
        command: ['sh', '-c', WRITE_AUTH_SCRIPT],
        env: [passwordEnv('REDIS_PASSWORD')],
        resources: toKubeResources(resolveResources(this, 'initResources', undefined, { cpuRequest: '10m', cpuLimit: '100m', memoryRequest: '16Mi', memoryLimit: '32Mi' })),
        securityContext: restrictedContainerSecurityContext(identity),
        volumeMounts: [{ name: 'auth', mountPath: authDir }],
      }],
      containers: [
        {
          name: 'redis',
          image: this.image,
          imagePullPolicy: 'IfNotPresent',
          command: ['redis-server', '/etc/redis/redis.conf'],
          ports: [{ name: 'redis', containerPort: Redis.PORT, protocol: 'TCP' }],
          // redis-cli reads REDISCLI_AUTH, so the probes never put the password on a command line.
          env: [passwordEnv('REDISCLI_AUTH')],
          resources: toKubeResources(resources),
          startupProbe: execProbe(this, 'startupProbe', ping('PONG|LOADING'), {}, { initialDelaySeconds: 0, periodSeconds: 5, timeoutSeconds: 3, failureThreshold: 60 }),
          livenessProbe: execProbe(this, 'livenessProbe', ping('PONG|LOADING'), {}, { initialDelaySeconds: 0, periodSeconds: 10, timeoutSeconds: 3, failureThreshold: 6 }),
          readinessProbe: execProbe(this, 'readinessProbe', ping('PONG'), {}, { initialDelaySeconds: 0, periodSeconds: 5, timeoutSeconds: 3, failureThreshold: 3 }),
          securityContext: restrictedContainerSecurityContext(identity),
          volumeMounts: [
            { name: 'data', mountPath: '/data' },
            { name: 'config', mountPath: '/etc/redis', readOnly: true },
            { name: 'auth', mountPath: authDir, readOnly: true },
            { name: 'tmp', mountPath: '/tmp' },
          ],
        },
        exporterSidecar(this, {
          image: props.exporterImage ?? 'oliver006/redis_exporter:v1.62.0',
          port: 9121,
          env: [{ name: 'REDIS_ADDR', value: `redis://127.0.0.1:${Redis.PORT}` }, passwordEnv('REDIS_PASSWORD')],
          healthPath: '/health',
          uid: 59000,
          memoryLimit: '128Mi',
        }),
      ],
      volumes: [
        { name: 'config', configMap: { name: this.configMapName } },
        { name: 'auth', emptyDir: { medium: 'Memory', sizeLimit: k8s.Quantity.fromString('1Mi') } },
        scratchVolume('tmp', '64Mi'),
      ],
    });
  }

  /** Admits the client on 6379 and gives it REDIS_URL (from the URL Secret, or built from REDIS_PASSWORD). */
  public bindClient(client: INetworkEndpoint): ConnectionBinding {
    return this.admit(client, Redis.PORT, 'REDIS_URL', this.connectionUrlSecret, [
      ['REDIS_PASSWORD', EnvValue.fromSecret(this.password.name, this.password.key)],
      ['REDIS_URL', EnvValue.fromValue(`redis://:$(REDIS_PASSWORD)@${this.host}:${Redis.PORT}/0`)],
    ]);
  }

  protected signals(sel: string): StoreSignals {
    return redisSignals(sel, this.serviceName);
  }

  /** Called by `policy.protect(redis)`: how the backup job reaches this server. */
  public backupSources(): RedisBackupFacts[] {
    return [{ kind: 'redis', name: this.name, namespace: this.namespace, host: this.host, port: Redis.PORT, image: this.image, endpoint: this, monitoringStack: () => this.chosenStack, password: this.password }];
  }
}
