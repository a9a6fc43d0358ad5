import { Yaml } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { Beat } from '../../imports/beat.k8s.elastic.co';
import { Elasticsearch, ElasticsearchSpecNodeSetsVolumeClaimTemplatesSpecResourcesRequests } from '../../imports/elasticsearch.k8s.elastic.co';
import { Kibana } from '../../imports/kibana.k8s.elastic.co';
import { Logstash, LogstashSpecServicesServiceSpecPortsTargetPort } from '../../imports/logstash.k8s.elastic.co';
import {
  dnsLabelProp, dnsSubdomainProp, EnvValue, fail, integerProp, loadScript, namespaceOf, namespacePeer, openConnection, PodGroup, recommendedLabels, resolveStorage,
  restrictedContainerSecurityContext, restrictedPodSecurityContext, StorageOptions,
} from '../shared';
import { platformPriorityClass } from '../shared/priority';
import { KibanaSavedObjects } from './kibana-objects';
import { logSources, logstashFilter } from './log-parsing';

export interface LoggingStackProps {
  /** Elastic Stack version (ECK runs it). @default '8.13.4' */
  readonly version?: string;
  /** Elasticsearch nodes. @default 3 */
  readonly elasticsearchNodes?: number;
  /** JVM heap per Elasticsearch node, e.g. '2g'; the container gets twice as much memory. @default '2g' */
  readonly heapSize?: string;
  /** Elasticsearch volume per node. @default expected data 100Gi, 40 % headroom */
  readonly storage?: StorageOptions;
  /** Days logs are kept (index lifecycle). @default 14 */
  readonly retentionDays?: number;
  /** Namespace of the log collector (Filebeat needs host paths: a "privileged" namespace). */
  readonly agentsNamespace: string;
  /** Namespace of the ingress controller allowed to reach Kibana. @default 'ingress-nginx' */
  readonly ingressControllerNamespace?: string;
  /** Namespace the ECK operator runs in (it calls Elasticsearch and Logstash). @default 'elastic-system' */
  readonly operatorNamespace?: string;
  /** Version of the ECK operator that runs these resources (it names the init containers to harden); 2.14.0 to 2.16.x. @default '2.16.1' */
  readonly eckVersion?: string;
  /**
   * Secrets (type `kubernetes.io/basic-auth`, keys `username`, `password` and `roles`) with the
   * Elasticsearch user of each client, in the stack's namespace; ECK adds them to the file realm.
   * Each client gets only its own role (`ES_CLIENT_ROLES`), never the `elastic` superuser.
   * @default 'es-user-ilm-setup', 'es-user-jaeger', 'es-user-grafana', 'es-user-elastalert', 'es-user-kibana-setup'
   */
  readonly users?: Partial<Record<EsClient, string>>;
}

const ES_CLUSTER = 'logs';
const DATASET = 'media_ai';

/** The platform's Elasticsearch clients, each with its own user and role. */
export type EsClient = 'ilm-setup' | 'jaeger' | 'grafana' | 'elastalert' | 'kibana-setup';

/** An Elasticsearch role, as ECK reads it from a roles.yml Secret. */
export interface EsRole {
  readonly cluster: string[];
  readonly indices: Array<{ readonly names: string[]; readonly privileges: string[] }>;
  /** Kibana feature privileges (application `kibana-.kibana`). */
  readonly applications?: Array<{ readonly application: string; readonly privileges: string[]; readonly resources: string[] }>;
}

/**
 * The role of each client (least privilege): what the `roles` key of its user Secret must name.
 * The ILM setup installs policies and templates; Jaeger owns its indices (and deletes old ones);
 * Grafana reads the logs; ElastAlert reads them and writes its state; the Kibana setup Job writes saved objects.
 */
