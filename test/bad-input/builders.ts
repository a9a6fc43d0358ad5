/* eslint-disable @typescript-eslint/no-redundant-type-constituents -- `Partial<XProps> | any` documents the props a builder
   is for, while `any` admits the malformed input these builders exist to pass. */
import { App, Chart, Testing } from 'cdk8s';
import {
  ApiService, ApiServiceProps, BackupPolicy, BackupPolicyProps, DataTier, DataTierProps, MediaAiPlatform, MediaAiPlatformProps,
  MonitorApiOptions, ObservabilityStack, ObservabilityStackProps, PlatformNamespace, PlatformNamespaceProps,
} from '../../lib';
import { DESTINATION } from '../backup/fixtures';
import { TIER_PROPS } from '../data-tier/fixtures';

/** Builders that take props as a JavaScript caller would give them (anything goes). */
export const IMAGE = 'registry.example.com/media-ai-api:1.4.2';
export const GRAFANA = { adminUser: { name: 'grafana-admin', key: 'user' }, adminPassword: { name: 'grafana-admin', key: 'password' } };

export const appChart = (app: App = Testing.app()) => new Chart(app, 'test', { namespace: 'media-ai' });
export const monitoringChart = (app: App = Testing.app()) => new Chart(app, 'monitoring', { namespace: 'monitoring' });

export const api = (props: Partial<ApiServiceProps> | any) => new ApiService(appChart(), 'api', { image: IMAGE, ...props });
export const apiRaw = (props: any) => new ApiService(appChart(), 'api', props);
export const tier = (props: Partial<DataTierProps> | any) => new DataTier(appChart(), 'data', { ...TIER_PROPS, ...props });
export const postgres = (p: any) => tier({ postgres: { ...TIER_PROPS.postgres, ...p } });
export const redis = (p: any) => tier({ redis: { ...TIER_PROPS.redis, ...p } });
export const milvus = (p: any) => tier({ milvus: { ...TIER_PROPS.milvus, ...p } });
export const stack = (props: Partial<ObservabilityStackProps> | any) => new ObservabilityStack(monitoringChart(), 'observability', { grafana: GRAFANA, logging: false, ...props });

/** monitor(api) with the API's props and the monitor options. */
export function monitor(apiProps: Partial<ApiServiceProps> | any, options: MonitorApiOptions | any) {
  const app = Testing.app();
  const service = new ApiService(appChart(app), 'api', { image: IMAGE, ...apiProps });
  const s = new ObservabilityStack(monitoringChart(app), 'observability', { grafana: GRAFANA, logging: false });
  s.monitor(service, options);
}

export function backup(props: Partial<BackupPolicyProps> | any, tierProps: any = {}) {
  const chart = appChart();
  const t = new DataTier(chart, 'data', { ...TIER_PROPS, ...tierProps });
  return new BackupPolicy(chart, 'backup', { destination: DESTINATION, postgres: t.postgres, redis: t.redis, milvus: t.milvus, ...props });
}
export const destination = (d: any) => backup({ destination: { ...DESTINATION, ...d } });

export const namespace = (id: string, props?: PlatformNamespaceProps | any) => new PlatformNamespace(new Chart(Testing.app(), 'namespaces'), id, props);
export const platform = (props: MediaAiPlatformProps | any) => new MediaAiPlatform(Testing.app(), 'media-ai', props);
