// Issue #8 item 9: the API logged in as the PostgreSQL superuser. Now a Job gives it its own role;
// the Job's script runs here against a real PostgreSQL server.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { Chart, Testing } from 'cdk8s';
import { ApiService, Postgres } from '../../lib';
import { PG_APP_ROLE_SCRIPT } from '../../lib/data-tier/postgres-app-role';
import { findBinary, PostgresServer, postgresOwnedDir, startPostgres } from '../harness/servers';
import { only, synthValid } from '../harness/synth';
import { toolDescribe } from '../harness/fast';

describe('Postgres appCredentials: the application role', () => {
  const build = (props: Partial<ConstructorParameters<typeof Postgres>[2]> = {}) => {
    const chart = new Chart(Testing.app(), 'app', { namespace: 'media-ai' });
    const pg = new Postgres(chart, 'postgres', { credentials: { name: 'pg-super' }, appCredentials: { name: 'pg-app' }, ...props });
    const api = new ApiService(chart, 'api', { image: 'r.example.com/api:1.0.0' });
    api.connect(pg);
    return synthValid(chart);
  };

  test('the Job is named after its template: unchanged props keep the name, a change makes a new Job (Jobs are immutable)', () => {
    const name = (props = {}) => only(build(props), 'Job').metadata.name;
    expect(name()).toMatch(/^postgres-app-role-[0-9a-f]{10}$/);
    expect(name()).toBe(name());
    expect(name({ image: 'postgres:14.16' })).not.toBe(name());
  });

  test('the API gets the application role, the Job alone the superuser; the Job may reach only DNS and PostgreSQL', () => {
    const objects = build();
    const env = only(objects, 'Deployment', 'api').spec.template.spec.containers[0].env;
    expect(env.filter((e: any) => e.name === 'DB_USER' || e.name === 'DB_PASSWORD')).toEqual([
      { name: 'DB_USER', valueFrom: { secretKeyRef: { name: 'pg-app', key: 'username' } } },
      { name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'pg-app', key: 'password' } } },
    ]);
    const job = only(objects, 'Job').spec.template.spec;
    const jobEnv = Object.fromEntries(job.containers[0].env.map((e: any) => [e.name, e.value ?? e.valueFrom.secretKeyRef]));
    expect(jobEnv).toEqual({
      PGHOST: 'postgres.media-ai.svc.cluster.local', PGPORT: '5432', PGDATABASE: 'media_ai',
      PGUSER: { name: 'pg-super', key: 'username' }, PGPASSWORD: { name: 'pg-super', key: 'password' },
      APP_USER: { name: 'pg-app', key: 'username' }, APP_PASSWORD: { name: 'pg-app', key: 'password' },
    });
    expect(only(objects, 'ConfigMap', 'postgres-app-role').data['pg-app-role.sh']).toBe(PG_APP_ROLE_SCRIPT);
    const np = only(objects, 'NetworkPolicy', 'postgres-app-role').spec;
    expect(np.podSelector.matchLabels).toEqual({ 'app.kubernetes.io/name': 'postgresql-app-role', 'app.kubernetes.io/instance': 'postgres-app-role' });
    expect(np.egress.map((r: any) => r.ports.map((p: any) => p.port))).toEqual([[5432], [53, 53]]);
    expect(only(objects, 'NetworkPolicy', 'postgres').spec.ingress).toContainEqual({ from: [{ podSelector: { matchLabels: np.podSelector.matchLabels } }], ports: [{ port: 5432, protocol: 'TCP' }] });
  });

  test('refuses the superuser\'s own Secret as the application role', () => {
    expect(() => build({ appCredentials: { name: 'pg-super' } })).toThrow(/app\/postgres: appCredentials \(\{"name":"pg-super"\}\) must name the application role's own Secret/);
  });

  toolDescribe('the script against a real PostgreSQL server', () => {
    let server: PostgresServer;
    let dir: string;
    beforeAll(async () => {
      dir = postgresOwnedDir('pg-app-role');
      // The app role authenticates with its password (SCRAM); everything else is trusted locally.
      const hba = path.join(dir, 'pg_hba.conf');
      fs.writeFileSync(hba, 'local all media_ai_app scram-sha-256\nlocal all all trust\n');
      fs.chmodSync(hba, 0o644);
      server = await startPostgres({ serverArgs: [`-c hba_file=${hba}`, '-c log_statement=all'] });
      server.sql('CREATE DATABASE media_ai');
    });
    afterAll(() => {
      server?.stop();
      fs.rmSync(dir, { recursive: true, force: true });
      fs.rmSync(path.dirname(server.dataDir), { recursive: true, force: true });
    });

    const runScript = (env: Record<string, string>) => spawnSync('sh', ['-c', PG_APP_ROLE_SCRIPT], {
      encoding: 'utf8',
      env: { PATH: `${path.dirname(findBinary('psql'))}:${process.env.PATH}`, PGHOST: server.socketDir, PGPORT: String(server.port), PGUSER: 'postgres', PGPASSWORD: 'unused', PGDATABASE: 'media_ai', PG_WAIT_SECONDS: '1', ...env },
    });
    const asApp = (password: string, query: string) => spawnSync(findBinary('psql'), ['-X', '-v', 'ON_ERROR_STOP=1', '-h', server.socketDir, '-p', String(server.port), '-U', 'media_ai_app', '-d', 'media_ai', '-Atc', query], {
      encoding: 'utf8', env: { ...process.env, PGPASSWORD: password },
    });

    test('creates a login role with only the rights the application needs, idempotently, rotating the password', () => {
      const password = 'first pass:with "quotes" and \'apostrophes\' $x';
      const first = runScript({ APP_USER: 'media_ai_app', APP_PASSWORD: password });
      expect(first.stderr).toBe('');
      expect(first.status).toBe(0);
      expect(server.sql("SELECT rolcanlogin, rolsuper, rolcreatedb, rolcreaterole, rolreplication, rolbypassrls FROM pg_roles WHERE rolname = 'media_ai_app'")).toBe('t|f|f|f|f|f');
      // The application can work in its schema ...
      const work = asApp(password, 'CREATE TABLE media (id int); INSERT INTO media VALUES (1); SELECT count(*) FROM media');
      expect(work.stderr).toBe('');
      expect(work.stdout.trim().split('\n')).toEqual(['CREATE TABLE', 'INSERT 0 1', '1']);
      // ... and nothing more.
      expect(asApp(password, 'CREATE ROLE intruder').stderr).toMatch(/permission denied to create role/);
      expect(asApp(password, 'SELECT rolpassword FROM pg_authid').stderr).toMatch(/permission denied/);
      expect(asApp(password, 'CREATE DATABASE other').stderr).toMatch(/permission denied to create database/);
      expect(asApp('wrong', 'SELECT 1').stderr).toMatch(/password authentication failed/);

      // A second run with a rotated password: same role, new password only.
      const again = runScript({ APP_USER: 'media_ai_app', APP_PASSWORD: 'rotated' });
      expect(again.status).toBe(0);
      expect(server.sql("SELECT count(*) FROM pg_roles WHERE rolname = 'media_ai_app'")).toBe('1');
      expect(asApp('rotated', 'SELECT count(*) FROM media').stdout.trim()).toBe('1');
      expect(asApp(password, 'SELECT 1').stderr).toMatch(/password authentication failed/);
      // The server logs every statement (log_statement=all), but never the one with the password.
      const log = fs.readFileSync(server.log, 'utf8');
      expect(log).toMatch(/CREATE ROLE|SET log_statement/);
      expect(log).not.toMatch(/rotated|first pass/);
    });

    test('refuses to demote the superuser, and fails clearly when the server never answers', () => {
      const same = runScript({ APP_USER: 'postgres', APP_PASSWORD: 'x' });
      expect(same.status).not.toBe(0);
      expect(same.stderr).toMatch(/must not be the superuser \(postgres\)/);
      expect(server.sql("SELECT rolsuper FROM pg_roles WHERE rolname = 'postgres'")).toBe('t');
      const down = runScript({ APP_USER: 'media_ai_app', APP_PASSWORD: 'x', PGPORT: '1', PG_WAIT_ATTEMPTS: '2' });
      expect(down.status).not.toBe(0);
      expect(down.stderr).toMatch(/did not become ready/);
    });
  });
});