export const ES_CLIENT_ROLES: Record<EsClient, { readonly name: string; readonly role: EsRole }> = {
  'ilm-setup': { name: 'media-ai-ilm-setup', role: { cluster: ['monitor', 'manage_ilm', 'manage_index_templates'], indices: [] } },
  'jaeger': {
    name: 'media-ai-jaeger',
    role: {
      cluster: ['monitor', 'manage_index_templates'],
      indices: [{ names: ['jaeger-*'], privileges: ['create_index', 'write', 'read', 'view_index_metadata', 'delete_index'] }],
    },
  },
  'grafana': { name: 'media-ai-grafana', role: { cluster: ['monitor'], indices: [{ names: [`logs-${DATASET}-*`], privileges: ['read', 'view_index_metadata'] }] } },
  // ElastAlert reads the logs and keeps its own state (writeback indices elastalert_status*).
  'elastalert': {
    name: 'media-ai-elastalert',
    role: {
      cluster: ['monitor'],
      indices: [
        { names: [`logs-${DATASET}-*`], privileges: ['read', 'view_index_metadata'] },
        { names: ['elastalert_status*'], privileges: ['create_index', 'write', 'read', 'view_index_metadata', 'manage'] },
      ],
    },
  },
  // The saved-objects Job writes the data view and saved searches in the default space, nothing else.
  'kibana-setup': {
    name: 'media-ai-kibana-setup',
    role: {
      cluster: [],
      indices: [{ names: [`logs-${DATASET}-*`], privileges: ['view_index_metadata'] }],
      applications: [{ application: 'kibana-.kibana', privileges: ['feature_discover.all', 'feature_indexPatterns.all'], resources: ['space:default'] }],
    },
  },
};

/** The default name of a client's user Secret. */
export function defaultEsUserSecret(client: EsClient): string {
  return `es-user-${client}`;
}

/** ECK versions the rendered resources are written for: 2.14 to 2.16 (ECK 3.x needs Kubernetes 1.29+). */
export const SUPPORTED_ECK_VERSIONS = '2.14.0 to 2.16.x';

/**
 * The init containers an ECK version adds, hardened through same-named podTemplate entries (ECK
 * merges by name). Only names ECK adds: an entry it does not know becomes an init container of
 * its own, running the main image. ECK 2.16.1 renamed Kibana's `elastic-internal-init-config` to
 * `elastic-internal-init`. Beats get one only for a keystore (spec.secureSettings), unused here.
 */
export function eckInitContainers(eckVersion: string): { elasticsearch: string[]; kibana: string[]; logstash: string[]; beat: string[] } {
  const [major, minor, patch] = eckVersion.split('.').map(Number);
  const renamed = major > 2 || (major === 2 && (minor > 16 || (minor === 16 && patch >= 1)));
  return {
    elasticsearch: ['elastic-internal-init-filesystem', 'elastic-internal-suspend'],
    kibana: [renamed ? 'elastic-internal-init' : 'elastic-internal-init-config'],
    logstash: ['logstash-internal-init-config'],
    beat: [],
  };
}


/**
 * ELK through ECK: Elasticsearch (logs and traces), Kibana, Logstash receiving from Filebeat,
 * and a Job that installs the index lifecycle policy (retention) and template.
 */
export class LoggingStack extends Construct {
  public readonly elasticsearchName = 'logs';
  /** In-cluster URL of Elasticsearch (ECK's HTTP Service, TLS with the ECK CA). */
  public readonly elasticsearchUrl: string;
  /** Secret ECK creates with the HTTP CA (key `ca.crt`). */
  public readonly caSecret: string;
  public readonly elasticsearchPods: PodGroup;
  /** The user Secret (basic-auth) of each client. */
  public readonly userSecrets: Record<EsClient, string>;
  /** Namespace of the ECK operator. */
  public readonly operatorNamespace: string;

