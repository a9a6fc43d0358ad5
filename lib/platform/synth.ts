import { App } from 'cdk8s';

/**
 * Renders every chart in memory (running all validations) before writing anything, so an
 * invalid app leaves no half-written output directory.
 */
export function synthesizeAtomically(app: App): void {
  app.synthYaml();
  app.synth();
}
