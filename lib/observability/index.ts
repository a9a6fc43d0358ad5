// Runbook generation (./runbooks) is a docs tool, not part of the runtime: it needs the yaml package,
// which consumers do not install; scripts/runbooks.ts and the tests import it by path.
export * from './alertmanager-cluster';
export * from './alertmanager-config';
export * from './blackbox-exporter';
export * from './dashboards';
export * from './elastalert';
export * from './grafana';
export * from './jaeger';
export * from './kibana-objects';
export * from './log-alerts';
export * from './log-parsing';
export * from './logging-stack';
export * from './observability-stack';
export * from './prometheus-server';
export * from './rules';
export * from './system-exporters';
