/**
 * One typed configuration per environment: every value that differs between dev, staging and prod
 * lives here, and nowhere inside the constructs. Validated like construct props (checkEnvironment).
 */
import { IConstruct } from 'constructs';
import type { ApiServiceProps } from '../api-service';
import type { BackupPolicyProps } from '../backup';
import type { MilvusProps, MinioProps, PostgresProps, RedisProps } from '../data-tier';
import type { AlertmanagerClusterProps, BlackboxExporterProps, LoggingStackProps, PrometheusServerProps } from '../observability';
import { checkKnownProps, dnsLabelProp, fail, hostProp, integerProp, percentProp, propKeys, quantityProp } from '../shared';
import type { ClusterCapacity } from './capacity';
import { PLATFORM_SECRETS } from './prerequisites';

/** Where alerts go (credentials are keys of the `alertmanager-receivers` Secret, see Prerequisites). */
export interface AlertRoutes {
  /** Page P0/P1 alerts through PagerDuty. */
  readonly pagerduty: boolean;
  /** Slack channel for P1 (with the page). */
  readonly oncallSlackChannel: string;
  /** Slack channel for P2. */
  readonly alertsSlackChannel: string;
  /** Address P3 alerts are mailed to. */
  readonly emailTo: string;
  /** Sender address and SMTP relay (`host:port`) for P3 mail. */
  readonly emailFrom: string;
  readonly smarthost: string;
}

/** A planned event (spec 11.3: scale up by hand before big events): raised HPA minimums, re-checked against capacity. */
export interface PlannedEvent {
  /** HPA minimum of media-ai-api during the event. */
  readonly apiMinReplicas: number;
  /** HPA maximum of media-ai-api during the event. @default the environment's `api.maxReplicas` (at least apiMinReplicas) */
  readonly apiMaxReplicas?: number;
}

/** Shares (%) of the cluster per platform namespace. */
export interface NamespaceShares {
  readonly application: number;
  readonly monitoring: number;
  readonly agents: number;
}

/** Everything that differs between environments. */
export interface EnvironmentConfig {
  /** Environment name: the output folder `dist/<name>/`, Prometheus' `cluster` label and the backup prefix. */
  readonly name: string;
  /** Public host of the API. */
  readonly apiHost: string;
  /** API replicas (also the HPA minimum), HPA maximum and resources. */
  readonly api: Pick<ApiServiceProps, 'resources'> & { readonly replicas: number; readonly maxReplicas: number };
  /** PostgreSQL resources and volume. */
  readonly postgres: Pick<PostgresProps, 'resources' | 'storage'>;
  /** Redis resources and volume. */
  readonly redis: Pick<RedisProps, 'resources' | 'storage' | 'maxmemory'>;
  /** Milvus and its MinIO: resources and volumes. */
  readonly milvus: Pick<MilvusProps, 'resources' | 'storage'> & { readonly minio: Pick<MinioProps, 'resources' | 'storage'> };
  /** Prometheus replicas, retention, volume, resources. */
  readonly prometheus: Pick<PrometheusServerProps, 'replicas' | 'retention' | 'storage' | 'resources'>;
  /** Alertmanager replicas and volume. */
  readonly alertmanager: Pick<AlertmanagerClusterProps, 'replicas' | 'storage'>;
  /** Logs (Elasticsearch, Kibana, Filebeat): nodes, heap, volume, retention; false for none. */
  readonly logging: Pick<LoggingStackProps, 'elasticsearchNodes' | 'heapSize' | 'storage' | 'retentionDays'> | false;
  /** Traces (Jaeger into Elasticsearch): days kept; false for no tracing (needs logging). */
  readonly tracingRetentionDays: number | false;
  /** Replicas of the Jaeger collector (a development cluster may run 1). @default 2 */
  readonly tracingReplicas?: number;
  /** Blackbox exporter replicas (a development cluster may run 1). @default 2 */
  readonly blackbox?: Pick<BlackboxExporterProps, 'replicas'>;
  /** Alert receivers. */
  readonly alerts: AlertRoutes;
  /** Backup destination, schedules and retention. */
  readonly backup: Pick<BackupPolicyProps, 'destination' | 'schedules' | 'retention'>;
  /** The cluster: nodes × allocatable, storage budget, headroom rules (checked at synth). */
  readonly capacity: ClusterCapacity;
  /**
   * Each namespace's ResourceQuota as a share (%) of the cluster's allocatable CPU, memory, pods and
   * storage budget; the shares add up to at most 100. @default application 60, monitoring 35, agents 5
   */
  readonly namespaceShares?: NamespaceShares;
  /** Planned events by name (`--event <name>`). @default none */
  readonly events?: Readonly<Record<string, PlannedEvent>>;
}

