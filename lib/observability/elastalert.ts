import { Lazy, Yaml } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import {
  CredentialsSecret, credentialsSecretProp,
  EnvValue, imageProp, imageVersion, INetworkEndpoint, openConnection, resolveResources, restrictedContainerSecurityContext, scratchVolume,
  SimpleWorkload, toKubeResources,
} from '../shared';
import { elastAlertRule, LogAlert } from './log-alerts';

export interface ElastAlertProps {
  /** Image, pinned. @default 'jertel/elastalert2:2.31.0' */
  readonly image?: string;
  /** Elasticsearch HTTPS URL (ECK's HTTP Service). */
  readonly elasticsearchUrl: string;
  /** Secret of ElastAlert's own Elasticsearch user (user name and password). */
  readonly credentials: CredentialsSecret;
  /** Secret with the Elasticsearch HTTP CA (key `ca.crt`). */
  readonly caSecret: string;
  readonly elasticsearch: INetworkEndpoint;
  /** Alertmanager pods and the URL ElastAlert posts to. */
  readonly alertmanager: { readonly pods: INetworkEndpoint; readonly url: string };
}

/**
 * ElastAlert 2: queries the logs every minute and posts matches to Alertmanager (API v2) with
 * P0–P3 labels. One replica (its state lives in Elasticsearch); rules in a ConfigMap that
 * ElastAlert re-reads when it changes; its own Elasticsearch user, restricted pod, and a
 * NetworkPolicy that admits only Elasticsearch, Alertmanager and DNS.
 */
export class ElastAlert extends Construct {
  public static readonly RULES_DIR = '/etc/elastalert/rules';
  /** Its Prometheus metrics (scraped, so TargetDown fires when log alerting itself stops). */
  public static readonly METRICS_PORT = 9979;
  public readonly workload: SimpleWorkload;
  /** The ElastAlert configuration (config.yaml). */
  public readonly config: Record<string, unknown>;
  private readonly alerts: LogAlert[] = [];
  private readonly alertmanagerUrl: string;

  constructor(scope: Construct, id: string, props: ElastAlertProps) {
    super(scope, id);
    const imageRef = props.image ?? 'jertel/elastalert2:2.31.0';
    const credentials = credentialsSecretProp(this, 'credentials', props.credentials);
    const image = imageProp(this, 'image', imageRef);
    this.alertmanagerUrl = props.alertmanager.url;
    const es = new URL(props.elasticsearchUrl);
    this.config = {
      rules_folder: ElastAlert.RULES_DIR,
      run_every: { minutes: 1 },
      buffer_time: { minutes: 15 },
      es_host: es.hostname,
      es_port: Number(es.port || 443),
      use_ssl: es.protocol === 'https:',
      verify_certs: true,
      ca_certs: '/es-ca/ca.crt',
      writeback_index: 'elastalert_status',
      alert_time_limit: { days: 2 },
      // A broken rule file is skipped, not a reason to stop alerting on the others.
      disable_rules_on_error: false,
    };
    const configYaml = Yaml.stringify(this.config);
    const identity = { user: 1000, group: 1000 };
    const configFile = '/etc/elastalert/config.yaml';
    this.workload = new SimpleWorkload(this, 'Workload', {
      name: 'elastalert',
      appName: 'elastalert',
      component: 'alerting',
      version: imageVersion(image),
      identity,
      recreate: true,
      configChecksumOf: configYaml,
      servicePorts: [{ name: 'metrics', port: ElastAlert.METRICS_PORT }],
      containers: [{
        name: 'elastalert',
        image: imageRef,
        imagePullPolicy: 'IfNotPresent',
        // The image's run.sh reads /opt/elastalert/config.yaml; ours is mounted read-only elsewhere.
        command: ['sh', '-c', `elastalert-create-index --config ${configFile} && exec elastalert --config ${configFile} --prometheus_port ${ElastAlert.METRICS_PORT}`],
        ports: [{ name: 'metrics', containerPort: ElastAlert.METRICS_PORT, protocol: 'TCP' }],
        // Its metrics server runs in the elastalert process: it answers once the index exists and the
        // rules loaded, and stops answering when the process hangs or dies.
        readinessProbe: { httpGet: { path: '/', port: k8s.IntOrString.fromString('metrics') }, periodSeconds: 30, timeoutSeconds: 5, failureThreshold: 3 },
        livenessProbe: { httpGet: { path: '/', port: k8s.IntOrString.fromString('metrics') }, initialDelaySeconds: 300, periodSeconds: 60, timeoutSeconds: 10, failureThreshold: 5 },
        env: [
          EnvValue.fromSecret(credentials.name, credentials.usernameKey).toEnvVar('ES_USERNAME'),
          EnvValue.fromSecret(credentials.name, credentials.passwordKey).toEnvVar('ES_PASSWORD'),
          { name: 'HOME', value: '/tmp' },
        ],
        resources: toKubeResources(resolveResources(this, 'resources', undefined, { cpuRequest: '50m', cpuLimit: '500m', memoryRequest: '128Mi', memoryLimit: '512Mi' })),
        securityContext: restrictedContainerSecurityContext(identity),
        volumeMounts: [
          { name: 'config', mountPath: configFile, subPath: 'config.yaml', readOnly: true },
          { name: 'rules', mountPath: ElastAlert.RULES_DIR, readOnly: true },
          { name: 'ca', mountPath: '/es-ca', readOnly: true },
          { name: 'tmp', mountPath: '/tmp' },
        ],
      }],
      volumes: [
        { name: 'config', configMap: { name: 'elastalert-config' } },
        { name: 'rules', configMap: { name: 'elastalert-rules' } },
        { name: 'ca', secret: { secretName: props.caSecret } },
        scratchVolume('tmp', '64Mi'),
      ],
    });
    new k8s.KubeConfigMap(this, 'Config', { metadata: { name: 'elastalert-config', labels: this.workload.labels }, data: { 'config.yaml': configYaml } });
    // Rendered at synth, so alerts added by later monitor() calls are included.
    new k8s.KubeConfigMap(this, 'Rules', {
      metadata: { name: 'elastalert-rules', labels: this.workload.labels },
      data: Lazy.any({ produce: () => this.ruleFiles() }) as unknown as Record<string, string>,
    });
    openConnection(this.workload, props.elasticsearch, [{ port: Number(es.port || 443) }]);
    openConnection(this.workload, props.alertmanager.pods, [{ port: Number(new URL(props.alertmanager.url).port || 80) }]);
    this.workload.network.allowDns();
  }

  /** Adds log alerts (one rule file each). */
  public addAlerts(alerts: readonly LogAlert[]): void {
    this.alerts.push(...alerts);
  }

  /** The log alerts, in the order they were added. */
  public get logAlerts(): readonly LogAlert[] {
    return [...this.alerts];
  }

  /** The rule files, by file name. */
  public ruleFiles(): Record<string, string> {
    return Object.fromEntries(this.alerts.map((a) => [`${a.rule}.yaml`, Yaml.stringify(elastAlertRule(a, { alertmanagerUrls: [this.alertmanagerUrl] }))]));
  }
}
