import { k8s } from 'cdk8s-plus-27';
import { IConstruct } from 'constructs';
import { fail } from './validation';

/** The value of one environment variable: a literal, or a reference to a Secret, ConfigMap or pod field. */
export class EnvValue {
  /** A plain literal. Refused for anything that looks like a credential. */
  public static fromValue(value: string): EnvValue {
    return new EnvValue({ value }, value);
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

  private constructor(private readonly spec: Omit<k8s.EnvVar, 'name'>, public readonly literal?: string) {}

  public toEnvVar(name: string): k8s.EnvVar {
    return { name, ...this.spec };
  }
}

const CREDENTIAL_NAME = /PASSWORD|PASSWD|SECRET|TOKEN|KEY|CREDENTIAL/i;
// scheme://user:password@host, unless the password is a $(VAR) expansion of another (Secret-backed) variable.
const URL_WITH_PASSWORD = /^[a-z][a-z0-9+.-]*:\/\/[^/\s:@]*:([^@\s/]+)@/i;

/** Credentials come only from Secrets: refuse literals that look like one. */
export function checkNoCredentialLiteral(scope: IConstruct, prop: string, name: string, value: EnvValue): void {
  if (value.literal === undefined) return;
  if (CREDENTIAL_NAME.test(name)) {
    fail(scope, `${prop}.${name}`, '<literal>', 'looks like a credential: use EnvValue.fromSecret(), credentials never appear as literals');
  }
  const url = URL_WITH_PASSWORD.exec(value.literal);
  if (url && !/^\$\([A-Za-z_][A-Za-z0-9_]*\)$/.test(url[1])) {
    fail(scope, `${prop}.${name}`, '<url with password>', 'contains a password in a URL: put the URL in a Secret or use $(VAR) expansion of a Secret-backed variable');
  }
}

/** An ordered set of environment variables; later definitions of a name replace earlier ones in place. */
export class EnvironmentVariables {
  private readonly vars = new Map<string, EnvValue>();

  constructor(private readonly scope: IConstruct, private readonly prop: string) {}

  public set(name: string, value: EnvValue): void {
    if (!/^[A-Za-z_][A-Za-z0-9_.-]*$/.test(name)) {
      fail(this.scope, `${this.prop}`, name, 'names must start with a letter or _ and contain only letters, digits, _, . and -');
    }
    checkNoCredentialLiteral(this.scope, this.prop, name, value);
    this.vars.set(name, value);
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
