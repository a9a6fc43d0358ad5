import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, App, Chart, DependencyGraph, Names, YamlOutputType } from 'cdk8s';
import { IConstruct } from 'constructs';
import { enforcePolicy, PolicyGateOptions, PolicySubject } from '../policy';
import { checkUniqueObjects } from '../shared';
import { escapeHelmDelimiters } from './helm';
import { stringifyManifests } from './yaml-output';

/** Options of {@link synthesizeAtomically}. */
export interface SynthesizeOptions {
  /**
   * Escape Helm template delimiters (`{{`, `}}`) in every file, so that `helm lint --strict` passes
   * and `helm template` renders exactly the plain manifests (alert annotations and dashboards
   * contain `{{ $labels.pod }}`-style text).
   * @default true when the output folder is the `templates/` folder of a Helm chart (what
   * `cdk8s synth --format helm` gives the app), false otherwise
   */
  readonly helm?: boolean;
  /**
   * The policy gate run over every rendered object before anything is written (see `enforcePolicy`):
   * findings fail the synth with a table; `warnOnly` rules and recorded exemptions are reported.
   * @default every rule enforced, report on stderr
   */
  readonly policy?: PolicyGateOptions;
  /**
   * Called with every rendered object (plain JSON, in output order) before anything is written;
   * a throw writes nothing. For app-wide checks such as the capacity report. @default none
   */
  readonly inspect?: (objects: Record<string, any>[]) => void;
}

/** One rendered output file: its name inside the output folder and its YAML text. */
export interface RenderedFile {
  readonly name: string;
  readonly text: string;
}

/**
 * Synthesizes the app like `app.synth()` (same files, byte-identical), but renders every chart
 * in memory first (running all validations), so an invalid app writes nothing; then writes each
 * file through a temporary name and a rename. The app is rendered once: `app.synth()` resolves
 * dependencies and validates the whole app again for every chart (quadratic in the number of
 * charts), and rendering twice would compute every lazy value (hashes, snapshots) twice.
 *
 * Under `cdk8s synth --format helm` the output is escaped for Helm (see {@link SynthesizeOptions.helm}).
 * Output types other than `YamlOutputType.FILE_PER_CHART` (the default) are validated in memory
 * and then written by `app.synth()`.
 */
export function synthesizeAtomically(app: App, options: SynthesizeOptions = {}): void {
  // Two objects with the same kind, namespace and name would overwrite each other on apply.
  checkUniqueObjects(app);
  if (app.yamlOutputType !== YamlOutputType.FILE_PER_CHART) {
    app.synthYaml();
    enforcePolicy(app, options.policy);
    app.synth();
    return;
  }
  const helm = options.helm ?? isHelmTemplatesDir(app.outdir);
  const { files: rendered, subjects } = render(app, options.inspect);
  enforcePolicy(subjects, options.policy);
  const files = rendered.map((f) => (helm && f.name.endsWith(app.outputFileExtension) ? { ...f, text: escapeHelmDelimiters(f.text) } : f));
  fs.mkdirSync(app.outdir, { recursive: true });
  for (const file of files) {
    const target = path.join(app.outdir, file.name);
    const partial = `${target}.${process.pid}.partial`;
    fs.writeFileSync(partial, file.text, { encoding: 'utf8' });
    fs.renameSync(partial, target);
  }
}

/**
 * Renders the app in memory exactly as `app.synth()` would write it with one file per chart: the
 * same file names (indexed when charts depend on each other), the same objects in the same order,
 * and `construct-metadata.json` when the app records construct metadata. Dependencies are resolved
 * and constructs validated once for the whole app.
 */
export function renderApp(app: App, inspect?: SynthesizeOptions['inspect']): RenderedFile[] {
  return render(app, inspect).files;
}

