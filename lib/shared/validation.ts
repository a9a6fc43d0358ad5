import { IConstruct } from 'constructs';
import {
  ACCEPTED, ANNOTATIONS_TOTAL_MAX_BYTES, annotationsSize, cidrError, cronError, cronSchedule, DNS1123_LABEL_MAX, DURATION_ACCEPTED,
  isDns1035Label, isDns1123Label, isDns1123Subdomain, isHost, isHttpPath, isLabelName, isLabelValue, isMetricName, isQualifiedName,
  isTimeZone, nearest, NETWORK_ACCEPTED, parseGoDuration, parseHttpUrl, ParsedUrl, parseLabelMatchers, parsePromDuration, parseQuantity,
  PROMQL_ACCEPTED, QUANTITY_BOUNDS, quantityOutOfBounds, redisBytes,
} from './grammar';

/**
 * Thrown for invalid props. The message names the construct path, the prop, the value and
 * what is accepted: `media-ai/api: replicas (0) must be an integer ≥ 1`.
 */
export class PropValidationError extends Error {
  constructor(scope: IConstruct, prop: string, value: unknown, accepted: string) {
    super(`${scope.node.path}: ${prop} (${describe(value)}) ${accepted}`);
    this.name = 'PropValidationError';
  }
}

function describe(value: unknown): string {
  if (value === undefined) return 'missing';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value); // JSON would say null

  // String() is the fallback for what JSON cannot show (functions, symbols, cycles); the rule's
  // '[object Object]' concern does not apply to values JSON.stringify already rendered.
  try {
    // eslint-disable-next-line @typescript-eslint/no-base-to-string -- fallback for functions and symbols (see above)
    return JSON.stringify(value) ?? String(value);
  } catch {
    // eslint-disable-next-line @typescript-eslint/no-base-to-string -- fallback for cyclic objects (see above)
    return String(value);
  }
}

export function fail(scope: IConstruct, prop: string, value: unknown, accepted: string): never {
  throw new PropValidationError(scope, prop, value, accepted);
}

export interface IntegerRange {
  readonly min?: number;
  readonly max?: number;
}

/** Checks an optional integer prop against a range and returns it, or the default when undefined. */
export function integerProp(scope: IConstruct, prop: string, value: number | undefined, fallback: number, range: IntegerRange = {}): number {
  const v = value ?? fallback;
  const { min, max } = range;
  if (!Number.isInteger(v) || (min !== undefined && v < min) || (max !== undefined && v > max)) {
    const bounds = [min !== undefined ? `≥ ${min}` : '', max !== undefined ? `≤ ${max}` : ''].filter(Boolean).join(' and ');
    fail(scope, prop, v, `must be an integer${bounds ? ` ${bounds}` : ''}`);
  }
  return v;
}

/** Percentages such as utilization targets: integers 1–100. */
export function percentProp(scope: IConstruct, prop: string, value: number | undefined, fallback: number): number {
  return integerProp(scope, prop, value, fallback, { min: 1, max: 100 });
}

export function portProp(scope: IConstruct, prop: string, value: number | undefined, fallback: number): number {
  return integerProp(scope, prop, value, fallback, { min: 1, max: 65535 });
}

/** A Kubernetes object name that is also usable as a pod hostname (RFC 1123 label). */
export function dnsLabelProp(scope: IConstruct, prop: string, value: string, maxLength = DNS1123_LABEL_MAX): string {
  if (!isDns1123Label(value, maxLength)) fail(scope, prop, value, ACCEPTED.dns1123Label(maxLength));
  return value;
}

/** A Service name: Services take DNS-1035 labels (no leading digit). */
export function serviceNameProp(scope: IConstruct, prop: string, value: string, maxLength = DNS1123_LABEL_MAX): string {
  if (!isDns1035Label(value, maxLength)) fail(scope, prop, value, ACCEPTED.dns1035Label(maxLength));
  return value;
}

