/** The generated configuration, run by the real programs. */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Chart, Testing } from 'cdk8s';
import * as YAML from 'yaml';
import { Milvus, Postgres, Redis } from '../../lib';
import { RENDER_USER_YAML_SCRIPT } from '../../lib/data-tier/milvus-config';
import { AUTH_INCLUDE, WRITE_AUTH_SCRIPT } from '../../lib/data-tier/redis-config';
import { findBinary, PostgresServer, postgresOwnedDir, startPostgres, startRedis } from '../harness/servers';
import { only, synthValid } from '../harness/synth';

function configMapData(chart: Chart, name: string): Record<string, string> {
  return only(synthValid(chart), 'ConfigMap', name).data;
}

describe('postgresql.conf is accepted by a real PostgreSQL server', () => {
  let server: PostgresServer | undefined;
  afterAll(() => server?.stop());

  test('the server starts with the generated file and reports the derived values', async () => {
    const chart = new Chart(Testing.app(), 'pg', { namespace: 'media-ai' });
    new Postgres(chart, 'postgres', { credentials: { name: 'pg' }, resources: { memoryLimit: '4Gi', memoryRequest: '2Gi' }, maxConnections: 150, settings: { log_min_duration_statement: 500 } });
    const conf = configMapData(chart, 'postgres-config')['postgresql.conf'];
    const dir = postgresOwnedDir('pgconf');
    const confFile = path.join(dir, 'postgresql.conf');
    // The generated files as they are; only the pod path of pg_hba.conf is moved to this directory.
    const data = configMapData(chart, 'postgres-config');
    fs.writeFileSync(path.join(dir, 'pg_hba.conf'), data['pg_hba.conf'].replace(/scram-sha-256/g, 'trust'));
    fs.writeFileSync(confFile, conf.replace("hba_file = '/etc/postgresql/pg_hba.conf'", `hba_file = '${dir}/pg_hba.conf'`));
    for (const f of ['pg_hba.conf', 'postgresql.conf']) fs.chmodSync(path.join(dir, f), 0o644);
    // The generated file as is; only where the server listens is moved to this test's private port and socket.
    server = await startPostgres({ serverArgs: [`-c config_file=${confFile}`] });
    const show = (name: string) => server!.sql(`SHOW ${name}`);
    expect(show('config_file')).toBe(confFile);
    expect(show('hba_file')).toBe(path.join(dir, 'pg_hba.conf'));
    // pg_hba.conf is accepted too: every line parsed, replication connections included.
    expect(server.sql("SELECT count(*) FROM pg_hba_file_rules WHERE error IS NULL AND 'replication' = ANY(database)")).toBe('1');
    expect(server.sql('SELECT count(*) FROM pg_hba_file_rules WHERE error IS NOT NULL')).toBe('0');
    expect(show('shared_buffers')).toBe('1GB');
    expect(show('effective_cache_size')).toBe('3GB');
    expect(show('max_connections')).toBe('150');
    expect(show('work_mem')).toBe('6MB') // 25 % of 4Gi over 150 connections, rounded down;
    expect(show('maintenance_work_mem')).toBe('256MB');
    expect(show('wal_level')).toBe('replica');
    expect(show('archive_mode')).toBe('on');
    expect(show('archive_command')).toBe('/bin/true');
    expect(show('max_wal_senders')).toBe('10');
    expect(show('password_encryption')).toBe('scram-sha-256');
    expect(show('log_min_duration_statement')).toBe('500ms');
    // Nothing in the file was rejected; only the three listen settings moved by the test are overridden.
    expect(server.sql('SELECT coalesce(string_agg(name || \': \' || error, \'; \'), \'none\') FROM pg_file_settings WHERE error IS NOT NULL AND name NOT IN (\'listen_addresses\', \'port\', \'unix_socket_directories\')')).toBe('none');
    expect(server.sql('SELECT string_agg(name, \',\' ORDER BY name) FROM pg_file_settings WHERE NOT applied')).toBe('listen_addresses,port,unix_socket_directories');
  });
});

