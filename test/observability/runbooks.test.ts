/**
 * From alert to cause: every alert of the reference platform (metric and log) has its runbook in
 * docs/runbooks and a dashboard UID that Grafana provisions; the runbooks are not stale.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Testing } from 'cdk8s';
import { MediaAiPlatform } from '../../lib';
import { alertCatalogue, runbookFiles } from '../../lib/observability/runbooks';
import { runbookUrl } from '../../lib/shared/alert-rules';
import { referenceRunbooks, RUNBOOK_DIR } from '../../scripts/runbooks';
import { only, synthAppValid } from '../harness/synth';

describe('runbooks and dashboards of every alert', () => {
  const objects = (() => {
    const app = Testing.app();
    new MediaAiPlatform(app, 'media-ai');
    return synthAppValid(app);
  })();
  const alerts = alertCatalogue(objects);
  let generated: Record<string, string> | undefined;
  const reference = () => (generated ??= referenceRunbooks());
  const dashboardUids = Object.values<string>(only(objects, 'ConfigMap', 'grafana-dashboards').data).map((json) => JSON.parse(json).uid as string);

  test('the catalogue has the metric and the log alerts', () => {
    expect(alerts.filter((a) => a.source === 'metric').length).toBeGreaterThan(30);
    expect(alerts.filter((a) => a.source === 'log').length).toBe(5);
  });

  test('every alert links to docs/runbooks/<alert>.md, and that file exists', () => {
    const missing = alerts.filter((a) => a.runbookUrl !== runbookUrl(a.name) || !fs.existsSync(path.join(RUNBOOK_DIR, `${a.name}.md`)));
    expect(missing.map((a) => a.name)).toEqual([]);
  });

  test('every alert names a dashboard UID Grafana provisions, and a panel of it', () => {
    const panels = new Map(Object.values<string>(only(objects, 'ConfigMap', 'grafana-dashboards').data).map((j) => [JSON.parse(j).uid, JSON.parse(j).panels.map((p: any) => p.title)]));
    const bad = alerts.filter((a) => !dashboardUids.includes(a.dashboard) || !panels.get(a.dashboard).includes(a.panel));
    expect(bad.map((a) => `${a.name}: ${a.dashboard} / ${a.panel}`)).toEqual([]);
  });

  test('the runbooks in docs/runbooks are the generated ones (run `npm run runbooks` after changing an alert)', () => {
    const expected = reference();
    const onDisk = Object.fromEntries(fs.readdirSync(RUNBOOK_DIR).filter((f) => f.endsWith('.md')).map((f) => [f, fs.readFileSync(path.join(RUNBOOK_DIR, f), 'utf8')]));
    expect(Object.keys(onDisk).sort()).toEqual(Object.keys(expected).sort());
    for (const [name, text] of Object.entries(expected)) expect({ name, text: onDisk[name] }).toEqual({ name, text });
  });

  test('a runbook says what it means, the priority and response time, three checks, the dashboard, a Kibana query and a Jaeger search', () => {
    const text = runbookFiles(alerts)['ApiLogErrorRate.md'];
    for (const heading of ['## What it means', '## Priority and response time', '## First three checks', '## Dashboard', "## Logs: the service's errors in the alert window (Kibana)", '## Traces (Jaeger)']) {
      expect(text).toContain(heading);
    }
    expect(text).toContain('| P1 | 1h | core function unavailable |');
    expect(text.match(/^[123]\. \*\*/gm)).toHaveLength(3);
    expect(text).toContain('`api-media-ai-media-ai-api`, panel “Request rate by status”');
    expect(text).toContain('kubernetes.labels.app_kubernetes_io/name : "media-ai-api" and (log.level');
    expect(text).toContain('/search?service=media-ai-api&lookback=1h&limit=20&tags=%7B%22error%22%3A%22true%22%7D');
  });

  test('a stale runbook is detected (a changed alert changes its page)', () => {
    const changed = alerts.map((a) => (a.name === 'PostgresDown' ? { ...a, description: 'changed' } : a));
    expect(runbookFiles(changed)['PostgresDown.md']).not.toBe(reference()['PostgresDown.md']);
  });
});
