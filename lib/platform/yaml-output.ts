import { Yaml } from 'cdk8s';

/**
 * `Yaml.stringify(...docs)` of cdk8s, byte for byte, in about a fifth of the time (issue #15: YAML was
 * 40 % of a synth). Manifests are plain JSON trees of block maps and sequences; the emitter writes
 * those itself and asks cdk8s's own `Yaml.stringify` for every scalar or key it does not know to be
 * plain (numbers in strings, quoting, block scalars), memoised, so the YAML rules stay the library's.
 * A document with anything else (a sequence directly in a sequence, a non-finite number, `undefined`,
 * a class instance, an odd key, an object met twice, which yaml writes as an anchor and alias) is
 * handed to `Yaml.stringify` whole. test/platform/yaml-output.test.ts
 * compares the two on every manifest of every environment and on generated trees.
 */
export function stringifyManifests(docs: readonly unknown[]): string {
  const emitter = new Emitter();
  return docs.map((doc) => (doc === undefined ? '\n' : emitter.document(doc))).join('---\n');
}

/** Plain in YAML 1.1 whatever the context: a letter or `_` first, then name characters only. */
const PLAIN = /^[A-Za-z_][A-Za-z0-9_./-]*$/;
/**
 * Among those, what YAML 1.1 (which cdk8s writes) reads as something else, so they need quotes:
 * booleans, nulls (yaml's yaml-1.1 schema) and floats with only an exponent (`e5`, `E-3`).
 */
const RESERVED = new Set(['y', 'Y', 'yes', 'Yes', 'YES', 'n', 'N', 'no', 'No', 'NO', 'true', 'True', 'TRUE', 'false', 'False', 'FALSE', 'on', 'On', 'ON', 'off', 'Off', 'OFF', 'null', 'Null', 'NULL']);
const EXPONENT = /^[eE]-?[0-9]+$/;
const isPlain = (s: string) => PLAIN.test(s) && !RESERVED.has(s) && !EXPONENT.test(s);
/** Keys longer than 1024 characters are written as explicit `? ` keys. */
const MAX_IMPLICIT_KEY = 1024;

/** Thrown when a document has a shape the emitter leaves to `Yaml.stringify`. */
class Unsupported extends Error {}

type Tree = Record<string, unknown>;
const isMap = (v: unknown): v is Tree => typeof v === 'object' && v !== null && Object.getPrototypeOf(v) === Object.prototype;

class Emitter {
  /** A scalar as the value of a top-level key, after `k: `; continuation lines indented for that level. */
  private readonly values = new Map<string, string>();
  private readonly keys = new Map<string, string>();
  /** Maps and sequences of the document being written: one met twice is an anchor and alias in yaml. */
  private seen = new Set<object>();

  public document(doc: unknown): string {
    if (!isMap(doc) || Object.keys(doc).length === 0) return Yaml.stringify(doc);
    this.seen = new Set<object>();
    try {
      const out: string[] = [];
      this.map(doc, '', out);
      return out.join('');
    } catch (e) {
      if (e instanceof Unsupported) return Yaml.stringify(doc);
      throw e;
    }
  }

  /** Fails over to yaml when a container is met again (shared or cyclic: yaml writes `&a1`/`*a1`). */
  private visit(container: object): void {
    if (this.seen.has(container)) throw new Unsupported();
    this.seen.add(container);
  }

  /** The pairs of a non-empty map, each line starting at `indent`. */
  private map(m: Tree, indent: string, out: string[], first = true): void {
    this.visit(m);
    for (const [k, v] of Object.entries(m)) {
      out.push(first ? '' : indent, this.key(k), ':');
      first = false;
      this.value(v, indent, out);
    }
  }

  /** What follows `key:`, the key's line starting at `indent`. */
  private value(v: unknown, indent: string, out: string[]): void {
    if (Array.isArray(v)) {
      if (v.length === 0) return void out.push(' []\n');
      out.push('\n');
      this.sequence(v, `${indent}  `, out);
    } else if (isMap(v)) {
      if (Object.keys(v).length === 0) return void out.push(' {}\n');
      out.push('\n');
      this.map(v, `${indent}  `, out, false);
    } else {
      out.push(' ', this.scalar(v, indent), '\n');
    }
  }

  private sequence(items: unknown[], indent: string, out: string[]): void {
    this.visit(items);
    for (const item of items) {
      out.push(indent, '-');
      if (Array.isArray(item)) {
        if (item.length > 0) throw new Unsupported();
        out.push(' []\n');
      } else if (isMap(item)) {
        if (Object.keys(item).length === 0) {
          out.push(' {}\n');
        } else {
          out.push(' ');
          this.map(item, `${indent}  `, out);
        }
      } else {
        out.push(' ', this.scalar(item, indent), '\n');
      }
    }
  }

  /** A scalar whose key (or `-`) starts at `indent`. */
  private scalar(v: unknown, indent: string): string {
    switch (typeof v) {
      case 'string': {
        if (isPlain(v)) return v;
        let text = this.values.get(v);
        if (text === undefined) {
          text = Yaml.stringify({ k: v }).slice('k: '.length, -1);
          this.values.set(v, text);
        }
        // Block scalars: yaml indents every non-empty continuation line by the key's indent.
        return indent && text.includes('\n') ? text.replace(/\n(?=[^\n])/g, `\n${indent}`) : text;
      }
      case 'number':
        if (!Number.isFinite(v)) throw new Unsupported();
        return Object.is(v, -0) ? '-0' : JSON.stringify(v);
      case 'boolean':
        return v ? 'true' : 'false';
      default:
        if (v === null) return 'null';
        throw new Unsupported();
    }
  }

  private key(k: string): string {
    // Document markers (`---`, `...`) are quoted as keys at the top level only: the memo is top-level.
    if (k.length > MAX_IMPLICIT_KEY || k.startsWith('---') || k.startsWith('...')) throw new Unsupported();
    if (isPlain(k)) return k;
    let text = this.keys.get(k);
    if (text === undefined) {
      const rendered = Yaml.stringify({ [k]: 0 });
      if (!rendered.endsWith(': 0\n') || rendered.startsWith('?')) throw new Unsupported();
      text = rendered.slice(0, -': 0\n'.length);
      if (text.includes('\n')) throw new Unsupported();
      this.keys.set(k, text);
    }
    return text;
  }
}
