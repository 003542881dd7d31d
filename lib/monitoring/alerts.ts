import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { PrometheusRule, PrometheusRuleSpecGroupsRulesExpr } from '../../imports/monitoring.coreos.com';
import {
  checkDnsLabel,
  checkDnsSubdomain,
  checkHostname,
  checkIntegerInRange,
  checkKubernetesLabels,
  checkNoTemplate,
  checkUnique,
  checkUrl,
  invalid,
  PropsValidator,
  propsValidator,
} from '../core/validation';
import { CONTROLLER_CONTAINER_NAME } from '../controller/deployment';
import { mergeMetadata, ObjectMetadataOptions } from '../core/metadata';
import { anyOf, checkDuration, durationSeconds, eq, LabelMatcher, ne, PromDuration, re, series, sumBy } from './promql';

/**
 * When a rate counts as a spike: `factor` times its own average over the preceding `baseline`, and at least
 * `minimumPerMinute`.
 */
export interface SpikeThreshold {
  /**
   * How many times the baseline rate the current rate must reach.
   * @default 3
   */
  readonly factor?: number;
  /**
   * Window of the current rate.
   * @default '5m'
   */
  readonly window?: PromDuration;
  /**
   * Window of the baseline, ending where the current window starts.
   * @default '1h'
   */
  readonly baseline?: PromDuration;
  /**
   * Minimum events per minute before the alert fires at all (keeps a quiet host from alerting on 2 events).
   * @default 10
   */
  readonly minimumPerMinute?: number;
}

/** The alerts of the edge, with the anchor of their runbook section in docs/monitoring.md. */
export const EDGE_ALERTS = {
  wafBlockSpike: { alert: 'EdgeWafBlockSpike', anchor: 'edgewafblockspike' },
  mtlsFailureSpike: { alert: 'EdgeMtlsFailureSpike', anchor: 'edgemtlsfailurespike' },
  configReloadFailed: { alert: 'EdgeConfigReloadFailed', anchor: 'edgeconfigreloadfailed' },
  certificateExpiringSoon: { alert: 'EdgeCertificateExpiringSoon', anchor: 'edgecertificateexpiringsoon' },
  controllerDown: { alert: 'EdgeControllerDown', anchor: 'edgecontrollerdown' },
  controllerMemoryNearLimit: { alert: 'EdgeControllerMemoryNearLimit', anchor: 'edgecontrollermemorynearlimit' },
} as const;

/** Props of {@link EdgeAlertRules}. */
export interface EdgeAlertRulesProps {
  /** Name of the PrometheusRule. */
  readonly name: string;
  /** Namespace of the PrometheusRule; also the `namespace` label of every alert (AlertmanagerConfig routes by it). */
  readonly namespace: string;
  /**
   * Labels on the PrometheusRule so that Prometheus selects it (kube-prometheus-stack: `release: <release>`).
   * @default {}
   */
  readonly labels?: Readonly<Record<string, string>>;
  /** Namespace of the ingress-nginx controller (the `controller_namespace` label of its metrics). */
  readonly controllerNamespace: string;
  /** `job` label of the controller's scrape target: the metrics Service name (ServiceMonitor default). */
  readonly scrapeJob: string;
  /**
   * Hosts whose 403s count as WAF blocks.
   * @default - every host the controller serves
   */
  readonly wafHosts?: readonly string[];
  /** Hosts behind mutual TLS (named in the alert description; the metric itself cannot tell hosts apart). */
  readonly mtlsHosts: readonly string[];
  /**
   * Spike of WAF blocks (HTTP 403 on the WAF hosts).
   * @default { factor: 3, window: '5m', baseline: '1h', minimumPerMinute: 10 }
   */
  readonly wafBlockSpike?: SpikeThreshold;
  /**
   * Spike of requests nginx rejected before any Ingress location (failed client-certificate verification).
   * @default { factor: 3, window: '5m', baseline: '1h', minimumPerMinute: 10 }
   */
  readonly mtlsFailureSpike?: SpikeThreshold;
  /**
   * Alert when a server certificate expires within this many days.
   * @default 14
   */
  readonly certificateExpiryDays?: number;
  /**
   * Alert when a controller container's memory working set stays above this fraction of its memory limit. The sizing
   * rule (docs/controller-sizing.md) gives a limit of twice nginx' steady memory plus headroom, because a reload runs
   * old and new workers side by side: above about half the limit, the next reload under traffic can be OOM-killed.
   * @default 0.6
   */
  readonly controllerMemoryRatio?: number;
  /**
   * Labels added to every alert (an AlertmanagerConfig matches on them).
   * @default {}
   */
  readonly alertLabels?: Readonly<Record<string, string>>;
  /**
   * URL of the runbook document; each alert links to `<runbookUrl>#<alert name in lower case>`.
   * @default - no runbook_url annotation
   */
  readonly runbookUrl?: string;
  /**
   * Labels and annotations added to the PrometheusRule (e.g. for Argo CD or a policy engine). A key of `labels` above
   * or one
   * the construct sets itself cannot be overridden here.
   * @default none
   */
  readonly metadata?: ObjectMetadataOptions;
}

