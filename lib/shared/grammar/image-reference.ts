/**
 * Container image references, by the grammar of distribution/reference (what the kubelet and
 * every registry client parse):
 *
 *   reference := name [ ":" tag ] [ "@" digest ]
 *   name      := [domain '/'] path-component ['/' path-component]*   (at most 255 characters)
 *   domain    := domain-component ['.' domain-component]* [':' port] | '[' IPv6 ']' [':' port]
 *   path-component := [a-z0-9]+ (separator [a-z0-9]+)*, separator := [_.] | __ | [-]+
 *   tag       := [\w][\w.-]{0,127}
 *   digest    := algorithm ':' hex  (sha256, sha384 or sha512, lower-case hex of their length)
 */

const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const DOMAIN = `(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[0-9a-fA-F:]+\\])(?::[0-9]+)?`;
const PATH_COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const REFERENCE = new RegExp(
  `^((?:${DOMAIN}/)?${PATH_COMPONENT}(?:/${PATH_COMPONENT})*)(?::([\\w][\\w.-]{0,127}))?(?:@([A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}))?$`,
);

export interface ImageReference {
  readonly repository: string;
  readonly tag?: string;
  readonly digest?: string;
}

/** Parses a reference, or returns undefined when it breaks the grammar. */
export function parseImageReference(value: unknown): ImageReference | undefined {
  if (typeof value !== 'string') return undefined;
  const m = REFERENCE.exec(value);
  if (!m || m[1].length > 255) return undefined;
  // The first component is a registry only when it looks like one; otherwise upper case is not allowed.
  const first = m[1].split('/')[0];
  const hasDomain = m[1].includes('/') && (/[.:]/.test(first) || first === 'localhost' || /[A-Z]/.test(first) || first.startsWith('['));
  if (!hasDomain && /[A-Z]/.test(m[1])) return undefined;
  // The registered digest algorithms (opencontainers/go-digest); anything else is refused by registries.
  if (m[3] && !/^(sha256:[a-f0-9]{64}|sha384:[a-f0-9]{96}|sha512:[a-f0-9]{128})$/.test(m[3])) return undefined;
  return { repository: m[1], tag: m[2], digest: m[3] };
}

/** Pinned: a digest, or a tag other than `latest` (which moves). */
export function isPinned(ref: ImageReference): boolean {
  return ref.digest !== undefined || (ref.tag !== undefined && ref.tag !== 'latest');
}
