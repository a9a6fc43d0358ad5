import { createHash } from 'crypto';
import { ApiObject, Lazy } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import { Construct, IConstruct } from 'constructs';
import { INetworkEndpoint, namespaceOf, NetworkRules, recommendedLabels, restrictedContainerSecurityContext, restrictedPodSecurityContext, selectorLabels, workloadNetworkPolicy } from '../shared';
import { platformPriorityClass } from '../shared/priority';

const CONFIG_BACKUP = Symbol.for('@media-ai/cdk8s-platform.ConfigBackup');

export interface ConfigBackupProps {
  /** Name of the ServiceAccount and NetworkPolicy, and prefix of the snapshot ConfigMap and Job. */
  readonly name: string;
  /** Constructs (usually charts) whose objects the snapshot captures. */
  readonly scope: IConstruct[];
  readonly rcloneImage: string;
  readonly destinationEnv: k8s.EnvVar[];
  readonly scriptsConfigMap: string;
  readonly retain: number;
  readonly egressCidr: string;
  readonly endpointPort: number;
}

/**
 * Configuration backup on every change: a snapshot of every object in its scope (Secret values
 * replaced by their SHA-256; no configuration backup's own objects, so policies never embed each
 * other) in a ConfigMap, and a Job named after the snapshot's hash, so an apply that changes the
 * configuration creates exactly one new backup run and an unchanged one none.
 */
export class ConfigBackup extends Construct implements INetworkEndpoint {
  public readonly namespace?: string;
  public readonly podSelector: Record<string, string>;
  public readonly network: NetworkRules;
  private readonly scope: IConstruct[];
  /** The snapshot of the render in progress (one synchronous synth), cleared right after it. */
  private cached?: string;

  /** Whether a construct belongs to a configuration backup (excluded from every snapshot). */
  public static isConfigBackup(x: unknown): x is ConfigBackup {
    return x !== null && typeof x === 'object' && CONFIG_BACKUP in x;
  }

  constructor(scope: Construct, id: string, props: ConfigBackupProps) {
    super(scope, id);
    Object.defineProperty(this, CONFIG_BACKUP, { value: true });
    this.scope = props.scope;
    this.namespace = namespaceOf(this);
    this.network = new NetworkRules(this.namespace);
    const identity = { name: 'media-ai-backup', instance: props.name, component: 'backup' };
    this.podSelector = selectorLabels(identity);
    const labels = recommendedLabels(identity);
    const name = Lazy.any({ produce: () => `${props.name}-${this.hash}` });

    new k8s.KubeServiceAccount(this, 'ServiceAccount', { metadata: { name: props.name, labels }, automountServiceAccountToken: false });
    new k8s.KubeConfigMap(this, 'Snapshot', { metadata: { name, labels }, data: Lazy.any({ produce: () => ({ [SNAPSHOT_FILE]: this.snapshot() }) }) });
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
            serviceAccountName: props.name,
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
    workloadNetworkPolicy(this, 'NetworkPolicy', props.name, labels, this);
  }

  /** First 16 hex digits of the snapshot's SHA-256 (what config-backup.sh checks). */
  public get hash(): string {
    return createHash('sha256').update(this.snapshot()).digest('hex').slice(0, 16);
  }

  /**
   * Every object in scope but those of configuration backups, sorted, Secret values hashed, as one
   * `v1` `List` in JSON (`kubectl apply -f manifests.json` takes it; YAML would cost as much as the
   * whole synth's output, issue #15), one object per line: a diff names the objects that changed, and
   * the ConfigMap stays well under kubectl's 256 KiB last-applied annotation (indented JSON would not). Rendered
   * once per synth: the names, the hash and the data all ask for it while one synth runs (synchronously),
   * and the cache is dropped in the next microtask, so a later synth sees later changes.
   */
  public snapshot(): string {
    if (this.cached === undefined) {
      this.cached = this.render();
      queueMicrotask(() => { this.cached = undefined; });
    }
    return this.cached;
  }

  private render(): string {
    const inBackup = (c: IConstruct) => c.node.scopes.some((s) => ConfigBackup.isConfigBackup(s));
    const seen = new Set<IConstruct>();
    const objects = this.scope
      .flatMap((root) => root.node.findAll())
      .filter((c): c is ApiObject => ApiObject.isApiObject(c) && !seen.has(c) && !!seen.add(c) && !inBackup(c))
      .map((o) => redactSecret(o.toJson()))
      .sort((a, b) => objectKey(a).localeCompare(objectKey(b)));
    return `{"apiVersion":"v1","kind":"List","items":[\n${objects.map((o) => JSON.stringify(o)).join(',\n')}\n]}\n`;
  }
}

/** The snapshot's file name in the ConfigMap and in the backup (config-backup.sh hashes it). */
export const SNAPSHOT_FILE = 'manifests.json';

function objectKey(o: any): string {
  return [o.apiVersion, o.kind, o.metadata?.namespace ?? '', o.metadata?.name].join('/');
}

function redactSecret(o: any): any {
  if (o.kind !== 'Secret') return o;
  const hash = (v: unknown) => `sha256:${createHash('sha256').update(String(v)).digest('hex')}`;
  const redact = (m?: Record<string, unknown>) => (m ? Object.fromEntries(Object.entries(m).map(([k, v]) => [k, hash(v)])) : undefined);
  return { ...o, data: redact(o.data), stringData: redact(o.stringData) };
}