interface ResolvedSpike {
  readonly factor: number;
  readonly window: PromDuration;
  readonly baseline: PromDuration;
  readonly minimumPerMinute: number;
}

interface AlertRule {
  readonly alert: string;
  readonly anchor: string;
  readonly expr: string;
  readonly for: PromDuration;
  readonly severity: 'warning' | 'critical';
  readonly summary: string;
  readonly description: string;
}

/**
 * A prometheus-operator PrometheusRule with the alerts a WAF operator needs: WAF block spike, mTLS failure spike,
 * configuration reload failure, server certificate expiry, controller down, controller memory near its limit.
 * Expressions are built from the ingress-nginx v1.15.1 metric table (and the cAdvisor/kube-state-metrics container
 * series in kubernetes-metrics.ts) and fail synth when a metric or label does not exist.
 */
export class EdgeAlertRules extends Construct {
  /** The emitted PrometheusRule. */
  public readonly rule: ApiObject;
  /** The alerts, in the order they are emitted (name → PromQL expression). */
  public readonly expressions: ReadonlyMap<string, string>;

  constructor(scope: Construct, id: string, props: EdgeAlertRulesProps) {
    super(scope, id);
    const v: PropsValidator = propsValidator(this, 'EdgeAlertRules');
    v.check(() => checkDnsSubdomain('name', props.name));
    v.check(() => checkDnsLabel('namespace', props.namespace));
    v.check(() => checkDnsLabel('controllerNamespace', props.controllerNamespace));
    v.check(() => checkDnsLabel('scrapeJob', props.scrapeJob));
    (props.wafHosts ?? []).forEach((h, i) => v.check(() => checkHostname(`wafHosts[${i}]`, h, true)));
    v.check(() => checkUnique('wafHosts', props.wafHosts ?? []));
    if (props.wafHosts && props.wafHosts.length === 0)
      v.invalid(
        'wafHosts',
        props.wafHosts,
        'is empty, so no 403 would ever count as a WAF block',
        'list the WAF-protected hosts, or leave wafHosts out to watch every host',
      );
    props.mtlsHosts.forEach((h, i) => v.check(() => checkHostname(`mtlsHosts[${i}]`, h)));
    const certificateExpiryDays = v.check(() =>
      checkIntegerInRange(
        'certificateExpiryDays',
        props.certificateExpiryDays ?? 14,
        1,
        60,
        "use a number of days from 1 to 60 (Let's Encrypt certificates last 90 days and renew 30 days before expiry)",
      ),
    );
    // runbook_url is an alert annotation: Prometheus expands Go templates in it, and Slack shows it to every receiver.
    const runbookUrl = props.runbookUrl;
    if (runbookUrl !== undefined)
      v.check(() =>
        checkUrl('runbookUrl', runbookUrl, {
          schemes: ['https', 'http'],
          example: 'https://github.com/org/repo/blob/main/docs/monitoring.md (each alert appends #<anchor>)',
        }),
      );
    v.check(() => checkKubernetesLabels('labels', props.labels ?? {}));
    for (const key of Object.keys(props.alertLabels ?? {})) {
      if (!/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(key))
        v.invalid(
          `alertLabels.${key}`,
          key,
          'is not a valid Prometheus label name',
          'use letters, digits and "_", not starting with a digit',
        );
      if (['severity', 'namespace', 'alertname'].includes(key))
        v.invalid(`alertLabels.${key}`, key, 'is set by the alerts themselves', 'pick another label name');
      // Prometheus expands Go templates in alerting-rule labels too.
      v.check(() => checkNoTemplate(`alertLabels.${key}`, (props.alertLabels ?? {})[key]));
    }
    const memoryRatio = props.controllerMemoryRatio ?? 0.6;
    if (typeof memoryRatio !== 'number' || !(memoryRatio > 0 && memoryRatio < 1))
      v.invalid(
        'controllerMemoryRatio',
        memoryRatio,
        'is not a fraction between 0 and 1',
        'use a fraction of the memory limit such as 0.6',
      );
    const waf = v.check(() => resolveSpike('wafBlockSpike', props.wafBlockSpike));
    const mtls = v.check(() => resolveSpike('mtlsFailureSpike', props.mtlsFailureSpike));

    const rules = [
      wafBlockSpike(props, waf),
      mtlsFailureSpike(props, mtls),
      configReloadFailed(props),
      certificateExpiringSoon(props, certificateExpiryDays),
      controllerDown(props),
      controllerMemoryNearLimit(props, memoryRatio),
    ];
    this.expressions = new Map(rules.map((r) => [r.alert, r.expr]));

    this.rule = new PrometheusRule(this, 'Resource', {
      metadata: {
        name: props.name,
        namespace: props.namespace,
        ...v.check(() => mergeMetadata('metadata', props.metadata, { labels: { ...(props.labels ?? {}) } })),
      },
      spec: {
        groups: [
          {
            name: 'edge-waf-mtls',
            rules: rules.map((r) => ({
              alert: r.alert,
              expr: PrometheusRuleSpecGroupsRulesExpr.fromString(r.expr),
              for: r.for,
              labels: { severity: r.severity, namespace: props.namespace, ...(props.alertLabels ?? {}) },
              annotations: {
                summary: r.summary,
                description: r.description,
                ...(props.runbookUrl ? { runbook_url: `${props.runbookUrl}#${r.anchor}` } : {}),
              },
            })),
          },
        ],
      },
    });
  }
}

