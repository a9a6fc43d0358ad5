/**
 * Durations as the programs that read them parse them: Go's time.ParseDuration (Kubernetes,
 * Alertmanager `group_wait`, exporters) and Prometheus' model.ParseDuration (scrape intervals,
 * retention, rule `for:`). Both return milliseconds, or undefined when the text is not one.
 */

const GO_UNITS: Record<string, number> = { 'ns': 1e-6, 'us': 1e-3, 'µs': 1e-3, 'μs': 1e-3, 'ms': 1, 's': 1000, 'm': 60000, 'h': 3600000 };

/** time.ParseDuration: `[-+]?([0-9]*(\.[0-9]*)?[a-z]+)+`, units ns us µs ms s m h; "0" alone is allowed. */
export function parseGoDuration(value: unknown): number | undefined {
  if (typeof value !== 'string' || value === '') return undefined;
  let s = value;
  let sign = 1;
  if (s[0] === '-' || s[0] === '+') {
    sign = s[0] === '-' ? -1 : 1;
    s = s.slice(1);
  }
  if (s === '0') return 0;
  if (s === '') return undefined;
  let total = 0;
  const part = /^([0-9]*(?:\.[0-9]*)?)(ns|us|µs|μs|ms|s|m|h)/;
  while (s.length > 0) {
    const m = part.exec(s);
    if (!m || m[1] === '' || m[1] === '.') return undefined;
    total += Number(m[1]) * GO_UNITS[m[2]];
    s = s.slice(m[0].length);
  }
  return sign * total;
}

const PROM_DURATION = /^(?:([0-9]+)y)?(?:([0-9]+)w)?(?:([0-9]+)d)?(?:([0-9]+)h)?(?:([0-9]+)m)?(?:([0-9]+)s)?(?:([0-9]+)ms)?$/;
const PROM_UNITS_MS = [365 * 86400000, 7 * 86400000, 86400000, 3600000, 60000, 1000, 1];

/** model.ParseDuration: integer amounts of y w d h m s ms, each at most once, in that order; "0" alone is allowed. */
export function parsePromDuration(value: unknown): number | undefined {
  if (typeof value !== 'string' || value === '') return undefined;
  if (value === '0') return 0;
  const m = PROM_DURATION.exec(value);
  if (!m) return undefined;
  return m.slice(1).reduce((ms, amount, i) => ms + (amount ? Number(amount) * PROM_UNITS_MS[i] : 0), 0);
}

export const DURATION_ACCEPTED = {
  prometheus: "must be a duration such as '30s', '1h30m' or '15d' (Prometheus grammar: integer amounts of y, w, d, h, m, s, ms, each once, in that order)",
  go: "must be a duration such as '30s', '1m30s' or '1.5h' (Go grammar: units ns, us, ms, s, m, h)",
} as const;
