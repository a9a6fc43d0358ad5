import * as fs from 'fs';
import * as path from 'path';
import { Testing } from 'cdk8s';
import { MediaAiPlatform, PROD } from '../../lib';
import { architectureMermaid } from '../../lib/platform/architecture';
import { architectureDoc } from './architecture-doc';

describe('docs/architecture.md', () => {
  const doc = architectureDoc();

  test('is current (regenerate with `npm run docs`)', () => {
    expect(fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'architecture.md'), 'utf8')).toBe(doc);
  });

  test('shows the charts with their namespaces and the connection, scrape and backup arrows', () => {
    expect(doc).toMatch(/subgraph media_ai\["chart media-ai · namespace media-ai"\]/);
    expect(doc).toMatch(/subgraph media_ai_monitoring\["chart media-ai-monitoring · namespace monitoring"\]/);
    expect(doc).toContain('media_ai_Deployment_media_ai_api -- connects --> media_ai_StatefulSet_postgres');
    expect(doc).toContain('media_ai_StatefulSet_milvus -- connects --> media_ai_StatefulSet_milvus_etcd'); // from Milvus' config file
    expect(doc).toContain('monitoring_Prometheus_prometheus -. scrape .-> media_ai_Deployment_media_ai_api');
    expect(doc).toContain('monitoring_Prometheus_prometheus -. scrape .-> monitoring_agents_DaemonSet_node_exporter');
    expect(doc).toMatch(/media_ai_CronJob_postgres_base_backup -\. backup \.-> media_ai_StatefulSet_postgres/);
  });

  test('follows the tree: a change to the app changes the picture', () => {
    const app = Testing.app();
    new MediaAiPlatform(app, 'media-ai', { environment: { ...PROD, logging: false, tracingRetentionDays: false } });
    const without = architectureMermaid(app);
    expect(without).not.toContain('Elasticsearch');
    expect(doc).toContain('Elasticsearch');
  });
});