function resolveSpike(field: string, spike: SpikeThreshold | undefined): ResolvedSpike {
  const factor = spike?.factor ?? 3;
  if (typeof factor !== 'number' || !(factor > 1) || factor > 100)
    invalid(
      `${field}.factor`,
      factor,
      'is not a factor above 1',
      'use a number such as 3 (three times the baseline rate)',
    );
  const window = checkDuration(`${field}.window`, spike?.window ?? '5m');
  const baseline = checkDuration(`${field}.baseline`, spike?.baseline ?? '1h');
  if (durationSeconds(baseline) < 2 * durationSeconds(window))
    invalid(
      `${field}.baseline`,
      baseline,
      `is shorter than twice the window (${window}), so it is no baseline`,
      'use a baseline of at least twice the window, e.g. window "5m" and baseline "1h"',
    );
  const minimumPerMinute = spike?.minimumPerMinute ?? 10;
  if (
    typeof minimumPerMinute !== 'number' ||
    !(minimumPerMinute > 0) ||
    !Number.isFinite(minimumPerMinute) ||
    minimumPerMinute > 1e6
  )
    invalid(
      `${field}.minimumPerMinute`,
      minimumPerMinute,
      'is not a positive, finite number of at most 1000000',
      'use a number of events per minute such as 10',
    );
  return { factor, window, baseline, minimumPerMinute };
}

/**
 * `current` above `factor` × its own rate over the preceding baseline (or present with no baseline at all), and
 * above the minimum. `rate(window, offset)` renders the rate expression for a window ending `offset` ago.
 */
