import { k8s } from 'cdk8s-plus-27';
import { IConstruct } from 'constructs';
import { CREDENTIAL_NAME, credentialArgIndex, detectCredential, isEnvVarName } from './grammar';
import { fail } from './validation';

/** Options of a literal value. */
export interface EnvValueOptions {
  /**
   * Why this literal is not a secret although its name or shape looks like one (e.g. 'a key
   * prefix, not a key'). Recorded on the workload (annotation `security.media-ai.io/not-secret`).
   * Known credential formats (private keys, cloud keys, tokens, passwords in URLs) are refused anyway.
   * @default none: credential-like literals are refused
   */
  readonly notSecret?: string;
}

/** The value of one environment variable: a literal, or a reference to a Secret, ConfigMap or pod field. */
export class EnvValue {
  /** A plain literal. Refused for anything that looks like a credential, unless `notSecret` says why it is not one. */
  public static fromValue(value: string, options: EnvValueOptions = {}): EnvValue {
    return new EnvValue({ value }, value, options.notSecret);
  }

  /** A key of an existing Secret (`secretKeyRef`). */
  public static fromSecret(secretName: string, key: string): EnvValue {
    return new EnvValue({ valueFrom: { secretKeyRef: { name: secretName, key } } });
  }

  /** A key of an existing ConfigMap (`configMapKeyRef`). */
  public static fromConfigMap(configMapName: string, key: string): EnvValue {
    return new EnvValue({ valueFrom: { configMapKeyRef: { name: configMapName, key } } });
  }

  /** A field of the pod (downward API), e.g. `metadata.namespace`. */
  public static fromFieldPath(fieldPath: string): EnvValue {
    return new EnvValue({ valueFrom: { fieldRef: { fieldPath } } });
  }

  private constructor(private readonly spec: Omit<k8s.EnvVar, 'name'>, public readonly literal?: string, public readonly notSecret?: string) {}

  /** The Secret this value reads, if it reads one (connections check it is in the client's namespace). */
  public get secretName(): string | undefined {
    return this.spec.valueFrom?.secretKeyRef?.name;
  }

  public toEnvVar(name: string): k8s.EnvVar {
    return { name, ...this.spec };
  }
}

// Formats that are credentials whatever the caller says: a `notSecret` reason does not lift these.
const ALWAYS_SECRET = /PEM private key|AWS access key|JSON Web Token|GitHub token|Slack token|Google API key|API secret key|password in/;

/** Credentials come only from Secrets: refuse literals that look like one, by name or by value. */
export function checkNoCredentialLiteral(scope: IConstruct, prop: string, name: string, value: EnvValue): void {
  if (!(value instanceof EnvValue)) fail(scope, `${prop}.${name}`, value, 'must be an EnvValue (EnvValue.fromValue(), fromSecret(), fromConfigMap() or fromFieldPath())');
  const literal = value.literal;
  if (literal === undefined) return;
  if (typeof literal !== 'string') fail(scope, `${prop}.${name}`, literal, 'must be a string');
  const kind = detectCredential(literal, name);
  if (kind && /password in a URL/.test(kind)) {
    fail(scope, `${prop}.${name}`, '<url with password>', 'contains a password in a URL: put the URL in a Secret or use $(VAR) expansion of a Secret-backed variable');
  }
  if (kind && (ALWAYS_SECRET.test(kind) || value.notSecret === undefined)) {
    fail(scope, `${prop}.${name}`, '<literal>', `looks like a credential (${kind}): use EnvValue.fromSecret(), credentials never appear as literals`);
  }
  if (value.notSecret !== undefined && (typeof value.notSecret !== 'string' || value.notSecret.trim().length < 3)) {
    fail(scope, `${prop}.${name}`, value.notSecret, 'notSecret must say in words why the value is not a secret');
  }
  if (CREDENTIAL_NAME.test(name) && value.notSecret === undefined) {
    fail(scope, `${prop}.${name}`, '<literal>', "looks like a credential: use EnvValue.fromSecret(), credentials never appear as literals (or EnvValue.fromValue(v, { notSecret: 'why' }) for a value that only has a credential-like name)");
  }
}

/** Command-line arguments: no credential values (`--password=…`, `--password …`, tokens). */
export function checkNoCredentialArgs(scope: IConstruct, prop: string, args: readonly string[] | undefined): void {
  if (args === undefined) return;
  if (!Array.isArray(args) || args.some((a) => typeof a !== 'string')) fail(scope, prop, args, 'must be a list of strings');
  const i = credentialArgIndex(args);
  if (i !== undefined) fail(scope, `${prop}[${i}]`, '<literal>', 'carries a credential on the command line: pass it in an environment variable from a Secret and refer to it as $(VAR)');
}

/** An ordered set of environment variables; later definitions of a name replace earlier ones in place. */
export class EnvironmentVariables {
  private readonly vars = new Map<string, EnvValue>();

  constructor(private readonly scope: IConstruct, private readonly prop: string) {}

  public set(name: string, value: EnvValue): void {
    if (!isEnvVarName(name) || /^[-.]/.test(name)) {
      fail(this.scope, `${this.prop}`, name, 'names must start with a letter or _ and contain only letters, digits, _, . and -');
    }
    checkNoCredentialLiteral(this.scope, this.prop, name, value);
    this.vars.set(name, value);
  }

  /** The literals marked not secret, with the reasons given (recorded on the workload). */
  public notSecretReasons(): Record<string, string> {
    return Object.fromEntries([...this.vars].filter(([, v]) => v.literal !== undefined && v.notSecret !== undefined).map(([n, v]) => [n, v.notSecret!]));
  }

  public has(name: string): boolean {
    return this.vars.has(name);
  }

  /**
   * Kubernetes expands $(VAR) only from variables defined earlier in the list, so variables
   * that reference others are rendered after all plain ones.
   */
  public render(): k8s.EnvVar[] {
    const entries = [...this.vars.entries()];
    const refersToOthers = ([, v]: [string, EnvValue]) => v.literal !== undefined && /\$\([A-Za-z_]/.test(v.literal);
    return [...entries.filter((e) => !refersToOthers(e)), ...entries.filter(refersToOthers)].map(([n, v]) => v.toEnvVar(n));
  }
}
