import { dataTierDashboardUid } from '../dashboards';
import { alert, RuleGroup } from './rule-types';

/** The jobs (Service names) of a data tier's stores, as Prometheus labels them. */
export interface DataTierJobs {
  readonly namespace: string;
  readonly postgres: string;
  readonly redis: string;
  readonly milvus: string;
  readonly etcd: string;
  readonly minio: string;
}

/** Store down, persistence errors, saturation and capacity alerts for PostgreSQL, Redis and Milvus. */
export function dataTierRuleGroups(j: DataTierJobs): RuleGroup[] {
  const job = (name: string) => `job="${name}",namespace="${j.namespace}"`;
  const panel = (title: string) => ({ uid: dataTierDashboardUid(j.namespace), panel: title });
  return [{
    name: `${j.namespace}-data-tier`,
    rules: [
      alert({
        name: 'PostgresDown', dashboard: panel('Stores up'), priority: 'P0', for: '1m', labels: { service: j.postgres },
        expr: `pg_up{${job(j.postgres)}} == 0 or absent(up{${job(j.postgres)}} == 1)`,
        summary: 'PostgreSQL is down', description: 'The exporter cannot reach PostgreSQL, or the exporter itself is gone: the API has no database.',
      }),
      alert({
        name: 'PostgresConnectionsSaturated', dashboard: panel('PostgreSQL connections (of max)'), priority: 'P2', for: '10m', labels: { service: j.postgres },
        expr: `sum by (namespace) (pg_stat_activity_count{${job(j.postgres)}}) / max by (namespace) (pg_settings_max_connections{${job(j.postgres)}}) > 0.80`,
        summary: 'PostgreSQL connections above 80 % of max_connections', description: 'New connections will soon be refused ({{ $value | humanizePercentage }} used).',
      }),
      alert({
        name: 'PostgresWalArchivingFailing', dashboard: panel('PostgreSQL transactions'), priority: 'P1', for: '15m', labels: { service: j.postgres },
        expr: `increase(pg_stat_archiver_failed_count{${job(j.postgres)}}[15m]) > 0`,
        summary: 'PostgreSQL WAL archiving fails', description: 'archive_command keeps failing: point-in-time recovery is at risk and WAL accumulates.',
      }),
      alert({
        name: 'RedisDown', dashboard: panel('Stores up'), priority: 'P0', for: '1m', labels: { service: j.redis },
        expr: `redis_up{${job(j.redis)}} == 0 or absent(up{${job(j.redis)}} == 1)`,
        summary: 'Redis is down', description: 'The exporter cannot reach Redis.',
      }),
      alert({
        name: 'RedisPersistenceFailing', dashboard: panel('Redis commands'), priority: 'P1', for: '5m', labels: { service: j.redis },
        expr: `redis_rdb_last_bgsave_status{${job(j.redis)}} == 0 or redis_aof_last_bgrewrite_status{${job(j.redis)}} == 0 or redis_aof_last_write_status{${job(j.redis)}} == 0`,
        summary: 'Redis cannot persist its data', description: 'The last RDB save or AOF write failed; with stop-writes-on-bgsave-error Redis refuses writes.',
      }),
      alert({
        name: 'RedisMemoryNearMax', dashboard: panel('Redis memory (of maxmemory)'), priority: 'P2', for: '10m', labels: { service: j.redis },
        expr: `redis_memory_used_bytes{${job(j.redis)}} / (redis_memory_max_bytes{${job(j.redis)}} > 0) > 0.90`,
        summary: 'Redis uses over 90 % of maxmemory', description: 'With noeviction, writes fail when maxmemory is reached.',
      }),
      alert({
        name: 'RedisClientsSaturated', dashboard: panel('Redis commands'), priority: 'P2', for: '10m', labels: { service: j.redis },
        expr: `redis_connected_clients{${job(j.redis)}} / redis_config_maxclients{${job(j.redis)}} > 0.80`,
        summary: 'Redis clients above 80 % of maxclients', description: 'New connections will soon be refused.',
      }),
      alert({
        name: 'MilvusDown', dashboard: panel('Stores up'), priority: 'P1', for: '2m', labels: { service: j.milvus },
        expr: `up{${job(j.milvus)}} == 0 or absent(up{${job(j.milvus)}} == 1)`,
        summary: 'Milvus is down', description: 'Vector search (a core function) is unavailable.',
      }),
      alert({
        name: 'EtcdNoLeader', dashboard: panel('etcd database (of quota)'), priority: 'P1', for: '1m', labels: { service: j.etcd },
        expr: `etcd_server_has_leader{${job(j.etcd)}} == 0`,
        summary: 'Milvus etcd has no leader', description: 'Milvus cannot read or write metadata.',
      }),
      alert({
        name: 'EtcdDatabaseNearQuota', dashboard: panel('etcd database (of quota)'), priority: 'P2', for: '10m', labels: { service: j.etcd },
        expr: `etcd_mvcc_db_total_size_in_bytes{${job(j.etcd)}} / etcd_server_quota_backend_bytes{${job(j.etcd)}} > 0.80`,
        summary: 'Milvus etcd database above 80 % of its quota', description: 'At the quota etcd raises NOSPACE and refuses writes; compaction or defragmentation is due.',
      }),
      alert({
        name: 'MinioCapacityLow', dashboard: panel('MinIO free capacity'), priority: 'P2', for: '15m', labels: { service: j.minio },
        expr: `minio_cluster_capacity_usable_free_bytes{${job(j.minio)}} / minio_cluster_capacity_usable_total_bytes{${job(j.minio)}} < 0.30`,
        summary: 'MinIO has less than 30 % free capacity', description: 'Below the storage headroom of the capacity plan.',
      }),
      alert({
        name: 'MinioDown', dashboard: panel('MinIO free capacity'), priority: 'P1', for: '2m', labels: { service: j.minio },
        expr: `up{${job(j.minio)}} == 0 or absent(up{${job(j.minio)}} == 1)`,
        summary: 'MinIO is down', description: 'Milvus cannot read or write segments.',
      }),
    ],
  }];
}
