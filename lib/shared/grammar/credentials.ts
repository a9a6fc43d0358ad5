/**
 * Recognises credentials by their value, not only by the name they are stored under: token
 * formats with a known shape, passwords in URLs, libpq strings and command-line flags, and
 * high-entropy strings in credential-like positions.
 */

/** Names that say "this holds a credential". */
export const CREDENTIAL_NAME = /PASSWORD|PASSWD|PASSPHRASE|(^|_)PASS($|_)|(^|_)PWD($|_)|SECRET|TOKEN|KEY|CREDENTIAL|PRIVATE|(^|_)AUTH($|_)|(^|_)S3_ID($|_)|ACCESS_ID/i;

interface Detector { readonly kind: string; readonly test: (v: string) => boolean }

// scheme://user:password@host, unless the password is a $(VAR) expansion of another (Secret-backed) variable.
const URL_PASSWORD = /[a-z][a-z0-9+.-]*:\/\/[^/\s:@]*:([^@\s]+)@/i;
const EXPANSION = /^\$\([A-Za-z_][A-Za-z0-9_]*\)$/;

const DETECTORS: readonly Detector[] = [
  { kind: 'a PEM private key', test: (v) => /-----BEGIN ([A-Z0-9]+ )*PRIVATE KEY( BLOCK)?-----/.test(v) },
  { kind: 'an AWS access key id', test: (v) => /(^|[^A-Z0-9])(AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA)[A-Z0-9]{16}($|[^A-Z0-9])/.test(v) },
  { kind: 'a JSON Web Token', test: (v) => /eyJ[A-Za-z0-9_-]{5,}\.eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]+/.test(v) },
  { kind: 'a GitHub token', test: (v) => /\bgh[pousr]_[A-Za-z0-9]{36,}\b/.test(v) },
  { kind: 'a Slack token', test: (v) => /\bxox[abposr]-[A-Za-z0-9-]{10,}/.test(v) },
  { kind: 'a Google API key', test: (v) => /\bAIza[0-9A-Za-z_-]{35}\b/.test(v) },
  { kind: 'an API secret key', test: (v) => /\b(sk|rk)_(live|test)_[A-Za-z0-9]{16,}\b|\bsk-[A-Za-z0-9_-]{20,}\b/.test(v) },
  { kind: 'a password in a URL', test: (v) => { const m = URL_PASSWORD.exec(v); return m !== null && !EXPANSION.test(m[1]); } },
  { kind: 'a password in a connection string', test: (v) => /(^|[\s;])(password|pwd)\s*=\s*(?!\$\()[^\s;'"]+/i.test(v) || /(^|[\s;])(password|pwd)\s*=\s*'[^']+'/i.test(v) },
  // A flag that names a credential and carries its value, but not one that points at a file or variable holding it.
  { kind: 'a password flag', test: (v) => /^--?[a-z0-9-]*(password|passwd|secret|token|api-key|apikey)[a-z0-9-]*=(?!\$\().+/i.test(v) && !/^--?[a-z0-9-]*[-_](file|path|env|name|ref)=/i.test(v) },
];

/** Shannon entropy of a string in bits per character. */
export function entropyBitsPerChar(v: string): number {
  const counts = new Map<string, number>();
  for (const c of v) counts.set(c, (counts.get(c) ?? 0) + 1);
  let h = 0;
  for (const n of counts.values()) h -= (n / v.length) * Math.log2(n / v.length);
  return h;
}

/** A random-looking token: long, no spaces, several character classes, high entropy. */
export function looksRandom(v: string): boolean {
  if (v.length < 16 || /\s/.test(v) || /\$\([A-Za-z_]/.test(v)) return false;
  if (/^[a-z]+:\/\//i.test(v) || /^\/|^[a-z0-9.-]+\.[a-z]{2,}(:[0-9]+)?$/i.test(v)) return false; // URLs, paths, hosts
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((r) => r.test(v)).length;
  return classes >= 3 && entropyBitsPerChar(v) >= 3.5;
}

/**
 * What kind of credential a value looks like, or undefined. `name` (an env var or config key)
 * makes high-entropy values count as credentials too.
 */
export function detectCredential(value: string, name?: string): string | undefined {
  const found = DETECTORS.find((d) => d.test(value));
  if (found) return found.kind;
  if (name !== undefined && /ID|KEY|PASS|PWD|SECRET|TOKEN|AUTH|CRED|SIGNATURE|SALT/i.test(name) && looksRandom(value)) {
    return 'a high-entropy secret';
  }
  return undefined;
}

/** A `--password value` pair in an args list: the flag names a credential and the next item is a literal. */
export function credentialArgIndex(args: readonly string[]): number | undefined {
  for (let i = 0; i < args.length; i++) {
    if (typeof args[i] !== 'string') continue;
    if (detectCredential(args[i]) !== undefined) return i;
    if (/^--?[a-z0-9-]*(password|passwd|secret|token)$/i.test(args[i]) && i + 1 < args.length && !EXPANSION.test(args[i + 1])) return i + 1;
  }
  return undefined;
}