function spikeExpression(
  rate: (window: PromDuration, offset?: PromDuration) => string,
  by: readonly string[],
  spike: ResolvedSpike,
): string {
  const current = rate(spike.window);
  const baseline = rate(spike.baseline, spike.window);
  const on = `on (${by.join(', ')})`;
  return [
    `(`,
    `  (${current}) > ${spike.factor} * (${baseline})`,
    `  or`,
    `  (${current}) unless ${on} (${baseline})`,
    `)`,
    `and ${on}`,
    `(${current}) * 60 > ${spike.minimumPerMinute}`,
  ].join('\n');
}

function rangeSuffix(window: PromDuration, offset?: PromDuration): string {
  return offset ? `[${window}] offset ${offset}` : `[${window}]`;
}

const REQUESTS = 'nginx_ingress_controller_requests';

function wafBlockSpike(props: EdgeAlertRulesProps, spike: ResolvedSpike): AlertRule {
  const matchers: LabelMatcher[] = [eq('status', '403')];
  if (props.wafHosts) matchers.push(re('host', anyOf(props.wafHosts)));
  const rate = (w: PromDuration, o?: PromDuration): string =>
    sumBy(REQUESTS, ['host'], `rate(${series(REQUESTS, matchers)}${rangeSuffix(w, o)})`);
  return {
    ...EDGE_ALERTS.wafBlockSpike,
    expr: spikeExpression(rate, ['host'], spike),
    for: '2m',
    severity: 'warning',
    summary: 'WAF blocks on {{ $labels.host }} spiked to {{ $value | humanize }}/s',
    description: [
      `HTTP 403 responses on {{ $labels.host }} are above ${spike.factor}x their rate of the previous ${spike.baseline} (and above ${spike.minimumPerMinute}/min).`,
      'Look first at the ModSecurity audit log of the controller: which rule ids fire and for which client IPs',
      `(docs/monitoring.md, "List blocks by rule id and client"). An attack shows one or a few client IPs and CRS rule ids;`,
      'a false positive after a deploy shows many clients hitting the same rule on the same path.',
    ].join(' '),
  };
}

function mtlsFailureSpike(props: EdgeAlertRulesProps, spike: ResolvedSpike): AlertRule {
  // nginx rejects a missing or invalid client certificate (HTTP 400) while reading the request, before any
  // location runs; ingress-nginx v1.15.1 counts requests only in its location log phase, so these rejections never
  // reach nginx_ingress_controller_requests. They do reach nginx' own request counter (stub_status): the difference
  // is the rate of requests rejected before an Ingress location.
  const ns = eq('controller_namespace', props.controllerNamespace);
  const TOTAL = 'nginx_ingress_controller_nginx_process_requests_total';
  const rate = (w: PromDuration, o?: PromDuration): string => {
    const total = sumBy(TOTAL, [], `rate(${series(TOTAL, [ns])}${rangeSuffix(w, o)})`);
    const located = sumBy(REQUESTS, [], `rate(${series(REQUESTS, [ns])}${rangeSuffix(w, o)})`);
    return `clamp_min(${total} - (${located} or vector(0)), 0)`;
  };
  return {
    ...EDGE_ALERTS.mtlsFailureSpike,
    expr: spikeExpression(rate, [], spike),
    for: '2m',
    severity: 'warning',
    summary:
      'Requests rejected before reaching an Ingress (client-certificate failures) spiked to {{ $value | humanize }}/s',
    description: [
      `nginx rejected requests before any Ingress location at ${spike.factor}x the rate of the previous ${spike.baseline}.`,
      `On this edge that is mostly failed client-certificate verification (HTTP 400) on the mTLS hosts ${props.mtlsHosts.join(', ') || '(none)'}.`,
      'Look first at the controller access log for status 400 on those hosts and their client IPs (docs/monitoring.md):',
      'one IP without a certificate is a scanner; many known clients at once points to an expired or rotated client CA.',
    ].join(' '),
  };
}

