import { Yaml } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import {
  Alertmanager, AlertmanagerSpecResourcesLimits, AlertmanagerSpecResourcesRequests,
  AlertmanagerSpecStorageVolumeClaimTemplateSpecResourcesRequests,
} from '../../imports/monitoring.coreos.com';
import { integerProp, namespaceOf, namespacePeer, PodGroup, recommendedLabels, resolveStorage, restrictedPodSecurityContext, StorageOptions } from '../shared';
import { checkGroupBy, checkReceivers, checkReleaseVersion } from './observability-checks';
import { ReceiverOptions, renderAlertmanagerConfig } from './alertmanager-config';
import { Priority } from './rules';

export interface AlertmanagerClusterProps {
  /** Notification receivers per priority (credentials from Secrets). @default none: alerts are routed but not sent anywhere */
  readonly receivers?: Partial<Record<Priority, ReceiverOptions>>;
  /** Labels alerts are grouped by. @default ['alertname', 'namespace', 'service'] */
  readonly groupBy?: string[];
  /** Alertmanager version run by the operator. @default 'v0.27.0' */
  readonly version?: string;
  /** Replicas (gossip cluster). @default 3 */
  readonly replicas?: number;
  /** Volume per replica for silences and the notification log (the same options as every store's). @default size '2Gi' in the cluster's default StorageClass */
  readonly storage?: StorageOptions;
}

/**
 * An Alertmanager (operator custom resource) whose configuration is generated from the priority
 * table and kept in a Secret referenced by `configSecret`; the Secret holds no credential, only
 * paths to the receiver Secrets the operator mounts.
 */
export class AlertmanagerCluster extends Construct {
  public static readonly PORT = 9093;
  public readonly name = 'alertmanager';
  /** alertmanager.yaml, as amtool checks it. */
  public readonly configYaml: string;
  public readonly pods: PodGroup;

  constructor(scope: Construct, id: string, props: AlertmanagerClusterProps = {}) {
    super(scope, id);
    const version = checkReleaseVersion(this, 'version', props.version ?? 'v0.27.0', 'v0.27.0');
    checkGroupBy(this, props.groupBy);
    checkReceivers(this, props.receivers);
    const storage = resolveStorage(this, 'storage', props.storage, { size: '2Gi' });
    const labels = recommendedLabels({ name: 'alertmanager', instance: this.name, component: 'alerting', version });
    const rendered = renderAlertmanagerConfig(this, props.receivers ?? {}, props.groupBy ?? ['alertname', 'namespace', 'service']);
    this.configYaml = Yaml.stringify(rendered.config);
    const configSecret = 'alertmanager-config';
    new k8s.KubeSecret(this, 'Config', { metadata: { name: configSecret, labels }, type: 'Opaque', stringData: { 'alertmanager.yaml': this.configYaml } });

    new k8s.KubeServiceAccount(this, 'ServiceAccount', { metadata: { name: this.name, labels }, automountServiceAccountToken: false });
    new Alertmanager(this, 'Alertmanager', {
      metadata: { name: this.name, labels },
      spec: {
        version,
        replicas: integerProp(this, 'replicas', props.replicas, 3, { min: 1, max: 9 }),
        serviceAccountName: this.name,
        configSecret,
        secrets: rendered.secretNames,
        retention: '120h',
        securityContext: restrictedPodSecurityContext({ user: 65534, group: 65534 }),
        resources: {
          requests: { cpu: AlertmanagerSpecResourcesRequests.fromString('50m'), memory: AlertmanagerSpecResourcesRequests.fromString('64Mi') },
          limits: { cpu: AlertmanagerSpecResourcesLimits.fromString('200m'), memory: AlertmanagerSpecResourcesLimits.fromString('256Mi') },
        },
        storage: {
          volumeClaimTemplate: {
            spec: { accessModes: [storage.accessMode], storageClassName: storage.storageClassName, resources: { requests: { storage: AlertmanagerSpecStorageVolumeClaimTemplateSpecResourcesRequests.fromString(storage.size) } } },
          },
        },
      },
    });
    const podSelector = { 'app.kubernetes.io/name': 'alertmanager', 'alertmanager': this.name };
    this.pods = new PodGroup(this, 'Network', this.name, podSelector, labels);
    const namespace = namespaceOf(this) ?? 'default';
    // Prometheus and Grafana (same namespace) send and read alerts; replicas gossip with each other.
    this.pods.network.allowIngress([namespacePeer(namespace)], [{ port: AlertmanagerCluster.PORT }]);
    this.pods.network.allowIngress([{ podSelector: { matchLabels: podSelector } }], [{ port: 9094 }, { port: 9094, protocol: 'UDP' }]);
    this.pods.network.allowEgress([{ podSelector: { matchLabels: podSelector } }], [{ port: 9094 }, { port: 9094, protocol: 'UDP' }]);
    // Receivers live outside the cluster: HTTPS APIs and SMTP relays.
    this.pods.network.allowEgressToCidr('0.0.0.0/0', [{ port: 443 }, { port: 587 }, { port: 465 }, { port: 25 }]);
    this.pods.network.allowDns();
  }
}
