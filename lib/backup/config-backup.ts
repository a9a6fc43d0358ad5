import { createHash } from 'crypto';
import { ApiObject, App, Lazy, Yaml } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { INetworkEndpoint, namespaceOf, NetworkRules, recommendedLabels, restrictedContainerSecurityContext, restrictedPodSecurityContext, selectorLabels, workloadNetworkPolicy } from '../shared';
import { platformPriorityClass } from '../shared/priority';

export interface ConfigBackupProps {
  readonly rcloneImage: string;
  readonly destinationEnv: k8s.EnvVar[];
  readonly scriptsConfigMap: string;
  readonly retain: number;
  readonly egressCidr: string;
  readonly endpointPort: number;
}

/**
 * Configuration backup on every change: a snapshot of every object the app renders (Secret values
 * replaced by their SHA-256) in a ConfigMap, and a Job named after the snapshot's hash, so an apply
 * that changes the configuration creates exactly one new backup run and an unchanged one none.
 */
export class ConfigBackup extends Construct implements INetworkEndpoint {
  public readonly namespace?: string;
  public readonly podSelector: Record<string, string>;
  public readonly network: NetworkRules;

  constructor(scope: Construct, id: string, props: ConfigBackupProps) {
    super(scope, id);
    this.namespace = namespaceOf(this);
    this.network = new NetworkRules(this.namespace);
    const identity = { name: 'media-ai-backup', instance: 'config-backup', component: 'backup' };
    this.podSelector = selectorLabels(identity);
    const labels = recommendedLabels(identity);
    const name = Lazy.any({ produce: () => `config-backup-${this.hash}` });

    new k8s.KubeServiceAccount(this, 'ServiceAccount', { metadata: { name: 'config-backup', labels }, automountServiceAccountToken: false });
    new k8s.KubeConfigMap(this, 'Snapshot', { metadata: { name, labels }, data: Lazy.any({ produce: () => ({ 'manifests.yaml': this.snapshot() }) }) });
    const uid = { user: 65534, group: 65534 };
    new k8s.KubeJob(this, 'Job', {
      metadata: { name, labels },
      spec: {
        backoffLimit: 3,
        activeDeadlineSeconds: 1800,
        ttlSecondsAfterFinished: 7 * 86400,
        template: {
          metadata: { labels },
          spec: {
            restartPolicy: 'Never',
            priorityClassName: platformPriorityClass(this, 'batch'),
            serviceAccountName: 'config-backup',
            automountServiceAccountToken: false,
            securityContext: restrictedPodSecurityContext(uid),
            containers: [{
              name: 'ship',
              image: props.rcloneImage,
              imagePullPolicy: 'IfNotPresent',
              command: ['sh', '/scripts/config-backup.sh'],
              env: [
                ...props.destinationEnv,
                { name: 'CONFIG_DIR', value: '/config' },
                { name: 'CONFIG_HASH', value: Lazy.any({ produce: () => this.hash }) },
                { name: 'RETAIN', value: String(props.retain) },
                { name: 'WORK_DIR', value: '/work' },
              ],
              resources: { requests: { cpu: k8s.Quantity.fromString('50m'), memory: k8s.Quantity.fromString('64Mi') }, limits: { cpu: k8s.Quantity.fromString('500m'), memory: k8s.Quantity.fromString('256Mi') } },
              securityContext: restrictedContainerSecurityContext(uid),
              volumeMounts: [{ name: 'config', mountPath: '/config', readOnly: true }, { name: 'scripts', mountPath: '/scripts', readOnly: true }, { name: 'work', mountPath: '/work' }, { name: 'tmp', mountPath: '/tmp' }],
            }],
            volumes: [
              { name: 'config', configMap: { name } },
              { name: 'scripts', configMap: { name: props.scriptsConfigMap } },
              { name: 'work', emptyDir: { sizeLimit: k8s.Quantity.fromString('256Mi') } },
              { name: 'tmp', emptyDir: { sizeLimit: k8s.Quantity.fromString('16Mi') } },
            ],
          },
        },
      },
    });
    this.network.allowDns();
    this.network.allowEgressToCidr(props.egressCidr, [{ port: props.endpointPort }]);
    workloadNetworkPolicy(this, 'NetworkPolicy', 'config-backup', labels, this);
  }

  /** First 16 hex digits of the snapshot's SHA-256 (what config-backup.sh checks). */
  public get hash(): string {
    return createHash('sha256').update(this.snapshot()).digest('hex').slice(0, 16);
  }

  /** Every object of every chart of the app but this construct's own, sorted, Secret values hashed. */
  public snapshot(): string {
    const own = new Set(this.node.findAll());
    const objects = App.of(this).charts
      .flatMap((chart) => chart.node.findAll())
      .filter((c): c is ApiObject => ApiObject.isApiObject(c) && !own.has(c))
      .map((o) => redactSecret(o.toJson()))
      .sort((a, b) => objectKey(a).localeCompare(objectKey(b)));
    return Yaml.stringify(...objects);
  }
}

function objectKey(o: any): string {
  return [o.apiVersion, o.kind, o.metadata?.namespace ?? '', o.metadata?.name].join('/');
}

function redactSecret(o: any): any {
  if (o.kind !== 'Secret') return o;
  const hash = (v: unknown) => `sha256:${createHash('sha256').update(String(v)).digest('hex')}`;
  const redact = (m?: Record<string, unknown>) => (m ? Object.fromEntries(Object.entries(m).map(([k, v]) => [k, hash(v)])) : undefined);
  return { ...o, data: redact(o.data), stringData: redact(o.stringData) };
}
