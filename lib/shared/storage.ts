import { k8s } from 'cdk8s-plus-27';
import { IConstruct } from 'constructs';
import { QUANTITY_BOUNDS } from './grammar';
import { formatBytesCeil, parseBytes } from './quantities';
import { checkKnownProps, dnsSubdomainProp, fail, integerProp, propKeys, quantityProp } from './validation';

/** Persistent volume of a store, sized from the data it is expected to hold. */
export interface StorageOptions {
  /** Data the store is expected to hold, e.g. '50Gi'; the volume adds the headroom to it. */
  readonly expectedDataSize?: string;
  /** Headroom over the expected data, in percent; the capacity plan asks for 30–50. @default 40 */
  readonly headroomPercent?: number;
  /** Explicit volume size; must hold the expected data plus 30 % at least. @default expectedDataSize × (1 + headroom) */
  readonly size?: string;
  /** StorageClass of the claim. @default the cluster default */
  readonly storageClassName?: string;
  /** Access mode of the claim. @default 'ReadWriteOnce' */
  readonly accessMode?: 'ReadWriteOnce' | 'ReadWriteOncePod';
}

const STORAGE_KEYS = propKeys<StorageOptions>()({ expectedDataSize: true, headroomPercent: true, size: true, storageClassName: true, accessMode: true });

export interface ResolvedStorage {
  readonly size: string;
  readonly storageClassName?: string;
  readonly accessMode: 'ReadWriteOnce' | 'ReadWriteOncePod';
}

/** The smallest headroom the capacity plan allows (30–50 % for storage). */
export const MIN_STORAGE_HEADROOM_PERCENT = 30;

/**
 * Checks a `storage` prop and works out the volume. `defaults` is the expected data size of a store
 * (the volume adds the headroom), or a plain default volume size for components that size their own
 * use (Prometheus sets its retention by the volume; Alertmanager and Grafana keep little).
 */
export function resolveStorage(scope: IConstruct, prop: string, given: StorageOptions | undefined, defaults: string | { readonly size: string }): ResolvedStorage {
  checkKnownProps(scope, prop, given, STORAGE_KEYS, false);
  const s = given ?? {};
  const expectedText = s.expectedDataSize ?? (typeof defaults === 'string' ? defaults : undefined);
  const expected = expectedText === undefined ? undefined : quantityProp(scope, `${prop}.expectedDataSize`, expectedText, 'storage');
  const headroom = integerProp(scope, `${prop}.headroomPercent`, s.headroomPercent, 40, { min: MIN_STORAGE_HEADROOM_PERCENT, max: 400 });
  if (expected === undefined && s.headroomPercent !== undefined) {
    fail(scope, `${prop}.headroomPercent`, s.headroomPercent, `applies to expectedDataSize, which is not set: give expectedDataSize too, or size alone (default ${(defaults as { readonly size: string }).size})`);
  }
  let size = expected === undefined ? (defaults as { readonly size: string }).size : formatBytesCeil(expected * (1 + headroom / 100));
  if (expected !== undefined && s.size === undefined && expected * (1 + headroom / 100) > QUANTITY_BOUNDS.storage.max) {
    fail(scope, `${prop}.expectedDataSize`, expectedText, `with ${headroom} % headroom needs a ${size} volume, above the ${QUANTITY_BOUNDS.storage.max / 2 ** 40}Ti a volume may have: split the data or lower the expectation`);
  }
  if (s.size !== undefined) {
    const explicit = quantityProp(scope, `${prop}.size`, s.size, 'storage');
    const minimum = (expected ?? 0) * (1 + MIN_STORAGE_HEADROOM_PERCENT / 100);
    if (explicit < minimum) {
      fail(scope, `${prop}.size`, s.size, `must hold expectedDataSize (${expectedText}) plus ${MIN_STORAGE_HEADROOM_PERCENT} % headroom: at least ${formatBytesCeil(minimum)}`);
    }
    size = s.size;
  }
  const storageClassName = s.storageClassName !== undefined ? dnsSubdomainProp(scope, `${prop}.storageClassName`, s.storageClassName) : undefined;
  const accessMode = s.accessMode ?? 'ReadWriteOnce';
  if (!['ReadWriteOnce', 'ReadWriteOncePod'].includes(accessMode)) fail(scope, `${prop}.accessMode`, accessMode, "must be 'ReadWriteOnce' or 'ReadWriteOncePod'");
  return { size, storageClassName, accessMode };
}

/**
 * The node disk a pod's disk-backed emptyDirs may fill (their size limits, summed), as an
 * `ephemeral-storage` request: the scheduler then places the pod only where that much is free,
 * instead of letting the kubelet evict it (or its neighbours) under disk pressure. Memory-backed
 * emptyDirs count against memory instead. Undefined when the pod has no disk-backed emptyDir.
 */
export function emptyDirStorageRequest(volumes: readonly k8s.Volume[] | undefined): string | undefined {
  const bytes = (volumes ?? [])
    .filter((v) => v.emptyDir && v.emptyDir.medium !== 'Memory')
    .map((v) => parseBytes(String(v.emptyDir!.sizeLimit?.value ?? '')) ?? 0)
    .reduce((a, b) => a + b, 0);
  if (bytes <= 0) return undefined;
  return bytes % 2 ** 30 === 0 ? `${bytes / 2 ** 30}Gi` : `${Math.ceil(bytes / 2 ** 20)}Mi`;
}

/** The container with its `ephemeral-storage` request set to what the pod's emptyDirs may fill. */
export function withEmptyDirStorageRequest(container: k8s.Container, volumes: readonly k8s.Volume[] | undefined): k8s.Container {
  const request = emptyDirStorageRequest(volumes);
  if (!request) return container;
  return { ...container, resources: { ...container.resources, requests: { ...container.resources?.requests, 'ephemeral-storage': k8s.Quantity.fromString(request) } } };
}
