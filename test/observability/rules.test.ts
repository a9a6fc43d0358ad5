import * as path from 'path';
import * as YAML from 'yaml';
import { AlertRule, RuleGroup } from '../../lib';
import { etcdSignals, milvusSignals, minioSignals, postgresSignals, redisSignals } from '../../lib/data-tier/store-signals';
import { resolveSlo, sloRuleGroups, standardRuleGroups } from '../../lib/observability/rules';
import { expectSuccess, run, workDir } from '../harness/tools';
import { toolTest } from '../harness/fast';

const SERVICE = 'media-ai-api';
const slo = resolveSlo({ availabilityPercent: 99.9, latencyThresholdSeconds: 0.5, latencyPercent: 99 });
const groups: RuleGroup[] = [
  ...standardRuleGroups(),
  ...sloRuleGroups(SERVICE, slo),
  // The store alerts live next to the stores; the data tier's group as DataTier.monitorBy() renders it.
  {
    name: 'media-ai-data-tier',
    rules: ([[postgresSignals, 'postgres'], [redisSignals, 'redis'], [milvusSignals, 'milvus'], [etcdSignals, 'milvus-etcd'], [minioSignals, 'milvus-minio']] as const)
      .flatMap(([signals, job]) => signals(`job="${job}",namespace="media-ai"`, job).alerts),
  },
];

function alertsNamed(name: string): AlertRule[] {
  return groups.flatMap((g) => g.rules).filter((r): r is AlertRule => 'alert' in r && r.alert === name);
}

/** An expected firing alert: the rule's labels plus the series labels its expression keeps. */
function expected(name: string, priority: string, seriesLabels: Record<string, string>) {
  const rule = alertsNamed(name).find((r) => r.labels.priority === priority)!;
  return { exp_labels: { ...seriesLabels, ...rule.labels }, exp_annotations: rule.annotations };
}

