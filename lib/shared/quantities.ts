/** Parses Kubernetes quantities, so props can be compared (limit ≥ request, maxmemory ≤ limit). */
import { parseQuantity } from './grammar';

const BINARY: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };

/** Bytes of a memory/storage quantity ("512Mi", "1G", "1073741824"), or undefined when malformed. */
export function parseBytes(value: string): number | undefined {
  const bytes = parseQuantity(value);
  return bytes !== undefined && bytes >= 0 ? bytes : undefined;
}

/** Millicores of a CPU quantity ("500m", "2", "0.5"), or undefined when malformed. */
export function parseMillicores(value: string): number | undefined {
  const cores = parseQuantity(value);
  return cores !== undefined && cores >= 0 ? cores * 1000 : undefined;
}

/** A byte count as the largest whole binary unit (Mi or Gi), rounding up: storage is never undersized. */
export function formatBytesCeil(bytes: number): string {
  const gi = bytes / BINARY.Gi;
  if (gi >= 1) return `${Math.ceil(gi)}Gi`;
  return `${Math.ceil(bytes / BINARY.Mi)}Mi`;
}
