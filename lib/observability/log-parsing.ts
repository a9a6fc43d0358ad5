/**
 * How each log source is parsed into Elastic Common Schema fields: grok patterns (Logstash's
 * ECS-v1 pattern library) rendered into the Logstash pipeline, and the same definitions the tests
 * evaluate on recorded sample lines. A line no pattern matches is kept and tagged, never dropped.
 */

/** One log source: which events it applies to (a Logstash condition) and its grok patterns, tried in order. */
export interface LogSource {
  /** Short name, used in the tag of unparsed lines (`<name>_unparsed`). */
  readonly name: string;
  /** Logstash condition selecting the source's events. */
  readonly condition: string;
  /** Grok patterns (ECS field references), first match wins. */
  readonly patterns: readonly string[];
  /** Tags added when no pattern matches (the line is kept as it came). */
  readonly tagOnFailure: readonly string[];
}

/** ECS field of the trace id, the link from a log line to its trace in Jaeger. */
export const TRACE_ID_FIELD = '[trace][id]';

/** The namespace label Filebeat's add_kubernetes_metadata sets. */
const K8S_NAMESPACE = '[kubernetes][namespace]';
const K8S_CONTAINER = '[kubernetes][container][name]';

/**
 * ingress-nginx's default `log-format-upstream` (controller v1.x):
 * `$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer"
 * "$http_user_agent" $request_length $request_time [$proxy_upstream_name] [$proxy_alternative_upstream_name]
 * $upstream_addr $upstream_response_length $upstream_response_time $upstream_status $req_id`.
 */
const LIST = '[^\\s,]+(?:, [^\\s,]+)*';

export const INGRESS_NGINX_ACCESS =
  '^%{IP:[client][ip]} - (?:-|%{DATA:[user][name]}) \\[%{HTTPDATE:[nginx][time_local]}\\] '
  + '"(?:%{WORD:[http][request][method]} (?<[url][original]>(?<[url][path]>[^?\\s]*)(?:\\?(?<[url][query]>\\S*))?) HTTP/%{NUMBER:[http][version]}|%{DATA:[nginx][raw_request]})" '
  + '%{INT:[http][response][status_code]:int} %{INT:[http][response][body][bytes]:int} '
  + '"(?:-|%{DATA:[http][request][referrer]})" "(?:-|%{DATA:[user_agent][original]})" '
  + '%{INT:[http][request][bytes]:int} %{NUMBER:[nginx][request_time]:float} '
  + '\\[%{DATA:[nginx][upstream][name]}\\] \\[%{DATA:[nginx][upstream][alternative_name]}\\] '
  // Upstream fields are lists ("a, b") when nginx retried another upstream; "-" when none was tried.
  + `(?:-|(?<[nginx][upstream][address]>${LIST})) (?:-|(?<[nginx][upstream][response_length]>${LIST})) `
  + `(?:-|(?<[nginx][upstream][response_time]>${LIST})) (?:-|(?<[nginx][upstream][status]>${LIST})) %{NOTSPACE:[http][request][id]}$`;

/** The controller's own (klog) lines on the same stream: parsed, so they are not taken for broken access lines. */
export const KLOG_LINE =
  '^(?<[log][level]>[IWEF])%{INT:[klog][date]} %{TIME:[klog][time]}\\s+%{INT:[process][thread][id]:int} %{DATA:[log][origin][file][name]}:%{INT:[log][origin][file][line]:int}\\] %{GREEDYDATA:[klog][message]}$';

/** Uvicorn's access log (the API's server): `INFO:     10.244.1.7:51234 - "GET /v1/search?q=a HTTP/1.1" 200 OK`. */
export const UVICORN_ACCESS =
  '^%{LOGLEVEL:[log][level]}:\\s+%{IP:[client][ip]}:%{INT:[client][port]:int} - '
  + '"%{WORD:[http][request][method]} (?<[url][original]>(?<[url][path]>[^?\\s]*)(?:\\?(?<[url][query]>\\S*))?) HTTP/%{NUMBER:[http][version]}" '
  + '%{INT:[http][response][status_code]:int}(?: %{GREEDYDATA:[http][response][status_text]})?$';

