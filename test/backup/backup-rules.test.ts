import * as fs from 'fs';
/**
 * Every backup alert under promtool test rules: fires for a failure, stops after a later success,
 * stays quiet for a Job that succeeded on retry; and the backup slot's WAL retention alert.
 */
import * as YAML from 'yaml';
import type { AlertRule, RuleGroup } from '../../lib';
import { postgresSignals } from '../../lib/data-tier/store-signals';
import { expectSuccess, run, workDir } from '../harness/tools';
import { backupApp } from './fixtures';
import { toolDescribe } from '../harness/fast';

const { policy } = backupApp();
// The store's own alerts, with the selector a stack gives them (StatefulStore.signalsFor).
const dataTier: RuleGroup[] = [{ name: 'postgres', rules: postgresSignals('job="postgres",namespace="media-ai"', 'postgres').alerts }];
const groups: RuleGroup[] = [...policy.ruleGroups, ...dataTier];
const NS = 'namespace="media-ai"';

function rule(name: string, service: string): AlertRule {
  const r = groups.flatMap((g) => g.rules).find((x): x is AlertRule => 'alert' in x && x.alert === name && x.labels.service === service);
  if (!r) throw new Error(`no ${name} for ${service}`);
  return r;
}
const fired = (name: string, service: string, series: Record<string, string> = { namespace: 'media-ai' }) => {
  const r = rule(name, service);
  return { exp_labels: { ...series, ...r.labels }, exp_annotations: r.annotations };
};
/** A CronJob run: its start time (s) from `from` minutes on, and whether the Job as a whole failed. */
const job = (cronJob: string, id: number, startSeconds: number, failed: 0 | 1, fromMinute = 0, minutes = 60) => [
  { series: `kube_job_status_start_time{${NS},job_name="${cronJob}-${id}"}`, values: `${'_ '.repeat(fromMinute)}${startSeconds}x${minutes - fromMinute}`.trim() },
  { series: `kube_job_failed{${NS},job_name="${cronJob}-${id}",condition="true"}`, values: `${'_ '.repeat(fromMinute)}${failed}x${minutes - fromMinute}`.trim() },
];
const lastSuccess = (cronJob: string, values: string) => ({ series: `kube_cronjob_status_last_successful_time{${NS},cronjob="${cronJob}"}`, values });

