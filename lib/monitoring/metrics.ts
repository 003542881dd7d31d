/**
 * The Prometheus metrics ingress-nginx controller v1.15.1 exports, as declared in its source
 * (`internal/ingress/metric/collectors/{socket,controller,nginx_status,process}.go` at tag controller-v1.15.1).
 * Every PromQL expression this library emits is built from this table, so a metric or label that the
 * controller does not export fails `npm run synth` instead of producing an alert that never fires.
 */
import { KUBERNETES_CONTAINER_SERIES } from './kubernetes-metrics';

/** Prometheus metric type. */
export type MetricType = 'counter' | 'gauge' | 'histogram';

/** One metric family of the controller. */
export interface MetricDeclaration {
  /** Metric family name (for histograms without the `_bucket`/`_sum`/`_count` suffix). */
  readonly name: string;
  /** Prometheus type: a histogram is exported as `<name>_bucket`, `<name>_sum` and `<name>_count` series. */
  readonly type: MetricType;
  /** Label names as the controller exports them (before Prometheus adds target labels). */
  readonly labels: readonly string[];
  /** One line of documentation. */
  readonly doc: string;
}

/** Constant labels every controller collector adds. */
const CONTROLLER = ['controller_namespace', 'controller_class', 'controller_pod'] as const;
/**
 * Labels of the per-request metrics (socket collector). `host` is present because the controller runs with
 * `--metrics-per-host=true` (the default); `status` holds the exact code unless `--report-status-classes` is set.
 */
const REQUEST = [
  ...CONTROLLER,
  'status',
  'method',
  'path',
  'namespace',
  'ingress',
  'service',
  'canary',
  'host',
] as const;

function metric(name: string, type: MetricType, labels: readonly string[], doc: string): MetricDeclaration {
  return { name: `nginx_ingress_controller_${name}`, type, labels, doc };
}

/** The controller's metric families. */
export const INGRESS_NGINX_METRICS: readonly MetricDeclaration[] = [
  metric('requests', 'counter', REQUEST, 'The total number of client requests that reached an Ingress location'),
  metric('request_duration_seconds', 'histogram', REQUEST, 'The request processing time'),
  metric(
    'response_duration_seconds',
    'histogram',
    REQUEST,
    'The time spent on receiving the response from the upstream server',
  ),
  metric(
    'connect_duration_seconds',
    'histogram',
    REQUEST,
    'The time spent on establishing a connection with the upstream server',
  ),
  metric(
    'header_duration_seconds',
    'histogram',
    REQUEST,
    'The time spent on receiving first header from the upstream server',
  ),
  metric('request_size', 'histogram', REQUEST, 'The request length (including request line, header, and request body)'),
  metric(
    'response_size',
    'histogram',
    REQUEST,
    'The response length (including request line, header, and request body)',
  ),
  metric('bytes_sent', 'histogram', REQUEST, 'DEPRECATED The number of bytes sent to a client'),
  metric('config_hash', 'gauge', CONTROLLER, 'Running configuration hash actually running'),
  metric(
    'config_last_reload_successful',
    'gauge',
    CONTROLLER,
    'Whether the last configuration reload attempt was successful',
  ),
  metric(
    'config_last_reload_successful_timestamp_seconds',
    'gauge',
    CONTROLLER,
    'Timestamp of the last successful configuration reload',
  ),
  metric('success', 'counter', CONTROLLER, 'Cumulative number of Ingress controller reload operations'),
  metric('errors', 'counter', CONTROLLER, 'Cumulative number of Ingress controller errors during reload operations'),
  metric(
    'check_success',
    'counter',
    [...CONTROLLER, 'namespace', 'ingress'],
    'Cumulative number of Ingress controller syntax check operations',
  ),
  metric(
    'check_errors',
    'counter',
    [...CONTROLLER, 'namespace', 'ingress'],
    'Cumulative number of Ingress controller errors during syntax check operations',
  ),
  metric(
    'ssl_expire_time_seconds',
    'gauge',
    ['namespace', 'class', 'host', 'secret_name', 'identifier'],
    'Number of seconds since 1970 to the SSL certificate expiry',
  ),
  metric(
    'ssl_certificate_info',
    'gauge',
    [
      'namespace',
      'class',
      'host',
      'secret_name',
      'identifier',
      'issuer_organization',
      'issuer_common_name',
      'serial_number',
      'public_key_algorithm',
    ],
    'Hold all labels associated to a certificate',
  ),
  metric('leader_election_status', 'gauge', [...CONTROLLER, 'name'], 'Leader election status: 1 leader, 0 follower'),
  metric(
    'orphan_ingress',
    'gauge',
    [...CONTROLLER, 'namespace', 'ingress', 'type'],
    'Ingress orphanity: 1 when the Ingress has no service or no endpoint',
  ),
  metric(
    'nginx_process_requests_total',
    'counter',
    CONTROLLER,
    'Total number of requests nginx accepted (stub_status), including those rejected before any location',
  ),
  metric(
    'nginx_process_connections',
    'gauge',
    [...CONTROLLER, 'state'],
    'Current number of client connections by state',
  ),
  metric(
    'nginx_process_connections_total',
    'counter',
    [...CONTROLLER, 'state'],
    'Total number of connections by state',
  ),
  metric('nginx_process_num_procs', 'gauge', CONTROLLER, 'Number of nginx processes'),
  metric('nginx_process_cpu_seconds_total', 'counter', CONTROLLER, 'CPU seconds used by nginx'),
  metric('nginx_process_resident_memory_bytes', 'gauge', CONTROLLER, 'Resident memory of nginx'),
  metric('nginx_process_virtual_memory_bytes', 'gauge', CONTROLLER, 'Virtual memory of nginx'),
  metric('nginx_process_oldest_start_time_seconds', 'gauge', CONTROLLER, 'Start time of the oldest nginx process'),
  metric('nginx_process_read_bytes_total', 'counter', CONTROLLER, 'Bytes read by nginx'),
  metric('nginx_process_write_bytes_total', 'counter', CONTROLLER, 'Bytes written by nginx'),
];