  constructor(scope: Construct, id: string, props: LoggingStackProps) {
    super(scope, id);
    const version = props.version ?? '8.13.4';
    if (!/^8\.[0-9]+\.[0-9]+$/.test(version)) fail(this, 'version', version, "must be an Elastic Stack 8 version such as '8.13.4'");
    const nodes = integerProp(this, 'elasticsearchNodes', props.elasticsearchNodes, 3, { min: 1, max: 50 });
    const heap = props.heapSize ?? '2g';
    const heapMatch = /^([0-9]+)([mg])$/.exec(heap);
    if (!heapMatch) fail(this, 'heapSize', heap, "must be a JVM size such as '2g' or '1536m'");
    const heapMi = Number(heapMatch[1]) * (heapMatch[2] === 'g' ? 1024 : 1);
    if (heapMi < 512 || heapMi > 31 * 1024) fail(this, 'heapSize', heap, 'must be between 512m and 31g (compressed object pointers)');
    const retentionDays = integerProp(this, 'retentionDays', props.retentionDays, 14, { min: 1, max: 3650 });
    const storage = resolveStorage(this, 'storage', props.storage, '100Gi');
    const namespace = namespaceOf(this) ?? 'default';
    const labels = recommendedLabels({ name: 'elasticsearch', instance: this.elasticsearchName, component: 'logging', version });
    this.elasticsearchUrl = `https://${this.elasticsearchName}-es-http.${namespace}.svc:9200`;
    this.caSecret = `${this.elasticsearchName}-es-http-certs-public`;
    const restricted = restrictedContainerSecurityContext({ user: 1000, group: 1000 });
    // ECK's own containers may write their config dirs: keep the root filesystem writable there, all else restricted.
    const eckContainer = { ...restricted, readOnlyRootFilesystem: false };
    const podSecurity = restrictedPodSecurityContext({ user: 1000, group: 1000 });
    const hardenedInit = (names: readonly string[]) => names.map((name) => ({ name, securityContext: eckContainer }));
    const eckVersion = props.eckVersion ?? '2.16.1';
    const eck = /^2\.(1[4-6])\.[0-9]+$/.test(eckVersion) ? eckInitContainers(eckVersion)
      : fail(this, 'eckVersion', eckVersion, `must be an ECK version from ${SUPPORTED_ECK_VERSIONS} (ECK 3 does not support Kubernetes 1.27)`);
    this.operatorNamespace = dnsLabelProp(this, 'operatorNamespace', props.operatorNamespace ?? 'elastic-system');
    const clients = Object.keys(ES_CLIENT_ROLES) as EsClient[];
    this.userSecrets = Object.fromEntries(clients.map((c) => [c, dnsSubdomainProp(this, `users.${c}`, props.users?.[c] ?? defaultEsUserSecret(c))])) as Record<EsClient, string>;
    // Role definitions are not credentials: the library owns them; the users (passwords) are prerequisites.
    const rolesSecret = `${this.elasticsearchName}-media-ai-roles`;
    new k8s.KubeSecret(this, 'Roles', {
      metadata: { name: rolesSecret, labels },
      type: 'Opaque',
      stringData: { 'roles.yml': Yaml.stringify(Object.fromEntries(clients.map((c) => [ES_CLIENT_ROLES[c].name, ES_CLIENT_ROLES[c].role]))) },
    });

    new Elasticsearch(this, 'Elasticsearch', {
      metadata: { name: this.elasticsearchName, labels },
      spec: {
        version,
        auth: { roles: [{ secretName: rolesSecret }], fileRealm: clients.map((c) => ({ secretName: this.userSecrets[c] })) },
        nodeSets: [{
          name: 'default',
          count: nodes,
          // No mmap: no privileged sysctl init container, so the pods can be "restricted".
          config: { 'node.store.allow_mmap': false },
          podTemplate: {
            metadata: { labels },
            spec: {
              securityContext: podSecurity,
              automountServiceAccountToken: false,
              containers: [{
                name: 'elasticsearch',
                env: [{ name: 'ES_JAVA_OPTS', value: `-Xms${heap} -Xmx${heap}` }],
                resources: { requests: { cpu: '500m', memory: `${heapMi * 2}Mi` }, limits: { cpu: '2', memory: `${heapMi * 2}Mi` } },
                securityContext: eckContainer,
              }],
              initContainers: hardenedInit(eck.elasticsearch),
            },
          },
          volumeClaimTemplates: [{
            metadata: { name: 'elasticsearch-data' },
            spec: { accessModes: [storage.accessMode], storageClassName: storage.storageClassName, resources: { requests: { storage: ElasticsearchSpecNodeSetsVolumeClaimTemplatesSpecResourcesRequests.fromString(storage.size) } } },
          }],
        }],
      },
    });

    new Kibana(this, 'Kibana', {
      metadata: { name: 'kibana', labels: { ...labels, 'app.kubernetes.io/name': 'kibana', 'app.kubernetes.io/instance': 'kibana' } },
      spec: {
        version,
        count: 1,
        elasticsearchRef: { name: this.elasticsearchName },
        podTemplate: {
          spec: {
            securityContext: podSecurity,
            automountServiceAccountToken: false,
            initContainers: hardenedInit(eck.kibana),
            containers: [{ name: 'kibana', securityContext: eckContainer, resources: { requests: { cpu: '250m', memory: '1Gi' }, limits: { cpu: '1', memory: '1Gi' } } }],
          },
        },
      },
    });

    const prefix = ES_CLUSTER.toUpperCase();
    new Logstash(this, 'Logstash', {
      metadata: { name: 'logstash', labels: { ...labels, 'app.kubernetes.io/name': 'logstash', 'app.kubernetes.io/instance': 'logstash' } },
      spec: {
        version,
        count: 2,
        elasticsearchRefs: [{ name: this.elasticsearchName, clusterName: ES_CLUSTER }],
        pipelines: [{
          'pipeline.id': 'main',
          'config.string': [
            'input { beats { port => 5044 } }',
            logstashFilter(logSources({ ingressControllerNamespace: props.ingressControllerNamespace ?? 'ingress-nginx' })),
            'output {',
            '  elasticsearch {',
            `    hosts => [ "\${${prefix}_ES_HOSTS}" ]`,
            `    user => "\${${prefix}_ES_USER}"`,
            `    password => "\${${prefix}_ES_PASSWORD}"`,
            `    ssl_certificate_authorities => "\${${prefix}_ES_SSL_CERTIFICATE_AUTHORITY}"`,
            '    data_stream => true',
            '    data_stream_type => "logs"',
            `    data_stream_dataset => "${DATASET}"`,
            '    data_stream_namespace => "default"',
            '  }',
            '}',
          ].join('\n'),
        }],
        services: [{ name: 'beats', service: { spec: { type: 'ClusterIP', ports: [{ port: 5044, name: 'beats', protocol: 'TCP', targetPort: LogstashSpecServicesServiceSpecPortsTargetPort.fromNumber(5044) }] } } }],
        podTemplate: {
          spec: {
            securityContext: podSecurity,
            automountServiceAccountToken: false,
            initContainers: hardenedInit(eck.logstash),
            containers: [{ name: 'logstash', securityContext: eckContainer, resources: { requests: { cpu: '500m', memory: '2Gi' }, limits: { cpu: '2', memory: '2Gi' } } }],
          },
        },
      },
    });

    // Filebeat reads every container's log files and the node's journal. Pod Security exception
    // (documented, and recorded on the object): hostPath volumes and UID 0 (the log files and the
    // journal are root-owned), in the privileged agents namespace.
    const beatLabels = { ...labels, 'app.kubernetes.io/name': 'filebeat', 'app.kubernetes.io/instance': 'filebeat' };
    new k8s.KubeServiceAccount(this, 'FilebeatServiceAccount', { metadata: { name: 'filebeat', namespace: props.agentsNamespace, labels: beatLabels } });
    new k8s.KubeClusterRole(this, 'FilebeatRole', {
      metadata: { name: `media-ai-filebeat-${props.agentsNamespace}`, labels: beatLabels },
      rules: [{ apiGroups: [''], resources: ['pods', 'nodes', 'namespaces'], verbs: ['get', 'list', 'watch'] }],
    });
    new k8s.KubeClusterRoleBinding(this, 'FilebeatRoleBinding', {
      metadata: { name: `media-ai-filebeat-${props.agentsNamespace}`, labels: beatLabels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: `media-ai-filebeat-${props.agentsNamespace}` },
      subjects: [{ kind: 'ServiceAccount', name: 'filebeat', namespace: props.agentsNamespace }],
    });
    const hostPath = (name: string, path: string) => ({ name, hostPath: { path } });
    new Beat(this, 'Filebeat', {
      metadata: {
        name: 'filebeat', namespace: props.agentsNamespace, labels: beatLabels,
        annotations: { 'security.media-ai.io/exception': 'hostPath (read-only: container logs, the systemd journal, /etc/machine-id) and UID 0 with DAC_READ_SEARCH: the node\'s log files are root-owned' },
      },
      spec: {
        type: 'filebeat',
        version,
        config: {
          // The Beat's name is the node's: libbeat writes it to host.name of every event (system and container lines alike).
          'name': '${NODE_NAME}',
          'filebeat.inputs': [
            {
              type: 'filestream', id: 'containers', paths: ['/var/log/containers/*.log'], parsers: [{ container: {} }], prospector: { scanner: { symlinks: true } },
              processors: [{ add_kubernetes_metadata: { host: '${NODE_NAME}', matchers: [{ logs_path: { logs_path: '/var/log/containers/' } }] } }],
            },
            // System logs: the node's journal (kubelet, container runtime, kernel, sshd, …), persistent or volatile.
            { type: 'journald', id: 'system-journal', paths: ['/var/log/journal', '/run/log/journal'], tags: ['system'] },
          ],
          'output.logstash': { hosts: [`logstash-ls-beats.${namespace}.svc:5044`] },
        },
        daemonSet: {
          podTemplate: {
            spec: {
              serviceAccountName: 'filebeat',
              automountServiceAccountToken: true,
              securityContext: { runAsUser: 0, seccompProfile: { type: 'RuntimeDefault' } },
              tolerations: [{ operator: 'Exists' }],
              containers: [{
                name: 'filebeat',
                env: [{ name: 'NODE_NAME', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } }],
                securityContext: { runAsUser: 0, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'], add: ['DAC_READ_SEARCH'] } },
                resources: { requests: { cpu: '100m', memory: '200Mi' }, limits: { cpu: '500m', memory: '400Mi' } },
                volumeMounts: [
                  { name: 'varlogjournal', mountPath: '/var/log/journal', readOnly: true },
                  { name: 'runlogjournal', mountPath: '/run/log/journal', readOnly: true },
                  { name: 'machineid', mountPath: '/etc/machine-id', readOnly: true },
                  { name: 'varlogcontainers', mountPath: '/var/log/containers', readOnly: true },
                  { name: 'varlogpods', mountPath: '/var/log/pods', readOnly: true },
                  { name: 'varlibdockercontainers', mountPath: '/var/lib/docker/containers', readOnly: true },
                ],
              }],
              volumes: [
                hostPath('varlogjournal', '/var/log/journal'), hostPath('runlogjournal', '/run/log/journal'), { name: 'machineid', hostPath: { path: '/etc/machine-id', type: 'File' } },
                hostPath('varlogcontainers', '/var/log/containers'), hostPath('varlogpods', '/var/log/pods'), hostPath('varlibdockercontainers', '/var/lib/docker/containers'),
              ],
            },
          },
        },
      },
    });

    // Index lifecycle: retention enforced by Elasticsearch itself, installed by an idempotent Job.
    const script = loadScript(__dirname, 'es-ilm-setup.sh');
    const jobLabels = { ...labels, 'app.kubernetes.io/name': 'es-ilm-setup', 'app.kubernetes.io/instance': 'es-ilm-setup' };
    new k8s.KubeConfigMap(this, 'IlmScript', { metadata: { name: 'es-ilm-setup', labels: jobLabels }, data: { 'es-ilm-setup.sh': script } });
    new k8s.KubeJob(this, 'IlmJob', {
      metadata: { name: `es-ilm-setup-${retentionDays}d`, labels: jobLabels },
      spec: {
        backoffLimit: 6,
        ttlSecondsAfterFinished: 86400,
        template: {
          metadata: { labels: jobLabels },
          spec: {
            restartPolicy: 'OnFailure',
            priorityClassName: platformPriorityClass(this, 'batch'),
            automountServiceAccountToken: false,
            securityContext: restrictedPodSecurityContext({ user: 100, group: 101 }),
            containers: [{
              name: 'setup',
              image: 'curlimages/curl:8.7.1',
              imagePullPolicy: 'IfNotPresent',
              command: ['sh', '/scripts/es-ilm-setup.sh'],
              env: [
                { name: 'ES_URL', value: this.elasticsearchUrl },
                EnvValue.fromSecret(this.userSecrets['ilm-setup'], 'username').toEnvVar('ES_USERNAME'),
                EnvValue.fromSecret(this.userSecrets['ilm-setup'], 'password').toEnvVar('ES_PASSWORD'),
                { name: 'RETENTION_DAYS', value: String(retentionDays) },
                { name: 'POLICY', value: 'media-ai-logs' },
                { name: 'DATASET', value: DATASET },
              ],
              resources: { requests: { cpu: k8s.Quantity.fromString('10m'), memory: k8s.Quantity.fromString('16Mi') }, limits: { cpu: k8s.Quantity.fromString('100m'), memory: k8s.Quantity.fromString('64Mi') } },
              securityContext: restrictedContainerSecurityContext({ user: 100, group: 101 }),
              volumeMounts: [{ name: 'scripts', mountPath: '/scripts', readOnly: true }, { name: 'ca', mountPath: '/es-ca', readOnly: true }, { name: 'tmp', mountPath: '/tmp' }],
            }],
            volumes: [
              { name: 'scripts', configMap: { name: 'es-ilm-setup' } },
              { name: 'ca', secret: { secretName: this.caSecret } },
              { name: 'tmp', emptyDir: { sizeLimit: k8s.Quantity.fromString('1Mi') } },
            ],
          },
        },
      },
    });

    this.elasticsearchPods = new PodGroup(this, 'ElasticsearchNetwork', 'elasticsearch', { 'elasticsearch.k8s.elastic.co/cluster-name': this.elasticsearchName }, labels);
    const es = this.elasticsearchPods.network;
    es.allowIngress([namespacePeer(namespace)], [{ port: 9200 }]);
    es.allowIngress([{ podSelector: { matchLabels: { 'elasticsearch.k8s.elastic.co/cluster-name': this.elasticsearchName } } }], [{ port: 9300 }]);
    es.allowIngress([namespacePeer(this.operatorNamespace)], [{ port: 9200 }]);
    es.allowEgress([{ podSelector: { matchLabels: { 'elasticsearch.k8s.elastic.co/cluster-name': this.elasticsearchName } } }], [{ port: 9300 }]);
    es.allowDns();
    const logstash = new PodGroup(this, 'LogstashNetwork', 'logstash', { 'logstash.k8s.elastic.co/name': 'logstash' }, labels);
    logstash.network.allowIngress([namespacePeer(this.operatorNamespace)], [{ port: 9600 }]);
    logstash.network.allowEgressTo(this.elasticsearchPods, [{ port: 9200 }]);
    logstash.network.allowDns();
    const filebeat = new PodGroup(this, 'FilebeatNetwork', 'filebeat', { 'beat.k8s.elastic.co/name': 'filebeat' }, beatLabels, props.agentsNamespace);
    openConnection(filebeat, logstash, [{ port: 5044 }]);
    filebeat.network.allowEgressToCidr('0.0.0.0/0', [{ port: 443 }, { port: 6443 }]); // API server, for pod metadata
    filebeat.network.allowDns();
    // The ILM Job: DNS and Elasticsearch, nothing else (default deny would leave it without either).
    const ilm = new PodGroup(this, 'IlmNetwork', 'es-ilm-setup', { 'app.kubernetes.io/name': 'es-ilm-setup', 'app.kubernetes.io/instance': 'es-ilm-setup' }, jobLabels);
    openConnection(ilm, this.elasticsearchPods, [{ port: 9200 }]);
    ilm.network.allowDns();
    const kibana = new PodGroup(this, 'KibanaNetwork', 'kibana', { 'kibana.k8s.elastic.co/name': 'kibana' }, labels);
    new KibanaSavedObjects(this, 'KibanaSavedObjects', { kibanaName: 'kibana', kibana, credentials: { name: this.userSecrets['kibana-setup'] }, indexPattern: `logs-${DATASET}-*` });
    kibana.network.allowIngress([namespacePeer(props.ingressControllerNamespace ?? 'ingress-nginx')], [{ port: 5601 }]);
    kibana.network.allowEgressTo(this.elasticsearchPods, [{ port: 9200 }]);
    kibana.network.allowDns();
  }
}