describe('redis.conf is accepted by a real redis-server', () => {
  const password = 'p@ss "word" with \\ and spaces';

  test('the server starts with the generated file, applies the settings and requires the Secret password', async () => {
    const chart = new Chart(Testing.app(), 'redis', { namespace: 'media-ai' });
    new Redis(chart, 'redis', { password: { name: 'redis', key: 'password' }, resources: { memoryLimit: '2Gi', memoryRequest: '1Gi' }, maxmemoryPolicy: 'allkeys-lru' });
    const objects = synthValid(chart);
    const conf = only(objects, 'ConfigMap', 'redis-config').data['redis.conf'];
    expect(conf).not.toMatch(/^requirepass/m);

    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'redis-'));
    const authFile = path.join(dir, 'auth.conf');
    // The init container's own script, with the Secret value in its environment, writes the include.
    const script = only(objects, 'StatefulSet').spec.template.spec.initContainers[0].command[2];
    expect(script).toBe(WRITE_AUTH_SCRIPT);
    execFileSync('sh', ['-c', script.split(AUTH_INCLUDE).join(authFile)], { env: { ...process.env, REDIS_PASSWORD: password } });
    const data = fs.mkdtempSync(path.join(os.tmpdir(), 'redis-data-'));
    // The generated file; only the paths of the pod (the include, the data volume) are moved here.
    fs.writeFileSync(path.join(dir, 'redis.conf'), conf.split(AUTH_INCLUDE).join(authFile).replace(/^dir \/data$/m, `dir ${data}`));
    const server = await startRedis(path.join(dir, 'redis.conf'), data);
    try {
      expect(server.cli(['ping'])).toMatch(/NOAUTH/);
      expect(server.cli(['ping'], 'wrong')).toMatch(/WRONGPASS|invalid/);
      expect(server.cli(['ping'], password)).toBe('PONG');
      const get = (name: string) => server.cli(['config', 'get', name], password).split('\n')[1];
      expect(get('maxmemory')).toBe(String(Math.floor(2 * 2 ** 30 * 0.45)));
      expect(get('maxmemory-policy')).toBe('allkeys-lru');
      expect(get('appendonly')).toBe('yes');
      expect(get('save')).toBe('3600 1 300 100 60 10000');
      expect(server.cli(['flushall'], password)).toMatch(/unknown command/);
      expect(server.cli(['set', 'k', 'v'], password)).toBe('OK');
    } finally {
      await server.stop();
    }
  });
});

describe('Milvus user.yaml rendering script', () => {
  test('fills the MinIO credentials from the environment as YAML strings, whatever they contain', () => {
    const chart = new Chart(Testing.app(), 'milvus', { namespace: 'media-ai' });
    new Milvus(chart, 'milvus', {
      minioCredentials: { accessKey: { name: 'minio', key: 'access-key' }, secretKey: { name: 'minio', key: 'secret-key' } },
      config: { common: { retentionDuration: 86400 } },
    });
    const objects = synthValid(chart);
    const template = only(objects, 'ConfigMap', 'milvus-config').data['user.yaml'];
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'milvus-'));
    fs.mkdirSync(path.join(dir, 'config'));
    fs.mkdirSync(path.join(dir, 'rendered'));
    fs.writeFileSync(path.join(dir, 'config', 'user.yaml'), template);
    const script = only(objects, 'StatefulSet', 'milvus').spec.template.spec.initContainers[0].command[2];
    expect(script).toBe(RENDER_USER_YAML_SCRIPT);
    const secretKey = "it's a/b&c|d\\e \"q\"";
    execFileSync('sh', ['-c', script.split('/config/').join(`${dir}/config/`).split('/rendered/').join(`${dir}/rendered/`)], {
      env: { ...process.env, MINIO_ACCESS_KEY: 'minio-admin', MINIO_SECRET_KEY: secretKey },
    });
    const rendered = YAML.parse(fs.readFileSync(path.join(dir, 'rendered', 'user.yaml'), 'utf8'));
    expect(rendered.minio).toMatchObject({ accessKeyID: 'minio-admin', secretAccessKey: secretKey, address: 'milvus-minio.media-ai.svc.cluster.local', port: 9000, bucketName: 'milvus-bucket' });
    expect(rendered.etcd.endpoints).toEqual(['milvus-etcd.media-ai.svc.cluster.local:2379']);
    expect(rendered.common.retentionDuration).toBe(86400);
    expect(findBinary('awk')).toBeTruthy();
  });
});
