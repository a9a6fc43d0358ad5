import { IConstruct } from 'constructs';

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
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
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

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** A Kubernetes object name that is also usable as a Service name (RFC 1123 label). */
export function dnsLabelProp(scope: IConstruct, prop: string, value: string, maxLength = 63): string {
  if (typeof value !== 'string' || value.length > maxLength || !DNS_LABEL.test(value)) {
    fail(scope, prop, value, `must be a DNS-1123 label: lower-case letters, digits and '-', starting and ending with an alphanumeric, at most ${maxLength} characters`);
  }
  return value;
}

/** A DNS-1123 subdomain (Secret, ConfigMap, StorageClass, PriorityClass names). */
export function dnsSubdomainProp(scope: IConstruct, prop: string, value: string): string {
  if (typeof value !== 'string' || value.length > 253 || !DNS_SUBDOMAIN.test(value)) {
    fail(scope, prop, value, "must be a DNS-1123 subdomain: lower-case letters, digits, '-' and '.', at most 253 characters");
  }
  return value;
}

/** A host name for an Ingress rule: a DNS subdomain with at least one dot, optionally a leading wildcard. */
export function hostProp(scope: IConstruct, prop: string, value: string): string {
  const bare = typeof value === 'string' ? value.replace(/^\*\./, '') : value;
  if (typeof bare !== 'string' || !DNS_SUBDOMAIN.test(bare) || !bare.includes('.') || value.length > 253) {
    fail(scope, prop, value, "must be a fully qualified lower-case host name such as 'api.media-ai.com' (optionally '*.' in front)");
  }
  return value;
}

/** An HTTP path for probes and scrapes. */
export function httpPathProp(scope: IConstruct, prop: string, value: string): string {
  if (typeof value !== 'string' || !/^\/[^\s?#]*$/.test(value)) {
    fail(scope, prop, value, "must be an absolute HTTP path starting with '/' without spaces, query or fragment");
  }
  return value;
}

/** A Prometheus/Kubernetes duration such as 30s, 5m, 1h. */
export function durationProp(scope: IConstruct, prop: string, value: string): string {
  if (typeof value !== 'string' || !/^([0-9]+(ms|s|m|h|d|w|y))+$/.test(value)) {
    fail(scope, prop, value, "must be a duration such as '30s', '5m' or '1h'");
  }
  return value;
}

/** A standard 5-field cron expression (what Kubernetes CronJobs accept), or a @-macro. */
export function cronProp(scope: IConstruct, prop: string, value: string): string {
  const field = '(\\*|[0-9]+(-[0-9]+)?)(/[0-9]+)?(,(\\*|[0-9]+(-[0-9]+)?)(/[0-9]+)?)*';
  const named = '([0-9A-Za-z*,/-]+)';
  const cron = new RegExp(`^${field} ${field} ${field} (${field}|${named}) (${field}|${named})$`);
  const macro = /^@(yearly|annually|monthly|weekly|daily|midnight|hourly)$/;
  if (typeof value !== 'string' || !(cron.test(value.trim()) || macro.test(value))) {
    fail(scope, prop, value, "must be a 5-field cron expression such as '0 2 * * *' or a macro such as '@daily'");
  }
  return value;
}

/**
 * The shortest time between two runs of a 5-field cron schedule, in seconds (an estimate that is
 * exact for the usual forms: every N minutes, hourly at listed minutes, daily, weekly).
 */
export function cronIntervalSeconds(cron: string): number {
  const macros: Record<string, number> = { '@hourly': 3600, '@daily': 86400, '@midnight': 86400, '@weekly': 604800, '@monthly': 2419200, '@yearly': 31536000, '@annually': 31536000 };
  if (macros[cron] !== undefined) return macros[cron];
  const [minute, hour, dom, , dow] = cron.trim().split(/\s+/);
  const spacing = (field: string, range: number): number | undefined => {
    if (field === '*') return 1;
    const step = /^\*\/([0-9]+)$/.exec(field);
    if (step) return Number(step[1]);
    const values = field.split(',').flatMap((part) => {
      const r = /^([0-9]+)-([0-9]+)(?:\/([0-9]+))?$/.exec(part);
      if (!r) return [Number(part)];
      const out: number[] = [];
      for (let v = Number(r[1]); v <= Number(r[2]); v += Number(r[3] ?? 1)) out.push(v);
      return out;
    }).filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
    if (values.length < 2) return undefined;
    const gaps = values.slice(1).map((v, i) => v - values[i]);
    return Math.min(...gaps, range - values[values.length - 1] + values[0]);
  };
  const m = spacing(minute, 60);
  if (m !== undefined) return m * 60;
  const h = spacing(hour, 24);
  if (h !== undefined) return h * 3600;
  if (dom === '*' && dow === '*') return 86400;
  if (dom === '*') return /[,*-]/.test(dow) ? 86400 : 604800;
  return 2419200;
}

/** An IPv4 CIDR such as '10.0.0.0/8' (what a NetworkPolicy ipBlock accepts). */
export function cidrProp(scope: IConstruct, prop: string, value: string): string {
  const m = typeof value === 'string' ? /^([0-9]{1,3})\.([0-9]{1,3})\.([0-9]{1,3})\.([0-9]{1,3})\/([0-9]{1,2})$/.exec(value) : null;
  if (!m || m.slice(1, 5).some((o) => Number(o) > 255) || Number(m[5]) > 32) {
    fail(scope, prop, value, "must be an IPv4 CIDR such as '10.0.0.0/8'");
  }
  return value;
}