function configReloadFailed(props: EdgeAlertRulesProps): AlertRule {
  const name = 'nginx_ingress_controller_config_last_reload_successful';
  return {
    ...EDGE_ALERTS.configReloadFailed,
    expr: `${`max by (controller_pod) (${series(name, [eq('controller_namespace', props.controllerNamespace)])})`} == 0`,
    for: '2m',
    severity: 'critical',
    summary: 'ingress-nginx failed to reload its configuration on {{ $labels.controller_pod }}',
    description: [
      'The last nginx configuration reload failed, so changes since then (WAF rules, Ingresses, certificates) are not live on this pod;',
      'it keeps serving the previous configuration. Look first at the controller log for "Error reloading NGINX" and the nginx -t',
      'message it quotes, then at the Ingress or ConfigMap change that preceded it.',
    ].join(' '),
  };
}

function certificateExpiringSoon(props: EdgeAlertRulesProps, days: number): AlertRule {
  const name = 'nginx_ingress_controller_ssl_expire_time_seconds';
  const expiry = `min by (host, secret_name, exported_namespace) (${series(name, [eq('namespace', props.controllerNamespace), ne('host', '_')])})`;
  return {
    ...EDGE_ALERTS.certificateExpiringSoon,
    expr: `${expiry} - time() < ${days} * 86400`,
    for: '1h',
    severity: 'warning',
    summary: 'Server certificate of {{ $labels.host }} expires in {{ $value | humanizeDuration }}',
    description: [
      `The certificate in secret {{ $labels.exported_namespace }}/{{ $labels.secret_name }} served for {{ $labels.host }} expires within ${days} days;`,
      'cert-manager renews 30 days before expiry, so renewal has been failing for a while. Look first at',
      '`kubectl describe certificate` and the CertificateRequest/Order/Challenge in that namespace (ACME HTTP-01 needs port 80 reachable).',
    ].join(' '),
  };
}

function controllerDown(props: EdgeAlertRulesProps): AlertRule {
  return {
    ...EDGE_ALERTS.controllerDown,
    expr: `absent(${series('up', [eq('job', props.scrapeJob), eq('namespace', props.controllerNamespace)])} == 1)`,
    for: '5m',
    severity: 'critical',
    summary: `No ingress-nginx controller in ${props.controllerNamespace} is up`,
    description: [
      `Prometheus has no healthy scrape target for job ${props.scrapeJob} in namespace ${props.controllerNamespace}: every controller pod is down,`,
      'or the metrics Service / ServiceMonitor is gone. Look first at `kubectl -n ' +
        props.controllerNamespace +
        ' get pods,endpoints`,',
      'then at pod events (OOMKilled with OWASP CRS loaded, image pull, admission webhook) and the ServiceMonitor selector.',
    ].join(' '),
  };
}

function controllerMemoryNearLimit(props: EdgeAlertRulesProps, ratio: number): AlertRule {
  // Both series exist once per container; max() folds the kubelet's duplicate working-set series (cAdvisor and
  // /metrics/resource) and a restarted pod's overlap. Working set: what the kernel's OOM killer weighs against the
  // limit.
  const container = [eq('namespace', props.controllerNamespace), eq('container', CONTROLLER_CONTAINER_NAME)];
  const WORKING_SET = 'container_memory_working_set_bytes';
  const LIMITS = 'kube_pod_container_resource_limits';
  const used = `max by (namespace, pod) (${series(WORKING_SET, container)})`;
  const limit = `max by (namespace, pod) (${series(LIMITS, [...container, eq('resource', 'memory')])})`;
  return {
    ...EDGE_ALERTS.controllerMemoryNearLimit,
    expr: `${used}\n/ on (namespace, pod)\n${limit}\n> ${ratio}`,
    for: '15m',
    severity: 'warning',
    summary: 'Controller pod {{ $labels.pod }} uses {{ $value | humanizePercentage }} of its memory limit',
    description: [
      `The controller container's memory working set has stayed above ${Math.round(ratio * 1000) / 10}% of its limit for 15 minutes. A reload runs the old`,
      'nginx workers beside the new ones until their connections drain, so the next reload can reach the limit and be OOM-killed.',
      'Look first at the number of hosts the controller serves against the sizing rule (docs/controller-sizing.md: about 0.35 MiB',
      'per mTLS host, twice that during reloads), then raise controller.expectedHosts or the memory limit and synth again.',
    ].join(' '),
  };
}
