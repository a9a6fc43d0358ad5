import * as path from 'path';
import { Chart, Testing } from 'cdk8s';
import * as YAML from 'yaml';
import { ApiService, DataTier, ObservabilityStack, ObservabilityStackProps } from '../../lib';
import { PRIORITY_TIMING } from '../../lib/observability/alertmanager-config';
import { dashboardQueries } from '../../lib/observability/dashboards';
import { TIER_PROPS } from '../data-tier/fixtures';
import { K8sObject, ofKind, only, synthAppValid } from '../harness/synth';
import { expectSuccess, run, workDir } from '../harness/tools';
import { toolTest } from '../harness/fast';

const GRAFANA = { adminUser: { name: 'grafana-admin', key: 'user' }, adminPassword: { name: 'grafana-admin', key: 'password' } };
const RECEIVERS: ObservabilityStackProps['alerting'] = {
  receivers: {
    P0: { pagerduty: { routingKey: { name: 'am-receivers', key: 'pagerduty' } } },
    P1: { pagerduty: { routingKey: { name: 'am-receivers', key: 'pagerduty' } }, slack: { apiUrl: { name: 'am-slack', key: 'url' }, channel: '#oncall' } },
    P2: { slack: { apiUrl: { name: 'am-slack', key: 'url' }, channel: '#alerts' }, webhook: { url: 'https://tickets.example.com/hook', bearerToken: { name: 'am-receivers', key: 'ticket-token' } } },
    P3: { email: { to: 'ops@example.com', from: 'am@example.com', smarthost: 'smtp.example.com:587', username: 'am', password: { name: 'am-receivers', key: 'smtp' } } },
  },
};

function build(props: Partial<ObservabilityStackProps> = {}) {
  const app = Testing.app();
  const appChart = new Chart(app, 'app', { namespace: 'media-ai' });
  const monitoring = new Chart(app, 'monitoring', { namespace: 'monitoring' });
  const api = new ApiService(appChart, 'media-ai-api', { image: 'r.example.com/api:1.0.0', ingress: { host: 'api.media-ai.com', tlsSecretName: 'api-tls' } });
  const tier = new DataTier(appChart, 'data', TIER_PROPS);
  tier.connect(api);
  const stack = new ObservabilityStack(monitoring, 'observability', { grafana: GRAFANA, alerting: RECEIVERS, ...props });
  stack.monitor(api);
  stack.monitor(tier);
  return { app, api, tier, stack, objects: synthAppValid(app) };
}

const amConfig = (objects: K8sObject[]) => only(objects, 'Secret', 'alertmanager-config').stringData['alertmanager.yaml'] as string;

