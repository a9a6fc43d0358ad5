/**
 * Delivery of alerts: every alert of every PrometheusRule is evaluated by a Prometheus, sent to an
 * Alertmanager, and routed by that Alertmanager's configuration to a receiver with at least one
 * integration. Route matching follows Alertmanager's dispatch/route.go (depth-first, first match
 * unless `continue`, children inherit the receiver) and its matcher syntax (`=`, `!=`, `=~`, `!~`,
 * anchored regexes; legacy `match`/`match_re`).
 */
import * as YAML from 'yaml';
import { Cluster, objectId } from './model';
import { prometheuses, selects } from './scrape';
import { Finding, K8sObject } from './types';

interface Matcher { readonly name: string; readonly op: string; readonly value: string }

export function parseMatcher(text: string): Matcher {
  const m = /^\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*(.*?)\s*$/.exec(text);
  if (!m) throw new Error(`bad matcher ${text}`);
  let value = m[3];
  if (value.startsWith('"') && value.endsWith('"')) value = JSON.parse(value);
  return { name: m[1], op: m[2], value };
}

function test(m: Matcher, labels: Record<string, string>): boolean {
  const v = labels[m.name] ?? '';
  switch (m.op) {
    case '=': return v === m.value;
    case '!=': return v !== m.value;
    case '=~': return new RegExp(`^(?:${m.value})$`).test(v);
    default: return !new RegExp(`^(?:${m.value})$`).test(v);
  }
}

function routeMatchers(route: any): Matcher[] {
  return [
    ...(route.matchers ?? []).map(parseMatcher),
    ...Object.entries(route.match ?? {}).map(([name, value]) => ({ name, op: '=', value: String(value) })),
    ...Object.entries(route.match_re ?? {}).map(([name, value]) => ({ name, op: '=~', value: String(value) })),
  ];
}

/** The receivers an alert with these labels is delivered to. */
export function routeReceivers(route: any, labels: Record<string, string>, inherited?: string, root = true): string[] {
  if (!root && !routeMatchers(route).every((m) => test(m, labels))) return [];
  const receiver = route.receiver ?? inherited;
  const out: string[] = [];
  for (const child of route.routes ?? []) {
    const got = routeReceivers(child, labels, receiver, false);
    if (got.length > 0) {
      out.push(...got);
      if (!child.continue) return out;
    }
  }
  return out.length > 0 ? out : [receiver];
}

const hasIntegration = (r: any) => r && Object.entries(r).some(([k, v]) => k.endsWith('_configs') && Array.isArray(v) && v.length > 0);

function alertmanagerConfig(cluster: Cluster, am: K8sObject): any {
  const name = am.spec?.configSecret ?? `alertmanager-${am.metadata.name}`;
  const secret = cluster.objects.find((o) => o.kind === 'Secret' && o.metadata.name === name && o.metadata.namespace === am.metadata.namespace);
  const text = secret?.stringData?.['alertmanager.yaml'] ?? (secret?.data?.['alertmanager.yaml'] && Buffer.from(secret.data['alertmanager.yaml'], 'base64').toString('utf8'));
  return text ? YAML.parse(text) : undefined;
}

/** The Alertmanager CRs whose pods stand behind a Prometheus' `alerting.alertmanagers` Services. */
function alertmanagersOf(cluster: Cluster, prom: K8sObject): K8sObject[] {
  const out = new Set<K8sObject>();
  for (const ref of prom.spec?.alerting?.alertmanagers ?? []) {
    const svc = cluster.service(ref.namespace ?? prom.metadata.namespace, ref.name);
    if (!svc) continue;
    for (const pod of cluster.podsOf(svc)) if (pod.owner?.kind === 'Alertmanager') out.add(pod.owner);
  }
  return [...out];
}

export function checkAlerts(cluster: Cluster): Finding[] {
  const findings: Finding[] = [];
  const proms = prometheuses(cluster);
  for (const rule of cluster.objects.filter((o) => o.kind === 'PrometheusRule' && o.apiVersion.startsWith('monitoring.coreos.com/'))) {
    const object = objectId(rule);
    const alerts = (rule.spec?.groups ?? []).flatMap((g: any) => g.rules ?? []).filter((r: any) => r.alert);
    const evaluating = proms.filter((p) => selects(cluster, p, rule, 'ruleSelector', 'ruleNamespaceSelector'));
    if (evaluating.length === 0) { findings.push({ object, check: 'alerts', message: 'no Prometheus selects this rule: its alerts are never evaluated' }); continue; }
    for (const prom of evaluating) {
      const ams = alertmanagersOf(cluster, prom);
      if (ams.length === 0) { findings.push({ object, check: 'alerts', message: `${objectId(prom)} sends alerts to no Alertmanager pods (alerting.alertmanagers resolves to none)` }); continue; }
      for (const am of ams) {
        const config = alertmanagerConfig(cluster, am);
        if (!config?.route) { findings.push({ object, check: 'alerts', message: `${objectId(am)} has no configuration with a route in the output` }); continue; }
        const receivers = new Map((config.receivers ?? []).map((r: any) => [r.name, r]));
        for (const a of alerts) {
          const labels = { ...(prom.spec?.externalLabels ?? {}), ...(a.labels ?? {}), alertname: a.alert };
          const got = routeReceivers(config.route, labels);
          const dead = got.filter((r) => !hasIntegration(receivers.get(r)));
          if (dead.length === got.length) {
            findings.push({ object, check: 'alerts', message: `alert ${a.alert} ${JSON.stringify(a.labels ?? {})} routes to ${got.join(', ')} of ${objectId(am)}, which delivers nowhere` });
          }
        }
      }
    }
  }
  return findings;
}
