import { Yaml } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import {
  CredentialsSecret, credentialsSecretProp,
  EnvValue, fail, imageProp, imageVersion, INetworkEndpoint, integerProp, namespacePeer, openConnection, PodGroup, recommendedLabels,
  resolveResources, restrictedContainerSecurityContext, restrictedPodSecurityContext, scratchVolume, selectorLabels, SimpleWorkload, toKubeResources,
} from '../shared';
import { batchPodSettings, platformPriorityClass } from '../shared/priority';

export interface JaegerProps {
  /** Image, pinned (Jaeger v2). @default 'jaegertracing/jaeger:2.1.0' */
  readonly image?: string;
  /** Elasticsearch URL to store spans in. */
  readonly elasticsearchUrl: string;
  /** Secret of Jaeger's own Elasticsearch user (user name and password). */
  readonly credentials: CredentialsSecret;
  /** Collector replicas (PDB and topology spread from 2 on). @default 2 */
  readonly replicas?: number;
  /** Secret with the Elasticsearch HTTP CA (key `ca.crt`). */
  readonly caSecret: string;
  /** Elasticsearch pods (for the NetworkPolicies). */
  readonly elasticsearch: INetworkEndpoint;
  /** Namespace of the monitoring stack (may scrape and query). */
  readonly monitoringNamespace: string;
  /** Days spans and dependency links are kept; older daily indices are deleted every night. @default 7 */
  readonly retentionDays?: number;
  /** Image of Jaeger's index cleaner, pinned (same release as Jaeger). @default 'jaegertracing/jaeger-es-index-cleaner:1.64.0' */
  readonly indexCleanerImage?: string;
  /**
   * Image of Jaeger's spark-dependencies job, pinned, in its Elasticsearch 8 variant.
   * @default 'ghcr.io/jaegertracing/spark-dependencies/spark-dependencies:v0.7.2-elasticsearch8'
   */
  readonly dependenciesImage?: string;
  /** When the daily dependency links are computed (cron, UTC), before the index cleaner's 23:55. @default '30 23 * * *' */
  readonly dependenciesSchedule?: string;
}

/** Jaeger v2: OTLP receiver (gRPC 4317, HTTP 4318), query UI 16686, spans stored in Elasticsearch. */
export class Jaeger extends Construct {
  public static readonly OTLP_GRPC = 4317;
  public static readonly OTLP_HTTP = 4318;
  public static readonly QUERY = 16686;
  public readonly workload: SimpleWorkload;
  public readonly config: string;

  constructor(scope: Construct, id: string, props: JaegerProps) {
    super(scope, id);
    const imageRef = props.image ?? 'jaegertracing/jaeger:2.1.0';
    const credentials = credentialsSecretProp(this, 'credentials', props.credentials);
    const image = imageProp(this, 'image', imageRef);
    this.config = Yaml.stringify({
      service: {
        extensions: ['jaeger_storage', 'jaeger_query', 'healthcheckv2'],
        pipelines: { traces: { receivers: ['otlp'], processors: ['batch'], exporters: ['jaeger_storage_exporter'] } },
        telemetry: { metrics: { level: 'basic', address: '0.0.0.0:8888' } },
      },
      extensions: {
        healthcheckv2: { use_v2: true, http: { endpoint: '0.0.0.0:13133' } },
        jaeger_query: { storage: { traces: 'elasticsearch' }, http: { endpoint: `0.0.0.0:${Jaeger.QUERY}` } },
        jaeger_storage: {
          backends: {
            elasticsearch: {
              elasticsearch: {
                server_urls: [props.elasticsearchUrl],
                auth: { basic: { username: '${env:ES_USERNAME}', password: '${env:ES_PASSWORD}' } },
                tls: { ca_file: '/es-ca/ca.crt' },
                indices: { index_prefix: 'jaeger' },
              },
            },
          },
        },
      },
      receivers: { otlp: { protocols: { grpc: { endpoint: `0.0.0.0:${Jaeger.OTLP_GRPC}` }, http: { endpoint: `0.0.0.0:${Jaeger.OTLP_HTTP}` } } } },
      processors: { batch: {} },
      exporters: { jaeger_storage_exporter: { trace_storage: 'elasticsearch' } },
    });
    const identity = { user: 10001, group: 10001 };
    const esCredentials = [
      EnvValue.fromSecret(credentials.name, credentials.usernameKey).toEnvVar('ES_USERNAME'),
      EnvValue.fromSecret(credentials.name, credentials.passwordKey).toEnvVar('ES_PASSWORD'),
    ];
    const ports = [
      { name: 'otlp-grpc', port: Jaeger.OTLP_GRPC }, { name: 'otlp-http', port: Jaeger.OTLP_HTTP },
      { name: 'query', port: Jaeger.QUERY }, { name: 'metrics', port: 8888 },
    ];
    this.workload = new SimpleWorkload(this, 'Workload', {
      name: 'jaeger',
      appName: 'jaeger',
      component: 'tracing',
      version: imageVersion(image),
      identity,
      replicas: integerProp(this, 'tracingReplicas', props.replicas, 2, { min: 1 }),
      servicePorts: ports,
      configChecksumOf: this.config,
      containers: [{
        name: 'jaeger',
        image: imageRef,
        imagePullPolicy: 'IfNotPresent',
        args: ['--config', '/etc/jaeger/config.yaml'],
        ports: [...ports.map((p) => ({ name: p.name, containerPort: p.port, protocol: 'TCP' })), { name: 'health', containerPort: 13133, protocol: 'TCP' }],
        env: esCredentials,
        resources: toKubeResources(resolveResources(this, 'resources', undefined, { cpuRequest: '200m', cpuLimit: '1', memoryRequest: '256Mi', memoryLimit: '1Gi' })),
        livenessProbe: { httpGet: { path: '/status', port: k8s.IntOrString.fromString('health') }, periodSeconds: 15 },
        readinessProbe: { httpGet: { path: '/status', port: k8s.IntOrString.fromString('health') }, periodSeconds: 5 },
        securityContext: restrictedContainerSecurityContext(identity),
        volumeMounts: [{ name: 'config', mountPath: '/etc/jaeger', readOnly: true }, { name: 'ca', mountPath: '/es-ca', readOnly: true }, { name: 'tmp', mountPath: '/tmp' }],
      }],
      volumes: [{ name: 'config', configMap: { name: 'jaeger-config' } }, { name: 'ca', secret: { secretName: props.caSecret } }, scratchVolume('tmp', '64Mi')],
    });
    new k8s.KubeConfigMap(this, 'Config', { metadata: { name: 'jaeger-config', labels: this.workload.labels }, data: { 'config.yaml': this.config } });
    this.workload.network.allowIngress([namespacePeer(props.monitoringNamespace)], [{ port: Jaeger.QUERY }, { port: 8888 }]);
    this.workload.network.allowEgressTo(props.elasticsearch, [{ port: 9200 }]);
    props.elasticsearch.network.allowIngressFrom(this.workload, [{ port: 9200 }]);
    this.workload.network.allowDns();
    this.addIndexCleaner(props, esCredentials);
    this.addDependencies(props, esCredentials);
  }

