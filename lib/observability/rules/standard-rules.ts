import { CLUSTER_DASHBOARD_UID } from '../dashboards';
import { alert, AlertDashboard, RuleGroup } from './rule-types';

const cluster = (panel: string): AlertDashboard => ({ uid: CLUSTER_DASHBOARD_UID, panel });

/**
 * Cluster and workload alerts every platform needs, on kube-state-metrics, kubelet,
 * node-exporter and blackbox metrics.
 */
export function standardRuleGroups(): RuleGroup[] {
  return [
    {
      name: 'media-ai-workloads',
      rules: [
        alert({
          name: 'TargetDown', dashboard: cluster('Scrape targets down'), priority: 'P1', for: '5m',
          expr: 'up == 0',
          summary: 'Scrape target {{ $labels.job }} on {{ $labels.instance }} is down',
          description: 'Prometheus has not reached {{ $labels.job }}/{{ $labels.instance }} for 5 minutes.',
        }),
        alert({
          name: 'PodCrashLooping', dashboard: cluster('Pod restarts (1h)'), priority: 'P2', for: '5m',
          expr: 'increase(kube_pod_container_status_restarts_total[15m]) > 3',
          summary: 'Pod {{ $labels.namespace }}/{{ $labels.pod }} is crash-looping',
          description: 'Container {{ $labels.container }} restarted {{ $value }} times in 15 minutes.',
        }),
        alert({
          name: 'DeploymentReplicasUnavailable', dashboard: cluster('Pods not ready'), priority: 'P1', for: '15m',
          expr: 'kube_deployment_status_replicas_unavailable > 0',
          summary: 'Deployment {{ $labels.namespace }}/{{ $labels.deployment }} has unavailable replicas',
          description: '{{ $value }} replicas have been unavailable for 15 minutes.',
        }),
        alert({
          name: 'StatefulSetReplicasUnavailable', dashboard: cluster('Pods not ready'), priority: 'P1', for: '10m',
          expr: 'kube_statefulset_status_replicas_ready < kube_statefulset_replicas',
          summary: 'StatefulSet {{ $labels.namespace }}/{{ $labels.statefulset }} is not fully ready',
          description: 'Fewer replicas are ready than desired for 10 minutes.',
        }),
        alert({
          name: 'HpaAtMaxReplicas', priority: 'P2', for: '15m',
          expr: 'kube_horizontalpodautoscaler_status_current_replicas >= kube_horizontalpodautoscaler_spec_max_replicas',
          summary: 'HPA {{ $labels.namespace }}/{{ $labels.horizontalpodautoscaler }} is at its maximum',
          description: 'The autoscaler has been at its maximum replica count for 15 minutes: the capacity headroom is used up.',
        }),
      ],
    },
    {
      name: 'media-ai-capacity',
      rules: [
        alert({
          name: 'PersistentVolumeFilling', priority: 'P3', for: '15m',
          expr: 'kubelet_volume_stats_used_bytes / kubelet_volume_stats_capacity_bytes > 0.70',
          summary: 'Volume {{ $labels.namespace }}/{{ $labels.persistentvolumeclaim }} is over 70 % full',
          description: 'The capacity plan keeps 30 % headroom on storage; plan an expansion.',
        }),
        alert({
          name: 'PersistentVolumeAlmostFull', priority: 'P2', for: '5m',
          expr: 'kubelet_volume_stats_used_bytes / kubelet_volume_stats_capacity_bytes > 0.85',
          summary: 'Volume {{ $labels.namespace }}/{{ $labels.persistentvolumeclaim }} is over 85 % full',
          description: 'Expand the volume now.',
        }),
        alert({
          name: 'PersistentVolumeFullIn24h', priority: 'P2', for: '1h',
          expr: 'kubelet_volume_stats_available_bytes / kubelet_volume_stats_capacity_bytes < 0.30 and predict_linear(kubelet_volume_stats_available_bytes[6h], 24 * 3600) < 0',
          summary: 'Volume {{ $labels.namespace }}/{{ $labels.persistentvolumeclaim }} will be full within 24 h',
          description: 'Below the 30 % headroom and filling at a rate that exhausts it within a day.',
        }),
        alert({
          name: 'NodeUnderPressure', dashboard: cluster('Node memory'), priority: 'P1', for: '5m',
          expr: 'kube_node_status_condition{condition=~"MemoryPressure|DiskPressure|PIDPressure",status="true"} == 1',
          summary: 'Node {{ $labels.node }} reports {{ $labels.condition }}',
          description: 'The kubelet is evicting or about to evict pods.',
        }),
        alert({
          name: 'NodeCpuHeadroomLow', dashboard: cluster('Node CPU'), priority: 'P3', for: '30m',
          expr: '1 - avg by (instance) (rate(node_cpu_seconds_total{mode="idle"}[5m])) > 0.80',
          summary: 'Node {{ $labels.instance }} CPU above 80 %',
          description: 'Less than the 20 % compute headroom of the capacity plan is left.',
        }),
        alert({
          name: 'NodeMemoryHeadroomLow', dashboard: cluster('Node memory'), priority: 'P3', for: '30m',
          expr: '1 - node_memory_MemAvailable_bytes / node_memory_MemTotal_bytes > 0.80',
          summary: 'Node {{ $labels.instance }} memory above 80 %',
          description: 'Less than the 20 % memory headroom of the capacity plan is left.',
        }),
        alert({
          name: 'NodeFilesystemAlmostFull', dashboard: cluster('Node disk'), priority: 'P2', for: '15m',
          expr: '1 - node_filesystem_avail_bytes{fstype!~"tmpfs|overlay"} / node_filesystem_size_bytes{fstype!~"tmpfs|overlay"} > 0.85',
          summary: 'Filesystem {{ $labels.mountpoint }} on {{ $labels.instance }} is over 85 % full',
          description: 'Free space on the node is running out.',
        }),
        alert({
          name: 'NodeNetworkErrors', dashboard: cluster('Node network'), priority: 'P3', for: '15m',
          expr: 'rate(node_network_receive_errs_total[5m]) + rate(node_network_transmit_errs_total[5m]) > 1',
          summary: 'Network errors on {{ $labels.instance }} {{ $labels.device }}',
          description: 'The interface reports more than one error per second.',
        }),
      ],
    },
    {
      name: 'media-ai-probes',
      rules: [
        alert({
          name: 'EndpointDown', priority: 'P0', for: '2m',
          expr: 'probe_success == 0',
          summary: 'Synthetic probe of {{ $labels.instance }} fails',
          description: 'The public endpoint has failed its blackbox probe for 2 minutes: users cannot reach the service.',
        }),
        alert({
          name: 'CertificateExpiresSoon', priority: 'P2', for: '1h',
          expr: 'probe_ssl_earliest_cert_expiry - time() < 14 * 86400',
          summary: 'TLS certificate of {{ $labels.instance }} expires within 14 days',
          description: 'Renew the certificate (expires in {{ $value | humanizeDuration }}).',
        }),
        alert({
          name: 'CertificateExpiresVerySoon', priority: 'P1', for: '10m',
          expr: 'probe_ssl_earliest_cert_expiry - time() < 3 * 86400',
          summary: 'TLS certificate of {{ $labels.instance }} expires within 3 days',
          description: 'Renew the certificate now (expires in {{ $value | humanizeDuration }}).',
        }),
      ],
    },
  ];
}
