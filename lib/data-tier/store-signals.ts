import { alert, AlertRule, PanelSpec } from '../shared';

/** The alerts and panels of one store, given the PromQL selector of its exporter's series. */
export interface StoreSignals {
  readonly alerts: AlertRule[];
  readonly panels: PanelSpec[];
}

export function postgresSignals(sel: string, service: string): StoreSignals {
  const labels = { service };
  return {
    alerts: [
      alert({
        name: 'PostgresDown', priority: 'P0', for: '1m', labels,
        expr: `pg_up{${sel}} == 0 or absent(up{${sel}} == 1)`,
        summary: 'PostgreSQL is down', description: 'The exporter cannot reach PostgreSQL, or the exporter itself is gone: the API has no database.',
      }),
      alert({
        name: 'PostgresConnectionsSaturated', priority: 'P2', for: '10m', labels,
        expr: `sum by (namespace) (pg_stat_activity_count{${sel}}) / max by (namespace) (pg_settings_max_connections{${sel}}) > 0.80`,
        summary: 'PostgreSQL connections above 80 % of max_connections', description: 'New connections will soon be refused ({{ $value | humanizePercentage }} used).',
      }),
      // WAL leaves the primary only through the backup slot (archive_command is not used): watch the
      // WAL the slot retains against max_slot_wal_keep_size, before the slot loses WAL for good.
      alert({
        name: 'PostgresBackupSlotWalRetention', priority: 'P1', for: '10m', labels,
        expr: `max by (namespace, job, slot_name) (pg_replication_slot_safe_wal_size_bytes{${sel}}) < on (namespace, job) group_left () 0.5 * max by (namespace, job) (pg_settings_max_slot_wal_keep_size_bytes{${sel}})`,
        summary: 'A PostgreSQL replication slot retains over half of max_slot_wal_keep_size',
        description: 'Slot {{ $labels.slot_name }} is not being advanced (WAL backups failing?): {{ $value | humanize1024 }}B left before it loses WAL and point-in-time recovery breaks.',
      }),
    ],
    panels: [
      { title: `PostgreSQL ${service} up`, queries: [{ expr: `pg_up{${sel}}`, legend: service }] },
      { title: `PostgreSQL ${service} connections (of max)`, unit: 'percentunit', queries: [{ expr: `sum(pg_stat_activity_count{${sel}}) / max(pg_settings_max_connections{${sel}})` }] },
      { title: `PostgreSQL ${service} transactions`, unit: 'ops', queries: [{ expr: `sum(rate(pg_stat_database_xact_commit{${sel}}[$__rate_interval]))`, legend: 'commits' }, { expr: `sum(rate(pg_stat_database_xact_rollback{${sel}}[$__rate_interval]))`, legend: 'rollbacks' }] },
      { title: `PostgreSQL ${service} database size`, unit: 'bytes', queries: [{ expr: `pg_database_size_bytes{${sel}}`, legend: '{{datname}}' }] },
    ],
  };
}

export function redisSignals(sel: string, service: string): StoreSignals {
  const labels = { service };
  return {
    alerts: [
      alert({
        name: 'RedisDown', priority: 'P0', for: '1m', labels,
        expr: `redis_up{${sel}} == 0 or absent(up{${sel}} == 1)`,
        summary: 'Redis is down', description: 'The exporter cannot reach Redis.',
      }),
      alert({
        name: 'RedisPersistenceFailing', priority: 'P1', for: '5m', labels,
        expr: `redis_rdb_last_bgsave_status{${sel}} == 0 or redis_aof_last_bgrewrite_status{${sel}} == 0 or redis_aof_last_write_status{${sel}} == 0`,
        summary: 'Redis cannot persist its data', description: 'The last RDB save or AOF write failed; with stop-writes-on-bgsave-error Redis refuses writes.',
      }),
      alert({
        name: 'RedisMemoryNearMax', priority: 'P2', for: '10m', labels,
        expr: `redis_memory_used_bytes{${sel}} / (redis_memory_max_bytes{${sel}} > 0) > 0.90`,
        summary: 'Redis uses over 90 % of maxmemory', description: 'With noeviction, writes fail when maxmemory is reached.',
      }),
      alert({
        name: 'RedisClientsSaturated', priority: 'P2', for: '10m', labels,
        expr: `redis_connected_clients{${sel}} / redis_config_maxclients{${sel}} > 0.80`,
        summary: 'Redis clients above 80 % of maxclients', description: 'New connections will soon be refused.',
      }),
    ],
    panels: [
      { title: `Redis ${service} up`, queries: [{ expr: `redis_up{${sel}}`, legend: service }] },
      { title: `Redis ${service} memory (of maxmemory)`, unit: 'percentunit', queries: [{ expr: `redis_memory_used_bytes{${sel}} / (redis_memory_max_bytes{${sel}} > 0)` }] },
      { title: `Redis ${service} commands`, unit: 'ops', queries: [{ expr: `rate(redis_commands_processed_total{${sel}}[$__rate_interval])` }] },
    ],
  };
}

