/** Kubernetes label selectors: matchLabels and matchExpressions (In, NotIn, Exists, DoesNotExist). */
export interface LabelSelector {
  readonly matchLabels?: Record<string, string>;
  readonly matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

/** `undefined` selects nothing here; callers decide what an absent selector means for their kind. */
export function matches(selector: LabelSelector | undefined, labels: Record<string, string> = {}): boolean {
  if (!selector) return false;
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) if (labels[k] !== v) return false;
  for (const e of selector.matchExpressions ?? []) {
    const has = Object.prototype.hasOwnProperty.call(labels, e.key);
    switch (e.operator) {
      case 'In': if (!has || !(e.values ?? []).includes(labels[e.key])) return false; break;
      case 'NotIn': if (has && (e.values ?? []).includes(labels[e.key])) return false; break;
      case 'Exists': if (!has) return false; break;
      case 'DoesNotExist': if (has) return false; break;
      default: throw new Error(`unknown selector operator ${e.operator}`);
    }
  }
  return true;
}

/** A Service's `spec.selector` (a plain map); an empty or absent one selects no pods (manual Endpoints). */
export function matchesMap(selector: Record<string, string> | undefined, labels: Record<string, string> = {}): boolean {
  if (!selector || Object.keys(selector).length === 0) return false;
  return matches({ matchLabels: selector }, labels);
}

/** Namespace selection as the Prometheus Operator reads it: `any`, `matchNames`, else the object's own namespace. */
export function selectsNamespace(sel: { any?: boolean; matchNames?: string[] } | undefined, own: string, ns: string): boolean {
  if (sel?.any) return true;
  if (sel?.matchNames && sel.matchNames.length > 0) return sel.matchNames.includes(ns);
  return ns === own;
}

/** IPv4 CIDR containment. */
export function inCidr(ip: string, cidr: string): boolean {
  const [base, bitsText] = cidr.split('/');
  if (base.includes(':') || ip.includes(':')) return false;
  const bits = Number(bitsText ?? 32);
  const toInt = (a: string) => a.split('.').reduce((n, p) => (n << 8) + Number(p), 0) >>> 0;
  const mask = bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0;
  return (toInt(ip) & mask) === (toInt(base) & mask);
}
