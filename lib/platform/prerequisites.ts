import { ALERTMANAGER_OPERATED_SERVICE, defaultEsUserSecret, ES_CLIENT_ROLES, EsClient, SUPPORTED_ECK_VERSIONS } from '../observability';

/** Something the platform needs in the cluster but does not create. */
export interface Prerequisite {
  /** Kubernetes kind, or `Operator` / `Controller` for software installed in the cluster. */
  readonly kind: 'Secret' | 'Service' | 'IngressClass' | 'CustomResourceDefinition' | 'Operator' | 'Controller';
  /** Namespace, for namespaced objects and where an operator or controller runs. */
  readonly namespace?: string;
  readonly name: string;
  /** Keys a Secret must have (each is read by name). */
  readonly keys?: string[];
  /** Secret type, when it matters. */
  readonly type?: string;
  /** Version (range) an operator or controller must have. */
  readonly version?: string;
  /** Command-line flags an operator must run with. */
  readonly flags?: string[];
  /** Labels the object carries (what selectors match). */
  readonly labels?: Record<string, string>;
  /** Why it is needed and who provides it. */
  readonly reason: string;
}

/** Names the reference platform uses; `MediaAiPlatform` reads them from here, so the list cannot drift. */
export const PLATFORM_SECRETS = {
  postgres: 'media-ai-postgres',
  postgresApp: 'media-ai-postgres-app',
  postgresBackup: 'media-ai-postgres-backup',
  redis: 'media-ai-redis',
  minio: 'media-ai-minio',
  backupS3: 'media-ai-backup-s3',
  apiTls: 'media-ai-api-tls',
  grafanaAdmin: 'grafana-admin',
  alertmanagerReceivers: 'alertmanager-receivers',
} as const;

/** The Secret keys the reference platform reads. */
export const PLATFORM_SECRET_KEYS = {
  pagerduty: 'pagerduty-routing-key',
  slack: 'slack-webhook-url',
  smtp: 'smtp-password',
  grafanaUser: 'admin-user',
  grafanaPassword: 'admin-password',
} as const;

/** Options of `platformPrerequisites`: the namespaces of the reference platform. */
export interface PlatformPrerequisitesOptions {
  /** @default 'media-ai' */
  readonly namespace?: string;
  /** @default 'monitoring' */
  readonly monitoringNamespace?: string;
  /** @default 'ingress-nginx' */
  readonly ingressControllerNamespace?: string;
  /** @default 'elastic-system' */
  readonly eckNamespace?: string;
}

