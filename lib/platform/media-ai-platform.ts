import { App, Chart } from 'cdk8s';
import { ApiService } from '../api-service';
import { DataTier } from '../data-tier';
import { PlatformNamespace } from './platform-namespace';

export interface MediaAiPlatformProps {
  /** Image of media-ai-api, pinned. @default 'registry.example.com/media-ai-api:1.0.0' */
  readonly apiImage?: string;
  /** Public host of the API. @default 'api.media-ai.com' */
  readonly apiHost?: string;
  /** Namespace of the application. @default 'media-ai' */
  readonly namespace?: string;
  /** Namespace of the monitoring stack. @default 'monitoring' */
  readonly monitoringNamespace?: string;
}

/**
 * The reference deployment of the media-ai platform: a chart for the namespaces, then one chart
 * per namespace. Chart ids are public API: they name the output files and prefix construct paths.
 */
export class MediaAiPlatform {
  public readonly api: ApiService;
  public readonly data: DataTier;
  /** The chart of the application namespace. */
  public readonly chart: Chart;

  constructor(scope: App, id: string, props: MediaAiPlatformProps = {}) {
    const namespace = props.namespace ?? 'media-ai';
    const monitoringNamespace = props.monitoringNamespace ?? 'monitoring';

    const namespaces = new Chart(scope, `${id}-namespaces`, { disableResourceNameHashes: true });
    new PlatformNamespace(namespaces, namespace);
    new PlatformNamespace(namespaces, monitoringNamespace);

    this.chart = new Chart(scope, id, { namespace, disableResourceNameHashes: true });
    this.chart.addDependency(namespaces);

    this.api = new ApiService(this.chart, 'media-ai-api', {
      image: props.apiImage ?? 'registry.example.com/media-ai-api:1.0.0',
      replicas: 5,
      service: { type: 'LoadBalancer' },
      ingress: { host: props.apiHost ?? 'api.media-ai.com', tlsSecretName: 'media-ai-api-tls' },
      network: { monitoringNamespace },
    });

    this.data = new DataTier(this.chart, 'data', {
      monitoringNamespace,
      postgres: { credentials: { secretName: 'media-ai-postgres' }, storage: { expectedDataSize: '50Gi' } },
      redis: { password: { name: 'media-ai-redis', key: 'password' } },
      milvus: {
        minioCredentials: { accessKey: { name: 'media-ai-minio', key: 'access-key' }, secretKey: { name: 'media-ai-minio', key: 'secret-key' } },
        minio: { storage: { expectedDataSize: '100Gi' } },
      },
    });
    this.data.connect(this.api);
  }
}
