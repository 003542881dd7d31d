import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { mergeMetadata, ObjectMetadataOptions } from '../core/metadata';
import { checkDnsLabel, PropsValidator, propsValidator, withFieldPaths } from '../core/validation';
import { EdgeAlertRules, SpikeThreshold } from './alerts';
import { EdgeDashboard, LokiLogStream } from './dashboard/edge-dashboard';
import { ControllerServiceMonitor } from './service-monitor';
import { SlackAlertRouting } from './slack-routing';

/** Argo CD sync option on every monitoring object: apply even when prometheus-operator's CRDs are not there yet. */
export const SKIP_DRY_RUN_ANNOTATION = {
  'argocd.argoproj.io/sync-options': 'SkipDryRunOnMissingResource=true',
} as const;

/** The controller's metrics Service, as the controller construct creates it. */
export interface MetricsServiceRef {
  /** Service name; also the `job` label of the scraped series. */
  readonly name: string;
  /** Service labels (the ServiceMonitor selects by them). */
  readonly labels: Readonly<Record<string, string>>;
  /**
   * Name of the port serving `/metrics`.
   * @default 'metrics'
   */
  readonly portName?: string;
}

/** Slack routing of the edge alerts. */
export interface SlackRouting {
  /** Secret (in the monitoring namespace) holding the incoming-webhook URL; created by the operator, never emitted. */
  readonly webhookSecretName: string;
  /**
   * Key of the URL in the Secret.
   * @default 'url'
   */
  readonly webhookSecretKey?: string;
  /** Slack channel, e.g. `#waf-alerts`. */
  readonly channel: string;
}

/** Props of {@link EdgeMonitoring}. */
export interface EdgeMonitoringProps {
  /**
   * Prefix of the object names (`<name>-controller`, `<name>-alerts`, `<name>-dashboard`, `<name>-slack`) and value of
   * the `edge` alert label.
   */
  readonly name: string;
  /** Namespace of the ServiceMonitor, PrometheusRule, AlertmanagerConfig and dashboard (and of the Slack Secret). */
  readonly namespace: string;
  /** Namespace of the ingress-nginx controller. */
  readonly controllerNamespace: string;
  /** The controller's metrics Service. */
  readonly metricsService: MetricsServiceRef;
  /**
   * Labels Prometheus selects ServiceMonitors and PrometheusRules by (kube-prometheus-stack: `release: <helm
   * release>`).
   * @default { release: 'kube-prometheus-stack' }
   */
  readonly prometheusSelectorLabels?: Readonly<Record<string, string>>;
  /** Hosts behind mutual TLS. */
  readonly mtlsHosts: readonly string[];
  /**
   * Hosts whose 403s count as WAF blocks.
   * @default - every host
   */
  readonly wafHosts?: readonly string[];
  /**
   * Thresholds of the WAF block spike alert.
   * @default - see EdgeAlertRulesProps.wafBlockSpike
   */
  readonly wafBlockSpike?: SpikeThreshold;
  /**
   * Thresholds of the mTLS failure spike alert.
   * @default - see EdgeAlertRulesProps.mtlsFailureSpike
   */
  readonly mtlsFailureSpike?: SpikeThreshold;
  /**
   * Certificate expiry warning, in days.
   * @default 14
   */
  readonly certificateExpiryDays?: number;
  /**
   * Route the alerts to Slack.
   * @default - no AlertmanagerConfig
   */
  readonly slack?: SlackRouting;
  /**
   * Loki stream of the controller logs, for the audit-log panels of the dashboard.
   * @default - no log panels
   */
  readonly logs?: LokiLogStream;
  /**
   * URL of docs/monitoring.md; alerts link to their runbook section.
   * @default - no runbook links
   */
  readonly runbookUrl?: string;
  /**
   * Labels and annotations added to every object of the monitoring layer (ServiceMonitor, PrometheusRule, dashboard
   * ConfigMap, AlertmanagerConfig). A label the construct sets (the Prometheus selector labels, the Grafana sidecar
   * label) or an annotation it sets (`argocd.argoproj.io/sync-options`, the dashboard's Flux substitution switch)
   * cannot be overridden here.
   * @default none
   */
  readonly metadata?: ObjectMetadataOptions;
}

/**
 * Observability of the edge: ServiceMonitor for the controller metrics, PrometheusRule with the WAF/mTLS/controller
 * alerts, Grafana dashboard ConfigMap and (optionally) Slack routing. Every object carries the Argo CD
 * `SkipDryRunOnMissingResource` sync option, since prometheus-operator's CRDs may arrive in the same sync.
 */
export class EdgeMonitoring extends Construct {
  /** The ServiceMonitor `<name>-controller` that scrapes the controller's metrics Service. */
  public readonly serviceMonitor: ControllerServiceMonitor;
  /** The PrometheusRule `<name>-alerts` with the WAF, mTLS and controller alerts (labelled `edge: <name>`). */
  public readonly alerts: EdgeAlertRules;
  /** The Grafana dashboard ConfigMap `<name>-dashboard` (picked up by the Grafana dashboard sidecar). */
  public readonly dashboard: EdgeDashboard;
  /** Slack routing, when configured. */
  public readonly slack?: SlackAlertRouting;

