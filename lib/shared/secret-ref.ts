import { IConstruct } from 'constructs';
import { isConfigMapKey } from './grammar';
import { checkKnownProps, dnsSubdomainProp, fail, propKeys } from './validation';

/** A key of an existing Secret. */
export interface SecretKeyReference {
  /** Name of the Secret (created outside the app, e.g. by External Secrets or Sealed Secrets). */
  readonly name: string;
  /** Key inside the Secret. */
  readonly key: string;
}

const SECRET_KEY_KEYS = propKeys<SecretKeyReference>()({ name: true, key: true });

/** Validates a required Secret key reference. */
export function secretKeyProp(scope: IConstruct, prop: string, ref: SecretKeyReference | undefined): SecretKeyReference {
  if (!ref || typeof ref !== 'object') fail(scope, prop, ref, 'is required: a reference { name, key } to an existing Secret (credentials never appear as literals)');
  checkKnownProps(scope, prop, ref, SECRET_KEY_KEYS);
  dnsSubdomainProp(scope, `${prop}.name`, ref.name);
  secretKeyNameProp(scope, `${prop}.key`, ref.key);
  return ref;
}

function secretKeyNameProp(scope: IConstruct, prop: string, key: unknown): string {
  if (!isConfigMapKey(key)) fail(scope, prop, key, "must be a Secret key: at most 253 letters, digits, '-', '_' and '.', not '.' or '..' nor starting with '..'");
  return key;
}

/**
 * An existing Secret holding a user name and a password, by default under the keys of a
 * `kubernetes.io/basic-auth` Secret. With `SecretKeyReference` (one key), the only two ways the
 * library refers to Secrets; both call the Secret's name `name`.
 */
export interface CredentialsSecret {
  /** Name of the Secret (created outside the app, e.g. by External Secrets or Sealed Secrets). */
  readonly name: string;
  /** Key of the user name. @default 'username' */
  readonly usernameKey?: string;
  /** Key of the password. @default 'password' */
  readonly passwordKey?: string;
}

const CREDENTIALS_KEYS = propKeys<CredentialsSecret>()({ name: true, usernameKey: true, passwordKey: true });

/** Validates a credentials Secret and fills in the default keys. */
export function credentialsSecretProp(scope: IConstruct, prop: string, value: CredentialsSecret | undefined): Required<CredentialsSecret> {
  if (!value || typeof value !== 'object') fail(scope, prop, value, 'is required: { name } of an existing Secret with username and password keys (credentials never appear as literals)');
  checkKnownProps(scope, prop, value, CREDENTIALS_KEYS);
  const resolved = {
    name: dnsSubdomainProp(scope, `${prop}.name`, value.name),
    usernameKey: secretKeyNameProp(scope, `${prop}.usernameKey`, value.usernameKey ?? 'username'),
    passwordKey: secretKeyNameProp(scope, `${prop}.passwordKey`, value.passwordKey ?? 'password'),
  };
  if (resolved.usernameKey === resolved.passwordKey) {
    fail(scope, `${prop}.passwordKey`, resolved.passwordKey, 'must differ from usernameKey: the user would be named after the password, which then shows in logs');
  }
  return resolved;
}

/** Whether two credentials Secrets share a key of one Secret (one would read the other's user or password). */
export function sharesCredentialKey(a: Required<CredentialsSecret>, b: Required<CredentialsSecret>): boolean {
  if (a.name !== b.name) return false;
  const keys = new Set([b.usernameKey, b.passwordKey]);
  return keys.has(a.usernameKey) || keys.has(a.passwordKey);
}
