/**
 * Strict validation of synthesized objects, as `kubeconform -strict` does it:
 * core kinds against the Kubernetes 1.27 OpenAPI definitions, custom resources against
 * their CRD's openAPIV3Schema. Every object schema that lists properties is closed
 * (`additionalProperties: false`) unless the schema says it preserves unknown fields.
 */
import * as fs from 'fs';
import * as path from 'path';
import Ajv, { ValidateFunction } from 'ajv';
import * as YAML from 'yaml';

const ROOT = path.resolve(__dirname, '..', '..');
const K8S_DEFINITIONS = path.join(ROOT, 'schemas', 'k8s-1.27.0-definitions.json');
const CRD_DIR = path.join(ROOT, 'crds');

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

/** CRD patterns are Go regular expressions: translate the inline case-insensitive flag. */
const goRegExp = Object.assign(
  (pattern: string, flags: string) => {
    const insensitive = pattern.includes('(?i)');
    return new RegExp(pattern.replace(/\(\?i\)/g, ''), insensitive ? `${flags}i` : flags);
  },
  { code: 'new RegExp' },
);

function gvkKey(apiVersion: string, kind: string): string {
  return `${apiVersion}/${kind}`;
}

export class SchemaValidator {
  private readonly ajv: Ajv;
  private readonly definitionByGvk = new Map<string, string>();
  private readonly crdSchemas = new Map<string, Json>();
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor() {
    this.ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false, code: { regExp: goRegExp } });
    const defs = JSON.parse(fs.readFileSync(K8S_DEFINITIONS, 'utf8')).definitions as Record<string, Json>;
    for (const [name, def] of Object.entries(defs)) {
      for (const gvk of def['x-kubernetes-group-version-kind'] ?? []) {
        const apiVersion = gvk.group ? `${gvk.group}/${gvk.version}` : gvk.version;
        // A definition can be listed for several GVKs (DeleteOptions, WatchEvent): keep the kind's own.
        if (name.endsWith(`.${gvk.kind}`)) this.definitionByGvk.set(gvkKey(apiVersion, gvk.kind), name);
      }
    }
    this.ajv.addSchema({ $id: 'k8s', definitions: strictify(defs) });

    for (const file of fs.readdirSync(CRD_DIR).filter((f) => f.endsWith('.yaml')).sort()) {
      for (const doc of YAML.parseAllDocuments(fs.readFileSync(path.join(CRD_DIR, file), 'utf8'))) {
        const crd = doc.toJS();
        if (crd?.kind !== 'CustomResourceDefinition') continue;
        for (const version of crd.spec.versions) {
          const schema = strictify(version.schema.openAPIV3Schema);
          // metadata is validated against the core ObjectMeta definition instead.
          schema.properties = { ...schema.properties, metadata: { $ref: 'k8s#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta' } };
          this.crdSchemas.set(gvkKey(`${crd.spec.group}/${version.name}`, crd.spec.names.kind), schema);
        }
      }
    }
  }

  /** The API versions and kinds this validator knows. */
  public knows(apiVersion: string, kind: string): boolean {
    const key = gvkKey(apiVersion, kind);
    return this.definitionByGvk.has(key) || this.crdSchemas.has(key);
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
    let fn = this.compiled.get(key);
    if (fn) return fn;
    const def = this.definitionByGvk.get(key);
    if (def) fn = this.ajv.compile({ $ref: `k8s#/definitions/${def}` });
    else if (this.crdSchemas.has(key)) fn = this.ajv.compile(this.crdSchemas.get(key));
    if (fn) this.compiled.set(key, fn);
    return fn;
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
