/**
 * Jaeger dependencies: the daily spark-dependencies CronJob for Elasticsearch storage, its trust
 * store built by the real keytool from an ECK-like PEM CA, and retention of its indices.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Testing } from 'cdk8s';
import { MediaAiPlatform } from '../../lib';
import { only, synthAppValid } from '../harness/synth';
import { expectSuccess, run, workDir } from '../harness/tools';
import { toolTest } from '../harness/fast';

describe('Jaeger dependency links (spark-dependencies)', () => {
  const objects = (() => {
    const app = Testing.app();
    new MediaAiPlatform(app, 'media-ai');
    return synthAppValid(app);
  })();
  const cron = only(objects, 'CronJob', 'jaeger-spark-dependencies');
  const pod = cron.spec.jobTemplate.spec.template.spec;
  const env = Object.fromEntries(pod.containers[0].env.map((e: any) => [e.name, e.value ?? e.valueFrom]));
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

  test('runs daily in UTC, before the index cleaner, pinned, with resources and Jaeger\'s own ES user', () => {
    expect(cron.spec.schedule).toBe('30 23 * * *');
    expect(cron.spec.timeZone).toBe('Etc/UTC');
    expect(only(objects, 'CronJob', 'jaeger-index-cleaner').spec.schedule).toBe('55 23 * * *');
    expect(pod.containers[0].image).toBe('ghcr.io/jaegertracing/spark-dependencies/spark-dependencies:v0.7.2-elasticsearch8');
    for (const c of [...pod.initContainers, ...pod.containers]) {
      expect(c.resources.limits).toEqual(expect.objectContaining({ cpu: expect.anything(), memory: expect.anything() }));
      expect(c.securityContext).toEqual(expect.objectContaining({ runAsNonRoot: true, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } }));
    }
    expect(env.ES_NODES).toBe('https://logs-es-http.monitoring.svc:9200');
    expect(env.ES_INDEX_PREFIX).toBe('jaeger');
    expect(env.ES_USERNAME).toEqual({ secretKeyRef: { name: 'es-user-jaeger', key: 'username' } });
    // The JVM heap fits the memory limit with room for Spark's off-heap buffers.
    expect(env.JAVA_OPTS).toContain('-Xmx1536m');
    expect(pod.containers[0].resources.limits.memory).toBe('2Gi');
  });

  test('its NetworkPolicy admits nothing in and only Elasticsearch and DNS out', () => {
    const policy = only(objects, 'NetworkPolicy', 'jaeger-spark-dependencies').spec;
    expect(policy.ingress).toEqual([]);
    expect(policy.egress.map((e: any) => e.ports.map((p: any) => p.port).join(','))).toEqual(['9200', '53,53']);
    expect(policy.egress[0].to).toEqual([{ podSelector: { matchLabels: { 'elasticsearch.k8s.elastic.co/cluster-name': 'logs' } } }]);
  });

  toolTest('the init container turns the ECK CA (PEM) into the PKCS12 trust store the JVM is told to use (real keytool)', () => {
    const dir = workDir('jaeger-truststore');
    dirs.push(dir);
    expectSuccess(run('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', path.join(dir, 'ca.key'), '-out', path.join(dir, 'ca.crt'), '-days', '2', '-subj', '/CN=logs-http']));
    const init = pod.initContainers[0];
    const mounts = Object.fromEntries(init.volumeMounts.map((m: any) => [m.mountPath, m.name]));
    expect(mounts).toEqual({ '/es-ca': 'ca', '/truststore': 'truststore' });
    const argv: string[] = init.command.map((a: string) => a.replace('/es-ca/', `${dir}/`).replace('/truststore/', `${dir}/`));
    expectSuccess(run(argv[0], argv.slice(1)));
    const store = /-Djavax\.net\.ssl\.trustStore=(\S+)/.exec(env.JAVA_OPTS)![1];
    const password = /-Djavax\.net\.ssl\.trustStorePassword=(\S+)/.exec(env.JAVA_OPTS)![1];
    expect(/-Djavax\.net\.ssl\.trustStoreType=(\S+)/.exec(env.JAVA_OPTS)![1]).toBe('PKCS12');
    const listed = expectSuccess(run('keytool', ['-list', '-keystore', store.replace('/truststore/', `${dir}/`), '-storetype', 'PKCS12', '-storepass', password]));
    expect(listed).toMatch(/es-http-ca.*trustedCertEntry/);
    const fingerprint = (s: string) => s.replace(/:/g, '').toUpperCase();
    const pem = expectSuccess(run('openssl', ['x509', '-in', path.join(dir, 'ca.crt'), '-noout', '-fingerprint', '-sha256'])).split('=')[1].trim();
    expect(fingerprint(listed)).toContain(fingerprint(pem));
  });

  test('dependency and span indices share the trace retention: the index cleaner deletes both', () => {
    const cleaner = only(objects, 'CronJob', 'jaeger-index-cleaner').spec.jobTemplate.spec.template.spec.containers[0];
    expect(cleaner.args[0]).toBe('7');
    expect(cleaner.env).toContainEqual({ name: 'INDEX_PREFIX', value: 'jaeger' });
  });
});