const KEYS = propKeys<EnvironmentConfig>()({
  name: true, apiHost: true, api: true, postgres: true, redis: true, milvus: true, prometheus: true, alertmanager: true, logging: true,
  tracingRetentionDays: true, tracingReplicas: true, blackbox: true, alerts: true, backup: true, capacity: true, namespaceShares: true, events: true,
});
const API_KEYS = propKeys<EnvironmentConfig['api']>()({ replicas: true, maxReplicas: true, resources: true });
const ALERT_KEYS = propKeys<AlertRoutes>()({ pagerduty: true, oncallSlackChannel: true, alertsSlackChannel: true, emailTo: true, emailFrom: true, smarthost: true });
const CAPACITY_KEYS = propKeys<ClusterCapacity>()({
  nodes: true, allocatableCpu: true, allocatableMemory: true, storage: true, bandwidth: true,
  computeHeadroomPercent: true, storageHeadroomPercent: true, bandwidthHeadroomPercent: true, onShortfall: true,
});
const SHARE_KEYS = propKeys<NamespaceShares>()({ application: true, monitoring: true, agents: true });
/** Default namespace shares: the application gets most; node agents little. */
export const DEFAULT_SHARES: NamespaceShares = { application: 60, monitoring: 35, agents: 5 };
const EVENT_KEYS = propKeys<PlannedEvent>()({ apiMinReplicas: true, apiMaxReplicas: true });

/**
 * Checks an environment's own values (the component values are checked by the constructs they go
 * to). Errors name the prop under `environment.`: `media-ai-namespaces: environment.capacity.nodes (0) must be …`.
 */
