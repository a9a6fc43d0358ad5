/** Grafana dashboards as plain data: a monitorable target returns its panels, the stack renders them. */

export interface PanelSpec {
  readonly title: string;
  /** PromQL queries; `$__rate_interval` is Grafana's rate window. */
  readonly queries: ReadonlyArray<{ readonly expr: string; readonly legend?: string }>;
  /** Grafana unit, e.g. 'reqps', 'percentunit', 's', 'bytes'. @default 'short' */
  readonly unit?: string;
  /** 'timeseries' or 'stat'. @default 'timeseries' */
  readonly type?: 'timeseries' | 'stat';
}

export interface DashboardSpec {
  readonly uid: string;
  readonly title: string;
  readonly tags: string[];
  readonly panels: PanelSpec[];
}
