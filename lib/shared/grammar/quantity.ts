/**
 * The Kubernetes resource quantity grammar (k8s.io/apimachinery/pkg/api/resource):
 *
 *   <quantity> ::= <signedNumber><suffix>
 *   <number>   ::= <digits> | <digits>.<digits> | <digits>. | .<digits>
 *   <suffix>   ::= <binarySI> | <decimalExponent> | <decimalSI>
 *   binarySI: Ki Mi Gi Ti Pi Ei; decimalSI: n u m "" k M G T P E; decimalExponent: e|E <signed digits>
 */

const QUANTITY = /^([+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+))(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?[0-9]+)?$/;

const MULTIPLIER: Record<string, number> = {
  'Ki': 2 ** 10, 'Mi': 2 ** 20, 'Gi': 2 ** 30, 'Ti': 2 ** 40, 'Pi': 2 ** 50, 'Ei': 2 ** 60,
  'n': 1e-9, 'u': 1e-6, 'm': 1e-3, '': 1, 'k': 1e3, 'M': 1e6, 'G': 1e9, 'T': 1e12, 'P': 1e15, 'E': 1e18,
};

/** The value of a quantity as a number (base units: bytes, cores), or undefined when it is not one. */
export function parseQuantity(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const m = QUANTITY.exec(value);
  if (!m) return undefined;
  const suffix = m[2] ?? '';
  const n = Number(m[1]);
  const result = /^[eE][+-]?[0-9]/.test(suffix) ? n * 10 ** Number(suffix.slice(1)) : n * MULTIPLIER[suffix];
  return Number.isFinite(result) ? result : undefined;
}

/** Bounds for one use of a quantity (what is sane for a memory limit, a volume, a CPU request). */
export interface QuantityBounds {
  /** Smallest value accepted (inclusive), in base units. */
  readonly min: number;
  /** Largest value accepted (inclusive), in base units. */
  readonly max: number;
  /** Only whole base units (bytes). */
  readonly integer?: boolean;
}

export const KiB = 2 ** 10;
export const MiB = 2 ** 20;
export const GiB = 2 ** 30;
export const TiB = 2 ** 40;

/** The usual bounds per use. */
export const QUANTITY_BOUNDS = {
  /** A container's memory: 4 MiB (below that no runtime starts) to 1 TiB; whole bytes. */
  memory: { min: 4 * MiB, max: TiB, integer: true },
  /** A persistent volume: 1 MiB to 64 TiB (the largest block volumes clouds offer). */
  storage: { min: MiB, max: 64 * TiB, integer: true },
  /** CPU: one millicore (the API server's precision) to 256 cores. */
  cpu: { min: 0.001, max: 256 },
  /** An emptyDir size limit: 1 MiB to 1 TiB. */
  scratch: { min: MiB, max: TiB, integer: true },
} as const;

/** Why a quantity falls outside its bounds, or undefined when it fits. */
export function quantityOutOfBounds(value: number, bounds: QuantityBounds): string | undefined {
  if (bounds.integer && !Number.isInteger(value)) return 'must be a whole number of bytes';
  if (value < bounds.min || value > bounds.max) return `must be between ${formatQuantity(bounds.min)} and ${formatQuantity(bounds.max)}`;
  return undefined;
}

/** A readable form for messages: 4Mi, 1Ti, 500m. */
export function formatQuantity(v: number): string {
  for (const [unit, m] of [['Ti', TiB], ['Gi', GiB], ['Mi', MiB], ['Ki', KiB]] as const) {
    if (v >= m && Number.isInteger(v / m)) return `${v / m}${unit}`;
  }
  return v < 1 ? `${Math.round(v * 1000)}m` : String(v);
}

/**
 * A Redis byte count (maxmemory): redis.conf takes whole bytes only, and 0 means "no limit", so
 * the quantity must be a positive whole number of bytes.
 */
export function redisBytes(value: unknown): number | undefined {
  const bytes = parseQuantity(value);
  return bytes !== undefined && Number.isInteger(bytes) && bytes > 0 ? bytes : undefined;
}
