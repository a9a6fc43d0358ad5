import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import {
  nameBudgetProp,
  ConnectionBinding, EnvValue, fail, IConnectable, imageProp, imageVersion, INetworkEndpoint, resolveResources,
  resolveStorage, ResourceSpec, restrictedContainerSecurityContext, scratchVolume, StorageOptions,
  toKubeResources, IBackupSource, MilvusBackupFacts, openConnection,
} from '../shared';
import { exemptFromPolicy } from '../shared/policy-exemptions';
import { Etcd, EtcdProps } from './etcd';
import { RENDER_USER_YAML_SCRIPT, renderMilvusUserYaml } from './milvus-config';
import { Minio, MinioProps } from './minio';
import { checkMilvusProps } from './data-tier-checks';
import { StatefulStore, StoreCommonProps } from './stateful-store';
import { milvusSignals, StoreSignals } from './store-signals';

export interface MilvusProps extends StoreCommonProps {
  /** MinIO root credentials (Secret keys); Milvus uses them too. */
  readonly minioCredentials: MinioProps['credentials'];
  /** Image, pinned, of the 2.3 line. @default 'milvusdb/milvus:v2.3.21' */
  readonly image?: string;
  /** Container resources. @default requests 1 / 4Gi, limits 4 / 8Gi */
  readonly resources?: ResourceSpec;
  /** Local volume (/var/lib/milvus). @default expected data 10Gi, 40 % headroom */
  readonly storage?: StorageOptions;
  /** Bucket Milvus stores segments in. @default 'milvus-bucket' */
  readonly bucket?: string;
  /** milvus.yaml overrides, merged into user.yaml. @default none */
  readonly config?: Record<string, unknown>;
  /** etcd settings. @default see EtcdProps */
  readonly etcd?: Omit<EtcdProps, 'name' | keyof StoreCommonProps>;
  /** MinIO settings. @default see MinioProps */
  readonly minio?: Omit<MinioProps, 'credentials' | 'name' | keyof StoreCommonProps>;
}

/**
 * Milvus 2.3 standalone with the etcd and MinIO it requires, each its own StatefulSet.
 *
 * Policy exemption (recorded on the StatefulSet, the only one in the data tier): the Milvus container
 * keeps `readOnlyRootFilesystem: false`, because the image writes runtime files under /milvus; it still
 * runs as non-root with all capabilities dropped and seccomp RuntimeDefault, so it passes "restricted".
 */
export class Milvus extends StatefulStore implements IConnectable, IBackupSource {
  public static readonly PORT = 19530;
  public readonly etcd: Etcd;
  public readonly minio: Minio;
  public readonly bucket: string;
  /** The Milvus image. */
  public readonly image: string;
  public readonly userYaml: string;

  constructor(scope: Construct, id: string, props: MilvusProps) {
    super(scope, id, props ?? {});
    checkMilvusProps(this, props);
    nameBudgetProp(this, 'name', this.name, ['-etcd', '-minio'], 50, 'etcd/MinIO store');
    const common: StoreCommonProps = { monitoringNamespace: props.monitoringNamespace, monitoringStack: props.monitoringStack, priorityClassName: props.priorityClassName, topologySpread: props.topologySpread };
    this.etcd = new Etcd(this, 'etcd', { ...common, ...props.etcd, name: `${this.name}-etcd` });
    this.minio = new Minio(this, 'minio', { ...common, ...props.minio, name: `${this.name}-minio`, credentials: props.minioCredentials });
    openConnection(this, this.etcd, [{ port: Etcd.PORT }]);
    openConnection(this, this.minio, [{ port: Minio.PORT }]);

    const imageRef = props.image ?? 'milvusdb/milvus:v2.3.21';
    this.image = imageRef;
    const image = imageProp(this, 'image', imageRef);
    if (image.tag && !/^v?2\.3\./.test(image.tag)) fail(this, 'image', imageRef, 'must be a Milvus 2.3 image (tag v2.3.x)');
    this.bucket = props.bucket ?? 'milvus-bucket';
    if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(this.bucket)) fail(this, 'bucket', this.bucket, 'must be an S3 bucket name: 3–63 lower-case letters, digits, dots and hyphens');
    const resources = resolveResources(this, 'resources', props.resources, { cpuRequest: '1', cpuLimit: '4', memoryRequest: '4Gi', memoryLimit: '8Gi' });

