import { k8s } from 'cdk8s-plus-27';

/** The non-root identity our workloads run as unless an image needs its own. */
export interface RunAsIdentity {
  /** UID; must not be 0. */
  readonly user: number;
  /** GID; must not be 0. */
  readonly group: number;
  /** fsGroup for mounted volumes. @default group */
  readonly fsGroup?: number;
}

export const DEFAULT_IDENTITY: RunAsIdentity = { user: 10001, group: 10001 };

/** Pod-level securityContext meeting Pod Security "restricted". */
export function restrictedPodSecurityContext(id: RunAsIdentity = DEFAULT_IDENTITY): k8s.PodSecurityContext {
  return {
    runAsNonRoot: true,
    runAsUser: id.user,
    runAsGroup: id.group,
    fsGroup: id.fsGroup ?? id.group,
    fsGroupChangePolicy: 'OnRootMismatch',
    seccompProfile: { type: 'RuntimeDefault' },
  };
}

/** Container-level securityContext meeting Pod Security "restricted", root filesystem read-only. */
export function restrictedContainerSecurityContext(id: RunAsIdentity = DEFAULT_IDENTITY): k8s.SecurityContext {
  return {
    runAsNonRoot: true,
    runAsUser: id.user,
    runAsGroup: id.group,
    allowPrivilegeEscalation: false,
    privileged: false,
    readOnlyRootFilesystem: true,
    capabilities: { drop: ['ALL'] },
    seccompProfile: { type: 'RuntimeDefault' },
  };
}

/** A memory-backed-or-disk emptyDir with a size limit, for the writable paths of a read-only image. */
export function scratchVolume(name: string, sizeLimit = '256Mi'): k8s.Volume {
  return { name, emptyDir: { sizeLimit: k8s.Quantity.fromString(sizeLimit) } };
}
