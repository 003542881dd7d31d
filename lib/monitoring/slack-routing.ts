import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { AlertmanagerConfig, AlertmanagerConfigSpecRouteMatchersMatchType } from '../../imports/monitoring.coreos.com';
import {
  checkDnsLabel,
  checkDnsSubdomain,
  checkKubernetesLabels,
  checkNoTemplate,
  checkPrometheusLabelName,
  PropsValidator,
  propsValidator,
} from '../core/validation';
import { mergeMetadata, ObjectMetadataOptions } from '../core/metadata';
import { checkDuration, PromDuration } from './promql';

/** Props of {@link SlackAlertRouting}. */
export interface SlackAlertRoutingProps {
  /** Name of the AlertmanagerConfig. */
  readonly name: string;
  /**
   * Namespace of the AlertmanagerConfig and of the webhook Secret. With the prometheus-operator default matcher
   * strategy (`OnNamespace`) only alerts whose `namespace` label equals this namespace are routed.
   */
  readonly namespace: string;
  /**
   * Labels on the AlertmanagerConfig so that Alertmanager selects it.
   * @default {}
   */
  readonly labels?: Readonly<Record<string, string>>;
  /**
   * Name of the Secret holding the Slack incoming-webhook URL. The Secret is never emitted: the operator creates it
   * (`kubectl -n <namespace> create secret generic <name> --from-literal=url=https://hooks.slack.com/...`).
   */
  readonly webhookSecretName: string;
  /**
   * Key of the webhook URL in the Secret.
   * @default 'url'
   */
  readonly webhookSecretKey?: string;
  /** Slack channel (`#name`); the webhook's default channel is used when it does not match. */
  readonly channel: string;
  /** Only alerts carrying all these labels are routed to Slack (the labels the PrometheusRule adds to its alerts). */
  readonly matchLabels: Readonly<Record<string, string>>;
  /**
   * Re-send a still-firing alert after this long.
   * @default '4h'
   */
  readonly repeatInterval?: PromDuration;
  /**
   * Labels and annotations added to the AlertmanagerConfig (e.g. for Argo CD or a policy engine). A key of `labels`
   * above or one
   * the construct sets itself cannot be overridden here.
   * @default none
   */
  readonly metadata?: ObjectMetadataOptions;
}

const SLACK_URL = /hooks\.slack\.com|^https?:\/\//i;

/**
 * An AlertmanagerConfig (prometheus-operator `monitoring.coreos.com/v1alpha1`) that sends the edge's alerts to
 * Slack. The webhook URL is a secret: it is read by Alertmanager from a Secret reference and never appears in the
 * synthesized manifests.
 */
export class SlackAlertRouting extends Construct {
  /** The emitted AlertmanagerConfig. */
  public readonly config: ApiObject;

  constructor(scope: Construct, id: string, props: SlackAlertRoutingProps) {
    super(scope, id);
    const v: PropsValidator = propsValidator(this, 'SlackAlertRouting');
    v.check(() => checkDnsSubdomain('name', props.name));
    v.check(() => checkDnsLabel('namespace', props.namespace));
    if (SLACK_URL.test(props.webhookSecretName))
      v.invalid(
        'webhookSecretName',
        '<redacted URL>',
        'looks like the webhook URL itself; the URL is a secret and must never be written to dist/',
        'create a Secret holding the URL (see docs/monitoring.md) and give its name here',
      );
    v.check(() => checkDnsSubdomain('webhookSecretName', props.webhookSecretName));
    const key = props.webhookSecretKey ?? 'url';
    if (!/^[-._a-zA-Z0-9]+$/.test(key))
      v.invalid(
        'webhookSecretKey',
        key,
        'is not a valid Secret key',
        'use letters, digits, "-", "_" or ".", e.g. "url"',
      );
    if (SLACK_URL.test(props.channel))
      v.invalid(
        'channel',
        '<redacted URL>',
        'looks like a webhook URL; the URL is a secret and must never be written to dist/',
        'give the channel name, e.g. "#waf-alerts", and put the URL in the Secret',
      );
    if (!/^[#@]?[a-z0-9][-_a-z0-9.]{0,79}$/.test(props.channel))
      v.invalid(
        'channel',
        props.channel,
        'is not a Slack channel name',
        'use a channel such as "#waf-alerts" (lower case, no spaces)',
      );
    if (Object.keys(props.matchLabels).length === 0)
      v.invalid(
        'matchLabels',
        props.matchLabels,
        'is empty, so every alert in the namespace would go to this channel',
        'give the labels the edge alerts carry',
      );
    for (const [name, value] of Object.entries(props.matchLabels)) {
      v.check(() => checkPrometheusLabelName(`matchLabels.${name}`, name));
      v.check(() => checkNoTemplate(`matchLabels.${name}`, value));
    }
    v.check(() => checkKubernetesLabels('labels', props.labels ?? {}));
    const repeatInterval = v.check(() => checkDuration('repeatInterval', props.repeatInterval ?? '4h'));

    this.config = new AlertmanagerConfig(this, 'Resource', {
      metadata: {
        name: props.name,
        namespace: props.namespace,
        ...v.check(() => mergeMetadata('metadata', props.metadata, { labels: { ...(props.labels ?? {}) } })),
      },
      spec: {
        route: {
          receiver: 'slack',
          groupBy: ['alertname', 'host'],
          groupWait: '30s',
          groupInterval: '5m',
          repeatInterval,
          matchers: Object.entries(props.matchLabels).map(([name, value]) => ({
            name,
            value,
            matchType: AlertmanagerConfigSpecRouteMatchersMatchType.VALUE_EQUALS,
          })),
        },
        receivers: [
          {
            name: 'slack',
            slackConfigs: [
              {
                apiUrl: { name: props.webhookSecretName, key },
                channel: props.channel,
                sendResolved: true,
                title:
                  '[{{ .Status | toUpper }}{{ if eq .Status "firing" }}:{{ .Alerts.Firing | len }}{{ end }}] {{ .CommonLabels.alertname }}',
                text: '{{ range .Alerts }}*{{ .Annotations.summary }}*\n{{ .Annotations.description }}{{ if .Annotations.runbook_url }}\nRunbook: {{ .Annotations.runbook_url }}{{ end }}\n{{ end }}',
              },
            ],
          },
        ],
      },
    });
  }
}