/** A DNS-1123 subdomain (Secret, ConfigMap, StorageClass, PriorityClass names). */
export function dnsSubdomainProp(scope: IConstruct, prop: string, value: string): string {
  if (!isDns1123Subdomain(value)) fail(scope, prop, value, ACCEPTED.dns1123Subdomain);
  return value;
}

/**
 * A name the library extends with suffixes (`<name>-restore-drill`, `<name>-etcd`): the longest
 * derived name must still fit the limit of the object it names.
 */
export function nameBudgetProp(scope: IConstruct, prop: string, name: string, suffixes: readonly string[], max: number, what: string): string {
  const longest = suffixes.reduce((a, b) => (b.length > a.length ? b : a), '');
  if (name.length + longest.length > max) {
    fail(scope, prop, name, `is ${name.length} characters; with the suffix '${longest}' the ${what} name would be ${name.length + longest.length}, and ${what} names take at most ${max} (keep the name to ${max - longest.length})`);
  }
  return name;
}

/** A label value (app.kubernetes.io/component, a namespace used in selectors). */
export function labelValueProp(scope: IConstruct, prop: string, value: string): string {
  if (!isLabelValue(value)) fail(scope, prop, value, ACCEPTED.labelValue);
  return value;
}

/** Labels or annotations given by the caller: qualified keys; label values by their grammar; annotations ≤ 256 KiB in total. */
export function metadataMapProp(scope: IConstruct, prop: string, value: Record<string, string> | undefined, kind: 'labels' | 'annotations'): Record<string, string> | undefined {
  if (value === undefined) return undefined;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) fail(scope, prop, value, `must be an object of ${kind} (key → string)`);
  for (const [k, v] of Object.entries(value)) {
    if (!isQualifiedName(k)) fail(scope, prop, k, `keys ${ACCEPTED.qualifiedName}`);
    if (typeof v !== 'string') fail(scope, `${prop}.${k}`, v, 'must be a string');
    if (kind === 'labels' && !isLabelValue(v)) fail(scope, `${prop}.${k}`, v, ACCEPTED.labelValue);
  }
  if (kind === 'annotations' && annotationsSize(value) > ANNOTATIONS_TOTAL_MAX_BYTES) {
    fail(scope, prop, `${annotationsSize(value)} bytes`, `must total at most ${ANNOTATIONS_TOTAL_MAX_BYTES} bytes (keys and values)`);
  }
  return value;
}

/** A host name (Ingress rule, probe target): RFC 1123, fully qualified; `*.` only where the field allows it. */
export function hostProp(scope: IConstruct, prop: string, value: string, opts: { wildcard?: boolean } = { wildcard: true }): string {
  if (!isHost(value, opts)) fail(scope, prop, value, opts.wildcard ? NETWORK_ACCEPTED.wildcardHost : NETWORK_ACCEPTED.host);
  return value;
}

/** An HTTP path for probes and scrapes. */
export function httpPathProp(scope: IConstruct, prop: string, value: string): string {
  if (!isHttpPath(value)) fail(scope, prop, value, NETWORK_ACCEPTED.httpPath);
  return value;
}

/** An http(s) URL; credentials in it are refused (they belong in a Secret). */
export function httpUrlProp(scope: IConstruct, prop: string, value: string): ParsedUrl {
  const url = parseHttpUrl(value) ?? fail(scope, prop, value, NETWORK_ACCEPTED.httpUrl);
  if (url.hasCredentials) fail(scope, prop, '<url with credentials>', 'must not contain credentials: put them in a Secret');
  return url;
}

/** A CIDR for a NetworkPolicy ipBlock. */
export function cidrProp(scope: IConstruct, prop: string, value: string): string {
  const why = cidrError(value);
  if (why) fail(scope, prop, value, why === 'is not a string' ? "must be a CIDR such as '10.0.0.0/8'" : why);
  return value;
}

