/**
 * Pod Security Standards v1.27 (baseline and restricted), checked for every pod the cluster will
 * run, including the containers operators add, against its namespace's
 * `pod-security.kubernetes.io/enforce` label. Follows k8s.io/pod-security-admission policy/*.go.
 */
import { allContainers, Cluster, PodModel } from './model';
import { Finding, PodSecurityLevel } from './types';

const BASELINE_CAPS = new Set(['AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE', 'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT']);
const SAFE_SYSCTLS = new Set(['kernel.shm_rmid_forced', 'net.ipv4.ip_local_port_range', 'net.ipv4.ip_unprivileged_port_start', 'net.ipv4.tcp_syncookies', 'net.ipv4.ping_group_range', 'net.ipv4.ip_local_reserved_ports', 'net.ipv4.tcp_keepalive_time', 'net.ipv4.tcp_fin_timeout', 'net.ipv4.tcp_keepalive_intvl', 'net.ipv4.tcp_keepalive_probes']);
const RESTRICTED_VOLUMES = ['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret'];
const SELINUX_TYPES = new Set(['', 'container_t', 'container_init_t', 'container_kvm_t']);

/** Violations of one level (baseline checks are part of restricted). */
export function podSecurityViolations(spec: any, level: PodSecurityLevel, annotations: Record<string, string> = {}): string[] {
  if (level === 'privileged') return [];
  const v: string[] = [];
  const psc = spec.securityContext ?? {};
  const containers = allContainers(spec);
  const each = (test: (c: any) => boolean, what: string) => {
    const bad = containers.filter(test).map((c) => c.name);
    if (bad.length) v.push(`${what} (containers ${bad.join(', ')})`);
  };
  // baseline
  for (const f of ['hostNetwork', 'hostPID', 'hostIPC']) if (spec[f] === true) v.push(`${f}: true`);
  if (psc.windowsOptions?.hostProcess || containers.some((c) => c.securityContext?.windowsOptions?.hostProcess)) v.push('hostProcess');
  each((c) => c.securityContext?.privileged === true, 'privileged: true');
  each((c) => (c.securityContext?.capabilities?.add ?? []).some((x: string) => !BASELINE_CAPS.has(x)), 'capabilities.add beyond the baseline set');
  const hostPaths = (spec.volumes ?? []).filter((x: any) => x.hostPath).map((x: any) => x.name);
  if (hostPaths.length) v.push(`hostPath volumes (${hostPaths.join(', ')})`);
  each((c) => (c.ports ?? []).some((p: any) => p.hostPort && p.hostPort !== 0), 'hostPort');
  for (const [k, val] of Object.entries(annotations)) {
    if (k.startsWith('container.apparmor.security.beta.kubernetes.io/') && val !== 'runtime/default' && !val.startsWith('localhost/')) v.push(`AppArmor ${val}`);
  }
  const seLinuxBad = (o: any) => o && (!SELINUX_TYPES.has(o.type ?? '') || o.user || o.role);
  if (seLinuxBad(psc.seLinuxOptions)) v.push('seLinuxOptions');
  each((c) => seLinuxBad(c.securityContext?.seLinuxOptions), 'seLinuxOptions');
  each((c) => c.securityContext?.procMount && c.securityContext.procMount !== 'Default', 'procMount');
  if (psc.seccompProfile?.type === 'Unconfined') v.push('pod seccompProfile Unconfined');
  each((c) => c.securityContext?.seccompProfile?.type === 'Unconfined', 'seccompProfile Unconfined');
  const sysctls = (psc.sysctls ?? []).filter((s: any) => !SAFE_SYSCTLS.has(s.name)).map((s: any) => s.name);
  if (sysctls.length) v.push(`unsafe sysctls ${sysctls.join(', ')}`);
  if (level === 'baseline') return v;
  // restricted
  const vols = (spec.volumes ?? []).filter((x: any) => !RESTRICTED_VOLUMES.some((t) => x[t] !== undefined)).map((x: any) => x.name);
  if (vols.length) v.push(`volume types not allowed (${vols.join(', ')})`);
  each((c) => c.securityContext?.allowPrivilegeEscalation !== false, 'allowPrivilegeEscalation != false');
  each((c) => c.securityContext?.runAsNonRoot === false || (c.securityContext?.runAsNonRoot !== true && psc.runAsNonRoot !== true), 'runAsNonRoot != true');
  if (psc.runAsUser === 0) v.push('pod runAsUser: 0');
  each((c) => c.securityContext?.runAsUser === 0, 'runAsUser: 0');
  const okSeccomp = (t?: string) => t === 'RuntimeDefault' || t === 'Localhost';
  each((c) => !okSeccomp(c.securityContext?.seccompProfile?.type) && !(okSeccomp(psc.seccompProfile?.type) && c.securityContext?.seccompProfile === undefined),
    'seccompProfile not RuntimeDefault/Localhost');
  each((c) => !(c.securityContext?.capabilities?.drop ?? []).includes('ALL'), 'capabilities.drop does not include ALL');
  each((c) => (c.securityContext?.capabilities?.add ?? []).some((x: string) => x !== 'NET_BIND_SERVICE'), 'capabilities.add other than NET_BIND_SERVICE');
  return v;
}

export function checkAdmission(cluster: Cluster): Finding[] {
  return cluster.pods.filter((p: PodModel) => !p.system).flatMap((pod) => {
    const level = cluster.podSecurityLevel(pod.namespace);
    const annotations = pod.owner ? (podAnnotations(pod) ?? {}) : {};
    return podSecurityViolations(pod.spec, level, annotations).map((message) => ({
      object: pod.id, check: 'admission' as const, message: `Pod Security "${level}" of namespace ${pod.namespace} rejects the pod: ${message}`,
    }));
  });
}

function podAnnotations(pod: PodModel): Record<string, string> | undefined {
  const o = pod.owner!;
  return o.spec?.template?.metadata?.annotations ?? o.spec?.jobTemplate?.spec?.template?.metadata?.annotations ?? o.spec?.podMetadata?.annotations ?? o.spec?.podTemplate?.metadata?.annotations;
}
