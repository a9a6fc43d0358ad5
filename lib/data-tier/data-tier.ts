import { Construct } from 'constructs';
import { BackupSourceFacts, fail, IBackupSource, IMonitorable, linkAlertsToDashboard, monitoredNamespace, MonitoringContribution, MonitoringStackRef } from '../shared';
import { checkDataTierProps } from './data-tier-checks';
import { Milvus, MilvusProps } from './milvus';
import { Postgres, PostgresProps } from './postgres';
import { Redis, RedisProps } from './redis';
import { StoreCommonProps } from './stateful-store';
import { volumePanel } from './store-signals';

type Shared = keyof StoreCommonProps;

export interface DataTierProps {
  /** PostgreSQL (credentials required). */
  readonly postgres: Omit<PostgresProps, Shared> & { readonly name?: string };
  /** Redis (password required). */
  readonly redis: Omit<RedisProps, Shared> & { readonly name?: string };
  /** Milvus with its etcd and MinIO (MinIO credentials required). */
  readonly milvus: Omit<MilvusProps, Shared> & { readonly name?: string };
  /** Namespace of the monitoring stack allowed to scrape the exporters. @default 'monitoring' */
  readonly monitoringNamespace?: string;
  /** Monitoring stack label value for the ServiceMonitors. @default 'platform' */
  readonly monitoringStack?: string;
  /** PriorityClass of every store (must exist in the cluster). @default 'media-ai-data-store', created in the app */
  readonly priorityClassName?: string;
}

/**
 * The media-ai stores: PostgreSQL, Redis and Milvus (with etcd and MinIO). Connect an API with
 * `api.connect(tier.postgres)`, `api.connect(tier.redis)`, `api.connect(tier.milvus)`, or all at once
 * with `tier.connect(api)`.
 */
export class DataTier extends Construct implements IMonitorable, IBackupSource {
  public readonly postgres: Postgres;
  public readonly redis: Redis;
  public readonly milvus: Milvus;

  constructor(scope: Construct, id: string, props: DataTierProps) {
    super(scope, id);
    checkDataTierProps(this, props);
    const common: StoreCommonProps = { monitoringNamespace: props.monitoringNamespace, monitoringStack: props.monitoringStack, priorityClassName: props.priorityClassName };
    this.postgres = new Postgres(this, 'postgres', { name: 'postgres', ...common, ...props.postgres });
    this.redis = new Redis(this, 'redis', { name: 'redis', ...common, ...props.redis });
    this.milvus = new Milvus(this, 'milvus', { name: 'milvus', ...common, ...props.milvus });
  }

  /** Connects a client to every store (env and both sides of the NetworkPolicies). */
  public connect(client: { connect(target: Postgres | Redis | Milvus): void }): void {
    if (!client || typeof client.connect !== 'function') fail(this, 'connect()', client, 'needs a client with a connect() method, such as an ApiService');
    client.connect(this.postgres);
    client.connect(this.redis);
    client.connect(this.milvus);
  }

  /** Called by `policy.protect(tier)`: every store of the tier is backed up. */
  public backupSources(): BackupSourceFacts[] {
    return [...this.postgres.backupSources(), ...this.redis.backupSources(), ...this.milvus.backupSources()];
  }

  /** Called by `stack.monitor(tier)`: every store scraped by that stack, their alerts in one group and one dashboard. */
  public monitorBy(stack: MonitoringStackRef): MonitoringContribution {
    const namespace = monitoredNamespace(this.postgres);
    const key = `${namespace}-data-tier`;
    const stores = [this.postgres, this.redis, this.milvus];
    const signals = stores.map((s) => s.signalsFor(stack));
    const statefulSets = [this.postgres.name, this.redis.name, this.milvus.name, this.milvus.etcd.name, this.milvus.minio.name];
    const uid = `data-tier-${namespace}`.slice(0, 40);
    const panels = [...signals.flatMap((s) => s.panels), volumePanel(namespace, statefulSets)];
    return {
      key,
      ruleGroups: [{ name: key, rules: linkAlertsToDashboard(signals.flatMap((s) => s.alerts), uid, panels) }],
      dashboards: [{ uid, title: `Data tier: ${namespace}`, tags: ['media-ai', 'data-tier'], panels }],
    };
  }
}
