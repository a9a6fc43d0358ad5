import { App, Chart, Testing } from 'cdk8s';
import { ApiService, DataTier, DataTierProps } from '../../lib';
import { K8sObject, ofKind, only, synthValid } from '../harness/synth';
import { TIER_PROPS } from './fixtures';


function tier(props: Partial<DataTierProps> = {}, chart = new Chart(Testing.app(), 'test', { namespace: 'media-ai' })) {
  const t = new DataTier(chart, 'data', { ...TIER_PROPS, ...props });
  return { chart, tier: t };
}

const sts = (objects: K8sObject[], name: string) => only(objects, 'StatefulSet', name);
const envOf = (container: any) => Object.fromEntries((container.env ?? []).map((e: any) => [e.name, e.value ?? e.valueFrom]));

describe('DataTier', () => {
  test('renders PostgreSQL, Redis and Milvus with etcd and MinIO (snapshot)', () => {
    const { chart } = tier();
    expect(synthValid(chart)).toMatchSnapshot();
  });

  test('every store: StatefulSet with a claim template, headless + client Service, PDB, NetworkPolicy, ServiceMonitor', () => {
    const { chart } = tier();
    const objects = synthValid(chart);
    for (const name of ['postgres', 'redis', 'milvus', 'milvus-etcd', 'milvus-minio']) {
      const s = sts(objects, name);
      expect(s.spec.serviceName).toBe(`${name}-headless`);
      expect(s.spec.volumeClaimTemplates).toHaveLength(1);
      expect(only(objects, 'Service', `${name}-headless`).spec.clusterIP).toBe('None');
      expect(only(objects, 'Service', name).spec.type).toBe('ClusterIP');
      expect(only(objects, 'PodDisruptionBudget', name).spec.maxUnavailable).toBe(1);
      expect(only(objects, 'NetworkPolicy', name).spec.policyTypes).toEqual(['Ingress', 'Egress']);
      expect(only(objects, 'ServiceMonitor', name).metadata.labels!['monitoring.media-ai.io/stack']).toBe('platform');
      expect(s.spec.template.spec.automountServiceAccountToken).toBe(false);
    }
  });

  test('restricted everywhere; the one exception is Milvus readOnlyRootFilesystem', () => {
    const objects = synthValid(tier().chart);
    for (const s of ofKind(objects, 'StatefulSet')) {
      const pod = s.spec.template.spec;
      expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
      expect(pod.securityContext.runAsUser).toBeGreaterThan(0);
      for (const c of [...pod.containers, ...(pod.initContainers ?? [])]) {
        expect(c.securityContext).toMatchObject({ allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, runAsNonRoot: true });
        expect(c.resources.limits).toBeDefined();
        expect(c.securityContext.readOnlyRootFilesystem).toBe(!(s.metadata.name === 'milvus' && c.name === 'milvus'));
      }
    }
  });

  test('no credential literal anywhere: passwords come from secretKeyRef only', () => {
    const objects = synthValid(tier().chart);
    expect(ofKind(objects, 'Secret')).toEqual([]);
    for (const cm of ofKind(objects, 'ConfigMap')) {
      for (const file of Object.values<string>(cm.data)) expect(file).not.toMatch(/^\s*(requirepass|masterauth)\s/m);
    }
    for (const s of ofKind(objects, 'StatefulSet')) {
      for (const c of [...s.spec.template.spec.containers, ...(s.spec.template.spec.initContainers ?? [])]) {
        for (const e of c.env ?? []) {
          if (/PASSWORD|_PASS$|SECRET_KEY|ACCESS_KEY|CLI_AUTH$|_USER$/.test(e.name)) expect(e.valueFrom?.secretKeyRef).toBeDefined();
        }
      }
    }
  });

  test('Postgres: PGDATA in a subdirectory, config from the ConfigMap, pg_isready probes, exporter on 9187', () => {
    const objects = synthValid(tier().chart);
    const [pg, exporter] = sts(objects, 'postgres').spec.template.spec.containers;
    expect(envOf(pg).PGDATA).toBe('/var/lib/postgresql/data/pgdata');
    expect(pg.args).toEqual(['-c', 'config_file=/etc/postgresql/postgresql.conf']);
    expect(pg.readinessProbe.exec.command.join(' ')).toMatch(/pg_isready -h 127.0.0.1 -p 5432/);
    expect(exporter.ports).toEqual([{ name: 'metrics', containerPort: 9187, protocol: 'TCP' }]);
    expect(only(objects, 'ConfigMap', 'postgres-config').data['postgresql.conf']).toMatch(/^shared_buffers = '1024MB'$/m);
    expect(sts(objects, 'postgres').spec.template.metadata.annotations['checksum/config']).toMatch(/^[0-9a-f]{64}$/);
  });

  test('storage is sized from the expected data plus headroom', () => {
    const objects = synthValid(tier({ postgres: { ...TIER_PROPS.postgres, storage: { expectedDataSize: '100Gi', headroomPercent: 50, storageClassName: 'fast-ssd' } } }).chart);
    const claim = sts(objects, 'postgres').spec.volumeClaimTemplates[0];
    expect(claim.spec).toEqual({ accessModes: ['ReadWriteOnce'], storageClassName: 'fast-ssd', resources: { requests: { storage: '150Gi' } } });
    expect(sts(objects, 'redis').spec.volumeClaimTemplates[0].spec.resources.requests.storage).toBe('6Gi');
  });

  test('Redis: maxmemory follows the memory limit, password only through the init-written include and REDISCLI_AUTH', () => {
    const objects = synthValid(tier({ redis: { ...TIER_PROPS.redis, resources: { memoryLimit: '4Gi', memoryRequest: '2Gi' }, storage: { expectedDataSize: '8Gi' } } }).chart);
    // 45 % of the limit: a save forks, and the child's copy-on-write pages count against the same limit.
    expect(only(objects, 'ConfigMap', 'redis-config').data['redis.conf']).toMatch(/^maxmemory 1932735283$/m);
    const pod = sts(objects, 'redis').spec.template.spec;
    expect(pod.containers[0].command).toEqual(['redis-server', '/etc/redis/redis.conf']);
    expect(envOf(pod.containers[0]).REDISCLI_AUTH).toEqual({ secretKeyRef: { name: 'redis-credentials', key: 'password' } });
    expect(pod.containers[0].readinessProbe.exec.command.join(' ')).not.toMatch(/-a /);
  });

  test('etcd is compacted and bounded by a quota below its volume', () => {
    const objects = synthValid(tier().chart);
    const cmd = sts(objects, 'milvus-etcd').spec.template.spec.containers[0].command;
    expect(cmd).toEqual(expect.arrayContaining(['--auto-compaction-mode=revision', '--auto-compaction-retention=1000', '--quota-backend-bytes=4294967296']));
    expect(sts(objects, 'milvus-etcd').spec.volumeClaimTemplates[0].spec.resources.requests.storage).toBe('6Gi');
  });

  // Issue #8 (minor): /health fails during a NOSPACE alarm, and a restart does not clear the alarm.
  test('etcd liveness and startup ignore the NOSPACE alarm; readiness does not', () => {
    const etcd = sts(synthValid(tier().chart), 'milvus-etcd').spec.template.spec.containers[0];
    expect(etcd.livenessProbe.httpGet.path).toBe('/health?exclude=NOSPACE');
    expect(etcd.startupProbe.httpGet.path).toBe('/health?exclude=NOSPACE');
    expect(etcd.readinessProbe.httpGet.path).toBe('/health');
  });

  // Issue #8 item 7: the headless Service has the client Service's labels, so a plain label selector scraped each store twice.
  test('each store ServiceMonitor excludes the headless Service', () => {
    const objects = synthValid(tier().chart);
    for (const name of ['postgres', 'redis', 'milvus', 'milvus-etcd', 'milvus-minio']) {
      expect(only(objects, 'Service', `${name}-headless`).metadata.labels!['service.media-ai.io/headless']).toBe('true');
      expect(only(objects, 'Service', name).metadata.labels!['service.media-ai.io/headless']).toBeUndefined();
      expect(only(objects, 'ServiceMonitor', name).spec.selector.matchExpressions).toEqual([{ key: 'service.media-ai.io/headless', operator: 'DoesNotExist' }]);
    }
  });

  test('connect(): env from Secrets with dependent-variable expansion, both NetworkPolicies opened', () => {
    const { chart, tier: t } = tier();
    const api = new ApiService(chart, 'media-ai-api', { image: 'r.example.com/api:1.0.0' });
    t.connect(api);
    const objects = synthValid(chart);
    const env = only(objects, 'Deployment').spec.template.spec.containers[0].env;
    expect(env.map((e: any) => e.name)).toEqual(['DB_USER', 'DB_PASSWORD', 'REDIS_PASSWORD', 'VECTOR_DB_URL', 'DATABASE_URL', 'REDIS_URL']);
    const byName = Object.fromEntries(env.map((e: any) => [e.name, e]));
    expect(byName.DATABASE_URL.value).toBe('postgresql://$(DB_USER):$(DB_PASSWORD)@postgres.media-ai.svc.cluster.local:5432/media_ai');
    expect(byName.REDIS_URL.value).toBe('redis://:$(REDIS_PASSWORD)@redis.media-ai.svc.cluster.local:6379/0');
    expect(byName.VECTOR_DB_URL.value).toBe('http://milvus.media-ai.svc.cluster.local:19530');
    expect(byName.DB_PASSWORD.valueFrom).toEqual({ secretKeyRef: { name: 'pg-credentials', key: 'password' } });

    const apiEgress = only(objects, 'NetworkPolicy', 'media-ai-api').spec.egress;
    const pgIngress = only(objects, 'NetworkPolicy', 'postgres').spec.ingress;
    expect(apiEgress).toContainEqual({ to: [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'postgresql', 'app.kubernetes.io/instance': 'postgres' } } }], ports: [{ port: 5432, protocol: 'TCP' }] });
    expect(pgIngress).toContainEqual({ from: [{ podSelector: { matchLabels: api.podSelector } }], ports: [{ port: 5432, protocol: 'TCP' }] });
    // Milvus reaches its etcd and MinIO, and nothing else reaches them.
    expect(only(objects, 'NetworkPolicy', 'milvus-etcd').spec.ingress.map((r: any) => r.ports[0].port)).toEqual([2381, 2379]);
    expect(only(objects, 'NetworkPolicy', 'milvus').spec.egress.map((r: any) => r.ports[0].port)).toEqual([2379, 9000, 53]);
  });

  test('connect() across charts and namespaces uses namespace selectors and FQDNs', () => {
    const app: App = Testing.app();
    const dataChart = new Chart(app, 'data', { namespace: 'data' });
    const apiChart = new Chart(app, 'api', { namespace: 'media-ai' });
    const { tier: t } = tier({}, dataChart);
    const api = new ApiService(apiChart, 'media-ai-api', { image: 'r.example.com/api:1.0.0' });
    expect(() => api.connect(t.postgres)).toThrow(/DB_USER reads Secret 'pg-credentials' there; a pod reads Secrets only in its own namespace \('media-ai'\): copy Secret 'pg-credentials' into 'media-ai'/);
    api.connect(t.postgres, { secretsInClientNamespace: true });
    const apiObjects = synthValid(apiChart);
    const dataObjects = synthValid(dataChart);
    expect(only(apiObjects, 'Deployment').spec.template.spec.containers[0].env.at(-1).value).toContain('@postgres.data.svc.cluster.local:5432/');
    expect(only(dataObjects, 'NetworkPolicy', 'postgres').spec.ingress).toContainEqual({
      from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'media-ai' } }, podSelector: { matchLabels: api.podSelector } }],
      ports: [{ port: 5432, protocol: 'TCP' }],
    });
  });

  test('a connection-URL Secret replaces the built URL (as the spec\'s media-ai-secrets)', () => {
    const { chart, tier: t } = tier({
      postgres: { ...TIER_PROPS.postgres, connectionUrlSecret: { name: 'media-ai-secrets', key: 'database-url' } },
      redis: { ...TIER_PROPS.redis, connectionUrlSecret: { name: 'media-ai-secrets', key: 'redis-url' } },
    });
    const api = new ApiService(chart, 'media-ai-api', { image: 'r.example.com/api:1.0.0' });
    t.connect(api);
    const env = only(synthValid(chart), 'Deployment').spec.template.spec.containers[0].env;
    expect(env.filter((e: any) => /URL/.test(e.name) && e.valueFrom)).toEqual([
      { name: 'DATABASE_URL', valueFrom: { secretKeyRef: { name: 'media-ai-secrets', key: 'database-url' } } },
      { name: 'REDIS_URL', valueFrom: { secretKeyRef: { name: 'media-ai-secrets', key: 'redis-url' } } },
    ]);
  });
});
