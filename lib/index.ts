// The public API of @media-ai/cdk8s-platform: constructs, their props, the contracts between them
// and the value helpers. Everything else under lib/ is internal (tests import it by path).
// Adding or removing a name here is an API change: test/package/public-api.test.ts lists them all.
// `export type` for interfaces and types, so they never appear as runtime exports.

// API service
export { ApiService } from './api-service';
export type {
  ApiNetworkOptions, ApiServiceProps, AutoscalingOptions, ConnectOptions, DisruptionBudgetOptions, IngressOptions, MetricsOptions,
  RollingUpdateOptions, ScalingRateOptions, ServiceExposureOptions,
} from './api-service';

// Data tier
export { DataTier, Etcd, Milvus, Minio, Postgres, Redis } from './data-tier';
export type {
  ConfValue, DataTierProps, EtcdProps, MilvusProps, MinioCredentials, MinioProps, PostgresCredentials, PostgresProps,
  RedisPersistence, RedisProps, StatefulStore, StoreCommonProps,
} from './data-tier';

// Observability (the stack's parts are reachable as its members, not constructed on their own)
export { ObservabilityStack } from './observability';
export type {
  AlertmanagerCluster, AlertmanagerClusterProps, AlertRule, BlackboxExporter, BlackboxExporterProps, DashboardSpec,
  DatasourceSpec, Grafana, GrafanaProps, Jaeger, JaegerProps, KubeStateMetrics, LoggingStack, LoggingStackProps,
  MonitorApiOptions, NodeExporter, NodeExporterOptions, NodeExporterProps, ObservabilityStackProps, PanelSpec, Priority, PrometheusServer,
  PrometheusServerProps, ReceiverOptions, RecordingRule, Rule, RuleGroup, SloOptions, SystemExportersProps,
} from './observability';

// Backup
export { BackupPolicy } from './backup';
export type { BackupDestination, BackupJob, BackupPolicyProps, BackupRetention, BackupSchedules, ConfigBackup } from './backup';

// Platform: namespaces, the reference app, synthesis
export {
  escapeHelmDelimiters, MediaAiPlatform, platformPrerequisites, PlatformNamespace, PREREQUISITES, prerequisitesMarkdown, synthesizeAtomically,
} from './platform';
export type { MediaAiPlatformProps, PlatformNamespaceProps, PlatformPrerequisitesOptions, Prerequisite, SynthesizeOptions } from './platform';
// Environments and capacity
export {
  capacityMarkdown, capacityReport, checkEnvironment, composeProject, envVariable, writeCompose, DEFAULT_SHARES, DEV, ENVIRONMENTS, NamespaceBudget, PROD, STAGING, synthesizeEnvironments,
  withEvent,
} from './platform';
export type {
  AlertRoutes, CapacityReport, ClusterCapacity, ComposeFiles, ComputeTotals, EnvironmentConfig, EnvironmentSynthOptions, NamespaceBudgetProps,
  NamespaceShares, PlannedEvent, WorkloadLine,
} from './platform';

// Shared value helpers and contracts
export { DEFAULT_MONITORING_STACK, EnvValue, MONITORING_STACK_LABEL, PropValidationError } from './shared';
export type {
  BackupSourceCommon, BackupSourceFacts, BackupSourceKind, IBackupSource, MilvusBackupFacts, ObjectStoreFacts, PostgresBackupFacts, RedisBackupFacts,
  ConnectionBinding, HttpProbeOptions, HttpServiceFacts, IConnectable, IMonitorable, ImageReference, INetworkEndpoint,
  MonitoringContribution, MonitoringStackRef, NetworkPort, ProbeTiming,
  CredentialsSecret, ResolvedStorage, ResourceSpec, RunAsIdentity, ScrapeEndpoint, SecretKeyReference, StorageOptions, TopologySpreadOptions,
} from './shared';

// Delivery: rolling, blue-green and canary (Argo Rollouts), and the manifest change summary
export { diffManifests, formatDiff, loadManifests } from './delivery';
export type {
  AnalysisOptions, BlueGreenDelivery, CanaryDelivery, CanaryScale, CanaryStep, DeliveryOptions, ManifestDiff, NginxTrafficRouting,
  RollingDelivery, TrafficRoutingOptions,
} from './delivery';

// Policy gate: the rules every synthesized object must meet, recorded exemptions, PriorityClasses
export { checkPolicy, enforcePolicy, exemptFromPolicy, formatPolicyReport, POLICY_RULES, PolicyGateError } from './policy';
export type { Manifest, PolicyExemption, PolicyExemptionRecord, PolicyFinding, PolicyGateOptions, PolicyReport, PolicyRule, PolicySubject } from './policy';
export { PlatformPriorityClasses } from './platform';
export { PRIORITY_CLASSES_CONTEXT, PRIORITY_TIERS } from './shared';
export type { PriorityTier } from './shared';
