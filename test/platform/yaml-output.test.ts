import { ApiObject, App, Chart, Testing, Yaml } from 'cdk8s';
import * as fc from 'fast-check';
import { ENVIRONMENTS, MediaAiPlatform } from '../../lib';
import { stringifyManifests } from '../../lib/platform/yaml-output';
import { propertyRuns } from '../harness/fast';

/** cdk8s's own writer, as `app.synth()` uses it: the reference for every byte. */
const reference = (docs: unknown[]) => Yaml.stringify(...docs);

describe('the manifest YAML writer is byte-identical to cdk8s Yaml.stringify', () => {
  test.each(Object.keys(ENVIRONMENTS))('every chart of the %s environment', (env) => {
    const app = Testing.app();
    new MediaAiPlatform(app, 'media-ai', { environment: ENVIRONMENTS[env] });
    for (const chart of app.charts) {
      const docs = chart.toJson();
      expect(stringifyManifests(docs)).toBe(reference(docs));
    }
  });

  test('the shapes it leaves to Yaml.stringify: nested sequences, odd numbers and keys, empty and non-map documents', () => {
    const docs = [
      { a: [[1, 2], []] }, { n: Number.NaN, i: -Infinity, z: -0 }, { 'on': 1, 'a b': 2, '': 3, '? x': 4, [`k${'x'.repeat(1100)}`]: 5 },
      {}, [], 'text', 3, null, undefined, { u: undefined }, { d: new Date(0) }, { m: [{}, [], { x: {} }] },
    ];
    expect(stringifyManifests(docs)).toBe(reference(docs));
  });

  test('review finds: document-marker keys below the top, shared and cyclic objects (anchors and aliases)', () => {
    const labels = { app: 'x' };
    const cyclic: Record<string, unknown> = { name: 'c' };
    cyclic.self = cyclic;
    const sharedList = ['a', 'b'];
    const docs = [{ a: { '...': 1, '---x': 2 } }, { data: { '---header.txt': 'x' } }, { metadata: { labels }, spec: { selector: labels } }, { a: sharedList, b: { c: sharedList } }, cyclic];
    for (const doc of docs) expect(stringifyManifests([doc])).toBe(reference([doc]));
  });

  test('block scalars at every depth: leading spaces, blank lines, trailing newlines, quotes and comments', () => {
    const texts = ['a\nb', 'a\n\n  b\n', ' lead\nx', 'x\n\n\n', 'tab\there\nx', '# not a comment\nk: v', '"q"\n\'s\'', 'x  \ny', '\nfirst empty', 'ünï\ncödé\n'];
    const docs = texts.map((t) => ({ top: t, deep: { list: [t, { inner: t, more: [{ k: t }] }] } }));
    expect(stringifyManifests(docs)).toBe(reference(docs));
  });

  test('generated trees (fast-check): any JSON with Kubernetes-like and arbitrary keys and strings', () => {
    const key = fc.oneof(
      fc.constantFrom('name', 'app.kubernetes.io/name', 'on', 'y', 'No', 'null', 'E0', 'e-5', '9100', 'a:b', 'x y', '_', '-x', 'checksum/config', 'x'.repeat(1024), 'x'.repeat(1025)),
      fc.string({ maxLength: 8 }),
    );
    const text = fc.oneof(
      fc.constantFrom('RuntimeDefault', 'E0', 'e5', 'e-3', 'E10x', '500m', '1Gi', 'true', 'yes', 'off', '0x1F', '1e3', '1_000', '1:30', '2026-11-30', '~', '.inf', '<<', 'http://a:80/x', 'a: b', 'a #b', '- x', '* y', '&a', '!t', '%p', '@x', '`x`', ''),
      fc.string({ maxLength: 12 }),
      fc.string({ maxLength: 40, unit: fc.constantFrom('a', ' ', '\n', ':', '#', '"', "'", '\t', 'é', '-', '\\') }),
    );
    const scalar = fc.oneof(text, fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), fc.constant(null));
    const { tree } = fc.letrec((tie) => ({
      tree: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalar, tie('map'), tie('list')),
      map: fc.dictionary(key, tie('tree'), { maxKeys: 5 }),
      list: fc.array(tie('tree'), { maxLength: 4 }),
    }));
    fc.assert(fc.property(fc.array(fc.dictionary(key, tree, { minKeys: 1, maxKeys: 6 }), { minLength: 1, maxLength: 3 }), (docs) => {
      expect(stringifyManifests(docs)).toBe(reference(docs));
    }), { numRuns: propertyRuns(1500) });
  });

  test('a chart synthesized by the library writes the same file as app.synth() would (shared memo across documents)', () => {
    const app = new App();
    const chart = new Chart(app, 'c');
    Array.from({ length: 3 }, (_, i) => new ApiObject(chart, `o${i}`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `o${i}` }, data: { script: 'set -eu\necho "$1"\n', port: '8000' } }));
    const docs = chart.toJson();
    expect(stringifyManifests(docs)).toBe(reference(docs));
  });
});
