/**
 * Change summary of two synthesized manifest directories, for a reviewer of a synthesized-YAML
 * merge request: which objects were added, removed or changed, and the changes that matter most
 * (images, replica counts, resources, alert rules) in a few lines of markdown.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Yaml } from 'cdk8s';

type Json = any;

export interface ManifestObject {
  readonly key: string;
  readonly object: Json;
}

/** Every object in the YAML files of a directory (recursively), keyed `Kind namespace/name`. */
export function loadManifests(dir: string): Map<string, Json> {
  const out = new Map<string, Json>();
  if (!fs.existsSync(dir)) return out;
  const files = fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => /\.ya?ml$/.test(f)).sort();
  for (const file of files) {
    // cdk8s's own YAML reader (a peer dependency): the library has no runtime dependency of its own.
    for (const o of Yaml.load(path.join(dir, file))) {
      if (!o || typeof o !== 'object' || !o.kind) continue;
      out.set(objectKey(o), o);
    }
  }
  return out;
}

/**
 * `Kind namespace/name`, without the content hash cdk8s appends to immutable objects
 * (`config-backup-d17460412eb5e0c9`): a new hash is a changed object, not one added and one removed.
 */
export function objectKey(o: Json): string {
  const ns = o.metadata?.namespace;
  const name = String(o.metadata?.name).replace(/-[0-9a-f]{16}$/, '-<hash>');
  return `${o.kind} ${ns ? `${ns}/` : ''}${name}`;
}

/** Leaves of a JSON value, as `a.b[0].c` → value. */
function leaves(value: Json, prefix = '', out = new Map<string, Json>()): Map<string, Json> {
  if (Array.isArray(value)) {
    if (value.length === 0) out.set(prefix, []);
    // Containers, ports, env and rules are lists of named things: key them by name so an insertion is one change.
    value.forEach((v, i) => leaves(v, `${prefix}[${v && typeof v === 'object' && typeof v.name === 'string' ? v.name : i}]`, out));
  } else if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value);
    if (entries.length === 0) out.set(prefix, {});
    for (const [k, v] of entries) leaves(v, prefix ? `${prefix}.${k}` : k, out);
  } else {
    out.set(prefix, value);
  }
  return out;
}

export interface LeafChange {
  readonly path: string;
  readonly before?: Json;
  readonly after?: Json;
}

function leafChanges(before: Json, after: Json): LeafChange[] {
  const a = leaves(before ?? {});
  const b = leaves(after ?? {});
  const paths = [...new Set([...a.keys(), ...b.keys()])].sort();
  return paths.filter((p) => JSON.stringify(a.get(p)) !== JSON.stringify(b.get(p))).map((p) => ({ path: p, before: a.get(p), after: b.get(p) }));
}

export interface AlertRuleChange {
  readonly object: string;
  readonly rule: string;
  readonly change: 'added' | 'removed' | 'changed';
  /** Fields of the rule that changed (expr, for, labels, …). */
  readonly fields: string[];
}

export interface ManifestDiff {
  readonly added: string[];
  readonly removed: string[];
  /** Changed objects and the paths that changed. */
  readonly changed: Array<{ key: string; paths: string[] }>;
  readonly unchanged: number;
  readonly images: Array<{ key: string; path: string; before?: string; after?: string }>;
  readonly replicas: Array<{ key: string; path: string; before?: number; after?: number }>;
  readonly resources: Array<{ key: string; path: string; before?: string; after?: string }>;
  readonly alertRules: AlertRuleChange[];
}

const REPLICA_FIELDS = /(^|\.)(replicas|minReplicas|maxReplicas)$/;
const RESOURCE_FIELDS = /\.resources\.(requests|limits)\.[^.]+$|(^|\.)storage$/;
const IMAGE_FIELDS = /(^|\.)image$/;

function alertRules(o: Json): Map<string, Json> {
  const out = new Map<string, Json>();
  if (o?.kind !== 'PrometheusRule') return out;
  for (const g of o.spec?.groups ?? []) {
    for (const r of g.rules ?? []) {
      const name = r.alert ?? r.record;
      const labels = Object.entries(r.labels ?? {}).filter(([k]) => ['priority', 'severity', 'window'].includes(k)).map(([k, v]) => `${k}=${String(v as string)}`).sort();
      out.set(`${r.alert ? 'alert' : 'record'} ${name}${labels.length ? `{${labels.join(',')}}` : ''}`, r);
    }
  }
  return out;
}