/** A Prometheus duration such as 30s, 5m, 1h30m, 15d (scrape intervals, retention, `for:`); returns it. */
export function durationProp(scope: IConstruct, prop: string, value: string): string {
  promDurationMsProp(scope, prop, value);
  return value;
}

/** A Prometheus duration, in milliseconds, for comparisons (interval ≥ timeout). */
export function promDurationMsProp(scope: IConstruct, prop: string, value: string): number {
  const ms = parsePromDuration(value);
  if (ms === undefined || ms <= 0) fail(scope, prop, value, DURATION_ACCEPTED.prometheus);
  return ms;
}

/** A Go duration (Kubernetes, Alertmanager, exporters), in milliseconds. */
export function goDurationMsProp(scope: IConstruct, prop: string, value: string): number {
  const ms = parseGoDuration(value);
  if (ms === undefined || ms <= 0) fail(scope, prop, value, DURATION_ACCEPTED.go);
  return ms;
}

/** A CronJob schedule: 5 fields with their ranges, names and steps, or a descriptor such as '@daily'. */
export function cronProp(scope: IConstruct, prop: string, value: string): string {
  const why = cronError(value);
  if (why) fail(scope, prop, value, `must be a 5-field cron expression such as '0 2 * * *' or a descriptor such as '@daily': ${why}`);
  return value;
}

/** A CronJob timeZone: an IANA zone name. */
export function timeZoneProp(scope: IConstruct, prop: string, value: string): string {
  if (!isTimeZone(value)) fail(scope, prop, value, "must be an IANA time zone name such as 'Etc/UTC' or 'Europe/Berlin'");
  return value;
}

const QUANTITY_USES = {
  cpu: { what: 'CPU', example: "'500m' or '2'" },
  memory: { what: 'memory', example: "'512Mi' or '4Gi'" },
  storage: { what: 'storage', example: "'50Gi'" },
  scratch: { what: 'size', example: "'256Mi'" },
} as const;

/** A resource quantity in the Kubernetes grammar, within the bounds of its use; returns base units (cores, bytes). */
export function quantityProp(scope: IConstruct, prop: string, value: string, use: keyof typeof QUANTITY_BOUNDS): number {
  const { what, example } = QUANTITY_USES[use];
  const n = parseQuantity(value) ?? fail(scope, prop, value, `must be a ${what} quantity such as ${example} (a number and a suffix such as Mi, Gi or m, no space)`);
  const why = quantityOutOfBounds(n, QUANTITY_BOUNDS[use]);
  if (why) fail(scope, prop, value, why);
  return n;
}

/** A Redis byte size (maxmemory): a positive whole number of bytes. */
export function redisBytesProp(scope: IConstruct, prop: string, value: string): number {
  return redisBytes(value) ?? fail(scope, prop, value, "must be a positive whole number of bytes as a quantity such as '1536Mi' (redis.conf takes integers; 0 would mean no limit)");
}

export function metricNameProp(scope: IConstruct, prop: string, value: string): string {
  if (!isMetricName(value)) fail(scope, prop, value, PROMQL_ACCEPTED.metricName);
  return value;
}

export function labelNameProp(scope: IConstruct, prop: string, value: string): string {
  if (!isLabelName(value)) fail(scope, prop, value, PROMQL_ACCEPTED.labelName);
  return value;
}

export function labelMatchersProp(scope: IConstruct, prop: string, value: string): string {
  if (parseLabelMatchers(value) === undefined) fail(scope, prop, value, PROMQL_ACCEPTED.matchers);
  return value;
}

/** A finite number in a range (a threshold in seconds, a percentage with decimals). */
export function numberProp(scope: IConstruct, prop: string, value: number | undefined, fallback: number, range: { min: number; max: number; minExclusive?: boolean }, unit = ''): number {
  const v = value ?? fallback;
  const aboveMin = range.minExclusive ? v > range.min : v >= range.min;
  if (typeof v !== 'number' || !Number.isFinite(v) || !aboveMin || v > range.max) {
    fail(scope, prop, v, `must be a finite number ${range.minExclusive ? '>' : '≥'} ${range.min} and ≤ ${range.max}${unit}`);
  }
  return v;
}