/**
 * Labels Prometheus (through a prometheus-operator ServiceMonitor) attaches to every scraped series. When the
 * controller exports a label of the same name, Prometheus keeps the target's and renames the exported one to
 * `exported_<name>` (`honorLabels: false`, the default): `namespace` becomes `exported_namespace` and `service`
 * becomes `exported_service` on the request metrics.
 */
export const SCRAPE_TARGET_LABELS: readonly string[] = [
  'job',
  'instance',
  'namespace',
  'service',
  'pod',
  'container',
  'endpoint',
];

/** Series Prometheus itself records per scrape target. */
export const PROMETHEUS_TARGET_METRICS: readonly MetricDeclaration[] = [
  { name: 'up', type: 'gauge', labels: [], doc: '1 when the last scrape of the target succeeded' },
];

/** A label name as it appears on the scraped series in Prometheus. */
export function scrapedLabelName(label: string): string {
  return SCRAPE_TARGET_LABELS.includes(label) ? `exported_${label}` : label;
}

/** Every series name a metric family produces in Prometheus (histograms expand to bucket/sum/count). */
export function seriesNamesOf(m: MetricDeclaration): string[] {
  return m.type === 'histogram' ? [`${m.name}_bucket`, `${m.name}_sum`, `${m.name}_count`] : [m.name];
}

/**
 * Label names a scraped series may be selected or grouped by: exported labels (renamed on clash), target labels, `le`
 * for buckets.
 */
export function scrapedLabelsOf(seriesName: string): ReadonlySet<string> | undefined {
  for (const m of [...INGRESS_NGINX_METRICS, ...PROMETHEUS_TARGET_METRICS]) {
    if (!seriesNamesOf(m).includes(seriesName)) continue;
    const labels = new Set<string>([...m.labels.map(scrapedLabelName), ...SCRAPE_TARGET_LABELS]);
    if (seriesName.endsWith('_bucket')) labels.add('le');
    return labels;
  }
  const container = KUBERNETES_CONTAINER_SERIES.find((k) => k.name === seriesName);
  return container ? new Set(container.labels) : undefined;
}
