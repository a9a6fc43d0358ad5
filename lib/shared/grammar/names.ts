/**
 * Kubernetes name grammars, as k8s.io/apimachinery/pkg/util/validation defines them
 * (IsDNS1123Label, IsDNS1123Subdomain, IsDNS1035Label, IsQualifiedName, IsValidLabelValue, IsEnvVarName)
 * and the annotation size limit of apimachinery/pkg/api/validation.
 */

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const QUALIFIED_NAME_PART = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const ENV_VAR_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;

export const DNS1123_LABEL_MAX = 63;
export const DNS1123_SUBDOMAIN_MAX = 253;
/** TotalAnnotationSizeLimitB: keys plus values of all annotations of one object. */
export const ANNOTATIONS_TOTAL_MAX_BYTES = 256 * 1024;

export function isDns1123Label(v: unknown, max = DNS1123_LABEL_MAX): v is string {
  return typeof v === 'string' && v.length <= max && DNS1123_LABEL.test(v);
}

export function isDns1123Subdomain(v: unknown): v is string {
  return typeof v === 'string' && v.length <= DNS1123_SUBDOMAIN_MAX && DNS1123_SUBDOMAIN.test(v);
}

/** Service names: a DNS-1035 label (starts with a letter). */
export function isDns1035Label(v: unknown, max = DNS1123_LABEL_MAX): v is string {
  return typeof v === 'string' && v.length <= max && DNS1035_LABEL.test(v);
}

/** Label and annotation keys: `[prefix/]name`, prefix a DNS-1123 subdomain, name ≤ 63 characters. */
export function isQualifiedName(v: unknown): v is string {
  if (typeof v !== 'string') return false;
  const parts = v.split('/');
  if (parts.length > 2) return false;
  const name = parts[parts.length - 1];
  if (parts.length === 2 && (parts[0].length === 0 || !isDns1123Subdomain(parts[0]))) return false;
  return name.length <= 63 && QUALIFIED_NAME_PART.test(name);
}

export function isLabelValue(v: unknown): v is string {
  return typeof v === 'string' && v.length <= 63 && LABEL_VALUE.test(v);
}

/** A ConfigMap or Secret key (k8s.io/apimachinery IsConfigMapKey): at most 253 of `[-._a-zA-Z0-9]`, not `.` or `..`, not starting with `..`. */
export function isConfigMapKey(v: unknown): v is string {
  return typeof v === 'string' && v.length <= DNS1123_SUBDOMAIN_MAX && /^[-._a-zA-Z0-9]+$/.test(v) && v !== '.' && v !== '..' && !v.startsWith('..');
}

export function isEnvVarName(v: unknown): v is string {
  return typeof v === 'string' && ENV_VAR_NAME.test(v);
}

/** Bytes of all annotation keys and values (what the API server limits to 256 KiB). */
export function annotationsSize(annotations: Record<string, string>): number {
  return Object.entries(annotations).reduce((n, [k, v]) => n + Buffer.byteLength(k) + Buffer.byteLength(String(v)), 0);
}

export const ACCEPTED = {
  dns1123Label: (max: number) => `must be a DNS-1123 label: lower-case letters, digits and '-', starting and ending with an alphanumeric, at most ${max} characters`,
  dns1123Subdomain: "must be a DNS-1123 subdomain: lower-case letters, digits, '-' and '.', at most 253 characters",
  dns1035Label: (max: number) => `must be a DNS-1035 label (a Service name): lower-case letters, digits and '-', starting with a letter and ending with an alphanumeric, at most ${max} characters`,
  qualifiedName: "must be a label key: an optional DNS subdomain prefix and '/', then at most 63 letters, digits, '-', '_' or '.', starting and ending with an alphanumeric",
  labelValue: "must be a label value: at most 63 letters, digits, '-', '_' or '.', starting and ending with an alphanumeric",
  envVarName: "must be an environment variable name: letters, digits, '_', '-' and '.', not starting with a digit",
} as const;
