import * as fs from 'fs';
import * as path from 'path';

/**
 * cdk8s writes manifests into a Helm chart's templates/ unescaped, so a Prometheus annotation
 * like `{{ $labels.pod }}` would be rendered (and broken) by Helm. This escapes every `{{` and
 * `}}` so `helm template` emits exactly what the plain synth does.
 */
export function escapeHelmDelimiters(text: string): string {
  // Whole runs of braces are quoted, so a lone '{' next to an escape can never form a new '{{'.
  return text.replace(/[{}]{2,}/g, (run) => (run.includes('{{') || run.includes('}}') ? `{{ ${JSON.stringify(run)} }}` : run));
}

/** Escapes every template of a chart synthesized with `cdk8s synth --format helm`, in place. */
export function escapeHelmChart(chartDir: string): void {
  const templates = path.join(chartDir, 'templates');
  for (const file of fs.readdirSync(templates).filter((f) => f.endsWith('.yaml')).sort()) {
    const p = path.join(templates, file);
    fs.writeFileSync(p, escapeHelmDelimiters(fs.readFileSync(p, 'utf8')));
  }
}
