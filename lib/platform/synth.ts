import { App } from 'cdk8s';
import { checkUniqueObjects } from '../shared';

/**
 * Renders every chart in memory (running all validations) before writing anything, so an
 * invalid app leaves no half-written output directory. Object names must be unique per kind and namespace.
 */
export function synthesizeAtomically(app: App): void {
  checkUniqueObjects(app);
  app.synthYaml();
  app.synth();
}
