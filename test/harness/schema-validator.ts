/**
 * Strict validation of synthesized objects, as `kubeconform -strict` does it:
 * core kinds against the Kubernetes 1.27 OpenAPI definitions, custom resources against
 * their CRD's openAPIV3Schema. Every object schema that lists properties is closed
 * (`additionalProperties: false`) unless the schema says it preserves unknown fields.
 *
 * Compiling the schemas costs about 1.5 s, in every jest worker and test file. So each kind's
 * validator is compiled once, written as standalone code (`ajv/dist/standalone`) to
 * `node_modules/.cache/media-ai-schemas/<hash>/`, and required from there afterwards. The hash covers
 * the schemas, the CRDs, this file, the regexp helper and Ajv's version: any change compiles afresh.
 */
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import Ajv, { ValidateFunction } from 'ajv';
import standaloneCode from 'ajv/dist/standalone';
import * as YAML from 'yaml';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { goRegExp } = require('./go-regexp') as { goRegExp: ((pattern: string, flags: string) => RegExp) & { code: string } };

const ROOT = path.resolve(__dirname, '..', '..');
const K8S_DEFINITIONS = path.join(ROOT, 'schemas', 'k8s-1.27.0-definitions.json');
const CRD_DIR = path.join(ROOT, 'crds');
const CRD_FILES = fs.readdirSync(CRD_DIR).filter((f) => f.endsWith('.yaml')).sort().map((f) => path.join(CRD_DIR, f));

const DEFAULT_CACHE_ROOT = path.join(ROOT, 'node_modules', '.cache', 'media-ai-schemas');

/** Where this version of the schemas' compiled validators live. */
function cacheDir(root: string): string {
  const hash = crypto.createHash('sha256');
  for (const file of [K8S_DEFINITIONS, ...CRD_FILES, __filename, require.resolve('./go-regexp'), require.resolve('ajv/package.json')]) {
    hash.update(file).update(fs.readFileSync(file));
  }
  return path.join(root, hash.digest('hex').slice(0, 16));
}

/** Writes a file whole or not at all: parallel jest workers may write the same one. */
function writeAtomically(file: string, text: string): void {
  const tmp = `${file}.${process.pid}.${crypto.randomBytes(4).toString('hex')}`;
  fs.writeFileSync(tmp, text);
  fs.renameSync(tmp, file);
}

type Json = any;

export interface ValidationIssue {
  readonly object: string;
  readonly message: string;
}

/** Close every object schema that declares properties; translate Kubernetes OpenAPI extensions. */
function strictify(schema: Json): Json {
  if (Array.isArray(schema)) return schema.map(strictify);
  if (schema === null || typeof schema !== 'object') return schema;
  const out: Json = {};
  for (const [k, v] of Object.entries(schema)) {
    if (k === 'description') continue;
    if (k === 'properties') {
      out.properties = Object.fromEntries(Object.entries(v as Json).map(([pk, pv]) => [pk, strictify(pv)]));
    } else {
      out[k] = strictify(v);
    }
  }
  if (out['x-kubernetes-int-or-string']) {
    delete out.type;
    out.anyOf = [{ type: 'integer' }, { type: 'string' }];
  }
  const preserves = out['x-kubernetes-preserve-unknown-fields'] === true;
  if (out.properties && out.additionalProperties === undefined && !preserves) {
    out.additionalProperties = false;
  }
  return out;
}

function gvkKey(apiVersion: string, kind: string): string {
  return `${apiVersion}/${kind}`;
}