  /**
   * With Elasticsearch storage the service dependency graph stays empty unless a job aggregates
   * the day's spans into dependency links: Jaeger's spark-dependencies, daily, in local Spark mode.
   * Its dependency indices (jaeger-jaeger-dependencies-YYYY-MM-DD) are deleted by the index cleaner
   * with the spans, after `retentionDays`.
   */
  private addDependencies(props: JaegerProps, esCredentials: k8s.EnvVar[]): void {
    const imageRef = props.dependenciesImage ?? 'ghcr.io/jaegertracing/spark-dependencies/spark-dependencies:v0.7.2-elasticsearch8';
    const image = imageProp(this, 'dependenciesImage', imageRef);
    const schedule = props.dependenciesSchedule ?? '30 23 * * *';
    if (!/^(\S+\s+){4}\S+$/.test(schedule)) fail(this, 'dependenciesSchedule', schedule, "must be a five-field cron schedule such as '30 23 * * *'");
    // The image's user (eclipse-temurin based); it must exist in /etc/passwd for Spark.
    const identity = { user: 185, group: 185 };
    const id = { name: 'jaeger-spark-dependencies', instance: 'jaeger-spark-dependencies', component: 'tracing', version: imageVersion(image) };
    const labels = recommendedLabels(id);
    // Java reads no PEM trust store: the ECK CA is imported into a PKCS12 one first. It holds only
    // a public certificate, so its password protects nothing and is not a secret.
    const trustStore = '/truststore/es-ca.p12';
    const trustPassword = 'changeit';
    const security = restrictedContainerSecurityContext(identity);
    new k8s.KubeCronJob(this, 'Dependencies', {
      metadata: { name: 'jaeger-spark-dependencies', labels },
      spec: {
        schedule,
        timeZone: 'Etc/UTC',
        concurrencyPolicy: 'Forbid',
        startingDeadlineSeconds: 3600,
        successfulJobsHistoryLimit: 1,
        failedJobsHistoryLimit: 3,
        jobTemplate: {
          spec: {
            backoffLimit: 2,
            activeDeadlineSeconds: 3 * 3600,
            template: {
              metadata: { labels },
              spec: {
                restartPolicy: 'Never',
                priorityClassName: platformPriorityClass(this, 'batch'),
                automountServiceAccountToken: false,
                securityContext: restrictedPodSecurityContext(identity),
                initContainers: [{
                  name: 'truststore',
                  image: imageRef,
                  imagePullPolicy: 'IfNotPresent',
                  command: ['keytool', '-importcert', '-noprompt', '-alias', 'es-http-ca', '-file', '/es-ca/ca.crt', '-keystore', trustStore, '-storetype', 'PKCS12', '-storepass', trustPassword],
                  resources: toKubeResources(resolveResources(this, 'dependenciesResources', undefined, { cpuRequest: '10m', cpuLimit: '200m', memoryRequest: '64Mi', memoryLimit: '256Mi' })),
                  securityContext: security,
                  volumeMounts: [{ name: 'ca', mountPath: '/es-ca', readOnly: true }, { name: 'truststore', mountPath: '/truststore' }],
                }],
                containers: [{
                  name: 'spark-dependencies',
                  image: imageRef,
                  imagePullPolicy: 'IfNotPresent',
                  env: [
                    { name: 'ES_NODES', value: props.elasticsearchUrl },
                    // ECK's Service is the only way in: no discovery of the nodes' own addresses.
                    { name: 'ES_NODES_WAN_ONLY', value: 'true' },
                    ...esCredentials,
                    { name: 'ES_INDEX_PREFIX', value: 'jaeger' },
                    { name: 'ES_TIME_RANGE', value: '24h' },
                    { name: 'JAVA_OPTS', value: `-Xms512m -Xmx1536m -Djava.io.tmpdir=/tmp -Djavax.net.ssl.trustStore=${trustStore} -Djavax.net.ssl.trustStoreType=PKCS12 -Djavax.net.ssl.trustStorePassword=${trustPassword}` },
                  ],
                  resources: toKubeResources(resolveResources(this, 'dependenciesResources', undefined, { cpuRequest: '500m', cpuLimit: '2', memoryRequest: '2Gi', memoryLimit: '2Gi' })),
                  securityContext: security,
                  volumeMounts: [{ name: 'truststore', mountPath: '/truststore', readOnly: true }, { name: 'tmp', mountPath: '/tmp' }],
                }],
                volumes: [
                  { name: 'ca', secret: { secretName: props.caSecret } },
                  { name: 'truststore', emptyDir: { sizeLimit: k8s.Quantity.fromString('1Mi') } },
                  scratchVolume('tmp', '2Gi'),
                ],
              },
            },
          },
        },
      },
    });
    const job = new PodGroup(this, 'DependenciesNetwork', 'jaeger-spark-dependencies', selectorLabels(id), labels);
    openConnection(job, props.elasticsearch, [{ port: 9200 }]);
    job.network.allowDns();
  }

