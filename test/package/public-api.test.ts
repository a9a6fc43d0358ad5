import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

// The documented public API. A name added to or removed from lib/index.ts must be added or removed
// here too, in the same change: that keeps every API change deliberate and visible in review.
const VALUES = [
  'ApiService',
  'BackupPolicy',
  'DEFAULT_MONITORING_STACK',
  'DataTier',
  'EnvValue',
  'Etcd',
  'MONITORING_STACK_LABEL',
  'MediaAiPlatform',
  'Milvus',
  'Minio',
  'ObservabilityStack',
  'PlatformNamespace',
  'PREREQUISITES',
  'Postgres',
  'PropValidationError',
  'Redis',
  'diffManifests',
  'escapeHelmDelimiters',
  'formatDiff',
  'platformPrerequisites',
  'prerequisitesMarkdown',
  'loadManifests',
  'synthesizeAtomically',
  // policy gate
  'POLICY_RULES', 'PRIORITY_CLASSES_CONTEXT', 'PRIORITY_TIERS', 'PlatformPriorityClasses', 'PolicyGateError', 'checkPolicy', 'enforcePolicy', 'exemptFromPolicy', 'formatPolicyReport',
  // environments and capacity
  'capacityMarkdown', 'capacityReport', 'checkEnvironment', 'DEFAULT_SHARES', 'DEV', 'ENVIRONMENTS', 'NamespaceBudget', 'PROD', 'STAGING',
  'synthesizeEnvironments', 'withEvent', 'composeProject', 'envVariable', 'writeCompose',
];

const TYPES = [
  // API service
  'ApiNetworkOptions', 'ApiServiceProps', 'AutoscalingOptions', 'ConnectOptions', 'DisruptionBudgetOptions', 'IngressOptions', 'MetricsOptions',
  'RollingUpdateOptions', 'ScalingRateOptions', 'ServiceExposureOptions',
  // data tier
  'ConfValue', 'DataTierProps', 'EtcdProps', 'MilvusProps', 'MinioCredentials', 'MinioProps', 'PostgresCredentials', 'PostgresProps',
  'RedisPersistence', 'RedisProps', 'StatefulStore', 'StoreCommonProps',
  // observability
  'AlertRule', 'AlertmanagerCluster', 'AlertmanagerClusterProps', 'BlackboxExporter', 'BlackboxExporterProps', 'DashboardSpec',
  'DatasourceSpec', 'Grafana', 'GrafanaProps', 'Jaeger', 'JaegerProps', 'KubeStateMetrics', 'LoggingStack', 'LoggingStackProps',
  'MonitorApiOptions', 'NodeExporter', 'NodeExporterOptions', 'NodeExporterProps', 'ObservabilityStackProps', 'PanelSpec', 'Priority', 'PrometheusServer',
  'PrometheusServerProps', 'ReceiverOptions', 'RecordingRule', 'Rule', 'RuleGroup', 'SloOptions', 'SystemExportersProps',
  // backup
  'BackupDestination', 'BackupJob', 'BackupPolicyProps', 'BackupRetention', 'BackupSchedules', 'ConfigBackup',
  // delivery
  'AnalysisOptions', 'BlueGreenDelivery', 'CanaryDelivery', 'CanaryScale', 'CanaryStep', 'DeliveryOptions', 'ManifestDiff',
  'NginxTrafficRouting', 'RollingDelivery', 'TrafficRoutingOptions',
  // platform
  'MediaAiPlatformProps', 'PlatformNamespaceProps', 'PlatformPrerequisitesOptions', 'Prerequisite', 'SynthesizeOptions',
  'AlertRoutes', 'CapacityReport', 'ComposeFiles', 'ClusterCapacity', 'ComputeTotals', 'EnvironmentConfig', 'EnvironmentSynthOptions', 'NamespaceBudgetProps',
  'NamespaceShares', 'PlannedEvent', 'WorkloadLine',
  // shared
  'BackupSourceCommon', 'BackupSourceFacts', 'BackupSourceKind', 'IBackupSource', 'MilvusBackupFacts', 'ObjectStoreFacts', 'PostgresBackupFacts', 'RedisBackupFacts',
  'ConnectionBinding', 'HttpProbeOptions', 'HttpServiceFacts', 'IConnectable', 'IMonitorable', 'INetworkEndpoint', 'ImageReference',
  'MonitoringContribution', 'MonitoringStackRef', 'NetworkPort', 'ProbeTiming',
  'CredentialsSecret', 'ResolvedStorage', 'ResourceSpec', 'RunAsIdentity', 'ScrapeEndpoint', 'SecretKeyReference', 'StorageOptions', 'TopologySpreadOptions',
  // policy gate
  'Manifest', 'PolicyExemption', 'PolicyExemptionRecord', 'PolicyFinding', 'PolicyGateOptions', 'PolicyReport', 'PolicyRule', 'PolicySubject', 'PriorityTier',
];

