import { ApiService, ApiServiceProps } from '../../lib';
import { K8sObject, synthValid, testChart } from '../harness/synth';

export const IMAGE = 'registry.example.com/media-ai-api:1.4.2';
export const PROMETHEUS = 'http://prometheus.monitoring.svc:9090';
export const ANALYSIS = { prometheusAddress: PROMETHEUS };

/** Renders media-ai-api with the given props, strictly validated (Rollouts and AnalysisTemplates against the CRD). */
export function renderApi(props: Partial<ApiServiceProps> = {}): K8sObject[] {
  const chart = testChart();
  new ApiService(chart, 'media-ai-api', { image: IMAGE, ingress: { host: 'api.media-ai.com', tlsSecretName: 'api-tls' }, ...props });
  return synthValid(chart);
}

/** Constructs without synthesizing, for the bad-input cases. */
export function construct(props: Partial<ApiServiceProps>): void {
  new ApiService(testChart(), 'media-ai-api', { image: IMAGE, ingress: { host: 'api.media-ai.com' }, ...props });
}