  constructor(scope: Construct, id: string, props: EdgeMonitoringProps) {
    super(scope, id);
    const v: PropsValidator = propsValidator(this, 'EdgeMonitoring');
    v.check(() => checkDnsLabel('name', props.name));
    const selector = props.prometheusSelectorLabels ?? { release: 'kube-prometheus-stack' };
    for (const [k, value] of Object.entries(selector)) {
      if (!/^([a-z0-9.-]+\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/.test(k))
        v.invalid(
          `prometheusSelectorLabels.${k}`,
          k,
          'is not a valid label key',
          'use a Kubernetes label key such as "release"',
        );
      if (!/^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/.test(value))
        v.invalid(
          `prometheusSelectorLabels.${k}`,
          value,
          'is not a valid label value',
          'use the Helm release name of kube-prometheus-stack, e.g. "kube-prometheus-stack"',
        );
    }
    const alertLabels = { edge: props.name };
    // The children check the user's keys against their own labels; the annotation added below is checked here.
    v.check(() => mergeMetadata('metadata', props.metadata, { labels: {}, annotations: SKIP_DRY_RUN_ANNOTATION }));
    const metadata = props.metadata;

    this.serviceMonitor = v.check(() =>
      withFieldPaths(
        SERVICE_MONITOR_PATHS,
        () =>
          new ControllerServiceMonitor(this, 'service-monitor', {
            name: `${props.name}-controller`,
            namespace: props.namespace,
            labels: selector,
            serviceNamespace: props.controllerNamespace,
            serviceSelector: props.metricsService.labels,
            portName: props.metricsService.portName,
            metadata,
          }),
      ),
    );
    this.alerts = v.check(() =>
      withFieldPaths(
        ALERTS_PATHS,
        () =>
          new EdgeAlertRules(this, 'alerts', {
            name: `${props.name}-alerts`,
            namespace: props.namespace,
            labels: selector,
            controllerNamespace: props.controllerNamespace,
            scrapeJob: props.metricsService.name,
            wafHosts: props.wafHosts,
            mtlsHosts: props.mtlsHosts,
            wafBlockSpike: props.wafBlockSpike,
            mtlsFailureSpike: props.mtlsFailureSpike,
            certificateExpiryDays: props.certificateExpiryDays,
            alertLabels,
            runbookUrl: props.runbookUrl,
            metadata,
          }),
      ),
    );
    this.dashboard = v.check(() =>
      withFieldPaths(
        DASHBOARD_PATHS,
        () =>
          new EdgeDashboard(this, 'dashboard', {
            name: `${props.name}-dashboard`,
            namespace: props.namespace,
            controllerNamespace: props.controllerNamespace,
            logs: props.logs,
            metadata,
          }),
      ),
    );
    const slack = props.slack;
    if (slack) {
      this.slack = v.check(() =>
        withFieldPaths(
          SLACK_PATHS,
          () =>
            new SlackAlertRouting(this, 'slack', {
              name: `${props.name}-slack`,
              namespace: props.namespace,
              webhookSecretName: slack.webhookSecretName,
              webhookSecretKey: slack.webhookSecretKey,
              channel: slack.channel,
              matchLabels: alertLabels,
              metadata,
            }),
        ),
      );
    }
    for (const child of this.node.findAll()) {
      if (child instanceof ApiObject) {
        for (const [k, v] of Object.entries(SKIP_DRY_RUN_ANNOTATION)) child.metadata.addAnnotation(k, v);
      }
    }
  }
}

// The prop path of EdgeMonitoring each child's prop comes from (errors of a child name EdgeMonitoring and these).
const COMMON_PATHS = { namespace: 'namespace', controllerNamespace: 'controllerNamespace' };
const SERVICE_MONITOR_PATHS: Readonly<Record<string, string>> = {
  ...COMMON_PATHS,
  name: 'name',
  labels: 'prometheusSelectorLabels',
  serviceNamespace: 'controllerNamespace',
  serviceSelector: 'metricsService.labels',
  portName: 'metricsService.portName',
};
const ALERTS_PATHS: Readonly<Record<string, string>> = {
  ...COMMON_PATHS,
  name: 'name',
  labels: 'prometheusSelectorLabels',
  scrapeJob: 'metricsService.name',
  wafHosts: 'wafHosts',
  mtlsHosts: 'mtlsHosts',
  wafBlockSpike: 'wafBlockSpike',
  mtlsFailureSpike: 'mtlsFailureSpike',
  certificateExpiryDays: 'certificateExpiryDays',
  runbookUrl: 'runbookUrl',
  alertLabels: 'name',
};
const DASHBOARD_PATHS: Readonly<Record<string, string>> = { ...COMMON_PATHS, name: 'name', logs: 'logs' };
const SLACK_PATHS: Readonly<Record<string, string>> = {
  namespace: 'namespace',
  name: 'name',
  webhookSecretName: 'slack.webhookSecretName',
  webhookSecretKey: 'slack.webhookSecretKey',
  channel: 'slack.channel',
  matchLabels: 'name',
};