export function milvusSignals(sel: string, service: string): StoreSignals {
  return {
    alerts: [alert({
      name: 'MilvusDown', priority: 'P1', for: '2m', labels: { service },
      expr: `up{${sel}} == 0 or absent(up{${sel}} == 1)`,
      summary: 'Milvus is down', description: 'Vector search (a core function) is unavailable.',
    })],
    panels: [{ title: `Milvus ${service} up`, queries: [{ expr: `up{${sel}}`, legend: service }] }],
  };
}

export function etcdSignals(sel: string, service: string): StoreSignals {
  const labels = { service };
  return {
    alerts: [
      alert({
        name: 'EtcdNoLeader', priority: 'P1', for: '1m', labels,
        expr: `etcd_server_has_leader{${sel}} == 0`,
        summary: 'Milvus etcd has no leader', description: 'Milvus cannot read or write metadata.',
      }),
      alert({
        name: 'EtcdDatabaseNearQuota', priority: 'P2', for: '10m', labels,
        expr: `etcd_mvcc_db_total_size_in_bytes{${sel}} / etcd_server_quota_backend_bytes{${sel}} > 0.80`,
        summary: 'Milvus etcd database above 80 % of its quota', description: 'At the quota etcd raises NOSPACE and refuses writes; compaction or defragmentation is due.',
      }),
    ],
    panels: [{ title: `etcd ${service} database (of quota)`, unit: 'percentunit', queries: [{ expr: `etcd_mvcc_db_total_size_in_bytes{${sel}} / etcd_server_quota_backend_bytes{${sel}}` }] }],
  };
}

export function minioSignals(sel: string, service: string): StoreSignals {
  const labels = { service };
  return {
    alerts: [
      alert({
        name: 'MinioCapacityLow', priority: 'P2', for: '15m', labels,
        expr: `minio_cluster_capacity_usable_free_bytes{${sel}} / minio_cluster_capacity_usable_total_bytes{${sel}} < 0.30`,
        summary: 'MinIO has less than 30 % free capacity', description: 'Below the storage headroom of the capacity plan.',
      }),
      alert({
        name: 'MinioDown', priority: 'P1', for: '2m', labels,
        expr: `up{${sel}} == 0 or absent(up{${sel}} == 1)`,
        summary: 'MinIO is down', description: 'Milvus cannot read or write segments.',
      }),
    ],
    panels: [{ title: `MinIO ${service} free capacity`, unit: 'percentunit', queries: [{ expr: `minio_cluster_capacity_usable_free_bytes{${sel}} / minio_cluster_capacity_usable_total_bytes{${sel}}` }] }],
  };
}

/** Volume usage of the claims of the given StatefulSets in a namespace. */
export function volumePanel(namespace: string, statefulSets: string[]): PanelSpec {
  const claims = `namespace="${namespace}",persistentvolumeclaim=~"[a-z0-9-]+-(${statefulSets.join('|')})-[0-9]+"`;
  return { title: 'Volume usage', unit: 'percentunit', queries: [{ expr: `kubelet_volume_stats_used_bytes{${claims}} / kubelet_volume_stats_capacity_bytes{${claims}}`, legend: '{{persistentvolumeclaim}}' }] };
}
