import { App, Chart, Testing } from 'cdk8s';
import { schemaValidator } from './schema-validator';

export type K8sObject = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string; labels?: Record<string, string> }; [k: string]: any };

/** Fails the test with every strict-validation issue of every object. */
export function expectValid(objects: K8sObject[]): void {
  const validator = schemaValidator();
  const issues = objects.flatMap((o) => validator.validate(o));
  if (issues.length > 0) {
    throw new Error(`strict schema validation failed:\n${issues.map((i) => `  ${i.object}: ${i.message}`).join('\n')}`);
  }
}

/** Synthesizes a chart, validates every object strictly and returns them. */
export function synthValid(chart: Chart): K8sObject[] {
  const objects = Testing.synth(chart) as K8sObject[];
  expectValid(objects);
  return objects;
}

/** Synthesizes every chart of an app, validated. */
export function synthAppValid(app: App): K8sObject[] {
  const objects = app.charts.flatMap((c) => Testing.synth(c) as K8sObject[]);
  expectValid(objects);
  return objects;
}

/** The one object of a kind (and name, when given); fails when there is not exactly one. */
export function only(objects: K8sObject[], kind: string, name?: string): K8sObject {
  const found = objects.filter((o) => o.kind === kind && (name === undefined || o.metadata.name === name));
  if (found.length !== 1) throw new Error(`expected one ${kind}${name ? ` ${name}` : ''}, found ${found.length}`);
  return found[0];
}

export function ofKind(objects: K8sObject[], kind: string): K8sObject[] {
  return objects.filter((o) => o.kind === kind);
}

export function testChart(namespace = 'media-ai'): Chart {
  return new Chart(Testing.app(), 'test', { namespace });
}
