import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { KubeConfigMap } from '../../core/kube';
import {
  checkDnsLabel,
  checkDnsSubdomain,
  checkKubernetesLabels,
  checkPrometheusLabelName,
  invalid,
  PropsValidator,
  propsValidator,
} from '../../core/validation';
import { mergeMetadata, ObjectMetadataOptions } from '../../core/metadata';
import { eq, re, series, sumBy } from '../promql';
import { GrafanaDashboardModel } from './model';

/** Where the controller's logs are found in Loki (labels set by the log shipper, e.g. Promtail or Grafana Alloy). */
export interface LokiLogStream {
  /**
   * Loki stream labels selecting the controller container's logs, e.g. `{ namespace: 'ingress-nginx', container:
   * 'controller' }`.
   */
  readonly labels: Readonly<Record<string, string>>;
}

/** Props of {@link EdgeDashboard}. */
export interface EdgeDashboardProps {
  /** Name of the ConfigMap. */
  readonly name: string;
  /** Namespace of the ConfigMap (kube-prometheus-stack's Grafana sidecar searches all namespaces by default). */
  readonly namespace: string;
  /** Namespace of the ingress-nginx controller (the `controller_namespace` label of its metrics). */
  readonly controllerNamespace: string;
  /**
   * Label the Grafana sidecar selects dashboard ConfigMaps by.
   * @default { grafana_dashboard: '1' }
   */
  readonly sidecarLabels?: Readonly<Record<string, string>>;
  /**
   * Loki stream of the controller logs for the "blocks by rule id / client" panels (ModSecurity's JSON audit log).
   * @default - no log panels
   */
  readonly logs?: LokiLogStream;
  /**
   * Dashboard uid.
   * @default 'edge-waf-mtls'
   */
  readonly uid?: string;
  /**
   * Labels and annotations added to the dashboard ConfigMap. The sidecar labels and the annotation that keeps Flux
   * substitution off (`kustomize.toolkit.fluxcd.io/substitute`) cannot be overridden here.
   * @default none
   */
  readonly metadata?: ObjectMetadataOptions;
}

const REQUESTS = 'nginx_ingress_controller_requests';
const DURATION_BUCKET = 'nginx_ingress_controller_request_duration_seconds_bucket';
const TOTAL = 'nginx_ingress_controller_nginx_process_requests_total';

/** JSON paths of the ModSecurity v3 JSON audit record that the log panels and docs/monitoring.md read. */
export const AUDIT_LOG_FIELDS = {
  ruleId: 'transaction.messages[0].details.ruleId',
  message: 'transaction.messages[0].message',
  clientIp: 'transaction.client_ip',
  uri: 'transaction.request.uri',
  status: 'transaction.response.http_code',
} as const;

/**
 * The host of an audit record, as a regex with the named group `host` (RE2 and PCRE): the default audit parts carry
 * no request headers (credentials), so the WAF policy's audit-context rule (lib/waf/audit.ts) adds the host nginx
 * routed the request to as a message, `"data":"host=/<host>/"`.
 */
export const AUDIT_HOST_PATTERN = '"data":"host=/(?P<host>[^/"]*)/"';

/**
 * Builds the edge's Grafana dashboard: traffic, WAF blocks by host (metrics) and by rule id and client (audit log
 * in Loki), mTLS failures, latency percentiles, configuration reloads and certificate expiry.
 */
