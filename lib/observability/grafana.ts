import { Lazy, Yaml } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import {
  CredentialsSecret, credentialsSecretProp, fail,
  EnvValue, imageProp, imageVersion, namespacePeer, resolveResources, resolveStorage, ResourceSpec, restrictedContainerSecurityContext,
  scratchVolume, SecretKeyReference, secretKeyProp, SimpleWorkload, StorageOptions, toKubeResources,
} from '../shared';
import { dashboardJson, DashboardSpec } from './dashboards';

export interface GrafanaProps {
  /** Secret keys of the admin user and password. */
  readonly adminUser: SecretKeyReference;
  readonly adminPassword: SecretKeyReference;
  /** Image, pinned. @default 'grafana/grafana:10.4.2' */
  readonly image?: string;
  /**
   * Keep Grafana's database (users, annotations) on a volume (the same options as every store's);
   * dashboards are provisioned either way. `{}` gives a 10Gi volume in the default StorageClass.
   * @default no volume (stateless)
   */
  readonly storage?: StorageOptions;
  /** Container resources. @default requests 100m / 256Mi, limits 500m / 512Mi */
  readonly resources?: ResourceSpec;
  /** Namespace of the ingress controller allowed to reach the UI. @default 'ingress-nginx' */
  readonly ingressControllerNamespace?: string;
}

export interface DatasourceSpec {
  readonly name: string;
  readonly uid: string;
  readonly type: string;
  readonly url: string;
  readonly jsonData?: Record<string, unknown>;
}

/** How Grafana authenticates to a datasource: both from Secrets, never in the provisioning file. */
export interface DatasourceAccess {
  /** Secret of the datasource user (user name and password). @default no authentication */
  readonly credentials?: CredentialsSecret;
  /** Secret with the CA (key `ca.crt`) that signed the datasource's TLS certificate. @default the system CAs */
  readonly caSecret?: string;
}

/**
 * Grafana with provisioned datasources and dashboards (ConfigMaps), stateless or persistent by choice.
 *
 * One replica, on purpose: its database (SQLite, on an emptyDir or the optional ReadWriteOnce volume)
 * cannot be shared, so two replicas would hold different users and sessions; HA needs an external
 * database, which the library does not provide. No P0/P1 promise depends on it: alerts go
 * Prometheus → Alertmanager → receivers without Grafana. Without a second replica a PDB would only
 * block node drains, so there is none (the policy gate asks for one only from multi-replica workloads).
 */
export class Grafana extends Construct {
  public static readonly PORT = 3000;
  public readonly workload: SimpleWorkload;
  private readonly dashboards = new Map<string, string>();
  private readonly datasources: Array<Record<string, unknown>> = [];
  // Filled by addDatasource after construction; the Deployment renders these arrays at synth.
  private readonly env: k8s.EnvVar[];
  private readonly mounts: k8s.VolumeMount[];
  private readonly volumes: k8s.Volume[];

