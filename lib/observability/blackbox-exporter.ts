import { Yaml } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { imageProp, imageVersion, integerProp, resolveResources, restrictedContainerSecurityContext, SimpleWorkload, toKubeResources, TopologySpreadOptions } from '../shared';

export interface BlackboxExporterProps {
  /** Image, pinned. @default 'prom/blackbox-exporter:v0.25.0' */
  readonly image?: string;
  /**
   * Replicas. The P0/P1 availability and certificate alerts depend on these probes, so two by
   * default, with a PodDisruptionBudget allowing one eviction and a spread over zones and nodes;
   * a development cluster may set 1.
   * @default 2
   */
  readonly replicas?: number;
  /** Spread of the replicas across zones and nodes. @default maxSkew 1, ScheduleAnyway */
  readonly topologySpread?: TopologySpreadOptions;
}

/** Probe modules: HTTP 2xx over IPv4 (preferred), HTTPS that must present a valid certificate, TLS on TCP. */
export const BLACKBOX_MODULES = {
  modules: {
    http_2xx: { prober: 'http', timeout: '5s', http: { preferred_ip_protocol: 'ip4', ip_protocol_fallback: true, follow_redirects: true } },
    https_2xx_tls: {
      prober: 'http',
      timeout: '5s',
      http: { preferred_ip_protocol: 'ip4', ip_protocol_fallback: true, follow_redirects: true, fail_if_not_ssl: true, tls_config: { insecure_skip_verify: false } },
    },
    tcp_tls: { prober: 'tcp', timeout: '5s', tcp: { preferred_ip_protocol: 'ip4', tls: true, tls_config: { insecure_skip_verify: false } } },
  },
};

/** The Blackbox exporter that runs the synthetic availability and certificate probes. */
export class BlackboxExporter extends Construct {
  public static readonly PORT = 9115;
  public readonly workload: SimpleWorkload;
  public readonly config: string;

  constructor(scope: Construct, id: string, props: BlackboxExporterProps = {}) {
    super(scope, id);
    const imageRef = props.image ?? 'prom/blackbox-exporter:v0.25.0';
    const image = imageProp(this, 'image', imageRef);
    this.config = Yaml.stringify(BLACKBOX_MODULES);
    const configMapName = 'blackbox-exporter-config';
    const identity = { user: 65534, group: 65534 };
    this.workload = new SimpleWorkload(this, 'Workload', {
      name: 'blackbox-exporter',
      appName: 'blackbox-exporter',
      component: 'monitoring',
      version: imageVersion(image),
      identity,
      replicas: integerProp(this, 'replicas', props.replicas, 2, { min: 1 }),
      topologySpread: props.topologySpread,
      servicePorts: [{ name: 'http', port: BlackboxExporter.PORT }],
      configChecksumOf: this.config,
      containers: [{
        name: 'blackbox-exporter',
        image: imageRef,
        imagePullPolicy: 'IfNotPresent',
        args: ['--config.file=/config/blackbox.yml', `--web.listen-address=:${BlackboxExporter.PORT}`],
        ports: [{ name: 'http', containerPort: BlackboxExporter.PORT, protocol: 'TCP' }],
        resources: toKubeResources(resolveResources(this, 'resources', undefined, { cpuRequest: '50m', cpuLimit: '200m', memoryRequest: '32Mi', memoryLimit: '128Mi' })),
        livenessProbe: { httpGet: { path: '/-/healthy', port: k8s.IntOrString.fromString('http') }, periodSeconds: 30 },
        readinessProbe: { httpGet: { path: '/-/healthy', port: k8s.IntOrString.fromString('http') }, periodSeconds: 10 },
        securityContext: restrictedContainerSecurityContext(identity),
        volumeMounts: [{ name: 'config', mountPath: '/config', readOnly: true }],
      }],
      volumes: [{ name: 'config', configMap: { name: configMapName } }],
    });
    new k8s.KubeConfigMap(this, 'Config', { metadata: { name: configMapName, labels: this.workload.labels }, data: { 'blackbox.yml': this.config } });
    // Probes leave the cluster (public hosts) on HTTP(S).
    this.workload.network.allowEgressToCidr('0.0.0.0/0', [{ port: 80 }, { port: 443 }]);
    this.workload.network.allowDns();
  }
}
