import { Construct } from 'constructs';
import { ServiceMonitor } from '../../imports/monitoring.coreos.com';
import { DEFAULT_MONITORING_STACK, MONITORING_STACK_LABEL } from './labels';

export interface ScrapeEndpoint {
  /** Service port name. */
  readonly port: string;
  /** HTTP path. @default '/metrics' */
  readonly path?: string;
  /** Scrape interval. @default '30s' */
  readonly interval?: string;
}

/** The scrape timeout of every ServiceMonitor; Prometheus drops a target whose interval is shorter. */
export const SCRAPE_TIMEOUT = '10s';

/** A ServiceMonitor picked up by the named monitoring stack (one label convention for all). */
export function stackServiceMonitor(
  scope: Construct, id: string, name: string, labels: Record<string, string>, selector: Record<string, string>, endpoints: ScrapeEndpoint[],
  stack?: string, targetNamespace?: string, matchExpressions?: Array<{ key: string; operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist'; values?: string[] }>,
): ServiceMonitor {
  return new ServiceMonitor(scope, id, {
    metadata: { name, labels: { ...labels, [MONITORING_STACK_LABEL]: stack ?? DEFAULT_MONITORING_STACK } },
    spec: {
      selector: { matchLabels: selector, ...(matchExpressions?.length ? { matchExpressions } : {}) },
      ...(targetNamespace ? { namespaceSelector: { matchNames: [targetNamespace] } } : {}),
      endpoints: endpoints.map((e) => ({ port: e.port, path: e.path ?? '/metrics', interval: e.interval ?? '30s', scrapeTimeout: SCRAPE_TIMEOUT })),
    },
  });
}
