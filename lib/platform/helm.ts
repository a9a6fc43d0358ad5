/**
 * cdk8s writes manifests into a Helm chart's templates/ unescaped, so a Prometheus annotation
 * like `{{ $labels.pod }}` would be rendered (and broken) by Helm. This escapes every `{{` and
 * `}}` so `helm template` emits exactly what the plain synth does. synthesizeAtomically applies it
 * by itself under `cdk8s synth --format helm`.
 */
export function escapeHelmDelimiters(text: string): string {
  // Whole runs of braces are quoted, so a lone '{' next to an escape can never form a new '{{'.
  return text.replace(/[{}]{2,}/g, (run) => (run.includes('{{') || run.includes('}}') ? `{{ ${JSON.stringify(run)} }}` : run));
}
