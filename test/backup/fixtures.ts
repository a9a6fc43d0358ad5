import * as fs from 'fs';
import * as path from 'path';
import { Chart, Testing } from 'cdk8s';
import { BackupPolicy, BackupPolicyProps, DataTier } from '../../lib';
import { TIER_PROPS } from '../data-tier/fixtures';
import { K8sObject, only, synthAppValid } from '../harness/synth';

export const DESTINATION: BackupPolicyProps['destination'] = {
  endpoint: 'https://s3.example.com',
  bucket: 'media-ai-backups',
  prefix: 'prod',
  accessKeyId: { name: 'backup-s3', key: 'access-key-id' },
  secretAccessKey: { name: 'backup-s3', key: 'secret-access-key' },
};

/** An app with a data tier and a backup policy for all of it. */
export function backupApp(props: Partial<BackupPolicyProps> = {}, replicas = 1) {
  const app = Testing.app();
  const chart = new Chart(app, 'app', { namespace: 'media-ai' });
  const tier = new DataTier(chart, 'data', { ...TIER_PROPS, postgres: { ...TIER_PROPS.postgres, maxConnections: 100 + replicas } });
  const policy = new BackupPolicy(chart, 'backup', { destination: DESTINATION, postgres: tier.postgres, redis: tier.redis, milvus: tier.milvus, ...props });
  return { app, chart, tier, policy };
}

/** Writes the scripts ConfigMap of a synthesized app into a directory (as the pods mount it). */
export function extractScripts(objects: K8sObject[], dir: string): string {
  fs.mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries<string>(only(objects, 'ConfigMap', 'backup-scripts').data)) {
    fs.writeFileSync(path.join(dir, name), text, { mode: 0o755 });
  }
  return dir;
}

export function synthBackupApp(props: Partial<BackupPolicyProps> = {}) {
  const built = backupApp(props);
  return { ...built, objects: synthAppValid(built.app) };
}

/** The configuration-backup Job (the other one-shot Job is the PostgreSQL backup-role setup). */
export function configJob(objects: K8sObject[]): K8sObject {
  const jobs = objects.filter((o) => o.kind === 'Job' && /-config-[0-9a-f]{16}$/.test(o.metadata.name));
  if (jobs.length !== 1) throw new Error(`expected one config-backup Job, found ${jobs.length}`);
  return jobs[0];
}
