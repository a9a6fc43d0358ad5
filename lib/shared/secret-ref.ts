import { IConstruct } from 'constructs';
import { dnsSubdomainProp, fail } from './validation';

/** A key of an existing Secret. */
export interface SecretKeyReference {
  /** Name of the Secret (created outside the app, e.g. by External Secrets or Sealed Secrets). */
  readonly name: string;
  /** Key inside the Secret. */
  readonly key: string;
}

/** Validates a required Secret key reference. */
export function secretKeyProp(scope: IConstruct, prop: string, ref: SecretKeyReference | undefined): SecretKeyReference {
  if (!ref || typeof ref !== 'object') fail(scope, prop, ref, 'is required: a reference { name, key } to an existing Secret (credentials never appear as literals)');
  dnsSubdomainProp(scope, `${prop}.name`, ref.name);
  if (typeof ref.key !== 'string' || !/^[-._a-zA-Z0-9]+$/.test(ref.key)) fail(scope, `${prop}.key`, ref.key, "must be a Secret key: letters, digits, '-', '_' and '.'");
  return ref;
}