/** {@link renderApp}, with the rendered objects for the policy gate (rendered once). */
function render(app: App, inspect?: SynthesizeOptions['inspect']): { files: RenderedFile[]; subjects: PolicySubject[] } {
  const all = app.node.findAll();
  validate(all);
  const indexed = resolveDependencies(all);
  const charts = app.charts;
  const files: RenderedFile[] = [];
  const rendered: ApiObject[] = [];
  const subjects: PolicySubject[] = [];
  charts.forEach((chart, i) => {
    const base = Names.toDnsLabel(chart);
    const name = `${indexed ? `${String(i).padStart(4, '0')}-${base}` : base}${app.outputFileExtension}`;
    // A chart class may override toJson() (as app.synth() honours); only the stock one is replaced.
    const custom = chart.toJson !== Chart.prototype.toJson;
    const objects = custom ? [] : chartObjects(chart);
    rendered.push(...objects);
    const manifests = custom ? Object.values(chart.toJson()) : objects.map((o) => o.toJson());
    manifests.forEach((manifest, j) => subjects.push({ manifest, path: custom ? undefined : objects[j].node.path }));
    files.push({ name, text: stringifyManifests(manifests) });
  });
  inspect?.(subjects.map((s) => s.manifest));
  // A private flag of App (set by the CLI when validation plugins are configured).
  if (Reflect.get(app, 'recordConstructMetadata') === true) {
    const resources = Object.fromEntries(rendered.map((o) => [o.name, { path: o.node.path }]));
    files.push({ name: 'construct-metadata.json', text: JSON.stringify({ version: '1.0.0', resources }) });
  }
  return { files, subjects };
}

/** True for the `templates/` folder of a Helm chart scaffold (`cdk8s synth --format helm`). */
export function isHelmTemplatesDir(outdir: string): boolean {
  return path.basename(path.resolve(outdir)) === 'templates' && fs.existsSync(path.join(outdir, '..', 'Chart.yaml'));
}

// The three functions below follow cdk8s's App.synth (lib/app.ts, not exported), computed once for
// the app instead of once per chart.

function validate(all: IConstruct[]): void {
  const errors = all.flatMap((c) => c.node.validate().map((e) => `[${c.node.path}] ${e}`));
  if (errors.length > 0) throw new Error(`Validation failed with the following errors:\n  ${errors.join('\n  ')}`);
}

/** Turns construct dependencies into chart and ApiObject dependencies; true when charts depend on charts. */
function resolveDependencies(all: IConstruct[]): boolean {
  let hasDependantCharts = false;
  for (const parent of all.filter((c): c is Chart => c instanceof Chart)) {
    for (const child of parent.node.children.filter((c) => c instanceof Chart)) {
      parent.node.addDependency(child);
      hasDependantCharts = true;
    }
  }
  const dependencies = () => all.flatMap((source) => source.node.dependencies.map((target) => ({ source, target })));
  for (const { source, target } of dependencies()) {
    const sourceChart = Chart.of(source);
    const targetChart = Chart.of(target);
    if (sourceChart !== targetChart) {
      sourceChart.node.addDependency(targetChart);
      hasDependantCharts = true;
    }
  }
  const apiObjectsOf = (c: IConstruct, chart: Chart) => c.node.findAll().filter((x): x is ApiObject => x instanceof ApiObject && Chart.of(x) === chart);
  // Listed again on purpose: the chart dependencies just added spread to the charts' objects too.
  for (const { source, target } of dependencies()) {
    const targets = apiObjectsOf(target, Chart.of(target));
    const sources = apiObjectsOf(source, Chart.of(source));
    for (const t of targets) for (const s of sources) if (t !== s) s.node.addDependency(t);
  }
  return hasDependantCharts;
}

/** The chart's own ApiObjects (not those of nested charts), in dependency order. */
function chartObjects(chart: Chart): ApiObject[] {
  return new DependencyGraph(chart.node).topology().filter((x): x is ApiObject => x instanceof ApiObject && Chart.of(x) === chart);
}
