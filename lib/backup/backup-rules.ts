import { alert, RuleGroup } from '../shared';

/** The CronJobs a BackupPolicy runs, by kind, with the longest tolerated age of their last success. */
export interface BackupJobAge {
  readonly cronJob: string;
  /** Seconds after which the last success is too old (schedule interval plus slack). */
  readonly maxAgeSeconds: number;
  readonly drill: boolean;
}

/** Backup failed, backup too old, restore drill failed or overdue, on kube-state-metrics. */
export function backupRuleGroups(namespace: string, jobs: BackupJobAge[]): RuleGroup[] {
  const ns = `namespace="${namespace}"`;
  const rules = jobs.flatMap((j) => {
    const kind = j.drill ? 'Restore drill' : 'Backup';
    const runs = `${ns},job_name=~"${j.cronJob}-[0-9]+"`;
    // Start time of the newest Job that failed as a whole (condition Failed: retries exhausted; a Job
    // that succeeded on retry has failed pods but no Failed condition).
    const lastFailure = `max by (namespace) (kube_job_status_start_time{${runs}} and on (namespace, job_name) (kube_job_failed{${runs},condition="true"} == 1))`;
    // Completion of the last success; 0 while there never was one.
    const lastSuccess = `(max by (namespace) (kube_cronjob_status_last_successful_time{${ns},cronjob="${j.cronJob}"}) or on (namespace) (max by (namespace) (kube_job_status_start_time{${runs}}) * 0))`;
    return [
      alert({
        name: j.drill ? 'RestoreDrillFailed' : 'BackupJobFailed',
        priority: j.drill ? 'P2' : 'P1',
        // Fires while the newest failed run started after the last success; a later success ends it.
        expr: `${lastFailure} > on (namespace) ${lastSuccess}`,
        labels: { service: j.cronJob },
        summary: `${kind} ${j.cronJob} failed`,
        description: `The last run of CronJob ${namespace}/${j.cronJob} failed and none succeeded since; read its pod logs.`,
      }),
      alert({
        name: j.drill ? 'RestoreDrillOverdue' : 'BackupTooOld',
        priority: j.drill ? 'P2' : 'P1',
        // Never succeeded counts too, once the CronJob is older than the tolerated age.
        expr: `time() - kube_cronjob_status_last_successful_time{${ns},cronjob="${j.cronJob}"} > ${j.maxAgeSeconds} or (time() - kube_cronjob_created{${ns},cronjob="${j.cronJob}"} > ${j.maxAgeSeconds} unless on (namespace, cronjob) kube_cronjob_status_last_successful_time{${ns},cronjob="${j.cronJob}"})`,
        for: '30m',
        labels: { service: j.cronJob },
        summary: `${kind} ${j.cronJob} has not succeeded for too long`,
        description: `The last successful run of ${namespace}/${j.cronJob} is older than ${Math.round(j.maxAgeSeconds / 3600)} h (or there never was one).`,
      }),
    ];
  });
  return [{ name: `${namespace}-backups`, rules }];
}