  /**
   * Jaeger writes one span, service and dependency index a day and never deletes them: Jaeger's
   * own index cleaner deletes the indices older than `retentionDays`, every night.
   */
  private addIndexCleaner(props: JaegerProps, esCredentials: k8s.EnvVar[]): void {
    const days = integerProp(this, 'retentionDays', props.retentionDays, 7, { min: 1, max: 365 });
    const imageRef = props.indexCleanerImage ?? 'jaegertracing/jaeger-es-index-cleaner:1.64.0';
    const image = imageProp(this, 'indexCleanerImage', imageRef);
    const identity = { user: 10001, group: 10001 };
    const id = { name: 'jaeger-index-cleaner', instance: 'jaeger-index-cleaner', component: 'tracing', version: imageVersion(image) };
    const selector = selectorLabels(id);
    const labels = recommendedLabels(id);
    new k8s.KubeCronJob(this, 'IndexCleaner', {
      metadata: { name: 'jaeger-index-cleaner', labels },
      spec: {
        schedule: '55 23 * * *',
        concurrencyPolicy: 'Forbid',
        successfulJobsHistoryLimit: 1,
        failedJobsHistoryLimit: 3,
        jobTemplate: {
          spec: {
            backoffLimit: 3,
            activeDeadlineSeconds: 1800,
            template: {
              metadata: { labels },
              spec: {
                ...batchPodSettings(this, identity, 'OnFailure'),
                containers: [{
                  name: 'index-cleaner',
                  image: imageRef,
                  imagePullPolicy: 'IfNotPresent',
                  // Deletes jaeger-jaeger-{span,service,dependencies,sampling}-YYYY-MM-DD older than the retention.
                  args: [String(days), props.elasticsearchUrl],
                  env: [
                    ...esCredentials,
                    { name: 'INDEX_PREFIX', value: 'jaeger' },
                    { name: 'ES_TLS_ENABLED', value: 'true' },
                    { name: 'ES_TLS_CA', value: '/es-ca/ca.crt' },
                  ],
                  resources: toKubeResources(resolveResources(this, 'indexCleanerResources', undefined, { cpuRequest: '10m', cpuLimit: '200m', memoryRequest: '32Mi', memoryLimit: '128Mi' })),
                  securityContext: restrictedContainerSecurityContext(identity),
                  volumeMounts: [{ name: 'ca', mountPath: '/es-ca', readOnly: true }],
                }],
                volumes: [{ name: 'ca', secret: { secretName: props.caSecret } }],
              },
            },
          },
        },
      },
    });
    const cleaner = new PodGroup(this, 'IndexCleanerNetwork', 'jaeger-index-cleaner', selector, labels);
    openConnection(cleaner, props.elasticsearch, [{ port: 9200 }]);
    cleaner.network.allowDns();
  }

  /** The OTLP gRPC endpoint applications export to. */
  public get otlpEndpoint(): string {
    return `http://${this.workload.host}:${Jaeger.OTLP_GRPC}`;
  }
}
