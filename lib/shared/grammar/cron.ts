/**
 * Cron schedules as a Kubernetes CronJob reads them: robfig/cron v3 `ParseStandard`, five fields
 * (minute 0-59, hour 0-23, day of month 1-31, month 1-12 or jan-dec, day of week 0-6 or sun-sat),
 * each a list of `*`, `?`, `n`, `a-b`, with an optional `/step`, or a descriptor (`@daily`, `@every 1h`).
 * `TZ=` prefixes are refused by the API server since 1.27: use the CronJob `timeZone` field.
 */
import { parseGoDuration } from './duration';

interface FieldSpec { readonly name: string; readonly min: number; readonly max: number; readonly names?: readonly string[] }

export const CRON_FIELDS: readonly FieldSpec[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'] },
  { name: 'day of week', min: 0, max: 6, names: ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] },
];

export const CRON_DESCRIPTORS: Record<string, string> = {
  '@yearly': '0 0 1 1 *', '@annually': '0 0 1 1 *', '@monthly': '0 0 1 * *', '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *', '@midnight': '0 0 * * *', '@hourly': '0 * * * *',
};

/** The values a field matches, or a reason why it is not valid. */
export function cronFieldValues(text: string, spec: FieldSpec): number[] | string {
  const values = new Set<number>();
  const number = (t: string): number | undefined => {
    if (/^[0-9]+$/.test(t)) return Number(t);
    const i = spec.names?.indexOf(t.toLowerCase()) ?? -1;
    return i >= 0 ? i + (spec.name === 'month' ? 1 : 0) : undefined;
  };
  for (const item of text.split(',')) {
    const [range, stepText, extra] = item.split('/');
    if (extra !== undefined) return `${spec.name} '${item}' has more than one '/'`;
    let step = 1;
    if (stepText !== undefined) {
      if (!/^[0-9]+$/.test(stepText) || Number(stepText) === 0) return `${spec.name} step '${stepText}' must be a positive integer`;
      step = Number(stepText);
    }
    let lo: number | undefined;
    let hi: number | undefined;
    if (range === '*' || range === '?') {
      [lo, hi] = [spec.min, spec.max];
    } else {
      const bounds = range.split('-');
      if (bounds.length > 2) return `${spec.name} '${range}' is not a value or a range a-b`;
      lo = number(bounds[0]);
      hi = bounds.length === 2 ? number(bounds[1]) : stepText !== undefined ? spec.max : lo;
      if (lo === undefined || hi === undefined) return `${spec.name} '${range}' is not a number${spec.names ? ' or a name' : ''}`;
      if (lo < spec.min || hi > spec.max) return `${spec.name} ${range} is outside ${spec.min}-${spec.max}`;
      if (lo > hi) return `${spec.name} range ${range} runs backwards`;
    }
    for (let v = lo; v <= hi; v += step) values.add(v);
  }
  return [...values].sort((a, b) => a - b);
}

/** Why a schedule is not valid for a CronJob, or undefined when it is. */
export function cronError(value: unknown): string | undefined {
  if (typeof value !== 'string') return 'is not a string';
  const s = value.trim();
  if (/^(CRON_)?TZ=/.test(s)) return "must not carry TZ=: set the CronJob's timeZone instead";
  if (s.startsWith('@')) {
    if (CRON_DESCRIPTORS[s]) return undefined;
    const every = /^@every\s+(\S+)$/.exec(s);
    if (every) return (parseGoDuration(every[1]) ?? 0) > 0 ? undefined : `@every needs a positive Go duration, not '${every[1]}'`;
    return `unknown descriptor ${s}`;
  }
  const fields = s.split(/\s+/);
  if (fields.length !== 5) return `has ${fields.length} fields, a CronJob takes 5 (minute hour day-of-month month day-of-week)`;
  for (let i = 0; i < 5; i++) {
    const r = cronFieldValues(fields[i], CRON_FIELDS[i]);
    if (typeof r === 'string') return r;
  }
  return undefined;
}

/** The expanded schedule: the minutes, hours, … each field matches (for valid schedules only). */
export function cronSchedule(value: string): number[][] {
  const s = value.trim();
  const fields = (CRON_DESCRIPTORS[s] ?? s).split(/\s+/);
  return fields.map((f, i) => cronFieldValues(f, CRON_FIELDS[i]) as number[]);
}

/** A CronJob `timeZone`: an IANA time zone name the runtime knows (what the controller loads). */
export function isTimeZone(value: unknown): value is string {
  if (typeof value !== 'string' || !/^[A-Za-z_]+(\/[A-Za-z0-9_+-]+)*$|^UTC$/.test(value)) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}
