/**
 * "How it fits together": a Mermaid diagram of an app's charts, namespaces, constructs and
 * workloads, with the connections (a `<service>.<namespace>.svc` name in a pod spec or a mounted
 * ConfigMap), the scrapes (ServiceMonitors) and the backups (backup Jobs reaching a store), all read
 * from the synthesized objects and the construct tree, so the picture cannot drift from the code.
 */
import { ApiObject, App, Chart } from 'cdk8s';
import { renderApp } from './synth';

type Json = Record<string, any>;

const WORKLOADS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob', 'Rollout', 'Prometheus', 'Alertmanager', 'Elasticsearch', 'Kibana', 'Logstash', 'Beat']);
const key = (kind: string, namespace: string | undefined, name: string) => `${kind}/${namespace ?? ''}/${name}`;
// Content-hashed names (a config backup Job per change) would make the picture change with every edit.
const stableName = (name: string) => name.replace(/-[0-9a-f]{16}$/, '-‹hash›');
const nodeId = (o: Json) => `${o.metadata.namespace ?? ''}_${o.kind}_${stableName(o.metadata.name)}`.replace(/[^A-Za-z0-9_]/g, '_');

/** The labels of the pods an object runs (workloads' templates; operator resources' own labels). */
function podLabels(o: Json): Record<string, string> {
  return o.spec?.template?.metadata?.labels ?? o.spec?.jobTemplate?.spec?.template?.metadata?.labels ?? o.metadata?.labels ?? {};
}

const matches = (selector: Record<string, string> | undefined, labels: Record<string, string>) =>
  selector !== undefined && Object.keys(selector).length > 0 && Object.entries(selector).every(([k, v]) => labels[k] === v);

/** The Mermaid flowchart of the app (one `subgraph` per chart and per top-level construct). */
export function architectureMermaid(app: App): string {
  const objects: Json[] = [];
  renderApp(app, (o) => objects.push(...o));
  // Rendered names: some are lazy (a content hash), so the object's own name is not final.
  const paths = new Map(app.node.findAll().filter((c): c is ApiObject => c instanceof ApiObject && WORKLOADS.has(c.kind))
    .map((o) => [key(o.kind, o.metadata.namespace, o.toJson().metadata.name), { chart: Chart.of(o), path: o.node.path }]));
  const workloads = objects.filter((o) => WORKLOADS.has(o.kind));
  const services = objects.filter((o) => o.kind === 'Service');
  const configMaps = new Map(objects.filter((o) => o.kind === 'ConfigMap').map((o) => [key('ConfigMap', o.metadata.namespace, o.metadata.name), o]));
  // A headless Service and its ClusterIP twin select the same pods: either names the workload.
  const behind = (svc: Json) => workloads.filter((w) => w.metadata.namespace === svc.metadata.namespace && w.kind !== 'Job' && w.kind !== 'CronJob' && matches(svc.spec?.selector, podLabels(w)));

  const lines = ['flowchart LR'];
  const charts = [...new Set(workloads.map((w) => paths.get(key(w.kind, w.metadata.namespace, w.metadata.name))!.chart))];
  for (const chart of app.charts.filter((c) => charts.includes(c))) {
    lines.push(`  subgraph ${chart.node.id.replace(/[^A-Za-z0-9_]/g, '_')}["chart ${chart.node.id} · namespace ${chart.namespace ?? '(objects\' own)'}"]`);
    const mine = workloads.filter((w) => paths.get(key(w.kind, w.metadata.namespace, w.metadata.name))!.chart === chart);
    const groups = new Map<string, Json[]>();
    for (const w of mine) {
      const construct = paths.get(key(w.kind, w.metadata.namespace, w.metadata.name))!.path.split('/')[1];
      groups.set(construct, [...(groups.get(construct) ?? []), w]);
    }
    for (const [construct, members] of groups) {
      lines.push(`    subgraph ${chart.node.id.replace(/[^A-Za-z0-9_]/g, '_')}__${construct.replace(/[^A-Za-z0-9_]/g, '_')}["${construct}"]`);
      for (const w of members) lines.push(`      ${nodeId(w)}["${stableName(w.metadata.name)}<br/><small>${w.kind}${w.metadata.namespace && w.metadata.namespace !== chart.namespace ? ` · ${w.metadata.namespace}` : ''}</small>"]`);
      lines.push('    end');
    }
    lines.push('  end');
  }

  const edges = new Set<string>();
  for (const w of workloads) {
    const pod = w.spec?.template?.spec ?? w.spec?.jobTemplate?.spec?.template?.spec ?? w.spec?.podTemplate?.spec;
    if (!pod) continue;
    const backup = podLabels(w)['app.kubernetes.io/component'] === 'backup';
    // A backup's ConfigMaps may hold the app's own manifests (the config backup): only its pod spec counts.
    const mounted = backup ? [] : (pod.volumes ?? []).filter((v: Json) => v.configMap).map((v: Json) => configMaps.get(key('ConfigMap', w.metadata.namespace, v.configMap.name))?.data ?? {});
    const text = [JSON.stringify(pod), ...mounted.map((d: Json) => JSON.stringify(d))].join('\n');
    for (const [, svcName, ns] of text.matchAll(/([a-z0-9-]+)\.([a-z0-9-]+)\.svc\b/g)) {
      const svc = services.find((s) => s.metadata.name === svcName && s.metadata.namespace === ns);
      for (const target of svc ? behind(svc) : []) {
        if (target !== w) edges.add(`  ${nodeId(w)} ${backup ? '-. backup .->' : '-- connects -->'} ${nodeId(target)}`);
      }
    }
  }
  const prometheus = workloads.filter((w) => w.kind === 'Prometheus');
  for (const monitor of objects.filter((o) => o.kind === 'ServiceMonitor')) {
    const namespaces: string[] = monitor.spec?.namespaceSelector?.matchNames ?? [monitor.metadata.namespace];
    for (const svc of services.filter((s) => namespaces.includes(s.metadata.namespace) && matches(monitor.spec?.selector?.matchLabels, s.metadata.labels ?? {}))) {
      for (const target of behind(svc)) for (const p of prometheus) edges.add(`  ${nodeId(p)} -. scrape .-> ${nodeId(target)}`);
    }
  }
  return [...lines, ...[...edges].sort(), ''].join('\n');
}

/** docs/architecture.md: the diagram in a Markdown page. */
export function architectureMarkdown(app: App, title: string): string {
  return [
    `# How it fits together: ${title}`,
    '',
    'Generated by `npm run docs` from the construct tree and the synthesized objects (do not edit; a test',
    'fails when it is stale). Boxes: charts (with their namespace), the top-level constructs in them, and',
    'their workloads. Arrows: `connects` (a workload names another\'s Service), `scrape` (a ServiceMonitor',
    'of Prometheus selects its Service), `backup` (a backup Job reaches the store).',
    '',
    '```mermaid',
    architectureMermaid(app).trimEnd(),
    '```',
    '',
  ].join('\n');
}