/** Compares two sets of objects (as `loadManifests` returns them). */
export function diffManifests(before: Map<string, Json>, after: Map<string, Json>): ManifestDiff {
  const keys = [...new Set([...before.keys(), ...after.keys()])].sort();
  const diff: { -readonly [K in keyof ManifestDiff]: ManifestDiff[K] } = { added: [], removed: [], changed: [], unchanged: 0, images: [], replicas: [], resources: [], alertRules: [] };
  for (const key of keys) {
    const a = before.get(key);
    const b = after.get(key);
    if (a === undefined) diff.added.push(key);
    else if (b === undefined) diff.removed.push(key);
    const changes = leafChanges(a, b);
    if (a !== undefined && b !== undefined) {
      if (changes.length === 0) {
        diff.unchanged++;
        continue;
      }
      diff.changed.push({ key, paths: changes.map((c) => c.path) });
    }
    for (const c of changes) {
      if (IMAGE_FIELDS.test(c.path) && (typeof c.before === 'string' || typeof c.after === 'string')) diff.images.push({ key, ...c });
      if (REPLICA_FIELDS.test(c.path) && (typeof c.before === 'number' || typeof c.after === 'number')) diff.replicas.push({ key, ...c });
      if (RESOURCE_FIELDS.test(c.path) && c.path.startsWith('spec')) diff.resources.push({ key, before: c.before === undefined ? undefined : String(c.before), after: c.after === undefined ? undefined : String(c.after), path: c.path });
    }
    const ra = alertRules(a);
    const rb = alertRules(b);
    for (const rule of [...new Set([...ra.keys(), ...rb.keys()])].sort()) {
      const change = !ra.has(rule) ? 'added' : !rb.has(rule) ? 'removed' : JSON.stringify(ra.get(rule)) !== JSON.stringify(rb.get(rule)) ? 'changed' : undefined;
      const fields = change === 'changed' ? [...new Set(leafChanges(ra.get(rule), rb.get(rule)).map((c) => c.path.split('.')[0]))] : [];
      if (change) diff.alertRules.push({ object: key, rule, change, fields });
    }
  }
  return diff;
}

const show = (v: unknown) => (v === undefined ? '—' : `\`${typeof v === 'string' ? v : JSON.stringify(v)}\``);
/** `spec.template.spec.containers[api].image` → `containers[api]`: the part a reader recognises. */
const where = (p: string) => p.replace(/^spec\.(template\.spec\.|jobTemplate\.spec\.template\.spec\.)?/, '').replace(/\.(image|resources\.)?[^.]*$/, '').replace(/\.resources$/, '');

/** The markdown summary; `maxPerSection` lines per section, then "… and N more". */
export function formatDiff(d: ManifestDiff, maxPerSection = 15): string {
  const lines: string[] = [];
  const section = (title: string, items: string[]) => {
    if (items.length === 0) return;
    lines.push('', `**${title}**`);
    for (const item of items.slice(0, maxPerSection)) lines.push(`- ${item}`);
    if (items.length > maxPerSection) lines.push(`- … and ${items.length - maxPerSection} more`);
  };
  lines.push(`### Manifest changes: ${d.added.length} added, ${d.removed.length} removed, ${d.changed.length} changed, ${d.unchanged} unchanged`);
  if (d.added.length + d.removed.length + d.changed.length === 0) return `${lines[0]}\n\nNo change to the rendered objects.\n`;
  section('Images', d.images.map((i) => `${i.key} ${where(i.path) ? `${where(i.path)}: ` : ''}${show(i.before)} → ${show(i.after)}`));
  section('Replicas', d.replicas.map((r) => `${r.key} ${r.path.split('.').pop()}: ${show(r.before)} → ${show(r.after)}`));
  section('Resources', d.resources.map((r) => `${r.key} ${r.path.replace(/^.*?(containers|initContainers)\[/, '$1[').replace(/^spec\./, '')}: ${show(r.before)} → ${show(r.after)}`));
  section('Alert rules', d.alertRules.map((a) => `${a.change} ${a.rule}${a.fields.length ? ` (${a.fields.join(', ')})` : ''} in ${a.object}`));
  section('Added', d.added);
  section('Removed', d.removed);
  // A new image tag relabels every object of the app: one line for the objects where that is all.
  const isVersionLabel = (p: string) => p.endsWith('labels.app.kubernetes.io/version');
  const labelOnly = d.changed.filter((c) => c.paths.every(isVersionLabel)).map((c) => c.key);
  section('Changed', [
    ...d.changed.filter((c) => !c.paths.every(isVersionLabel)).map((c) => `${c.key}: ${summarisePaths(c.paths.filter((p) => !isVersionLabel(p)))}`),
    ...(labelOnly.length ? [`only the app.kubernetes.io/version label: ${labelOnly.join(', ')}`] : []),
  ]);
  return `${lines.join('\n')}\n`;
}

/** Up to three changed paths, without the pod-template prefix. */
function summarisePaths(paths: string[]): string {
  const short = [...new Set(paths.map((p) => p.replace(/^spec\.(jobTemplate\.spec\.)?template\.spec\./, '')))];
  const shown = short.slice(0, 3).map((p) => `\`${p}\``).join(', ');
  return short.length > 3 ? `${shown} and ${short.length - 3} more` : shown;
}

/** CLI: `media-ai-diff <old-dir> <new-dir>`; prints the markdown summary. Returns the exit code. */
export function diffMain(argv: string[], out: (s: string) => void = (s) => process.stdout.write(s), err: (s: string) => void = (s) => process.stderr.write(s)): number {
  const [oldDir, newDir] = argv;
  if (argv.length !== 2 || !fs.existsSync(newDir) || !fs.statSync(newDir).isDirectory()) {
    err('usage: media-ai-diff <old-dir> <new-dir>\n  Summarises the change between two synthesized manifest directories (old-dir may be missing: everything is new).\n');
    return 2;
  }
  out(formatDiff(diffManifests(loadManifests(oldDir), loadManifests(newDir))));
  return 0;
}