export function checkEnvironment(scope: IConstruct, env: EnvironmentConfig): void {
  const p = (prop: string) => `environment.${prop}`;
  checkKnownProps(scope, 'environment', env, KEYS);
  dnsLabelProp(scope, p('name'), env.name);
  hostProp(scope, p('apiHost'), env.apiHost, { wildcard: false });
  checkKnownProps(scope, p('api'), env.api, API_KEYS);
  const replicas = integerProp(scope, p('api.replicas'), env.api.replicas, 1, { min: 1, max: 1000 });
  integerProp(scope, p('api.maxReplicas'), env.api.maxReplicas, replicas, { min: replicas, max: 1000 });
  checkKnownProps(scope, p('alerts'), env.alerts, ALERT_KEYS);
  for (const key of ['emailTo', 'emailFrom'] as const) {
    if (!/^[^@\s]+@[^@\s]+\.[a-z]{2,}$/i.test(env.alerts[key])) fail(scope, p(`alerts.${key}`), env.alerts[key], 'must be a mail address such as ops@example.com');
  }
  for (const key of ['oncallSlackChannel', 'alertsSlackChannel'] as const) {
    if (!/^#[a-z0-9][a-z0-9._-]{0,79}$/.test(env.alerts[key])) fail(scope, p(`alerts.${key}`), env.alerts[key], "must be a Slack channel such as '#media-ai-alerts'");
  }
  const c = env.capacity;
  checkKnownProps(scope, p('capacity'), c, CAPACITY_KEYS);
  integerProp(scope, p('capacity.nodes'), c.nodes, 1, { min: 1, max: 5000 });
  quantityProp(scope, p('capacity.allocatableCpu'), c.allocatableCpu, 'cpu');
  quantityProp(scope, p('capacity.allocatableMemory'), c.allocatableMemory, 'memory');
  if (c.storage === null || typeof c.storage !== 'object' || Object.keys(c.storage).length === 0) {
    fail(scope, p('capacity.storage'), c.storage, "must map StorageClass names to budgets, e.g. { default: '500Gi' }");
  }
  for (const [cls, size] of Object.entries(c.storage)) quantityProp(scope, p(`capacity.storage.${cls}`), size, 'storage');
  percentProp(scope, p('capacity.computeHeadroomPercent'), c.computeHeadroomPercent, 20);
  percentProp(scope, p('capacity.storageHeadroomPercent'), c.storageHeadroomPercent, 30);
  percentProp(scope, p('capacity.bandwidthHeadroomPercent'), c.bandwidthHeadroomPercent, 20);
  if (c.bandwidth !== undefined) {
    integerProp(scope, p('capacity.bandwidth.capacityMbps'), c.bandwidth.capacityMbps, 1, { min: 1 });
    integerProp(scope, p('capacity.bandwidth.peakMbps'), c.bandwidth.peakMbps, 0, { min: 0 });
  }
  if (c.onShortfall !== undefined && !['fail', 'warn'].includes(c.onShortfall)) fail(scope, p('capacity.onShortfall'), c.onShortfall, "must be 'fail' or 'warn'");
  const shares = env.namespaceShares ?? DEFAULT_SHARES;
  checkKnownProps(scope, p('namespaceShares'), shares, SHARE_KEYS);
  for (const key of SHARE_KEYS) percentProp(scope, p(`namespaceShares.${key}`), shares[key as keyof NamespaceShares], 1);
  const total = shares.application + shares.monitoring + shares.agents;
  if (total > 100) fail(scope, p('namespaceShares'), shares, `must add up to at most 100 (they add up to ${total})`);
  for (const [name, event] of Object.entries(env.events ?? {})) {
    checkKnownProps(scope, p(`events.${name}`), event, EVENT_KEYS);
    const min = integerProp(scope, p(`events.${name}.apiMinReplicas`), event.apiMinReplicas, 1, { min: 1, max: 1000 });
    integerProp(scope, p(`events.${name}.apiMaxReplicas`), event.apiMaxReplicas, Math.max(min, env.api.maxReplicas), { min, max: 1000 });
  }
}

/** The environment with a planned event applied: its API HPA range replaces the everyday one. */
export function withEvent(env: EnvironmentConfig, event: string | undefined): EnvironmentConfig {
  if (event === undefined) return env;
  const planned = env.events?.[event];
  if (!planned) throw new Error(`environment ${env.name}: event (${JSON.stringify(event)}) is not a planned event (known: ${Object.keys(env.events ?? {}).join(', ') || 'none'})`);
  return { ...env, api: { ...env.api, replicas: planned.apiMinReplicas, maxReplicas: planned.apiMaxReplicas ?? Math.max(planned.apiMinReplicas, env.api.maxReplicas) } };
}

const backupDestination = (prefix: string): BackupPolicyProps['destination'] => ({
  endpoint: 'https://s3.eu-central-1.amazonaws.com',
  region: 'eu-central-1',
  provider: 'AWS',
  bucket: 'media-ai-backups',
  prefix,
  accessKeyId: { name: PLATFORM_SECRETS.backupS3, key: 'access-key-id' },
  secretAccessKey: { name: PLATFORM_SECRETS.backupS3, key: 'secret-access-key' },
});

const alerts = (pagerduty: boolean, env: string): AlertRoutes => ({
  pagerduty,
  oncallSlackChannel: env === 'prod' ? '#media-ai-oncall' : `#media-ai-${env}-oncall`,
  alertsSlackChannel: env === 'prod' ? '#media-ai-alerts' : `#media-ai-${env}-alerts`,
  emailTo: 'media-ai-ops@example.com',
  emailFrom: 'alertmanager@example.com',
  smarthost: 'smtp.example.com:587',
});

/** Production: the spec's sizes (5 API replicas, three Elasticsearch nodes), paged alerts. */
export const PROD: EnvironmentConfig = {
  name: 'prod',
  apiHost: 'api.media-ai.com',
  api: { replicas: 5, maxReplicas: 20 },
  postgres: { storage: { expectedDataSize: '50Gi' } },
  redis: {},
  milvus: { minio: { storage: { expectedDataSize: '100Gi' } } },
  prometheus: {},
  alertmanager: {},
  logging: {},
  tracingRetentionDays: 7,
  alerts: alerts(true, 'prod'),
  backup: { destination: backupDestination('production') },
  capacity: { nodes: 4, allocatableCpu: '7500m', allocatableMemory: '28Gi', storage: { default: '1400Gi' }, bandwidth: { capacityMbps: 10000, peakMbps: 4000 } },
  // Elasticsearch's three volumes make monitoring the largest storage user.
  namespaceShares: { application: 55, monitoring: 42, agents: 3 },
  events: { peak: { apiMinReplicas: 12, apiMaxReplicas: 24 } },
};

/** Staging: production's shape (HA everywhere, same alert routes without paging) at a smaller scale. */
export const STAGING: EnvironmentConfig = {
  name: 'staging',
  apiHost: 'api.staging.media-ai.com',
  api: { replicas: 2, maxReplicas: 6 },
  postgres: { storage: { expectedDataSize: '10Gi' } },
  redis: {},
  milvus: { minio: { storage: { expectedDataSize: '20Gi' } } },
  prometheus: { retention: '7d', storage: { size: '20Gi' } },
  alertmanager: {},
  logging: { storage: { expectedDataSize: '20Gi' }, retentionDays: 7 },
  tracingRetentionDays: 3,
  alerts: alerts(false, 'staging'),
  backup: { destination: backupDestination('staging') },
  capacity: { nodes: 3, allocatableCpu: '7500m', allocatableMemory: '28Gi', storage: { default: '500Gi' } },
  events: { 'load-test': { apiMinReplicas: 6, apiMaxReplicas: 10 } },
};

/** Development: one node of a kind/k3d cluster (4 CPU, 12 GiB), single replicas, no logs or traces. */
export const DEV: EnvironmentConfig = {
  name: 'dev',
  apiHost: 'api.media-ai.localhost',
  api: { replicas: 1, maxReplicas: 2, resources: { cpuRequest: '100m', cpuLimit: '1', memoryRequest: '256Mi', memoryLimit: '1Gi' } },
  postgres: { resources: { cpuRequest: '100m', cpuLimit: '1', memoryRequest: '512Mi', memoryLimit: '1Gi' }, storage: { expectedDataSize: '2Gi' } },
  redis: { resources: { cpuRequest: '50m', cpuLimit: '500m', memoryRequest: '256Mi', memoryLimit: '512Mi' } },
  milvus: { resources: { cpuRequest: '200m', cpuLimit: '2', memoryRequest: '1Gi', memoryLimit: '2Gi' }, minio: { storage: { expectedDataSize: '5Gi' } } },
  prometheus: { replicas: 1, retention: '2d', storage: { size: '5Gi' }, resources: { cpuRequest: '100m', cpuLimit: '1', memoryRequest: '512Mi', memoryLimit: '1Gi' } },
  alertmanager: { replicas: 1, storage: { size: '1Gi' } },
  logging: false,
  tracingRetentionDays: false,
  // One node: the probes are not worth a second replica's CPU here.
  blackbox: { replicas: 1 },
  alerts: alerts(false, 'dev'),
  backup: { destination: backupDestination('dev') },
  capacity: { nodes: 1, allocatableCpu: '4', allocatableMemory: '12Gi', storage: { default: '100Gi' } },
  namespaceShares: { application: 70, monitoring: 25, agents: 5 },
};

/** The environments `npm run synth` renders, by name. */
export const ENVIRONMENTS: Readonly<Record<string, EnvironmentConfig>> = { dev: DEV, staging: STAGING, prod: PROD };