/**
 * OpenTelemetry's Python logging instrumentation (OTEL_PYTHON_LOG_CORRELATION=true) default format:
 * `%(asctime)s %(levelname)s [%(name)s] [%(filename)s:%(lineno)d] [trace_id=… span_id=… resource.service.name=… trace_sampled=…] - %(message)s`.
 */
export const OTEL_PYTHON_LINE =
  '^%{TIMESTAMP_ISO8601:[app][time]} %{LOGLEVEL:[log][level]} \\[%{DATA:[log][logger]}\\] \\[%{DATA:[log][origin][file][name]}:%{INT:[log][origin][file][line]:int}\\] '
  + '\\[trace_id=(?:0|%{BASE16NUM:[trace][id]}) span_id=(?:0|%{BASE16NUM:[span][id]}) resource\\.service\\.name=%{DATA:[service][name]} trace_sampled=%{WORD:[trace][sampled]}\\] - %{GREEDYDATA:[app][message]}$';

/** Options of `logSources()`. */
export interface LogSourcesOptions {
  /** Namespace of the ingress controller. */
  readonly ingressControllerNamespace: string;
}

/** The platform's log sources, in the order the pipeline applies them. */
export function logSources(o: LogSourcesOptions): LogSource[] {
  return [
    {
      name: 'ingress_access',
      condition: `${K8S_NAMESPACE} == "${o.ingressControllerNamespace}" and ${K8S_CONTAINER} == "controller"`,
      patterns: [INGRESS_NGINX_ACCESS, KLOG_LINE],
      tagOnFailure: ['_grokparsefailure', 'ingress_access_unparsed'],
    },
    {
      // Application lines that are not JSON (JSON lines are decoded before): access lines and
      // trace-correlated log lines. Anything else stays a plain message, tagged.
      name: 'app',
      condition: `[kubernetes] and ${K8S_NAMESPACE} != "${o.ingressControllerNamespace}" and ![@metadata][json]`,
      patterns: [UVICORN_ACCESS, OTEL_PYTHON_LINE],
      tagOnFailure: ['app_unparsed'],
    },
  ];
}

function quote(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/**
 * The Logstash filter section: JSON lines decoded (their trace ids moved to `trace.id`), then each
 * source's grok, then ECS conversions (request time in seconds to `event.duration` in nanoseconds,
 * `event.outcome` from the status).
 */
export function logstashFilter(sources: readonly LogSource[]): string {
  const lines = [
    'filter {',
    '  if [message] =~ /^\\{/ {',
    '    json { source => "message" target => "app" skip_on_invalid_json => true tag_on_failure => ["_jsonparsefailure"] }',
    '    if [app] {',
    '      mutate { add_field => { "[@metadata][json]" => "true" } }',
    // Trace ids under the names common loggers use (OpenTelemetry SDKs, structlog, zap, logback).
    ...['trace_id', 'traceId', 'trace.id', 'otelTraceID'].map((f) => `      if [app][${f}] and ![trace][id] { mutate { copy => { "[app][${f}]" => "${TRACE_ID_FIELD}" } } }`),
    ...['span_id', 'spanId', 'otelSpanID'].map((f) => `      if [app][${f}] and ![span][id] { mutate { copy => { "[app][${f}]" => "[span][id]" } } }`),
    ...['level', 'levelname', 'severity'].map((f) => `      if [app][${f}] and ![log][level] { mutate { copy => { "[app][${f}]" => "[log][level]" } } }`),
    '    }',
    '  }',
  ];
  for (const s of sources) {
    lines.push(
      `  if ${s.condition} {`,
      '    grok {',
      '      ecs_compatibility => "v1"',
      `      match => { "message" => [ ${s.patterns.map(quote).join(', ')} ] }`,
      `      tag_on_failure => [ ${s.tagOnFailure.map(quote).join(', ')} ]`,
      '    }',
      '  }',
    );
  }
  lines.push(
    '  if [nginx][request_time] {',
    '    ruby { code => "event.set(\'[event][duration]\', (event.get(\'[nginx][request_time]\').to_f * 1_000_000_000).round)" }',
    '  }',
    '  if [http][response][status_code] {',
    '    if [http][response][status_code] >= 500 { mutate { add_field => { "[event][outcome]" => "failure" } } }',
    '    else { mutate { add_field => { "[event][outcome]" => "success" } } }',
    '  }',
    '}',
  );
  return lines.join('\n');
}
