import { ApiObject, Chart, Testing } from 'cdk8s';
import { checkKnownProps, checkUniqueObjects, cronIntervalSeconds, nameBudgetProp, propKeys, quantityProp } from '../../lib/shared';

const scope = () => new Chart(Testing.app(), 'test', { namespace: 'media-ai' });

describe('cronIntervalSeconds (the shortest gap between runs)', () => {
  test.each([
    ['*/15 * * * *', 900], ['5 * * * *', 3600], ['0,30 * * * *', 1800], ['0 */6 * * *', 21600], ['0 2 * * *', 86400],
    ['0 6 * * 0', 604800], ['0 6 * * 1-5', 86400], ['0 6 * * mon,thu', 259200], ['0 0 1 * *', 2419200], ['0 0 1,15 * *', 14 * 86400],
    ['@hourly', 3600], ['@daily', 86400], ['@weekly', 604800], ['@monthly', 2419200], ['@yearly', 365 * 86400], ['@every 90m', 5400],
    ['0 1,23 * * *', 7200],
  ])('%s → %d s', (cron, seconds) => expect(cronIntervalSeconds(cron)).toBe(seconds));
});

describe('checkKnownProps', () => {
  const KEYS = propKeys<{ replicas?: number; image: string; expectedDataSize?: string }>()({ replicas: true, image: true, expectedDataSize: true });
  test('a typo names the nearest prop', () => {
    expect(() => checkKnownProps(scope(), 'props', { image: 'x', replica: 3 }, KEYS)).toThrow(/^test: replica \(3\) is not a prop; did you mean 'replicas'\? \(known: replicas, image, expectedDataSize\)$/);
    expect(() => checkKnownProps(scope(), 'storage', { expectedSize: '1Gi' }, KEYS)).toThrow(/^test: storage.expectedSize \("1Gi"\) is not a prop; did you mean 'expectedDataSize'\?/);
    expect(() => checkKnownProps(scope(), 'props', { zzz: 1 }, KEYS)).toThrow(/^test: zzz \(1\) is not a prop \(known:/);
  });
  test('non-objects and missing required objects', () => {
    expect(() => checkKnownProps(scope(), 'props', undefined, KEYS)).toThrow(/^test: props \(missing\) must be an object with the props replicas, image, expectedDataSize$/);
    expect(() => checkKnownProps(scope(), 'props', [1], KEYS)).toThrow(/must be an object/);
    expect(() => checkKnownProps(scope(), 'props', null, KEYS)).toThrow(/\(null\) must be an object/);
    expect(() => checkKnownProps(scope(), 'resources', undefined, KEYS, false)).not.toThrow();
    expect(() => checkKnownProps(scope(), 'props', { image: 'x', replica: undefined }, KEYS)).not.toThrow();
  });
});

test('nameBudgetProp counts the longest suffix', () => {
  expect(nameBudgetProp(scope(), 'name', 'a'.repeat(38), ['-dump', '-restore-drill'], 52, 'CronJob')).toBe('a'.repeat(38));
  expect(() => nameBudgetProp(scope(), 'name', 'a'.repeat(39), ['-dump', '-restore-drill'], 52, 'CronJob'))
    .toThrow(/^test: name \("a{39}"\) is 39 characters; with the suffix '-restore-drill' the CronJob name would be 53, and CronJob names take at most 52 \(keep the name to 38\)$/);
});

test('quantityProp: grammar first, then the bounds of the use', () => {
  expect(quantityProp(scope(), 'm', '1.5Gi', 'memory')).toBe(1.5 * 2 ** 30);
  expect(quantityProp(scope(), 'c', '250m', 'cpu')).toBeCloseTo(0.25);
  expect(() => quantityProp(scope(), 'm', '1 Gi', 'memory')).toThrow(/^test: m \("1 Gi"\) must be a memory quantity such as '512Mi' or '4Gi'/);
  expect(() => quantityProp(scope(), 's', '100Ti', 'storage')).toThrow(/^test: s \("100Ti"\) must be between 1Mi and 64Ti$/);
  expect(() => quantityProp(scope(), 'c', '0.0001', 'cpu')).toThrow(/must be between 1m and 256/);
});

describe('checkUniqueObjects', () => {
  const object = (chart: Chart, id: string, kind: string, name: string, apiVersion = 'v1', namespace?: string) =>
    new ApiObject(chart, id, { apiVersion, kind, metadata: { name, namespace } });
  test('same kind, namespace and name twice names both paths', () => {
    const app = Testing.app();
    const a = new Chart(app, 'a', { namespace: 'media-ai' });
    object(a, 'one', 'ConfigMap', 'cfg');
    object(a, 'two', 'ConfigMap', 'cfg');
    expect(() => checkUniqueObjects(app)).toThrow(/^a\/two: name \("cfg"\) is already used by another ConfigMap in namespace media-ai \(a\/one\)/);
  });
  test('another namespace, kind or API group is no clash', () => {
    const app = Testing.app();
    const a = new Chart(app, 'a', { namespace: 'media-ai' });
    object(a, 'one', 'ConfigMap', 'cfg');
    object(a, 'two', 'ConfigMap', 'cfg', 'v1', 'other');
    object(a, 'three', 'Secret', 'cfg');
    object(a, 'four', 'ConfigMap', 'cfg', 'example.com/v1');
    expect(() => checkUniqueObjects(app)).not.toThrow();
  });
  test('cluster-scoped kinds clash across namespaces', () => {
    const app = Testing.app();
    object(new Chart(app, 'a', { namespace: 'one' }), 'role', 'ClusterRole', 'reader', 'rbac.authorization.k8s.io/v1');
    object(new Chart(app, 'b', { namespace: 'two' }), 'role', 'ClusterRole', 'reader', 'rbac.authorization.k8s.io/v1');
    expect(() => checkUniqueObjects(app)).toThrow(/^b\/role: name \("reader"\) is already used by another ClusterRole \(a\/role\)/);
  });
});
