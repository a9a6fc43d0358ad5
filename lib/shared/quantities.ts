/** Parses Kubernetes quantities, so props can be compared (limit ≥ request, maxmemory ≤ limit). */

const BINARY: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
const DECIMAL: Record<string, number> = { '': 1, 'k': 1e3, 'M': 1e6, 'G': 1e9, 'T': 1e12, 'P': 1e15, 'E': 1e18, 'm': 1e-3 };

/** Bytes of a memory/storage quantity ("512Mi", "1G", "1073741824"), or undefined when malformed. */
export function parseBytes(value: string): number | undefined {
  const m = /^([0-9]+(?:\.[0-9]+)?)(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$/.exec(String(value));
  if (!m) return undefined;
  const unit = m[2] ?? '';
  return Number(m[1]) * (BINARY[unit] ?? DECIMAL[unit]);
}

/** Millicores of a CPU quantity ("500m", "2", "0.5"), or undefined when malformed. */
export function parseMillicores(value: string): number | undefined {
  const m = /^([0-9]+(?:\.[0-9]+)?)(m)?$/.exec(String(value));
  if (!m) return undefined;
  return m[2] ? Number(m[1]) : Number(m[1]) * 1000;
}

/** A byte count as the largest whole binary unit (Mi or Gi), rounding up: storage is never undersized. */
export function formatBytesCeil(bytes: number): string {
  const gi = bytes / BINARY.Gi;
  if (gi >= 1) return `${Math.ceil(gi)}Gi`;
  return `${Math.ceil(bytes / BINARY.Mi)}Mi`;
}
