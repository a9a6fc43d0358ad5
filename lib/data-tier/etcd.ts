import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import {
  fail, imageProp, imageVersion, parseBytes, resolveResources, resolveStorage, ResourceSpec,
  restrictedContainerSecurityContext, scratchVolume, StorageOptions, toKubeResources,
} from '../shared';
import { StatefulStore, StoreCommonProps } from './stateful-store';
import { etcdSignals, StoreSignals } from './store-signals';

export interface EtcdProps extends StoreCommonProps {
  /** Image, pinned (the version Milvus 2.3 is tested with). @default 'quay.io/coreos/etcd:v3.5.5' */
  readonly image?: string;
  /** Container resources. @default requests 100m / 256Mi, limits 500m / 1Gi */
  readonly resources?: ResourceSpec;
  /** Backend quota: etcd refuses writes (alarm NOSPACE) beyond it, so it must fit the volume. @default '4Gi' */
  readonly quotaBackendBytes?: string;
  /** Revisions kept by auto-compaction. @default 1000 */
  readonly autoCompactionRetention?: number;
  /** Data volume. @default expected data = the quota, 40 % headroom */
  readonly storage?: StorageOptions;
}

/** A single-member etcd for Milvus metadata, compacted automatically and bounded by a quota so it cannot fill its disk. */
export class Etcd extends StatefulStore {
  public static readonly PORT = 2379;
  public readonly quotaBytes: number;

  constructor(scope: Construct, id: string, props: EtcdProps = {}) {
    super(scope, id, props);
    const imageRef = props.image ?? 'quay.io/coreos/etcd:v3.5.5';
    const image = imageProp(this, 'image', imageRef);
    const resources = resolveResources(this, 'resources', props.resources, { cpuRequest: '100m', cpuLimit: '500m', memoryRequest: '256Mi', memoryLimit: '1Gi' });
    const quotaText = props.quotaBackendBytes ?? '4Gi';
    this.quotaBytes = parseBytes(quotaText) ?? fail(this, 'quotaBackendBytes', quotaText, "must be a quantity such as '4Gi'");
    if (this.quotaBytes > 8 * 2 ** 30) fail(this, 'quotaBackendBytes', quotaText, 'must be at most 8Gi (the largest quota etcd supports)');
    const retention = props.autoCompactionRetention ?? 1000;
    if (!Number.isInteger(retention) || retention < 1) fail(this, 'autoCompactionRetention', retention, 'must be an integer ≥ 1');
    const storage = resolveStorage(this, 'storage', props.storage, quotaText);
    if ((parseBytes(storage.size) ?? 0) <= this.quotaBytes) {
      fail(this, 'storage.size', storage.size, `must be larger than quotaBackendBytes (${quotaText}), or etcd fills the disk before its quota alarm`);
    }
    const identity = { user: 1001, group: 1001 };
    // A NOSPACE alarm (quota reached) makes /health fail; restarting etcd does not clear it, so the
    // liveness and startup probes exclude it (readiness keeps it: no writes are possible).
    const health = (failureThreshold: number, path = '/health?exclude=NOSPACE') =>
      ({ httpGet: { path, port: k8s.IntOrString.fromString('metrics') }, periodSeconds: 10, timeoutSeconds: 5, failureThreshold });

    this.build({
      name: this.name,
      appName: 'etcd',
      component: 'vector-metadata',
      version: imageVersion(image),
      identity,
      ports: [{ name: 'client', port: Etcd.PORT }, { name: 'metrics', port: 2381, metrics: true }],
      dataVolumeName: 'data',
      storage,
      common: props,
      containers: [{
        name: 'etcd',
        image: imageRef,
        imagePullPolicy: 'IfNotPresent',
        command: [
          'etcd',
          `--name=${this.name}`,
          '--data-dir=/etcd/data',
          `--listen-client-urls=http://0.0.0.0:${Etcd.PORT}`,
          `--advertise-client-urls=http://${this.host}:${Etcd.PORT}`,
          '--listen-metrics-urls=http://0.0.0.0:2381',
          '--auto-compaction-mode=revision',
          `--auto-compaction-retention=${retention}`,
          `--quota-backend-bytes=${this.quotaBytes}`,
          '--snapshot-count=50000',
        ],
        ports: [{ name: 'client', containerPort: Etcd.PORT, protocol: 'TCP' }, { name: 'metrics', containerPort: 2381, protocol: 'TCP' }],
        resources: toKubeResources(resources),
        startupProbe: health(60),
        livenessProbe: health(6),
        readinessProbe: health(3, '/health'),
        securityContext: restrictedContainerSecurityContext(identity),
        volumeMounts: [{ name: 'data', mountPath: '/etcd' }, { name: 'tmp', mountPath: '/tmp' }],
      }],
      volumes: [scratchVolume('tmp', '64Mi')],
    });
  }

  protected signals(sel: string): StoreSignals {
    return etcdSignals(sel, this.serviceName);
  }
}