/** The schemas compiled in memory: built only when a kind's validator is not in the cache yet. */
class Compiler {
  private readonly ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false, code: { regExp: goRegExp, source: true } });
  /** Core kinds: the definition's name; custom resources: the closed schema. */
  public readonly schemas = new Map<string, Json>();

  constructor() {
    const defs = JSON.parse(fs.readFileSync(K8S_DEFINITIONS, 'utf8')).definitions as Record<string, Json>;
    for (const [name, def] of Object.entries(defs)) {
      for (const gvk of def['x-kubernetes-group-version-kind'] ?? []) {
        const apiVersion = gvk.group ? `${gvk.group}/${gvk.version}` : gvk.version;
        // A definition can be listed for several GVKs (DeleteOptions, WatchEvent): keep the kind's own.
        if (name.endsWith(`.${gvk.kind}`)) this.schemas.set(gvkKey(apiVersion, gvk.kind), name);
      }
    }
    this.ajv.addSchema({ $id: 'k8s', definitions: strictify(defs) });

    for (const file of CRD_FILES) {
      for (const doc of YAML.parseAllDocuments(fs.readFileSync(file, 'utf8'))) {
        const crd = doc.toJS();
        if (crd?.kind !== 'CustomResourceDefinition') continue;
        for (const version of crd.spec.versions) {
          const schema = strictify(version.schema.openAPIV3Schema);
          // metadata is validated against the core ObjectMeta definition instead.
          schema.properties = { ...schema.properties, metadata: { $ref: 'k8s#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta' } };
          this.schemas.set(gvkKey(`${crd.spec.group}/${version.name}`, crd.spec.names.kind), schema);
        }
      }
    }
  }

  /** The standalone module source of one kind's validator. */
  public source(key: string): string {
    const schema = this.schemas.get(key);
    const fn = this.ajv.compile(typeof schema === 'string' ? { $ref: `k8s#/definitions/${schema}` } : schema);
    // Ajv's runtime helpers by absolute path: the module may live outside this tree.
    const ajvDir = path.dirname(require.resolve('ajv/package.json'));
    return standaloneCode(this.ajv, fn).replace(/require\("ajv\//g, `require(${JSON.stringify(`${ajvDir}/`).slice(0, -1)}`);
  }
}

export class SchemaValidator {
  private readonly dir: string;
  private readonly kinds: ReadonlySet<string>;
  private readonly compiled = new Map<string, ValidateFunction>();
  private compiler?: Compiler;

  /** @param cacheRoot where compiled validators are kept (tests of the cache give an empty folder) */
  constructor(cacheRoot = DEFAULT_CACHE_ROOT) {
    this.dir = cacheDir(cacheRoot);
    const index = path.join(this.dir, 'kinds.json');
    if (!fs.existsSync(index)) {
      // A new version of the schemas: the compiled validators of older ones are of no further use.
      for (const old of fs.existsSync(cacheRoot) ? fs.readdirSync(cacheRoot) : []) {
        if (old !== path.basename(this.dir)) fs.rmSync(path.join(cacheRoot, old), { recursive: true, force: true });
      }
      fs.mkdirSync(this.dir, { recursive: true });
      writeAtomically(index, JSON.stringify([...this.compile().schemas.keys()].sort()));
    }
    this.kinds = new Set(JSON.parse(fs.readFileSync(index, 'utf8')) as string[]);
  }

  /** The API versions and kinds this validator knows. */
  public knows(apiVersion: string, kind: string): boolean {
    return this.kinds.has(gvkKey(apiVersion, kind));
  }

  public validate(obj: Json): ValidationIssue[] {
    const id = `${obj?.apiVersion}/${obj?.kind} ${obj?.metadata?.name}`;
    if (!obj || typeof obj.apiVersion !== 'string' || typeof obj.kind !== 'string') {
      return [{ object: id, message: 'apiVersion and kind are required' }];
    }
    const validate = this.validatorFor(obj.apiVersion, obj.kind);
    if (!validate) return [{ object: id, message: `unknown kind ${obj.apiVersion}/${obj.kind}` }];
    const issues: ValidationIssue[] = [];
    if (!validate(obj)) {
      for (const e of validate.errors ?? []) {
        const extra = e.keyword === 'additionalProperties' ? ` '${(e.params as Json).additionalProperty}'` : '';
        issues.push({ object: id, message: `${e.instancePath || '/'} ${e.message}${extra}` });
      }
    }
    issues.push(...checkMetadata(id, obj.metadata));
    return issues;
  }

  private validatorFor(apiVersion: string, kind: string): ValidateFunction | undefined {
    const key = gvkKey(apiVersion, kind);
    if (!this.kinds.has(key)) return undefined;
    let fn = this.compiled.get(key);
    if (fn) return fn;
    const file = path.join(this.dir, `${crypto.createHash('sha256').update(key).digest('hex').slice(0, 16)}.js`);
    if (!fs.existsSync(file)) writeAtomically(file, this.compile().source(key));
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    fn = require(file) as ValidateFunction;
    this.compiled.set(key, fn);
    return fn;
  }

  private compile(): Compiler {
    this.compiler ??= new Compiler();
    return this.compiler;
  }
}

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const LABEL_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;

/** What the API server checks beyond the OpenAPI schema: name and label syntax. */
function checkMetadata(id: string, metadata: Json): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const name = metadata?.name;
  if (typeof name !== 'string' || name.length > 253 || !DNS_SUBDOMAIN.test(name)) {
    issues.push({ object: id, message: `metadata.name ${JSON.stringify(name)} is not a DNS-1123 subdomain` });
  }
  for (const [key, value] of Object.entries(metadata?.labels ?? {})) {
    const [prefix, label] = key.includes('/') ? key.split('/', 2) : [undefined, key];
    if ((prefix && !DNS_SUBDOMAIN.test(prefix)) || label.length > 63 || !LABEL_NAME.test(label)) {
      issues.push({ object: id, message: `label key ${key} is invalid` });
    }
    if (typeof value !== 'string' || value.length > 63 || !LABEL_VALUE.test(value)) {
      issues.push({ object: id, message: `label ${key}=${JSON.stringify(value)} has an invalid value` });
    }
  }
  return issues;
}

let shared: SchemaValidator | undefined;
/** One validator per test process: compiling the definitions is the expensive part. */
export function schemaValidator(): SchemaValidator {
  shared ??= new SchemaValidator();
  return shared;
}
