import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { Testing } from 'cdk8s';
import * as YAML from 'yaml';
import { composeProject, DEV, envVariable, MediaAiPlatform, writeCompose } from '../../lib';
import { tempDir } from '../harness/cli';
import { only, synthAppValid } from '../harness/synth';
import { toolTest } from '../harness/fast';

/** `docker-compose config` (Debian's docker-compose: the real parser, no container engine needed). */
function composeConfig(dir: string): { status: number | null; stdout: string; stderr: string } {
  return spawnSync('docker-compose', ['config'], { cwd: dir, encoding: 'utf8' });
}

describe('the local environment (compose.yaml) from the dev objects', () => {
  const dir = tempDir('compose');
  const files = writeCompose(dir);
  const app = Testing.app();
  new MediaAiPlatform(app, 'media-ai', { environment: DEV });
  const cluster = synthAppValid(app);
  const variables = fs.readFileSync(path.join(dir, '.env.example'), 'utf8').split('\n').filter((l) => /^[A-Z]/.test(l)).map((l) => l.replace(/=$/, ''));
  let config: any;

  beforeAll(() => {
    fs.writeFileSync(path.join(dir, '.env'), variables.map((v) => `${v}=local-${v.toLowerCase()}`).join('\n'));
    const res = composeConfig(dir);
    expect(res.stderr).toBe('');
    expect(res.status).toBe(0);
    config = YAML.parse(res.stdout);
  });

  toolTest('docker-compose config accepts it: the API and the stores it reaches, not the backups', () => {
    expect(Object.keys(config.services).filter((s) => !/-(init|seed)-?/.test(s)).sort())
      .toEqual(['media-ai-api', 'milvus', 'milvus-etcd', 'milvus-minio', 'postgres', 'postgres-app-role', 'redis']);
    expect([...files.keys()].sort()).toEqual(['.env', '.env.example', 'compose.yaml', 'config/milvus-config/user.yaml', 'config/postgres-app-role/pg-app-role.sh',
      'config/postgres-config/pg_hba.conf', 'config/postgres-config/postgresql.conf', 'config/redis-config/redis.conf'].filter((f) => f !== '.env'));
  });

  test('same images, environment variable names, ports and health checks as the cluster objects', () => {
    for (const [kind, name] of [['Deployment', 'media-ai-api'], ['StatefulSet', 'postgres'], ['StatefulSet', 'redis'], ['StatefulSet', 'milvus'], ['StatefulSet', 'milvus-etcd'], ['StatefulSet', 'milvus-minio']]) {
      const container = only(cluster, kind, name).spec.template.spec.containers[0];
      const service = config.services[name];
      expect(service.image).toBe(container.image);
      expect(Object.keys(service.environment ?? {}).sort()).toEqual((container.env ?? []).map((e: any) => e.name).sort());
      expect((service.ports ?? []).map((p: any) => (typeof p === 'string' ? Number(p.split(':').at(-1)!.split('/')[0]) : p.target)).sort()).toEqual((container.ports ?? []).map((p: any) => p.containerPort).sort());
      // docker-compose config prints `$` escaped as `$$`, as the file has it.
      if (container.readinessProbe.exec) expect(service.healthcheck.test.map((a: string) => a.replace(/\$\$/g, '$'))).toEqual(['CMD', ...container.readinessProbe.exec.command]);
      else expect(service.healthcheck.test.at(-1)).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:\\d+${container.readinessProbe.httpGet.path}$`));
    }
  });

  test('credentials come from .env; cluster DNS names become compose service names', () => {
    const api = config.services['media-ai-api'].environment;
    expect(api.DB_PASSWORD).toBe('local-media_ai_postgres_app_password');
    expect(api.DATABASE_URL).toBe('postgresql://local-media_ai_postgres_app_username:local-media_ai_postgres_app_password@postgres:5432/media_ai');
    expect(api.VECTOR_DB_URL).toBe('http://milvus:19530');
    expect(variables).toContain(envVariable('media-ai-redis', 'password'));
    expect(fs.readFileSync(path.join(dir, 'compose.yaml'), 'utf8')).not.toMatch(/local-|svc\.cluster\.local/);
    // The API waits for its stores to be healthy, Milvus for its rendered configuration.
    expect(config.services['media-ai-api'].depends_on).toEqual({ milvus: { condition: 'service_healthy' }, postgres: { condition: 'service_healthy' }, redis: { condition: 'service_healthy' } });
    expect(config.services.milvus.depends_on['milvus-init-render-config']).toEqual({ condition: 'service_completed_successfully' });
  });

  toolTest('a credential missing from .env: docker-compose config fails naming it', () => {
    const broken = tempDir('compose-missing');
    for (const [file, content] of files) {
      fs.mkdirSync(path.dirname(path.join(broken, file)), { recursive: true });
      fs.writeFileSync(path.join(broken, file), content);
    }
    fs.writeFileSync(path.join(broken, '.env'), variables.filter((v) => v !== 'MEDIA_AI_REDIS_PASSWORD').map((v) => `${v}=x`).join('\n'));
    const res = composeConfig(broken);
    expect(res.status).not.toBe(0);
    expect(res.stderr).toMatch(/set MEDIA_AI_REDIS_PASSWORD in \.env/);
  });

  test('a pod volume compose cannot express is a clear error', () => {
    const objects = [{ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'api', namespace: 'x' }, spec: { template: { spec: { containers: [{ name: 'api', image: 'api:1', volumeMounts: [{ name: 'host', mountPath: '/h' }] }], volumes: [{ name: 'host', hostPath: { path: '/' } }] } } } }];
    expect(() => composeProject(objects, 'x', 'api')).toThrow('compose/api/api: volumes.host (["hostPath"]) must be a ConfigMap, an emptyDir or a claim template to run in compose');
  });
});