export function buildEdgeDashboard(
  props: Pick<EdgeDashboardProps, 'controllerNamespace' | 'logs' | 'uid'>,
): GrafanaDashboardModel {
  const ns = eq('controller_namespace', props.controllerNamespace);
  const hostVar = re('host', '$host');
  const requests = (extra: ReturnType<typeof eq>[] = []): string => series(REQUESTS, [ns, hostVar, ...extra]);
  const d = new GrafanaDashboardModel({
    uid: props.uid ?? 'edge-waf-mtls',
    title: 'Edge: WAF and mTLS (ingress-nginx)',
    description:
      'What happened on the edge: traffic, ModSecurity blocks, client-certificate failures, latency, reloads, certificates.',
    tags: ['ingress-nginx', 'waf', 'mtls'],
    logs: props.logs !== undefined,
    variables: { host: `label_values(${series(REQUESTS, [ns])}, host)` },
  });

  d.addRow('Traffic');
  d.addPanel({
    title: 'Requests per second by host and status',
    kind: 'timeseries',
    source: 'metrics',
    unit: 'reqps',
    stacked: true,
    width: 16,
    description: 'Requests that reached an Ingress, by host and HTTP status.',
    queries: [
      {
        expr: sumBy(REQUESTS, ['host', 'status'], `rate(${requests()}[$__rate_interval])`),
        legend: '{{host}} {{status}}',
      },
    ],
  });
  d.addPanel({
    title: 'Share of 5xx responses',
    kind: 'stat',
    source: 'metrics',
    unit: 'percentunit',
    width: 8,
    description: 'Server errors as a share of all requests over the selected range.',
    queries: [
      {
        expr: `(${sumBy(REQUESTS, [], `increase(${requests([re('status', '5..')])}[$__range])`)} or vector(0)) / ${sumBy(REQUESTS, [], `increase(${requests()}[$__range])`)}`,
        instant: true,
      },
    ],
  });

  d.addRow('WAF (ModSecurity + OWASP CRS)');
  d.addPanel({
    title: 'WAF blocks (HTTP 403) by host',
    kind: 'timeseries',
    source: 'metrics',
    unit: 'reqps',
    stacked: true,
    description:
      'Requests answered 403: ModSecurity denials (CRS anomaly score, denied IPs and headers) and other access denials.',
    queries: [
      {
        expr: sumBy(REQUESTS, ['host'], `rate(${requests([eq('status', '403')])}[$__rate_interval])`),
        legend: '{{host}}',
      },
    ],
  });
  d.addPanel({
    title: 'WAF blocks by Ingress and path',
    kind: 'table',
    source: 'metrics',
    unit: 'short',
    description: 'Blocked requests over the selected range, by Ingress (exported_namespace/ingress) and path.',
    queries: [
      {
        expr: `topk(20, ${sumBy(REQUESTS, ['host', 'exported_namespace', 'ingress', 'path'], `increase(${requests([eq('status', '403')])}[$__range])`)})`,
        instant: true,
      },
    ],
  });
  if (props.logs) {
    const stream = lokiSelector(props.logs.labels);
    const audit = `${stream} |= \`"transaction"\` | json rule_id="${AUDIT_LOG_FIELDS.ruleId}", client_ip="${AUDIT_LOG_FIELDS.clientIp}", status="${AUDIT_LOG_FIELDS.status}" | regexp \`${AUDIT_HOST_PATTERN}\` | status="403" | host=~"$host"`;
    d.addPanel({
      title: 'WAF blocks by rule id',
      kind: 'timeseries',
      source: 'logs',
      unit: 'short',
      stacked: true,
      description:
        'ModSecurity audit records (JSON on the controller stdout) of blocked requests, by the id of the first matching rule.',
      queries: [{ expr: `sum by (rule_id) (count_over_time(${audit} [$__interval]))`, legend: '{{rule_id}}' }],
    });
    d.addPanel({
      title: 'Top blocked clients and rules',
      kind: 'table',
      source: 'logs',
      unit: 'short',
      description: 'Blocked requests over the selected range by client IP, host and rule id (from the audit log).',
      queries: [
        { expr: `topk(20, sum by (client_ip, host, rule_id) (count_over_time(${audit} [$__range])))`, instant: true },
      ],
    });
  }

  d.addRow('Mutual TLS');
  d.addPanel({
    title: 'Requests rejected before an Ingress (client-certificate failures)',
    kind: 'timeseries',
    source: 'metrics',
    unit: 'reqps',
    width: 24,
    description:
      "nginx answers a missing or invalid client certificate with 400 before any Ingress location runs, so ingress-nginx does not count it per host. This is nginx's own request count minus the requests that reached an Ingress, per controller pod; a small steady floor is the controller's own status and health requests.",
    queries: [
      {
        expr: `clamp_min(${sumBy(TOTAL, ['controller_pod'], `rate(${series(TOTAL, [ns])}[$__rate_interval])`)} - (${sumBy(REQUESTS, ['controller_pod'], `rate(${series(REQUESTS, [ns])}[$__rate_interval])`)} or ${sumBy(TOTAL, ['controller_pod'], `rate(${series(TOTAL, [ns])}[$__rate_interval])`)} * 0), 0)`,
        legend: '{{controller_pod}}',
      },
    ],
  });

  d.addRow('Latency');
  d.addPanel({
    title: 'Request duration percentiles',
    kind: 'timeseries',
    source: 'metrics',
    unit: 's',
    width: 24,
    description: 'p50, p95 and p99 of the request processing time (nginx $request_time) of the selected hosts.',
    queries: [0.5, 0.95, 0.99].map((q) => ({
      expr: `histogram_quantile(${q}, ${sumBy(DURATION_BUCKET, ['le'], `rate(${series(DURATION_BUCKET, [ns, hostVar])}[$__rate_interval])`)})`,
      legend: `p${Math.round(q * 100)}`,
    })),
  });

  d.addRow('Controller');
  d.addPanel({
    title: 'Configuration reloads',
    kind: 'timeseries',
    source: 'metrics',
    unit: 'short',
    width: 12,
    description:
      'Successful and failed nginx reloads per pod. Reloads follow Ingress, ConfigMap (WAF rules) and certificate changes.',
    queries: [
      {
        expr: sumBy(
          'nginx_ingress_controller_success',
          ['controller_pod'],
          `increase(${series('nginx_ingress_controller_success', [ns])}[$__rate_interval])`,
        ),
        legend: 'reloads {{controller_pod}}',
      },
      {
        expr: sumBy(
          'nginx_ingress_controller_errors',
          ['controller_pod'],
          `increase(${series('nginx_ingress_controller_errors', [ns])}[$__rate_interval])`,
        ),
        legend: 'failed {{controller_pod}}',
      },
    ],
  });
  d.addPanel({
    title: 'Last reload successful',
    kind: 'stat',
    source: 'metrics',
    unit: 'none',
    width: 4,
    description:
      '1 when every controller pod applied its last configuration; 0 means a pod is serving an old configuration.',
    queries: [
      { expr: `min(${series('nginx_ingress_controller_config_last_reload_successful', [ns])})`, instant: true },
    ],
  });
  d.addPanel({
    title: 'Server certificates: time to expiry',
    kind: 'table',
    source: 'metrics',
    unit: 'dtdurations',
    width: 8,
    description: 'Time left on each served certificate (cert-manager renews 30 days before expiry).',
    queries: [
      {
        expr: `${`min by (host, secret_name) (${series('nginx_ingress_controller_ssl_expire_time_seconds', [eq('namespace', props.controllerNamespace)])})`} - time()`,
        instant: true,
      },
    ],
  });
  return d;
}

