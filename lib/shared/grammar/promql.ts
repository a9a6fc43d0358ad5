/**
 * Prometheus names (prometheus/common model: MetricNameRE, LabelNameRE) and PromQL label
 * matchers (`name="v"`, `!=`, `=~`, `!~`) as promtool and amtool read them.
 */

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

export function isMetricName(v: unknown): v is string {
  return typeof v === 'string' && METRIC_NAME.test(v);
}

/** A label name; names starting with `__` are reserved for Prometheus' own use. */
export function isLabelName(v: unknown): v is string {
  return typeof v === 'string' && LABEL_NAME.test(v) && !v.startsWith('__');
}

export interface LabelMatcher {
  readonly name: string;
  readonly op: '=' | '!=' | '=~' | '!~';
  readonly value: string;
}

/** One matcher such as `status=~"5.."`, or undefined when it is not one (including an invalid regex). */
export function parseLabelMatcher(v: unknown): LabelMatcher | undefined {
  if (typeof v !== 'string') return undefined;
  const m = /^\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*"((?:[^"\\]|\\.)*)"\s*$/.exec(v);
  if (!m) return undefined;
  const op = m[2] as LabelMatcher['op'];
  let value: string;
  try {
    value = JSON.parse(`"${m[3]}"`);
  } catch {
    return undefined;
  }
  if (op === '=~' || op === '!~') {
    // Prometheus anchors the RE2 regex; lookaround and backreferences are not RE2.
    if (/\(\?[=!<]|\\[1-9]/.test(value)) return undefined;
    try {
      new RegExp(`^(?:${value})$`);
    } catch {
      return undefined;
    }
  }
  return { name: m[1], op, value };
}

/** A comma-separated list of matchers (what goes between the braces of a selector). */
export function parseLabelMatchers(v: unknown): LabelMatcher[] | undefined {
  if (typeof v !== 'string') return undefined;
  const parts = v.match(/(?:[^,"]|"(?:[^"\\]|\\.)*")+/g) ?? [];
  if (parts.join(',') !== v) return undefined;
  const out = parts.map(parseLabelMatcher);
  return out.every((m) => m !== undefined) && out.length > 0 ? out : undefined;
}

export const PROMQL_ACCEPTED = {
  metricName: "must be a Prometheus metric name: letters, digits, '_' and ':', not starting with a digit",
  labelName: "must be a Prometheus label name: letters, digits and '_', not starting with a digit or '__'",
  matchers: 'must be PromQL label matchers such as \'status=~"5.."\' or \'code!="200",method="GET"\'',
} as const;
