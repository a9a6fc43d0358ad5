import { Chart, Testing } from 'cdk8s';
import { ApiService, BackupPolicy, Postgres, PRIORITY_CLASSES_CONTEXT } from '../../lib';
import { DESTINATION } from '../backup/fixtures';
import { K8sObject, synthAppValid } from '../harness/synth';

const IMAGE = 'registry.example.com/search-api:2.3.1';

/** A team's app: an API, a store and a backup policy, next to the platform's own. */
function teamApp(mode?: unknown): K8sObject[] {
  const app = Testing.app();
  if (mode !== undefined) app.node.setContext(PRIORITY_CLASSES_CONTEXT, mode);
  const chart = new Chart(app, 'shop', { namespace: 'shop' });
  const pg = new Postgres(chart, 'postgres', { credentials: { name: 'pg-credentials' } });
  new ApiService(chart, 'api', { image: IMAGE });
  new BackupPolicy(chart, 'backup', { destination: DESTINATION, postgres: pg });
  return synthAppValid(app);
}

const classesUsed = (objects: K8sObject[]) => [...new Set(objects.flatMap((o) => {
  const pod = o.spec?.template?.spec ?? o.spec?.jobTemplate?.spec?.template?.spec;
  return pod?.priorityClassName ? [pod.priorityClassName as string] : [];
}))].sort();

describe('PriorityClasses in a team app next to the platform', () => {
  test('by default the app creates the classes its pods use (a construct on its own works on an empty cluster)', () => {
    const objects = teamApp();
    expect(objects.filter((o) => o.kind === 'PriorityClass').map((o) => o.metadata.name).sort()).toEqual(classesUsed(objects));
  });

  test("with the context 'existing' the pods name the platform's classes and the app creates none (no two owners of a cluster-scoped object)", () => {
    const objects = teamApp('existing');
    expect(objects.filter((o) => o.kind === 'PriorityClass')).toEqual([]);
    expect(classesUsed(objects)).toEqual(['media-ai-api', 'media-ai-batch', 'media-ai-data-store']);
  });

  test('a bad value on a later chart is refused too, though its classes already exist', () => {
    const app = Testing.app();
    new ApiService(new Chart(app, 'a', { namespace: 'a' }), 'api', { image: IMAGE });
    const later = new Chart(app, 'b', { namespace: 'b' });
    later.node.setContext(PRIORITY_CLASSES_CONTEXT, 'Existing');
    expect(() => new ApiService(later, 'api', { image: IMAGE })).toThrow(/^b\/api[^:]*: context media-ai:priorityClasses \("Existing"\) must be 'create'/);
  });

  test('any other value is refused, naming the context key and what is accepted', () => {
    expect(() => teamApp('none')).toThrow(/^shop\/postgres[^:]*: context media-ai:priorityClasses \("none"\) must be 'create' \(the app creates the PriorityClasses it uses\) or 'existing' \(the cluster has them\)$/);
  });
});
