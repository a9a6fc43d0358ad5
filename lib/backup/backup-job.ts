import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import {
  cronIntervalSeconds, cronProp, dnsLabelProp, fail, immutableJobName, INetworkEndpoint, integerProp, namespaceOf, NetworkRules, recommendedLabels,
  restrictedContainerSecurityContext, restrictedPodSecurityContext, RunAsIdentity, selectorLabels, workloadNetworkPolicy,
} from '../shared';
import { platformPriorityClass } from '../shared/priority';

export interface BackupJobSpec {
  /** Name of the CronJob, ServiceAccount and NetworkPolicy. */
  readonly name: string;
  /** What the job does, for app.kubernetes.io/component. */
  readonly component: string;
  /** Cron schedule; absent for a one-shot Job (run on apply). */
  readonly schedule?: string;
  /** Prop the schedule came from, for error messages. */
  readonly scheduleProp?: string;
  /** Seconds a run may take; must be shorter than the interval between runs. */
  readonly deadlineSeconds: number;
  /** Steps that run in order before `main` (producers), each a container. */
  readonly steps: k8s.Container[];
  readonly main: k8s.Container;
  readonly identity: RunAsIdentity;
  readonly volumes: k8s.Volume[];
}

/**
 * One scheduled backup (or drill): a CronJob that never overlaps itself, with deadlines and
 * history limits, its own token-less ServiceAccount and a NetworkPolicy that opens only what
 * the caller connects (its store, the destination, DNS).
 */
export class BackupJob extends Construct implements INetworkEndpoint {
  public readonly name: string;
  public readonly namespace?: string;
  public readonly podSelector: Record<string, string>;
  public readonly network: NetworkRules;
  public readonly labels: Record<string, string>;

  constructor(scope: Construct, id: string, spec: BackupJobSpec) {
    super(scope, id);
    // CronJob names take at most 52 characters (the policy checks its stores' names against this budget first).
    this.name = dnsLabelProp(this, 'name', spec.name, 52);
    this.namespace = namespaceOf(this);
    this.network = new NetworkRules(this.namespace);
    const identity = { name: 'media-ai-backup', instance: spec.name, component: spec.component };
    this.podSelector = selectorLabels(identity);
    this.labels = recommendedLabels(identity);
    integerProp(this, 'deadlineSeconds', spec.deadlineSeconds, 0, { min: 60 });

    new k8s.KubeServiceAccount(this, 'ServiceAccount', { metadata: { name: spec.name, labels: this.labels }, automountServiceAccountToken: false });
    const secure = (c: k8s.Container): k8s.Container => ({ imagePullPolicy: 'IfNotPresent', securityContext: restrictedContainerSecurityContext(spec.identity), ...c });
    const template: k8s.PodTemplateSpec = {
      metadata: { labels: this.labels },
      spec: {
        restartPolicy: 'Never',
        priorityClassName: platformPriorityClass(this, 'batch'),
        serviceAccountName: spec.name,
        automountServiceAccountToken: false,
        securityContext: restrictedPodSecurityContext(spec.identity),
        initContainers: spec.steps.map(secure),
        containers: [secure(spec.main)],
        volumes: spec.volumes,
      },
    };
    if (spec.schedule === undefined) {
      // One-shot: named after its pod spec, so a changed spec is a new Job (Jobs are immutable) and
      // an unchanged one is left alone by the next apply.
      new k8s.KubeJob(this, 'Job', {
        metadata: { name: immutableJobName(spec.name, template), labels: this.labels },
        spec: { backoffLimit: 6, activeDeadlineSeconds: spec.deadlineSeconds, template },
      });
    } else {
      const schedule = cronProp(this, spec.scheduleProp ?? 'schedule', spec.schedule);
      const interval = cronIntervalSeconds(schedule);
      if (spec.deadlineSeconds >= interval) {
        fail(this, spec.scheduleProp ?? 'schedule', schedule, `runs every ${interval} s, more often than the job deadline (${spec.deadlineSeconds} s) allows: runs would be skipped`);
      }
      new k8s.KubeCronJob(this, 'CronJob', {
        metadata: { name: spec.name, labels: this.labels },
        spec: {
          schedule,
          concurrencyPolicy: 'Forbid',
          // A missed run may still start within 10 % of the interval (at most an hour), not at any time.
          startingDeadlineSeconds: Math.min(3600, Math.max(60, Math.floor(interval / 10))),
          successfulJobsHistoryLimit: 3,
          failedJobsHistoryLimit: 3,
          jobTemplate: { metadata: { labels: this.labels }, spec: { backoffLimit: 1, activeDeadlineSeconds: spec.deadlineSeconds, template } },
        },
      });
    }
    this.network.allowDns();
    workloadNetworkPolicy(this, 'NetworkPolicy', spec.name, this.labels, this);
  }
}