/** What the reference platform (`MediaAiPlatform`) needs before `kubectl apply`: Secrets, operators, CRDs, controllers. */
export function platformPrerequisites(options: PlatformPrerequisitesOptions = {}): Prerequisite[] {
  const ns = options.namespace ?? 'media-ai';
  const mon = options.monitoringNamespace ?? 'monitoring';
  const s = PLATFORM_SECRETS;
  const k = PLATFORM_SECRET_KEYS;
  const secret = (namespace: string, name: string, keys: string[], reason: string, type?: string): Prerequisite =>
    ({ kind: 'Secret', namespace, name, keys, ...(type ? { type } : {}), reason });
  const esUser = (client: EsClient) => secret(mon, defaultEsUserSecret(client), ['username', 'password', 'roles'],
    `Elasticsearch user of ${client} (ECK file realm); \`roles\` must be \`${ES_CLIENT_ROLES[client].name}\``, 'kubernetes.io/basic-auth');
  return [
    secret(ns, s.postgres, ['username', 'password'], 'PostgreSQL superuser (the server, its exporter and the role Jobs)'),
    secret(ns, s.postgresApp, ['username', 'password'], "the API's own PostgreSQL role, created by the postgres-app-role Job"),
    secret(ns, s.postgresBackup, ['username', 'password'], 'the backups\' own PostgreSQL role (REPLICATION + read), created by the backup-role Job'),
    secret(ns, s.redis, ['password'], 'Redis requirepass'),
    secret(ns, s.minio, ['access-key', 'secret-key'], 'MinIO root credentials (Milvus object storage)'),
    secret(ns, s.backupS3, ['access-key-id', 'secret-access-key'], 'backup destination (S3)'),
    secret(ns, s.apiTls, ['tls.crt', 'tls.key'], 'TLS certificate of the API host (e.g. from cert-manager)', 'kubernetes.io/tls'),
    secret(mon, s.grafanaAdmin, [k.grafanaUser, k.grafanaPassword], 'Grafana admin login'),
    secret(mon, s.alertmanagerReceivers, [k.pagerduty, k.slack, k.smtp], 'receiver credentials; Alertmanager does not start without this Secret'),
    esUser('ilm-setup'),
    esUser('jaeger'),
    esUser('grafana'),
    esUser('elastalert'),
    esUser('kibana-setup'),
    {
      kind: 'Operator', name: 'prometheus-operator', version: '>= 0.70 (CRDs in crds/ from v0.93.0)',
      flags: ['--kubelet-service=kube-system/kubelet'],
      reason: `runs Prometheus and Alertmanager (creates the Service ${ALERTMANAGER_OPERATED_SERVICE}); the flag makes it keep the kubelet Service`,
    },
    {
      kind: 'Service', namespace: 'kube-system', name: 'kubelet', labels: { 'app.kubernetes.io/name': 'kubelet', 'k8s-app': 'kubelet' },
      reason: 'the kubelet endpoints, kept by the Prometheus Operator started with --kubelet-service=kube-system/kubelet',
    },
    ...['prometheuses', 'alertmanagers', 'servicemonitors', 'podmonitors', 'probes', 'prometheusrules'].map((plural): Prerequisite =>
      ({ kind: 'CustomResourceDefinition', name: `${plural}.monitoring.coreos.com`, reason: 'Prometheus Operator CRD (crds/prometheus-operator-v0.93.0.yaml)' })),
    {
      kind: 'Operator', namespace: options.eckNamespace ?? 'elastic-system', name: 'elastic-operator', version: SUPPORTED_ECK_VERSIONS,
      reason: 'ECK runs Elasticsearch, Kibana, Logstash and Filebeat; ECK 3 does not support Kubernetes 1.27',
    },
    ...['elasticsearches.elasticsearch', 'kibanas.kibana', 'logstashes.logstash', 'beats.beat'].map((plural): Prerequisite =>
      ({ kind: 'CustomResourceDefinition', name: `${plural}.k8s.elastic.co`, reason: 'ECK CRD (crds/eck-v2.16.1.yaml)' })),
    {
      kind: 'Controller', namespace: options.ingressControllerNamespace ?? 'ingress-nginx', name: 'ingress-nginx',
      reason: 'serves the Ingresses (API, Grafana, Kibana); its namespace is the one admitted by the NetworkPolicies',
    },
    { kind: 'IngressClass', name: 'nginx', reason: 'the IngressClass of the ingress-nginx controller' },
  ];
}

/** The prerequisites of the reference platform with its default names and namespaces. */
export const PREREQUISITES: readonly Prerequisite[] = platformPrerequisites();

/** The README's "Prerequisites" table, generated from a list (the README test compares the two). */
export function prerequisitesMarkdown(list: readonly Prerequisite[] = PREREQUISITES): string {
  const cell = (v: string) => v.replace(/\|/g, '\\|');
  const rows = list.map((p) => {
    const what = [p.namespace ? `${p.namespace}/` : '', `\`${p.name}\``].join('');
    const details = [
      p.keys ? `keys ${p.keys.map((x) => `\`${x}\``).join(', ')}` : '',
      p.type ? `type \`${p.type}\`` : '',
      p.version ? `version ${p.version}` : '',
      p.flags ? `flags ${p.flags.map((x) => `\`${x}\``).join(' ')}` : '',
      p.labels ? `labels ${Object.entries(p.labels).map(([a, b]) => `\`${a}=${b}\``).join(', ')}` : '',
    ].filter(Boolean).join('; ');
    return `| ${p.kind} | ${cell(what)} | ${cell(details)} | ${cell(p.reason)} |`;
  });
  return ['| kind | name | needs | why |', '| --- | --- | --- | --- |', ...rows].join('\n');
}