describe('ObservabilityStack', () => {
  const built = build();
  const { objects, stack } = built;

  test('renders the whole stack (snapshot), every object strictly valid', () => {
    expect(objects.filter((o) => o.metadata.namespace !== 'media-ai')).toMatchSnapshot();
  });

  test('Prometheus selects monitors, probes and rules by the one stack label, in every namespace', () => {
    const spec = only(objects, 'Prometheus').spec;
    for (const key of ['serviceMonitorSelector', 'podMonitorSelector', 'probeSelector', 'ruleSelector']) {
      expect(spec[key]).toEqual({ matchLabels: { 'monitoring.media-ai.io/stack': 'platform' } });
    }
    expect(spec.serviceMonitorNamespaceSelector).toEqual({});
    expect(spec.retentionSize).toBe('42GB');
    const labelled = [...ofKind(objects, 'ServiceMonitor'), ...ofKind(objects, 'Probe'), ...ofKind(objects, 'PrometheusRule')];
    expect(labelled.length).toBeGreaterThan(10);
    for (const o of labelled) expect(o.metadata.labels!['monitoring.media-ai.io/stack']).toBe('platform');
  });

  test('monitor(api) adds the probe of the public host, SLO rules, a dashboard and trace export', () => {
    const probe = only(objects, 'Probe').spec;
    expect(probe.module).toBe('https_2xx_tls');
    expect(probe.targets.staticConfig.static).toEqual(['https://api.media-ai.com/health']);
    expect(only(objects, 'PrometheusRule', 'media-ai-media-ai-media-ai-api-slo').spec.groups.map((g: any) => g.name)).toEqual(['media-ai-api-media-ai-slo-recording', 'media-ai-api-media-ai-slo-alerts']);
    const env = only(objects, 'Deployment', 'media-ai-api').spec.template.spec.containers[0].env;
    expect(env).toContainEqual({ name: 'OTEL_EXPORTER_OTLP_ENDPOINT', value: 'http://jaeger.monitoring.svc.cluster.local:4317' });
    expect(only(objects, 'NetworkPolicy', 'jaeger').spec.ingress).toContainEqual({
      from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'media-ai' } }, podSelector: { matchLabels: built.api.podSelector } }],
      ports: [{ port: 4317, protocol: 'TCP' }],
    });
    expect(Object.keys(only(objects, 'ConfigMap', 'grafana-dashboards').data).sort()).toEqual(['api-media-ai-media-ai-api.json', 'cluster-system.json', 'data-tier-media-ai.json']);
  });

  toolTest('promtool check rules accepts every rule group the stack emits', () => {
    const groups = ofKind(objects, 'PrometheusRule').flatMap((r) => r.spec.groups);
    expect(groups).toHaveLength(stack.ruleGroups.length);
    const dir = workDir('stack-rules', { 'rules.yaml': { groups } });
    expectSuccess(run('promtool', ['check', 'rules', path.join(dir, 'rules.yaml')]));
  });

  toolTest('every dashboard query is valid PromQL (parsed by promtool)', () => {
    const dashboards = Object.values<string>(only(objects, 'ConfigMap', 'grafana-dashboards').data);
    const queries = dashboards.flatMap(dashboardQueries);
    expect(queries.length).toBeGreaterThan(25);
    const rules = queries.map((q, i) => ({ record: `dashboard:query_${i}`, expr: q.split('$__rate_interval').join('5m') }));
    const dir = workDir('dashboard-queries', { 'rules.yaml': { groups: [{ name: 'dashboards', rules }] } });
    expectSuccess(run('promtool', ['check', 'rules', path.join(dir, 'rules.yaml')]));
  });

  toolTest('amtool check-config accepts the generated Alertmanager configuration', () => {
    const dir = workDir('am', { 'alertmanager.yml': amConfig(objects) });
    const out = expectSuccess(run('amtool', ['check-config', path.join(dir, 'alertmanager.yml')]));
    expect(out).toMatch(/3 inhibit rules/);
    expect(out).toMatch(/4 receivers/);
  });

  toolTest.each([['P0', 'p0-page'], ['P1', 'p1-urgent'], ['P2', 'p2-chat'], ['P3', 'p3-ticket']])('a %s alert reaches %s (amtool config routes test)', (priority, receiver) => {
    const dir = workDir('am-route', { 'alertmanager.yml': amConfig(objects) });
    const result = run('amtool', ['config', 'routes', 'test', `--config.file=${path.join(dir, 'alertmanager.yml')}`, `priority=${priority}`, 'service=media-ai-api', 'alertname=X']);
    expectSuccess(result);
    expect(result.stdout.trim()).toBe(receiver);
  });

  toolTest('an alert without a priority still reaches the P3 ticket receiver', () => {
    const dir = workDir('am-route', { 'alertmanager.yml': amConfig(objects) });
    expect(run('amtool', ['config', 'routes', 'test', `--config.file=${path.join(dir, 'alertmanager.yml')}`, 'alertname=Unlabelled']).stdout.trim()).toBe('p3-ticket');
  });

  test('routing timing follows the priority table and higher priorities inhibit lower ones for the same service', () => {
    const config = YAML.parse(amConfig(objects));
    for (const route of config.route.routes) {
      const p = /priority="(P[0-3])"/.exec(route.matchers[0])![1] as keyof typeof PRIORITY_TIMING;
      expect([route.receiver, route.group_wait, route.repeat_interval]).toEqual([PRIORITY_TIMING[p].receiver, PRIORITY_TIMING[p].groupWait, PRIORITY_TIMING[p].repeatInterval]);
    }
    expect(config.route.routes[0].repeat_interval).toBe('30m');
    expect(config.inhibit_rules).toEqual([
      { source_matchers: ['priority="P0"'], target_matchers: ['priority=~"P1|P2|P3"'], equal: ['namespace', 'service'] },
      { source_matchers: ['priority="P1"'], target_matchers: ['priority=~"P2|P3"'], equal: ['namespace', 'service'] },
      { source_matchers: ['priority="P2"'], target_matchers: ['priority=~"P3"'], equal: ['namespace', 'service'] },
    ]);
  });

  test('inhibition holds in a running Alertmanager: a firing P0 silences the P2 of the same service only', async () => {
    const { runAlertmanager } = await import('../harness/alertmanager');
    const result = await runAlertmanager(amConfig(objects), [
      { labels: { alertname: 'ApiErrorBudgetBurn', priority: 'P0', service: 'media-ai-api', namespace: 'media-ai' } },
      { labels: { alertname: 'ApiLatencyBudgetBurn', priority: 'P2', service: 'media-ai-api', namespace: 'media-ai' } },
      { labels: { alertname: 'RedisMemoryNearMax', priority: 'P2', service: 'redis', namespace: 'media-ai' } },
    ]);
    expect(result.inhibited).toEqual(['ApiLatencyBudgetBurn']);
    expect(result.active.sort()).toEqual(['ApiErrorBudgetBurn', 'RedisMemoryNearMax']);
  });

  test('receiver credentials are files from mounted Secrets; the config Secret holds none', () => {
    const config = amConfig(objects);
    expect(config).toContain('routing_key_file: /etc/alertmanager/secrets/am-receivers/pagerduty');
    expect(config).toContain('api_url_file: /etc/alertmanager/secrets/am-slack/url');
    expect(config).not.toMatch(/routing_key:|api_url:|auth_password:|credentials:/);
    expect(only(objects, 'Alertmanager').spec.secrets).toEqual(['am-receivers', 'am-slack']);
  });

  toolTest('blackbox_exporter --config.check accepts the modules', () => {
    const dir = workDir('blackbox', { 'blackbox.yml': only(objects, 'ConfigMap', 'blackbox-exporter-config').data['blackbox.yml'] });
    const out = run('prometheus-blackbox-exporter', [`--config.file=${path.join(dir, 'blackbox.yml')}`, '--config.check']);
    expect(out.output).toMatch(/Config file is ok/);
    expect(out.status).toBe(0);
  });

  toolTest('the ILM setup script passes shellcheck', () => {
    const dir = workDir('ilm', { 'es-ilm-setup.sh': only(objects, 'ConfigMap', 'es-ilm-setup').data['es-ilm-setup.sh'] });
    expectSuccess(run('shellcheck', ['-s', 'sh', path.join(dir, 'es-ilm-setup.sh')]));
  });

  test('restricted everywhere except the documented agents: node-exporter and Filebeat in the privileged namespace', () => {
    const ns = (o: K8sObject) => o.metadata.namespace;
    for (const d of [...ofKind(objects, 'Deployment'), ...ofKind(objects, 'DaemonSet')].filter((o) => ns(o) === 'monitoring')) {
      for (const c of d.spec.template.spec.containers) expect(c.securityContext).toMatchObject({ allowPrivilegeEscalation: false, runAsNonRoot: true, capabilities: { drop: ['ALL'] } });
    }
    expect(only(objects, 'DaemonSet', 'node-exporter').metadata.namespace).toBe('monitoring-agents');
    expect(only(objects, 'Beat', 'filebeat').metadata.namespace).toBe('monitoring-agents');
    expect(only(objects, 'NetworkPolicy', 'filebeat').metadata.namespace).toBe('monitoring-agents');
  });

  test('bad input is refused with the construct path and prop', () => {
    expect(() => build({ alerting: { receivers: { P0: { slack: { apiUrl: { name: 'x', key: 'url' }, channel: 'Ops Alerts' } } } } }))
      .toThrow(/monitoring\/observability\/Alertmanager: receivers.P0.slack.channel \("Ops Alerts"\) must be a Slack channel/);
    expect(() => build({ alerting: { receivers: { P1: { webhook: { url: 'https://user:pw@hooks.example.com' } } } } }))
      .toThrow(/receivers.P1.webhook.url .* must be an http\(s\) URL without credentials/);
    expect(() => build({ logging: { heapSize: '64g' } })).toThrow(/monitoring\/observability\/Logging: heapSize \("64g"\) must be between 512m and 31g/);
    expect(() => build({ logging: false, tracing: true })).toThrow(/tracing \(true\) needs logging/);
    expect(() => build({ prometheus: { retention: 'two weeks' } })).toThrow(/Prometheus: retention \("two weeks"\) must be a duration/);
  });
});