const sorted = (names: string[]) => [...names].sort((a, b) => a.localeCompare(b));

/** The names lib/index.ts exports, split into value and type-only exports, read from its syntax tree. */
function declaredExports(): { values: string[]; types: string[]; star: boolean } {
  const file = path.resolve(__dirname, '..', '..', 'lib', 'index.ts');
  const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.ES2020);
  const values: string[] = [];
  const types: string[] = [];
  let star = false;
  for (const statement of source.statements) {
    if (!ts.isExportDeclaration(statement)) continue;
    if (!statement.exportClause || !ts.isNamedExports(statement.exportClause)) {
      star = true;
      continue;
    }
    for (const spec of statement.exportClause.elements) (statement.isTypeOnly || spec.isTypeOnly ? types : values).push(spec.name.text);
  }
  return { values, types, star };
}

describe('public API (lib/index.ts)', () => {
  test('runtime exports are exactly the documented values', () => {
    // require(): the module object exactly as a CommonJS consumer gets it.
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- see above
    expect(sorted(Object.keys(require('../../lib')))).toEqual(sorted(VALUES));
  });

  test('index.ts names every export (no `export *`), values and types as listed', () => {
    const declared = declaredExports();
    expect(declared.star).toBe(false);
    expect(sorted(declared.values)).toEqual(sorted(VALUES));
    expect(sorted(declared.types)).toEqual(sorted(TYPES));
  });

  test('internals stay internal', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the CommonJS module object, as above
    const lib = require('../../lib');
    for (const internal of ['fail', 'integerProp', 'PG_HBA_CONF', 'BACKUP_SCRIPTS', 'exporterSidecar', 'loadScript', 'openConnection', 'renderApp']) {
      expect(lib[internal]).toBeUndefined();
    }
  });

  test('one way to wire constructs: connect(), monitor(), protect(); no second network-only door on the stores', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the CommonJS module object, as above
    const lib = require('../../lib');
    for (const store of ['Postgres', 'Redis', 'Milvus', 'Etcd', 'Minio']) {
      expect(['allowClient', 'openConnection'].filter((m) => m in lib[store].prototype)).toEqual([]);
    }
    expect(typeof lib.ApiService.prototype.connect).toBe('function');
    expect(typeof lib.ObservabilityStack.prototype.monitor).toBe('function');
    expect(typeof lib.BackupPolicy.prototype.protect).toBe('function');
  });
});

describe('one vocabulary across constructs (issue #10)', () => {
  /** Every `readonly name?:` member of an interface under lib/, with its file. */
  function interfaceMembers(): Array<{ file: string; iface: string; member: string }> {
    const out: Array<{ file: string; iface: string; member: string }> = [];
    const walk = (dir: string): string[] => fs.readdirSync(dir, { withFileTypes: true })
      .flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []));
    for (const file of walk(path.join(__dirname, '..', '..', 'lib'))) {
      const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
      source.forEachChild((node) => {
        if (!ts.isInterfaceDeclaration(node)) return;
        for (const m of node.members) if (m.name && ts.isIdentifier(m.name)) out.push({ file: path.relative(path.join(__dirname, '..', '..'), file), iface: node.name.text, member: m.name.text });
      });
    }
    return out;
  }

  test('volumes are `storage` (StorageOptions), user/password Secrets `CredentialsSecret`, Secret names `name`', () => {
    const retired = ['storageSize', 'persistentStorageSize', 'storageClassName', 'secretName', 'credentialsSecret', 'basicAuthSecret'];
    const members = interfaceMembers();
    // storageClassName lives inside StorageOptions/ResolvedStorage only.
    const offenders = members.filter((m) => retired.includes(m.member) && !['StorageOptions', 'ResolvedStorage'].includes(m.iface));
    expect(offenders.map((m) => `${m.file} ${m.iface}.${m.member}`)).toEqual([]);
    expect(members.filter((m) => m.member === 'storage').map((m) => m.iface).sort()).toEqual(expect.arrayContaining(['AlertmanagerClusterProps', 'GrafanaProps', 'LoggingStackProps', 'PostgresProps', 'PrometheusServerProps', 'RedisProps']));
  });
});