    this.userYaml = renderMilvusUserYaml({
      etcdEndpoint: `${this.etcd.host}:${Etcd.PORT}`,
      minioHost: this.minio.host,
      minioPort: Minio.PORT,
      bucket: this.bucket,
      overrides: props.config ?? {},
    });

    const identity = { user: 1000, group: 1000 };
    const healthz = (failureThreshold: number, periodSeconds = 10) => ({ httpGet: { path: '/healthz', port: k8s.IntOrString.fromString('metrics') }, periodSeconds, timeoutSeconds: 5, failureThreshold });
    const creds = this.minio.credentials;

    this.build({
      name: this.name,
      appName: 'milvus',
      component: 'vector-database',
      version: imageVersion(image),
      identity,
      ports: [{ name: 'grpc', port: Milvus.PORT }, { name: 'metrics', port: 9091, metrics: true }],
      dataVolumeName: 'data',
      storage: resolveStorage(this, 'storage', props.storage, '10Gi'),
      configFiles: { 'user.yaml': this.userYaml },
      common: props,
      initContainers: [{
        name: 'render-config',
        image: imageRef,
        imagePullPolicy: 'IfNotPresent',
        command: ['sh', '-c', RENDER_USER_YAML_SCRIPT],
        env: [
          EnvValue.fromSecret(creds.accessKey.name, creds.accessKey.key).toEnvVar('MINIO_ACCESS_KEY'),
          EnvValue.fromSecret(creds.secretKey.name, creds.secretKey.key).toEnvVar('MINIO_SECRET_KEY'),
        ],
        resources: toKubeResources(resolveResources(this, 'initResources', undefined, { cpuRequest: '10m', cpuLimit: '100m', memoryRequest: '16Mi', memoryLimit: '64Mi' })),
        securityContext: restrictedContainerSecurityContext(identity),
        volumeMounts: [{ name: 'config', mountPath: '/config', readOnly: true }, { name: 'rendered', mountPath: '/rendered' }],
      }],
      containers: [{
        name: 'milvus',
        image: imageRef,
        imagePullPolicy: 'IfNotPresent',
        command: ['milvus', 'run', 'standalone'],
        ports: [{ name: 'grpc', containerPort: Milvus.PORT, protocol: 'TCP' }, { name: 'metrics', containerPort: 9091, protocol: 'TCP' }],
        resources: toKubeResources(resources),
        startupProbe: healthz(60, 5),
        livenessProbe: healthz(6),
        readinessProbe: healthz(3),
        securityContext: { ...restrictedContainerSecurityContext(identity), readOnlyRootFilesystem: false },
        volumeMounts: [
          { name: 'data', mountPath: '/var/lib/milvus' },
          { name: 'rendered', mountPath: '/milvus/configs/user.yaml', subPath: 'user.yaml', readOnly: true },
          { name: 'tmp', mountPath: '/tmp' },
        ],
      }],
      volumes: [
        { name: 'config', configMap: { name: this.configMapName } },
        { name: 'rendered', emptyDir: { medium: 'Memory', sizeLimit: k8s.Quantity.fromString('1Mi') } },
        scratchVolume('tmp', '1Gi'),
      ],
    });
    exemptFromPolicy(this.statefulSet, { rule: 'read-only-root-filesystem', reason: 'the Milvus 2.3 image writes runtime files under /milvus; non-root, no capabilities, seccomp RuntimeDefault' });
  }

  /** Admits the client on 19530 and gives it VECTOR_DB_URL. */
  public bindClient(client: INetworkEndpoint): ConnectionBinding {
    return this.admit(client, Milvus.PORT, 'VECTOR_DB_URL', undefined, [['VECTOR_DB_URL', EnvValue.fromValue(`http://${this.host}:${Milvus.PORT}`)]]);
  }

  protected signals(sel: string): StoreSignals {
    return milvusSignals(sel, this.serviceName);
  }

  protected subStores(): StatefulStore[] {
    return [this.etcd, this.minio];
  }

  /** Called by `policy.protect(milvus)`: how the backup jobs reach this server and its MinIO. */
  public backupSources(): MilvusBackupFacts[] {
    const minio = this.minio;
    return [{
      kind: 'milvus', name: this.name, namespace: this.namespace, host: this.host, port: Milvus.PORT, image: this.image, endpoint: this, monitoringStack: () => this.chosenStack, bucket: this.bucket,
      objectStore: { name: minio.name, host: minio.host, port: Minio.PORT, accessKey: minio.credentials.accessKey, secretKey: minio.credentials.secretKey, endpoint: minio },
    }];
  }
}
