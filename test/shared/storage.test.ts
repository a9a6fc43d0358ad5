import { Chart, Testing } from 'cdk8s';
import { BackupPolicy, DataTier, ObservabilityStack, Postgres } from '../../lib';
import { DESTINATION } from '../backup/fixtures';
import { TIER_PROPS } from '../data-tier/fixtures';
import { K8sObject, only, synthAppValid } from '../harness/synth';

/**
 * One vocabulary for volumes (issue #10): every construct that keeps data takes `storage`
 * (StorageOptions: size or expected data plus headroom, StorageClass, access mode), and stores
 * expose what it resolved to as `storage`.
 */
const GRAFANA = { adminUser: { name: 'grafana-admin', key: 'user' }, adminPassword: { name: 'grafana-admin', key: 'password' } };

function stack(props: object): K8sObject[] {
  const app = Testing.app();
  new ObservabilityStack(new Chart(app, 'monitoring', { namespace: 'monitoring' }), 'observability', { grafana: GRAFANA, ...props });
  return synthAppValid(app);
}

describe('storage: the same StorageOptions on stores, Prometheus, Alertmanager, Grafana and Elasticsearch', () => {
  test('Prometheus: size and StorageClass on the claim, retentionSize 85 % of the size; expectedDataSize adds the headroom', () => {
    const spec = only(stack({ prometheus: { storage: { size: '100Gi', storageClassName: 'fast-ssd' } } }), 'Prometheus').spec;
    expect(spec.storage.volumeClaimTemplate.spec).toEqual({ accessModes: ['ReadWriteOnce'], storageClassName: 'fast-ssd', resources: { requests: { storage: '100Gi' } } });
    expect(spec.retentionSize).toBe('85GB');
    const sized = only(stack({ prometheus: { storage: { expectedDataSize: '50Gi', headroomPercent: 50 } } }), 'Prometheus').spec;
    expect(sized.storage.volumeClaimTemplate.spec.resources.requests.storage).toBe('75Gi');
    expect(only(stack({}), 'Prometheus').spec.storage.volumeClaimTemplate.spec.resources.requests.storage).toBe('50Gi');
  });

  test('Alertmanager: the StorageClass reaches its claim (it had no way to before)', () => {
    const spec = only(stack({ alerting: { storage: { size: '1Gi', storageClassName: 'standard', accessMode: 'ReadWriteOncePod' } } }), 'Alertmanager').spec;
    expect(spec.storage.volumeClaimTemplate.spec).toEqual({ accessModes: ['ReadWriteOncePod'], storageClassName: 'standard', resources: { requests: { storage: '1Gi' } } });
  });

  test('Grafana: no storage is stateless; storage {} keeps its database on a 10Gi claim and recreates on update', () => {
    const stateless = stack({});
    expect(stateless.filter((o) => o.kind === 'PersistentVolumeClaim')).toEqual([]);
    const persistent = stack({ grafana: { ...GRAFANA, storage: {} } });
    expect(only(persistent, 'PersistentVolumeClaim', 'grafana').spec).toEqual({ accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '10Gi' } } });
    expect(only(persistent, 'Deployment', 'grafana').spec.strategy.type).toBe('Recreate');
    const classed = stack({ grafana: { ...GRAFANA, storage: { size: '5Gi', storageClassName: 'standard' } } });
    expect(only(classed, 'PersistentVolumeClaim', 'grafana').spec).toMatchObject({ storageClassName: 'standard', resources: { requests: { storage: '5Gi' } } });
  });

  test('a store exposes the resolved volume as `storage`; the restore drill takes its size and StorageClass', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'data', { namespace: 'media-ai' });
    const tier = new DataTier(chart, 'data', { ...TIER_PROPS, postgres: { ...TIER_PROPS.postgres, storage: { expectedDataSize: '10Gi', storageClassName: 'fast-ssd' } } });
    const pg: Postgres = tier.postgres;
    expect(pg.storage).toEqual({ size: '14Gi', storageClassName: 'fast-ssd', accessMode: 'ReadWriteOnce' });
    new BackupPolicy(chart, 'backup', { destination: DESTINATION, postgres: tier.postgres });
    const drill = only(synthAppValid(app), 'CronJob', 'postgres-restore-drill').spec.jobTemplate.spec.template.spec;
    const scratch = drill.volumes.find((v: any) => v.ephemeral);
    expect(scratch.ephemeral.volumeClaimTemplate.spec).toEqual({ accessModes: ['ReadWriteOnce'], storageClassName: 'fast-ssd', resources: { requests: { storage: '14Gi' } } });
  });
});

describe('Prometheus retentionSize follows the volume at every size', () => {
  const retention = (storage: object) => only(stack({ prometheus: { storage } }), 'Prometheus').spec.retentionSize;
  test('GB from 1 GiB of retention up, MB below (0GB would mean no limit), too small refused', () => {
    expect([retention({ size: '100Gi' }), retention({ size: '2Gi' }), retention({ size: '1Gi' }), retention({ size: '512Mi' })]).toEqual(['85GB', '1GB', '870MB', '435MB']);
    expect(retention({ expectedDataSize: '500Mi' })).toBe('595MB');
    expect(() => retention({ size: '64Mi' })).toThrow(/Prometheus: storage.size \("64Mi"\) must be at least 76Mi/);
  });
});