  constructor(scope: Construct, id: string, props: GrafanaProps) {
    super(scope, id);
    const imageRef = props.image ?? 'grafana/grafana:10.4.2';
    const image = imageProp(this, 'image', imageRef);
    const adminUser = secretKeyProp(this, 'adminUser', props.adminUser);
    const adminPassword = secretKeyProp(this, 'adminPassword', props.adminPassword);
    if (adminUser.name === adminPassword.name && adminUser.key === adminPassword.key) {
      fail(this, 'adminPassword', adminPassword, 'must be another key than adminUser: the admin user would be named after the password');
    }
    const identity = { user: 472, group: 472 };
    const provider = Yaml.stringify({
      apiVersion: 1,
      providers: [{ name: 'media-ai', orgId: 1, folder: 'media-ai', type: 'file', disableDeletion: true, allowUiUpdates: false, updateIntervalSeconds: 30, options: { path: '/var/lib/grafana/dashboards' } }],
    });
    const storage = props.storage === undefined ? undefined : resolveStorage(this, 'storage', props.storage, { size: '10Gi' });
    const dataVolume: k8s.Volume = storage
      ? { name: 'data', persistentVolumeClaim: { claimName: 'grafana' } }
      : scratchVolume('data', '1Gi');

    this.workload = new SimpleWorkload(this, 'Workload', {
      name: 'grafana',
      appName: 'grafana',
      component: 'dashboards',
      version: imageVersion(image),
      identity,
      recreate: storage !== undefined,
      servicePorts: [{ name: 'http', port: Grafana.PORT }],
      containers: [{
        name: 'grafana',
        image: imageRef,
        imagePullPolicy: 'IfNotPresent',
        ports: [{ name: 'http', containerPort: Grafana.PORT, protocol: 'TCP' }],
        env: this.env = [
          EnvValue.fromSecret(adminUser.name, adminUser.key).toEnvVar('GF_SECURITY_ADMIN_USER'),
          EnvValue.fromSecret(adminPassword.name, adminPassword.key).toEnvVar('GF_SECURITY_ADMIN_PASSWORD'),
          { name: 'GF_ANALYTICS_REPORTING_ENABLED', value: 'false' },
          { name: 'GF_ANALYTICS_CHECK_FOR_UPDATES', value: 'false' },
          { name: 'GF_USERS_ALLOW_SIGN_UP', value: 'false' },
          { name: 'GF_PATHS_DATA', value: '/var/lib/grafana' },
        ],
        resources: toKubeResources(resolveResources(this, 'resources', props.resources, { cpuRequest: '100m', cpuLimit: '500m', memoryRequest: '256Mi', memoryLimit: '512Mi' })),
        livenessProbe: { httpGet: { path: '/api/health', port: k8s.IntOrString.fromString('http') }, initialDelaySeconds: 30, periodSeconds: 10 },
        readinessProbe: { httpGet: { path: '/api/health', port: k8s.IntOrString.fromString('http') }, periodSeconds: 5 },
        securityContext: restrictedContainerSecurityContext(identity),
        volumeMounts: this.mounts = [
          { name: 'data', mountPath: '/var/lib/grafana' },
          { name: 'datasources', mountPath: '/etc/grafana/provisioning/datasources', readOnly: true },
          { name: 'dashboard-provider', mountPath: '/etc/grafana/provisioning/dashboards', readOnly: true },
          { name: 'dashboards', mountPath: '/var/lib/grafana/dashboards', readOnly: true },
          { name: 'tmp', mountPath: '/tmp' },
        ],
      }],
      volumes: this.volumes = [
        dataVolume,
        { name: 'datasources', configMap: { name: 'grafana-datasources' } },
        { name: 'dashboard-provider', configMap: { name: 'grafana-dashboard-provider' } },
        { name: 'dashboards', configMap: { name: 'grafana-dashboards' } },
        scratchVolume('tmp', '64Mi'),
      ],
    });
    const labels = this.workload.labels;
    if (storage) {
      new k8s.KubePersistentVolumeClaim(this, 'Storage', {
        metadata: { name: 'grafana', labels },
        spec: { accessModes: [storage.accessMode], storageClassName: storage.storageClassName, resources: { requests: { storage: k8s.Quantity.fromString(storage.size) } } },
      });
    }
    new k8s.KubeConfigMap(this, 'Datasources', {
      metadata: { name: 'grafana-datasources', labels },
      data: Lazy.any({ produce: () => ({ 'datasources.yaml': Yaml.stringify({ apiVersion: 1, datasources: this.datasources.map((d, i) => ({ ...d, access: 'proxy', isDefault: i === 0, editable: false })) }) }) }),
    });
    new k8s.KubeConfigMap(this, 'DashboardProvider', { metadata: { name: 'grafana-dashboard-provider', labels }, data: { 'provider.yaml': provider } });
    new k8s.KubeConfigMap(this, 'Dashboards', {
      metadata: { name: 'grafana-dashboards', labels },
      data: Lazy.any({ produce: () => Object.fromEntries([...this.dashboards.entries()].sort(([a], [b]) => a.localeCompare(b))) }),
    });
    this.workload.network.allowIngress([namespacePeer(props.ingressControllerNamespace ?? 'ingress-nginx')], [{ port: Grafana.PORT }]);
    this.workload.network.allowDns();
  }

  /**
   * Provisions a datasource; the first one added is the default. Credentials come from a Secret
   * into the environment (provisioning expands `$VAR`), the CA from a mounted Secret (`$__file{}`).
   */
  public addDatasource(ds: DatasourceSpec, access: DatasourceAccess = {}): void {
    const prefix = `DS_${ds.uid.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
    const jsonData: Record<string, unknown> = { ...ds.jsonData };
    const secureJsonData: Record<string, string> = {};
    const auth: Record<string, unknown> = {};
    if (access.credentials) {
      const credentials = credentialsSecretProp(this, 'datasource credentials', access.credentials);
      this.env.push(
        EnvValue.fromSecret(credentials.name, credentials.usernameKey).toEnvVar(`${prefix}_USERNAME`),
        EnvValue.fromSecret(credentials.name, credentials.passwordKey).toEnvVar(`${prefix}_PASSWORD`),
      );
      Object.assign(auth, { basicAuth: true, basicAuthUser: `$${prefix}_USERNAME` });
      secureJsonData.basicAuthPassword = `$${prefix}_PASSWORD`;
    }
    if (access.caSecret) {
      const volume = `ca-${ds.uid}`;
      const dir = `/etc/grafana/ca/${ds.uid}`;
      this.volumes.push({ name: volume, secret: { secretName: access.caSecret, items: [{ key: 'ca.crt', path: 'ca.crt' }] } });
      this.mounts.push({ name: volume, mountPath: dir, readOnly: true });
      jsonData.tlsAuthWithCACert = true;
      secureJsonData.tlsCACert = `$__file{${dir}/ca.crt}`;
    }
    this.datasources.push({
      ...ds,
      ...auth,
      ...(Object.keys(jsonData).length ? { jsonData } : {}),
      ...(Object.keys(secureJsonData).length ? { secureJsonData } : {}),
    });
  }

  /** Provisions a dashboard (one file in the dashboards ConfigMap); returns its JSON. */
  public addDashboard(spec: DashboardSpec): string {
    const json = dashboardJson(spec);
    this.dashboards.set(`${spec.uid}.json`, json);
    return json;
  }

  /** Dashboard files by name, as provisioned. */
  public get dashboardFiles(): ReadonlyMap<string, string> {
    return this.dashboards;
  }
}