toolDescribe('backup alerts (promtool test rules)', () => {
  test('BackupJobFailed / RestoreDrillFailed fire for a failed run, stop after a later success, ignore a success on retry', () => {
    const tests = {
      rule_files: ['rules.yaml'],
      evaluation_interval: '1m',
      tests: [
        {
          name: 'failed at 5 m, succeeded at 30 m; a failed pod retried successfully; a never-successful CronJob',
          interval: '1m',
          input_series: [
            lastSuccess('postgres-wal-backup', '60x30 1900x30'),
            ...job('postgres-wal-backup', 100, 300, 1),
            ...job('postgres-wal-backup', 200, 1800, 0, 30),
            // Succeeded on retry: one failed pod, no Failed condition.
            lastSuccess('redis-backup', '400x60'),
            { series: `kube_job_status_failed{${NS},job_name="redis-backup-100"}`, values: '1x60' },
            ...job('redis-backup', 100, 300, 0),
            // Never succeeded yet.
            ...job('milvus-backup', 100, 300, 1),
            lastSuccess('postgres-restore-drill', '60x30 1900x30'),
            ...job('postgres-restore-drill', 100, 300, 1),
            ...job('postgres-restore-drill', 200, 1800, 0, 30),
          ],
          alert_rule_test: [
            { eval_time: '10m', alertname: 'BackupJobFailed', exp_alerts: [fired('BackupJobFailed', 'postgres-wal-backup'), fired('BackupJobFailed', 'milvus-backup')] },
            { eval_time: '10m', alertname: 'RestoreDrillFailed', exp_alerts: [fired('RestoreDrillFailed', 'postgres-restore-drill')] },
            { eval_time: '40m', alertname: 'BackupJobFailed', exp_alerts: [fired('BackupJobFailed', 'milvus-backup')] },
            { eval_time: '40m', alertname: 'RestoreDrillFailed', exp_alerts: [] },
          ],
        },
        {
          name: 'BackupTooOld after 1.5 intervals + 1 h (+30 m), gone after a success',
          interval: '1m',
          input_series: [
            lastSuccess('postgres-wal-backup', '0x110 6600x30'),
            { series: `kube_cronjob_created{${NS},cronjob="postgres-wal-backup"}`, values: '0x140' },
          ],
          alert_rule_test: [
            { eval_time: '60m', alertname: 'BackupTooOld', exp_alerts: [] },
            { eval_time: '105m', alertname: 'BackupTooOld', exp_alerts: [fired('BackupTooOld', 'postgres-wal-backup', { namespace: 'media-ai', cronjob: 'postgres-wal-backup' })] },
            { eval_time: '115m', alertname: 'BackupTooOld', exp_alerts: [] },
          ],
        },
        {
          name: 'the backup slot retains over half of max_slot_wal_keep_size for 10 m, then is advanced',
          interval: '1m',
          input_series: [
            { series: `pg_replication_slot_safe_wal_size_bytes{job="postgres",${NS},slot_name="media_ai_backup",slot_type="physical"}`, values: '4000000000x10 1500000000x30 4000000000x20' },
            { series: `pg_settings_max_slot_wal_keep_size_bytes{job="postgres",${NS}}`, values: '4294967296x60' },
          ],
          alert_rule_test: [
            { eval_time: '15m', alertname: 'PostgresBackupSlotWalRetention', exp_alerts: [] },
            { eval_time: '25m', alertname: 'PostgresBackupSlotWalRetention', exp_alerts: [{ ...fired('PostgresBackupSlotWalRetention', 'postgres', { namespace: 'media-ai', job: 'postgres', slot_name: 'media_ai_backup' }), exp_annotations: { ...rule('PostgresBackupSlotWalRetention', 'postgres').annotations, description: rule('PostgresBackupSlotWalRetention', 'postgres').annotations.description.replace('{{ $value | humanize1024 }}', '1.397Gi').replace('{{ $labels.slot_name }}', 'media_ai_backup') } }] },
            { eval_time: '50m', alertname: 'PostgresBackupSlotWalRetention', exp_alerts: [] },
          ],
        },
      ],
    };
    const dir = workDir('backup-rules-test', { 'rules.yaml': { groups }, 'tests.yaml': YAML.stringify(tests) });
    try {
      expectSuccess(run('promtool', ['test', 'rules', 'tests.yaml'], { cwd: dir }));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('RestoreDrillOverdue after a missed week, gone after a drill passes (hourly evaluation)', () => {
    const tests = {
      rule_files: ['rules.yaml'],
      evaluation_interval: '1h',
      tests: [
        {
          name: 'RestoreDrillOverdue after a missed week, gone after a drill passes',
          interval: '1h',
          input_series: [
            lastSuccess('postgres-restore-drill', '0x260 936000x10'),
            { series: `kube_cronjob_created{${NS},cronjob="postgres-restore-drill"}`, values: '0x270' },
          ],
          alert_rule_test: [
            { eval_time: '240h', alertname: 'RestoreDrillOverdue', exp_alerts: [] },
            { eval_time: '256h', alertname: 'RestoreDrillOverdue', exp_alerts: [fired('RestoreDrillOverdue', 'postgres-restore-drill', { namespace: 'media-ai', cronjob: 'postgres-restore-drill' })] },
            { eval_time: '262h', alertname: 'RestoreDrillOverdue', exp_alerts: [] },
          ],
        },
      ],
    };
    const drillGroups = policy.ruleGroups.map((g) => ({ ...g, rules: g.rules.filter((r) => 'alert' in r && r.alert === 'RestoreDrillOverdue') }));
    const dir = workDir('backup-drill-rules-test', { 'rules.yaml': { groups: drillGroups }, 'tests.yaml': YAML.stringify(tests) });
    try {
      expectSuccess(run('promtool', ['test', 'rules', 'tests.yaml'], { cwd: dir }));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