/** A LogQL stream selector from labels. */
export function lokiSelector(labels: Readonly<Record<string, string>>): string {
  const entries = Object.entries(labels);
  if (entries.length === 0)
    invalid(
      'logs.labels',
      labels,
      'is empty; Loki needs at least one stream label',
      'give e.g. { namespace: "ingress-nginx", container: "controller" }',
    );
  for (const [k, v] of entries) {
    checkPrometheusLabelName(`logs.labels.${k}`, k);
    if (typeof v !== 'string' || v === '')
      invalid(
        `logs.labels.${k}`,
        v,
        'is not a label value',
        'give the value the log shipper sets, e.g. "ingress-nginx"',
      );
    // Grafana replaces $name / ${name} / [[name]] in queries with dashboard variables before Loki sees them.
    if (/\$|\[\[/.test(v))
      invalid(
        `logs.labels.${k}`,
        v,
        'contains "$" or "[[", which Grafana would replace with a dashboard variable',
        'give the literal label value, without "$" or "[["',
      );
  }
  return `{${entries.map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(', ')}}`;
}

/**
 * The edge dashboard as a ConfigMap the Grafana sidecar (kube-prometheus-stack) loads: label `grafana_dashboard: "1"`,
 * one key `<uid>.json` holding the dashboard JSON.
 */
export class EdgeDashboard extends Construct {
  /** The emitted ConfigMap. */
  public readonly configMap: ApiObject;
  /** The dashboard JSON document. */
  public readonly dashboard: Record<string, unknown>;

  constructor(scope: Construct, id: string, props: EdgeDashboardProps) {
    super(scope, id);
    const v: PropsValidator = propsValidator(this, 'EdgeDashboard');
    v.check(() => checkDnsSubdomain('name', props.name));
    v.check(() => checkDnsLabel('namespace', props.namespace));
    v.check(() => checkDnsLabel('controllerNamespace', props.controllerNamespace));
    const sidecarLabels = props.sidecarLabels ?? { grafana_dashboard: '1' };
    if (Object.keys(sidecarLabels).length === 0)
      v.invalid(
        'sidecarLabels',
        sidecarLabels,
        'is empty, so the Grafana sidecar would not find the dashboard',
        'use the sidecar label, by default { grafana_dashboard: "1" }',
      );
    v.check(() => checkKubernetesLabels('sidecarLabels', sidecarLabels));
    // Grafana uids are at most 40 characters; the uid also names the ConfigMap key `<uid>.json`.
    if (props.uid !== undefined && !/^[A-Za-z0-9_-]{1,40}$/.test(props.uid))
      v.invalid(
        'uid',
        props.uid,
        'is not a Grafana dashboard uid',
        'use at most 40 letters, digits, "-" and "_", e.g. "edge-waf-mtls"',
      );
    const model = v.check(() => buildEdgeDashboard(props));
    this.dashboard = model.toJson();
    this.configMap = new KubeConfigMap(this, 'Resource', {
      // The JSON holds Grafana variables such as ${datasource}: keep Flux post-build substitution away from it.
      metadata: {
        name: props.name,
        namespace: props.namespace,
        ...v.check(() =>
          mergeMetadata('metadata', props.metadata, {
            labels: { ...sidecarLabels },
            annotations: { 'kustomize.toolkit.fluxcd.io/substitute': 'disabled' },
          }),
        ),
      },
      data: { [`${this.dashboard.uid as string}.json`]: `${JSON.stringify(this.dashboard, null, 2)}\n` },
    });
  }
}
