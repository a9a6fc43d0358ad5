import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import {
  CredentialsSecret, EnvValue, immutableJobName, loadScript, PodGroup, recommendedLabels, resolveResources, restrictedContainerSecurityContext,
  openConnection, scratchVolume, selectorLabels, toKubeResources,
} from '../shared';
import { batchPodSettings } from '../shared/priority';
import type { Postgres } from './postgres';

/** The script the role Job runs (also what the real-server test runs). */
export const PG_APP_ROLE_SCRIPT = loadScript(__dirname, 'pg-app-role.sh');

export interface PostgresAppRoleProps {
  /** The server: its host, database and pods. */
  readonly store: Postgres;
  /** Image with psql and pg_isready (the server's image). */
  readonly image: string;
  /** Superuser Secret and keys (the Job alone uses them). */
  readonly superuser: Required<CredentialsSecret>;
  /** The application role's Secret and keys. */
  readonly app: Required<CredentialsSecret>;
  readonly port: number;
}

/**
 * A Job that creates (or updates) the application's own role with only the rights it needs, so
 * that clients never log in as the superuser. Idempotent: when the Job is re-applied (after its
 * TTL), it sets the password from the Secret again, which is how a rotated password lands.
 */
export class PostgresAppRole extends Construct {
  public readonly name: string;

  constructor(scope: Construct, id: string, props: PostgresAppRoleProps) {
    super(scope, id);
    const store = props.store;
    this.name = `${store.name}-app-role`;
    const ident = { name: 'postgresql-app-role', instance: this.name, component: 'database' };
    const labels = recommendedLabels(ident);
    const identity = { user: 999, group: 999 };
    const secretEnv = (name: string, secret: string, key: string) => EnvValue.fromSecret(secret, key).toEnvVar(name);
    new k8s.KubeConfigMap(this, 'Script', { metadata: { name: this.name, labels }, data: { 'pg-app-role.sh': PG_APP_ROLE_SCRIPT } });
    const template: k8s.PodTemplateSpec = {
      metadata: { labels },
      spec: {
        ...batchPodSettings(this, identity, 'OnFailure'),
        containers: [{
          name: 'app-role',
          image: props.image,
          imagePullPolicy: 'IfNotPresent',
          command: ['sh', '/scripts/pg-app-role.sh'],
          env: [
            { name: 'PGHOST', value: store.host },
            { name: 'PGPORT', value: String(props.port) },
            { name: 'PGDATABASE', value: store.database },
            secretEnv('PGUSER', props.superuser.name, props.superuser.usernameKey),
            secretEnv('PGPASSWORD', props.superuser.name, props.superuser.passwordKey),
            secretEnv('APP_USER', props.app.name, props.app.usernameKey),
            secretEnv('APP_PASSWORD', props.app.name, props.app.passwordKey),
          ],
          resources: toKubeResources(resolveResources(this, 'resources', undefined, { cpuRequest: '10m', cpuLimit: '200m', memoryRequest: '32Mi', memoryLimit: '128Mi' })),
          securityContext: restrictedContainerSecurityContext(identity),
          volumeMounts: [{ name: 'scripts', mountPath: '/scripts', readOnly: true }, { name: 'tmp', mountPath: '/tmp' }],
        }],
        volumes: [{ name: 'scripts', configMap: { name: this.name } }, scratchVolume('tmp', '16Mi')],
      },
    };
    // Named after its template: a changed Job is a new Job (a Job's template cannot be changed in place).
    new k8s.KubeJob(this, 'Job', {
      metadata: { name: immutableJobName(this.name, template), labels },
      spec: { backoffLimit: 10, ttlSecondsAfterFinished: 86400, template },
    });
    // Default deny but for DNS and the server.
    const pods = new PodGroup(this, 'Network', this.name, selectorLabels(ident), labels);
    openConnection(pods, store, [{ port: props.port }]);
    pods.network.allowDns();
  }
}