/** A required prop given as undefined or null by an untyped caller. */
export function requiredProp<T>(scope: IConstruct, prop: string, value: T | undefined | null, accepted: string): T {
  if (value === undefined || value === null) fail(scope, prop, value, `is required: ${accepted}`);
  return value;
}

/**
 * The keys of a props interface, checked complete by the compiler, for `checkKnownProps`:
 * `propKeys<ApiServiceProps>()({ image: true, … })` fails to compile when a prop is missing.
 */
export function propKeys<T>(): (keys: { readonly [K in keyof Required<T>]: true }) => readonly string[] {
  return (keys) => Object.keys(keys);
}

/**
 * A props object from an untyped (JavaScript) caller: must be an object, and every key a known
 * prop; a typo names the nearest valid one (`replica` → `replicas`).
 */
/** Props renamed for one vocabulary across constructs (issue #10): the error names the new spelling. */
const RENAMED: Readonly<Record<string, { readonly to: string; readonly how: string }>> = {
  storageSize: { to: 'storage', how: "storage: { size: '…' } (the StorageOptions every store takes)" },
  persistentStorageSize: { to: 'storage', how: "storage: { size: '…' } (Grafana keeps a volume when storage is set)" },
  storageClassName: { to: 'storage', how: "storage: { storageClassName: '…' }" },
  secretName: { to: 'name', how: "{ name: '…' } (a Secret is named `name` everywhere: CredentialsSecret, SecretKeyReference)" },
};

export function checkKnownProps(scope: IConstruct, prop: string, value: unknown, known: readonly string[], required = true): void {
  if (value === undefined && !required) return;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    fail(scope, prop, value, `must be an object with the props ${known.join(', ')}`);
  }
  for (const [key, v] of Object.entries(value)) {
    // An unknown key left undefined (e.g. by a spread) changes nothing; one with a value is a mistake.
    if (known.includes(key) || v === undefined) continue;
    const where = prop === 'props' ? key : `${prop}.${key}`;
    const renamed = RENAMED[key];
    if (renamed && known.includes(renamed.to)) fail(scope, where, (value as Record<string, unknown>)[key], `was renamed: write ${renamed.how}`);
    const suggestion = nearest(key, known);
    fail(scope, where, (value as Record<string, unknown>)[key], `is not a prop${suggestion ? `; did you mean '${suggestion}'?` : ''} (known: ${known.join(', ')})`);
  }
}

/**
 * The shortest time between two runs of a (valid) CronJob schedule, in seconds: exact for one
 * restricted field (every N minutes, listed hours, weekdays), a lower bound when several interact.
 */
export function cronIntervalSeconds(cron: string): number {
  const every = /^@every\s+(\S+)$/.exec(cron.trim());
  if (every) return Math.max(1, Math.round((parseGoDuration(every[1]) ?? 1000) / 1000));
  const [minutes, hours, days, months, weekdays] = cronSchedule(cron);
  const minGap = (values: number[], period: number) => values.length < 2
    ? period
    : Math.min(...values.slice(1).map((v, i) => v - values[i]), period - values[values.length - 1] + values[0]);
  if (minutes.length > 1) return minGap(minutes, 60) * 60;
  if (hours.length > 1) return minGap(hours, 24) * 3600;
  const allDays = days.length === 31;
  const allWeekdays = weekdays.length === 7;
  if (allDays && allWeekdays) return 86400;
  if (allDays) return minGap(weekdays, 7) * 86400;
  if (allWeekdays) return (days.length > 1 ? minGap(days, 28) : months.length === 1 ? 365 : 28) * 86400;
  return 86400;
}