describe('alert and recording rules, checked by promtool', () => {
  toolTest('promtool check rules accepts every group', () => {
    const dir = workDir('rules', { 'rules.yaml': { groups } });
    const out = expectSuccess(run('promtool', ['check', 'rules', path.join(dir, 'rules.yaml')]));
    expect(out).toMatch(new RegExp(`SUCCESS: ${groups.reduce((n, g) => n + g.rules.length, 0)} rules found`));
  });

  test('every alert carries a priority P0–P3 and a summary', () => {
    for (const r of groups.flatMap((g) => g.rules).filter((x): x is AlertRule => 'alert' in x)) {
      expect(r.labels.priority).toMatch(/^P[0-3]$/);
      expect(r.annotations.summary).toBeTruthy();
    }
  });

  toolTest('burn-rate alerts fire at the right priority and time, and not below budget (promtool test rules)', () => {
    const requests = (ok: number, failed: number) => [
      { series: `http_requests_total{job="${SERVICE}",status="200"}`, values: `0+${ok}x600` },
      { series: `http_requests_total{job="${SERVICE}",status="5xx"}`, values: `0+${failed}x600` },
    ];
    const avail = { service: SERVICE, slo: 'availability' };
    const tests = {
      rule_files: ['rules.yaml'],
      evaluation_interval: '1m',
      tests: [
        {
          name: '20 % errors: P0 after its 2 m for-duration, nothing else yet',
          interval: '1m',
          input_series: requests(800, 200),
          alert_rule_test: [
            { eval_time: '2m', alertname: 'ApiErrorBudgetBurn', exp_alerts: [] },
            { eval_time: '5m', alertname: 'ApiErrorBudgetBurn', exp_alerts: [expected('ApiErrorBudgetBurn', 'P0', avail)] },
          ],
        },
        {
          name: '1 % errors (10× budget): P1 and later P2 fire, P0 never, P3 still pending at 70 m',
          interval: '1m',
          input_series: requests(990, 10),
          alert_rule_test: [
            { eval_time: '10m', alertname: 'ApiErrorBudgetBurn', exp_alerts: [] },
            { eval_time: '20m', alertname: 'ApiErrorBudgetBurn', exp_alerts: [expected('ApiErrorBudgetBurn', 'P1', avail)] },
            { eval_time: '70m', alertname: 'ApiErrorBudgetBurn', exp_alerts: [expected('ApiErrorBudgetBurn', 'P1', avail), expected('ApiErrorBudgetBurn', 'P2', avail)] },
          ],
        },
        {
          name: '0.2 % errors (2× budget): only P3, after 3 h',
          interval: '1m',
          input_series: requests(998, 2),
          alert_rule_test: [
            { eval_time: '2h', alertname: 'ApiErrorBudgetBurn', exp_alerts: [] },
            { eval_time: '4h', alertname: 'ApiErrorBudgetBurn', exp_alerts: [expected('ApiErrorBudgetBurn', 'P3', avail)] },
          ],
        },
        {
          name: '0.05 % errors (within budget): nothing fires',
          interval: '1m',
          input_series: requests(9995, 5),
          alert_rule_test: [{ eval_time: '5h', alertname: 'ApiErrorBudgetBurn', exp_alerts: [] }],
        },
        {
          name: '20 % of requests slower than 0.5 s: latency burn at P1',
          interval: '1m',
          input_series: [
            { series: `http_request_duration_seconds_bucket{job="${SERVICE}",le="0.5"}`, values: '0+80x60' },
            { series: `http_request_duration_seconds_count{job="${SERVICE}"}`, values: '0+100x60' },
          ],
          alert_rule_test: [{ eval_time: '10m', alertname: 'ApiLatencyBudgetBurn', exp_alerts: [expected('ApiLatencyBudgetBurn', 'P1', { service: SERVICE, slo: 'latency' })] }],
        },
        {
          name: 'data tier: PostgreSQL down pages P0; Redis persistence failure is P1',
          interval: '1m',
          input_series: [
            { series: 'pg_up{job="postgres",namespace="media-ai"}', values: '1 1 0 0 0 0' },
            { series: 'up{job="postgres",namespace="media-ai"}', values: '1 1 1 1 1 1' },
            { series: 'redis_rdb_last_bgsave_status{job="redis",namespace="media-ai"}', values: '0x10' },
          ],
          alert_rule_test: [
            { eval_time: '5m', alertname: 'PostgresDown', exp_alerts: [expected('PostgresDown', 'P0', { job: 'postgres', namespace: 'media-ai' })] },
            { eval_time: '6m', alertname: 'RedisPersistenceFailing', exp_alerts: [expected('RedisPersistenceFailing', 'P1', { job: 'redis', namespace: 'media-ai' })] },
          ],
        },
        {
          name: 'volumes: 75 % full is P3, 90 % full adds P2',
          interval: '1m',
          input_series: [
            { series: 'kubelet_volume_stats_used_bytes{namespace="media-ai",persistentvolumeclaim="data-postgres-0"}', values: '75x30 90x30' },
            { series: 'kubelet_volume_stats_capacity_bytes{namespace="media-ai",persistentvolumeclaim="data-postgres-0"}', values: '100x60' },
          ],
          alert_rule_test: [
            { eval_time: '20m', alertname: 'PersistentVolumeFilling', exp_alerts: [{ exp_labels: { namespace: 'media-ai', persistentvolumeclaim: 'data-postgres-0', ...alertsNamed('PersistentVolumeFilling')[0].labels }, exp_annotations: { ...alertsNamed('PersistentVolumeFilling')[0].annotations, summary: 'Volume media-ai/data-postgres-0 is over 70 % full' } }] },
            { eval_time: '20m', alertname: 'PersistentVolumeAlmostFull', exp_alerts: [] },
            { eval_time: '40m', alertname: 'PersistentVolumeAlmostFull', exp_alerts: [{ exp_labels: { namespace: 'media-ai', persistentvolumeclaim: 'data-postgres-0', ...alertsNamed('PersistentVolumeAlmostFull')[0].labels }, exp_annotations: { ...alertsNamed('PersistentVolumeAlmostFull')[0].annotations, summary: 'Volume media-ai/data-postgres-0 is over 85 % full' } }] },
          ],
        },
      ],
    };
    const dir = workDir('rules-test', { 'rules.yaml': { groups }, 'tests.yaml': YAML.stringify(tests) });
    expectSuccess(run('promtool', ['test', 'rules', 'tests.yaml'], { cwd: dir }));
  });
});
