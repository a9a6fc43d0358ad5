import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { batchPodSettings } from '../shared/priority';
import { CredentialsSecret, credentialsSecretProp, EnvValue, immutableJobName, INetworkEndpoint, loadScript, namespaceOf, openConnection, PodGroup, recommendedLabels, restrictedContainerSecurityContext } from '../shared';

/** A saved search of the logs in Kibana (KQL over the platform's data view). */
export interface KibanaSavedSearch {
  readonly id: string;
  readonly title: string;
  readonly query: string;
  readonly columns: readonly string[];
}

/** The id of the platform's data view (logs-media_ai-*). */
export const LOGS_DATA_VIEW_ID = 'media-ai-logs';

/** The saved searches every platform gets: errors, access lines, system logs, unparsed lines. */
export const PLATFORM_SAVED_SEARCHES: readonly KibanaSavedSearch[] = [
  {
    id: 'media-ai-errors', title: 'media-ai errors',
    query: 'log.level : (ERROR or error or FATAL or fatal or CRITICAL or critical) or http.response.status_code >= 500 or message : "Traceback" or message : "panic:"',
    columns: ['kubernetes.labels.app_kubernetes_io/name', 'log.level', 'message', 'trace.id'],
  },
  {
    id: 'media-ai-access', title: 'media-ai access logs',
    query: 'http.response.status_code : *',
    columns: ['client.ip', 'http.request.method', 'url.path', 'http.response.status_code', 'event.duration', 'http.request.id'],
  },
  { id: 'media-ai-system', title: 'media-ai system logs (nodes)', query: 'tags : "system"', columns: ['host.name', 'systemd.unit', 'message'] },
  {
    id: 'media-ai-unparsed', title: 'media-ai unparsed lines',
    query: 'tags : ("_grokparsefailure" or "ingress_access_unparsed" or "app_unparsed" or "_jsonparsefailure")',
    columns: ['kubernetes.namespace', 'kubernetes.container.name', 'tags', 'message'],
  },
];

/** The saved objects (Kibana's export format, one JSON object a line) of the data view and searches. */
export function kibanaSavedObjects(indexPattern: string, searches: readonly KibanaSavedSearch[] = PLATFORM_SAVED_SEARCHES): string {
  const ref = 'kibanaSavedObjectMeta.searchSourceJSON.index';
  const objects = [
    { type: 'index-pattern', id: LOGS_DATA_VIEW_ID, attributes: { title: indexPattern, name: 'media-ai logs', timeFieldName: '@timestamp' }, references: [] },
    ...searches.map((s) => ({
      type: 'search', id: s.id,
      attributes: {
        title: s.title,
        columns: [...s.columns],
        sort: [['@timestamp', 'desc']],
        kibanaSavedObjectMeta: { searchSourceJSON: JSON.stringify({ query: { query: s.query, language: 'kuery' }, filter: [], indexRefName: ref }) },
      },
      references: [{ name: ref, type: 'index-pattern', id: LOGS_DATA_VIEW_ID }],
    })),
  ];
  return objects.map((o) => JSON.stringify(o)).join('\n') + '\n';
}

export interface KibanaSavedObjectsProps {
  /** Name of the ECK Kibana (its Service is `<name>-kb-http`, its CA `<name>-kb-http-certs-public`). */
  readonly kibanaName: string;
  readonly kibana: INetworkEndpoint;
  /** Secret of the Job's own Elasticsearch user (user name and password), whose role has the Kibana privileges to write saved objects. */
  readonly credentials: CredentialsSecret;
  readonly indexPattern: string;
}

/** A Job that imports the data view and saved searches through the Kibana saved-objects API. */
export class KibanaSavedObjects extends Construct {
  constructor(scope: Construct, id: string, props: KibanaSavedObjectsProps) {
    super(scope, id);
    const name = 'kibana-saved-objects';
    const credentials = credentialsSecretProp(this, 'credentials', props.credentials);
    const ndjson = kibanaSavedObjects(props.indexPattern);
    const labels = recommendedLabels({ name, instance: name, component: 'logging' });
    const identity = { user: 100, group: 101 };
    new k8s.KubeConfigMap(this, 'Config', { metadata: { name, labels }, data: { 'kibana-saved-objects.sh': loadScript(__dirname, 'kibana-saved-objects.sh'), 'objects.ndjson': ndjson } });
    const template: k8s.PodTemplateSpec = {
      metadata: { labels },
      spec: {
        ...batchPodSettings(this, identity, 'OnFailure'),
        containers: [{
          name: 'import',
          image: 'curlimages/curl:8.7.1',
          imagePullPolicy: 'IfNotPresent',
          command: ['sh', '/config/kibana-saved-objects.sh'],
          env: [
            { name: 'KIBANA_URL', value: `https://${props.kibanaName}-kb-http.${namespaceOf(this) ?? 'default'}.svc:5601` },
            EnvValue.fromSecret(credentials.name, credentials.usernameKey).toEnvVar('KIBANA_USERNAME'),
            EnvValue.fromSecret(credentials.name, credentials.passwordKey).toEnvVar('KIBANA_PASSWORD'),
            { name: 'OBJECTS', value: '/config/objects.ndjson' },
          ],
          resources: { requests: { cpu: k8s.Quantity.fromString('10m'), memory: k8s.Quantity.fromString('16Mi') }, limits: { cpu: k8s.Quantity.fromString('100m'), memory: k8s.Quantity.fromString('64Mi') } },
          securityContext: restrictedContainerSecurityContext(identity),
          volumeMounts: [{ name: 'config', mountPath: '/config', readOnly: true }, { name: 'ca', mountPath: '/kibana-ca', readOnly: true }, { name: 'tmp', mountPath: '/tmp' }],
        }],
        volumes: [
          { name: 'config', configMap: { name } },
          { name: 'ca', secret: { secretName: `${props.kibanaName}-kb-http-certs-public` } },
          { name: 'tmp', emptyDir: { sizeLimit: k8s.Quantity.fromString('1Mi') } },
        ],
      },
    };
    // Named after its template and the objects it imports: a changed search or pod is a new Job
    // (a Job's template cannot change in place, so a re-apply under the old name would be refused).
    new k8s.KubeJob(this, 'Job', {
      metadata: { name: immutableJobName(name, { template, ndjson }), labels },
      spec: { backoffLimit: 6, ttlSecondsAfterFinished: 86400, template },
    });
    const job = new PodGroup(this, 'Network', name, { 'app.kubernetes.io/name': name, 'app.kubernetes.io/instance': name }, labels);
    openConnection(job, props.kibana, [{ port: 5601 }]);
    job.network.allowDns();
  }
}
