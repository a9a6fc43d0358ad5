import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import {
  EnvValue, imageProp, imageVersion, resolveResources, resolveStorage, ResourceSpec,
  restrictedContainerSecurityContext, scratchVolume, secretKeyProp, SecretKeyReference, StorageOptions,
  toKubeResources,
} from '../shared';
import { StatefulStore, StoreCommonProps } from './stateful-store';
import { minioSignals, StoreSignals } from './store-signals';

export interface MinioCredentials {
  /** Secret key holding the access key (MINIO_ROOT_USER). */
  readonly accessKey: SecretKeyReference;
  /** Secret key holding the secret key (MINIO_ROOT_PASSWORD). */
  readonly secretKey: SecretKeyReference;
}

export interface MinioProps extends StoreCommonProps {
  /** Root credentials from an existing Secret. */
  readonly credentials: MinioCredentials;
  /** Image, pinned (the release Milvus 2.3 is tested with). @default 'minio/minio:RELEASE.2023-03-20T20-16-18Z' */
  readonly image?: string;
  /** Container resources. @default requests 250m / 512Mi, limits 1 / 2Gi */
  readonly resources?: ResourceSpec;
  /** Data volume. @default expected data 50Gi, 40 % headroom */
  readonly storage?: StorageOptions;
}

/** A single-node MinIO: Milvus's object storage. */
export class Minio extends StatefulStore {
  public static readonly PORT = 9000;
  public readonly credentials: MinioCredentials;

  constructor(scope: Construct, id: string, props: MinioProps) {
    super(scope, id, props ?? {});
    this.credentials = {
      accessKey: secretKeyProp(this, 'credentials.accessKey', props?.credentials?.accessKey),
      secretKey: secretKeyProp(this, 'credentials.secretKey', props?.credentials?.secretKey),
    };
    const imageRef = props.image ?? 'minio/minio:RELEASE.2023-03-20T20-16-18Z';
    const image = imageProp(this, 'image', imageRef);
    const resources = resolveResources(this, 'resources', props.resources, { cpuRequest: '250m', cpuLimit: '1', memoryRequest: '512Mi', memoryLimit: '2Gi' });
    const identity = { user: 1000, group: 1000 };
    const probe = (path: string, failureThreshold: number) => ({ httpGet: { path, port: k8s.IntOrString.fromString('api') }, periodSeconds: 10, timeoutSeconds: 5, failureThreshold });

    this.build({
      name: this.name,
      appName: 'minio',
      component: 'object-storage',
      version: imageVersion(image),
      identity,
      ports: [{ name: 'api', port: Minio.PORT, metrics: true, path: '/minio/v2/metrics/cluster' }],
      dataVolumeName: 'data',
      storage: resolveStorage(this, 'storage', props.storage, '50Gi'),
      common: props,
      containers: [{
        name: 'minio',
        image: imageRef,
        imagePullPolicy: 'IfNotPresent',
        args: ['server', '/data', `--address=:${Minio.PORT}`, '--console-address=:9001', '--certs-dir=/tmp/certs'],
        ports: [{ name: 'api', containerPort: Minio.PORT, protocol: 'TCP' }],
        env: [
          EnvValue.fromSecret(this.credentials.accessKey.name, this.credentials.accessKey.key).toEnvVar('MINIO_ROOT_USER'),
          EnvValue.fromSecret(this.credentials.secretKey.name, this.credentials.secretKey.key).toEnvVar('MINIO_ROOT_PASSWORD'),
          // Metrics readable without a token; the NetworkPolicy admits only the monitoring namespace and clients.
          { name: 'MINIO_PROMETHEUS_AUTH_TYPE', value: 'public' },
        ],
        resources: toKubeResources(resources),
        startupProbe: probe('/minio/health/live', 60),
        livenessProbe: probe('/minio/health/live', 6),
        readinessProbe: probe('/minio/health/ready', 3),
        securityContext: restrictedContainerSecurityContext(identity),
        volumeMounts: [{ name: 'data', mountPath: '/data' }, { name: 'tmp', mountPath: '/tmp' }],
      }],
      volumes: [scratchVolume('tmp', '64Mi')],
    });
  }

  /** Endpoint (host:port) inside the cluster. */
  public get endpoint(): string {
    return `${this.host}:${Minio.PORT}`;
  }

  protected signals(sel: string): StoreSignals {
    return minioSignals(sel, this.serviceName);
  }
}
