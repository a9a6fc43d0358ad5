/**
 * Network grammars: hosts (RFC 1123 names, wildcards only where the field allows them, as
 * apimachinery's IsWildcardDNS1123Subdomain), ports, HTTP paths and URLs, CIDRs.
 */
import { isDns1123Subdomain } from './names';

/** A fully qualified host: a DNS-1123 subdomain with at least two labels; `*.` in front when wildcards are allowed. */
export function isHost(v: unknown, opts: { wildcard?: boolean } = {}): v is string {
  if (typeof v !== 'string') return false;
  const bare = opts.wildcard && v.startsWith('*.') ? v.slice(2) : v;
  if (!isDns1123Subdomain(bare) || !bare.includes('.')) return false;
  return bare.split('.').every((label) => label.length <= 63) && !/^[0-9.]+$/.test(bare);
}

export function isWildcardHost(v: string): boolean {
  return v.startsWith('*.');
}

export function isPort(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= 65535;
}

/** An absolute HTTP path: '/', then RFC 3986 path characters (no spaces, query or fragment). */
export function isHttpPath(v: unknown): v is string {
  return typeof v === 'string' && /^\/(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/]|%[0-9A-Fa-f]{2})*$/.test(v);
}

export interface ParsedUrl {
  readonly scheme: string;
  readonly host: string;
  readonly port?: number;
  readonly path: string;
  readonly hasCredentials: boolean;
}

/** An http(s) URL with a host name or IP, optional port and path, or undefined. */
export function parseHttpUrl(v: unknown): ParsedUrl | undefined {
  if (typeof v !== 'string') return undefined;
  const m = /^(https?):\/\/(?:([^@/\s]*)@)?([^:/\s?#]+)(?::([0-9]{1,5}))?(\/[^\s#]*)?$/.exec(v);
  if (!m) return undefined;
  const host = m[3];
  const port = m[4] !== undefined ? Number(m[4]) : undefined;
  if (!(isDns1123Subdomain(host) || isIPv4(host)) || (port !== undefined && !isPort(port))) return undefined;
  return { scheme: m[1], host, port, path: m[5] ?? '', hasCredentials: m[2] !== undefined };
}

export function isIPv4(v: string): boolean {
  const parts = v.split('.');
  return parts.length === 4 && parts.every((p) => /^(0|[1-9][0-9]{0,2})$/.test(p) && Number(p) <= 255);
}

export function isIPv6(v: string): boolean {
  if (!/^[0-9a-fA-F:.]+$/.test(v) || v.includes(':::') || (v.match(/::/g) ?? []).length > 1) return false;
  let groups = v.split(':');
  if (v.includes('.')) {
    if (!isIPv4(groups[groups.length - 1])) return false;
    groups = [...groups.slice(0, -1), '0', '0'];
  }
  const compressed = v.includes('::');
  const nonEmpty = groups.filter((g, i) => g !== '' || (!compressed && (i === 0 || i === groups.length - 1)));
  if (!nonEmpty.every((g) => /^[0-9a-fA-F]{1,4}$/.test(g))) return false;
  return compressed ? nonEmpty.length < 8 : groups.length === 8;
}

/** A CIDR as NetworkPolicy ipBlock takes it: an IPv4 or IPv6 address and a prefix length, no host bits set. */
export function cidrError(v: unknown): string | undefined {
  if (typeof v !== 'string') return 'is not a string';
  const m = /^([^/]+)\/([0-9]{1,3})$/.exec(v);
  if (!m) return "must be an address and a prefix length such as '10.0.0.0/8'";
  const prefix = Number(m[2]);
  if (isIPv4(m[1])) {
    if (prefix > 32) return 'has an IPv4 prefix length above 32';
    const n = m[1].split('.').reduce((acc, p) => acc * 256 + Number(p), 0);
    const hostBits = 2 ** (32 - prefix);
    if (n % hostBits !== 0) return 'has host bits set after the prefix (use the network address)';
    return undefined;
  }
  if (isIPv6(m[1])) return prefix > 128 ? 'has an IPv6 prefix length above 128' : undefined;
  return "must be an address and a prefix length such as '10.0.0.0/8'";
}

export const NETWORK_ACCEPTED = {
  host: "must be a fully qualified lower-case host name such as 'api.media-ai.com'",
  wildcardHost: "must be a fully qualified lower-case host name such as 'api.media-ai.com' (optionally '*.' in front)",
  httpPath: "must be an absolute HTTP path starting with '/' without spaces, query or fragment",
  httpUrl: "must be an http(s) URL such as 'https://s3.example.com' with a lower-case host",
} as const;
