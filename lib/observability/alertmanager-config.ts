import { IConstruct } from 'constructs';
import { fail, SecretKeyReference, secretKeyProp } from '../shared';
import { Priority } from './rules';

/** Where the operator mounts `spec.secrets` of an Alertmanager: credentials are read from files, never inlined. */
export const ALERTMANAGER_SECRETS_DIR = '/etc/alertmanager/secrets';

/** Notification integrations of one priority; credentials come from Secrets. */
export interface ReceiverOptions {
  /** PagerDuty Events v2. */
  readonly pagerduty?: { readonly routingKey: SecretKeyReference };
  /** Slack incoming webhook. */
  readonly slack?: { readonly apiUrl: SecretKeyReference; readonly channel: string };
  /** A generic webhook; the URL is not secret, an optional bearer token is. */
  readonly webhook?: { readonly url: string; readonly bearerToken?: SecretKeyReference };
  /** E-mail through an SMTP relay. */
  readonly email?: { readonly to: string; readonly from: string; readonly smarthost: string; readonly username?: string; readonly password?: SecretKeyReference };
}

/** How fast each priority is notified and repeated (P0 at once, P1 within 1 h, P2 4 h, P3 24 h). */
export const PRIORITY_TIMING: Record<Priority, { receiver: string; groupWait: string; groupInterval: string; repeatInterval: string }> = {
  P0: { receiver: 'p0-page', groupWait: '10s', groupInterval: '1m', repeatInterval: '30m' },
  P1: { receiver: 'p1-urgent', groupWait: '30s', groupInterval: '5m', repeatInterval: '1h' },
  P2: { receiver: 'p2-chat', groupWait: '1m', groupInterval: '10m', repeatInterval: '4h' },
  P3: { receiver: 'p3-ticket', groupWait: '5m', groupInterval: '30m', repeatInterval: '24h' },
};

const ORDER: Priority[] = ['P0', 'P1', 'P2', 'P3'];

export interface RenderedAlertmanagerConfig {
  /** alertmanager.yaml as an object. */
  readonly config: Record<string, any>;
  /** Secrets the configuration reads files from (mounted by the operator). */
  readonly secretNames: string[];
}

/**
 * The Alertmanager configuration: one route per priority with its timing, lower priorities
 * inhibited while a higher one fires for the same service, and receivers from props.
 */
export function renderAlertmanagerConfig(scope: IConstruct, receivers: Partial<Record<Priority, ReceiverOptions>>, groupBy: string[]): RenderedAlertmanagerConfig {
  const secretNames = new Set<string>();
  const file = (prop: string, ref: SecretKeyReference) => {
    const r = secretKeyProp(scope, prop, ref);
    secretNames.add(r.name);
    return `${ALERTMANAGER_SECRETS_DIR}/${r.name}/${r.key}`;
  };
  for (const key of Object.keys(receivers)) {
    if (!ORDER.includes(key as Priority)) fail(scope, `receivers.${key}`, key, 'priorities are P0, P1, P2 and P3');
  }

  const renderReceiver = (priority: Priority) => {
    const r = receivers[priority] ?? {};
    const prop = `receivers.${priority}`;
    const out: Record<string, any> = { name: PRIORITY_TIMING[priority].receiver };
    if (r.pagerduty) out.pagerduty_configs = [{ routing_key_file: file(`${prop}.pagerduty.routingKey`, r.pagerduty.routingKey), severity: priority === 'P0' ? 'critical' : 'error', send_resolved: true }];
    if (r.slack) {
      if (!/^[#@]?[a-z0-9][a-z0-9._-]*$/.test(r.slack.channel)) fail(scope, `${prop}.slack.channel`, r.slack.channel, "must be a Slack channel such as '#ops-alerts'");
      out.slack_configs = [{
        api_url_file: file(`${prop}.slack.apiUrl`, r.slack.apiUrl),
        channel: r.slack.channel,
        send_resolved: true,
        title: `[${priority}] {{ .CommonLabels.alertname }} {{ .CommonLabels.service }}`,
        text: '{{ range .Alerts }}{{ .Annotations.summary }}\n{{ end }}',
      }];
    }
    if (r.webhook) {
      if (!/^https?:\/\/[^\s@]+$/.test(r.webhook.url)) fail(scope, `${prop}.webhook.url`, r.webhook.url, 'must be an http(s) URL without credentials (put a token in bearerToken)');
      out.webhook_configs = [{
        url: r.webhook.url,
        send_resolved: true,
        ...(r.webhook.bearerToken ? { http_config: { authorization: { credentials_file: file(`${prop}.webhook.bearerToken`, r.webhook.bearerToken) } } } : {}),
      }];
    }
    if (r.email) {
      const mail = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
      if (!mail.test(r.email.to)) fail(scope, `${prop}.email.to`, r.email.to, 'must be an e-mail address');
      if (!mail.test(r.email.from)) fail(scope, `${prop}.email.from`, r.email.from, 'must be an e-mail address');
      if (!/^[a-z0-9.-]+:[0-9]+$/.test(r.email.smarthost)) fail(scope, `${prop}.email.smarthost`, r.email.smarthost, "must be host:port such as 'smtp.example.com:587'");
      out.email_configs = [{
        to: r.email.to,
        from: r.email.from,
        smarthost: r.email.smarthost,
        send_resolved: true,
        ...(r.email.username ? { auth_username: r.email.username } : {}),
        ...(r.email.password ? { auth_password_file: file(`${prop}.email.password`, r.email.password) } : {}),
      }];
    }
    return out;
  };

  const config = {
    global: { resolve_timeout: '5m' },
    route: {
      // Alerts without a priority label are treated as P3 (ticket), never dropped.
      receiver: PRIORITY_TIMING.P3.receiver,
      group_by: groupBy,
      group_wait: PRIORITY_TIMING.P3.groupWait,
      group_interval: PRIORITY_TIMING.P3.groupInterval,
      repeat_interval: PRIORITY_TIMING.P3.repeatInterval,
      routes: ORDER.map((p) => ({
        receiver: PRIORITY_TIMING[p].receiver,
        matchers: [`priority="${p}"`],
        group_wait: PRIORITY_TIMING[p].groupWait,
        group_interval: PRIORITY_TIMING[p].groupInterval,
        repeat_interval: PRIORITY_TIMING[p].repeatInterval,
      })),
    },
    // While a higher priority fires for a service, its lower-priority alerts are noise.
    inhibit_rules: ORDER.slice(0, 3).map((p, i) => ({
      source_matchers: [`priority="${p}"`],
      target_matchers: [`priority=~"${ORDER.slice(i + 1).join('|')}"`],
      equal: ['namespace', 'service'],
    })),
    receivers: ORDER.map(renderReceiver),
  };
  return { config, secretNames: [...secretNames].sort() };
}
