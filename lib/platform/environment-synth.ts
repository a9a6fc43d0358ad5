import * as fs from 'fs';
import * as path from 'path';
import { App } from 'cdk8s';
import { capacityMarkdown, capacityReport, CapacityReport } from './capacity';
import { ENVIRONMENTS, EnvironmentConfig, withEvent } from './environments';
import { MediaAiPlatform } from './media-ai-platform';
import { isHelmTemplatesDir, synthesizeAtomically } from './synth';

/** Options of {@link synthesizeEnvironments}. */
export interface EnvironmentSynthOptions {
  /** Output folder: each environment goes to `<outdir>/<name>/`, or into outdir itself when it is a Helm chart's `templates/`. */
  readonly outdir: string;
  /** Names of the environments to render (comma-separated). @default all of `environments` */
  readonly only?: string;
  /** A planned event of each rendered environment (its raised HPA minimums). @default none */
  readonly event?: string;
  /** The environments by name. @default ENVIRONMENTS (dev, staging, prod) */
  readonly environments?: Readonly<Record<string, EnvironmentConfig>>;
  /** Where warnings go (a shortfall with `onShortfall: 'warn'`). @default console.warn */
  readonly warn?: (message: string) => void;
}

/**
 * Renders the reference platform once per environment (`npm run synth`): manifests with
 * synthesizeAtomically, then `capacity.md` and `capacity.json` next to them. A capacity shortfall
 * (headroom, quota) fails before anything of that environment is written, unless the environment's
 * capacity says `onShortfall: 'warn'`.
 */
export function synthesizeEnvironments(options: EnvironmentSynthOptions): CapacityReport[] {
  const all = options.environments ?? ENVIRONMENTS;
  const names = options.only !== undefined && options.only !== '' ? options.only.split(',').map((n) => n.trim()) : Object.keys(all);
  for (const name of names) {
    if (!all[name]) throw new Error(`environment (${JSON.stringify(name)}) is not defined (known: ${Object.keys(all).join(', ')})`);
  }
  const helm = isHelmTemplatesDir(options.outdir);
  if (helm && names.length !== 1) {
    throw new Error(`a Helm chart holds one environment: set MEDIA_AI_ENV (or --env) to one of ${Object.keys(all).join(', ')}`);
  }
  return names.map((name) => {
    const env = withEvent(all[name], options.event);
    const outdir = helm ? options.outdir : path.join(options.outdir, name);
    const app = new App({ outdir });
    new MediaAiPlatform(app, 'media-ai', { environment: env });
    let report: CapacityReport | undefined;
    synthesizeAtomically(app, {
      inspect: (objects) => {
        report = capacityReport(name, objects, env.capacity, options.event);
        if (report.shortfalls.length === 0) return;
        const message = `environment ${name}${options.event ? ` (event ${options.event})` : ''}: capacity shortfall\n  - ${report.shortfalls.join('\n  - ')}`;
        if ((env.capacity.onShortfall ?? 'fail') === 'fail') throw new Error(message);
        (options.warn ?? console.warn)(`warning: ${message}`);
      },
    });
    // Next to the manifests; in a Helm chart at its root, where helm does not render it.
    const reportDir = helm ? path.dirname(outdir) : outdir;
    fs.writeFileSync(path.join(reportDir, 'capacity.md'), capacityMarkdown(report!));
    fs.writeFileSync(path.join(reportDir, 'capacity.json'), `${JSON.stringify(report, undefined, 2)}\n`);
    return report!;
  });
}
