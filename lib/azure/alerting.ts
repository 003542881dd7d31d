import { Construct } from 'constructs';
import { TerraformVariable } from 'cdktf';
import { MonitorActionGroup } from '@cdktf/provider-azurerm/lib/monitor-action-group';
import { MonitorScheduledQueryRulesAlertV2 } from '@cdktf/provider-azurerm/lib/monitor-scheduled-query-rules-alert-v2';
import { BLOCK_DIMENSIONS, BLOCKS_COLUMN, modSecurityBlocksQuery } from './kql';
import { ResolvedAksProps } from './resolve';

/** Props of {@link AttackAlert}. */
export interface AttackAlertProps {
  /** Validated alerting settings (see `resolveAksProps`). */
  readonly settings: ResolvedAksProps['alerting'];
  /** Prefix of the action group and alert rule names, e.g. the cluster name. */
  readonly namePrefix: string;
  /** Resource group of the action group and rule. */
  readonly resourceGroupName: string;
  /** Azure region of the rule (the workspace's). */
  readonly location: string;
  /** Resource id of the Log Analytics workspace holding ContainerLogV2. */
  readonly logAnalyticsWorkspaceId: string;
  /** Tags of the action group and rule. */
  readonly tags: Readonly<Record<string, string>>;
}

function isoMinutes(minutes: number): string {
  if (minutes % 1440 === 0) return `P${minutes / 1440}D`;
  if (minutes % 60 === 0) return `PT${minutes / 60}H`;
  return `PT${minutes}M`;
}

/**
 * "Alert Slack on attacks": an action group (webhook and/or e-mail) and a scheduled query rule (v2) that fires for
 * every rule id and client IP ModSecurity blocked in the window. The webhook URL (a Slack relay, Logic App, Teams
 * workflow...) is a Terraform variable marked sensitive, so it is never part of the synthesized JSON; Terraform
 * keeps it in the state, which is why the state must be protected.
 */
export class AttackAlert extends Construct {
  /** Where the alert goes. */
  public readonly actionGroup: MonitorActionGroup;
  /** The log alert on ModSecurity blocks. */
  public readonly rule: MonitorScheduledQueryRulesAlertV2;
  /** The sensitive variable holding the webhook URL, when there is a webhook receiver. */
  public readonly webhookUrl?: TerraformVariable;

  constructor(scope: Construct, id: string, props: AttackAlertProps) {
    super(scope, id);
    const s = props.settings;
    if (s.webhookVariableName) {
      this.webhookUrl = new TerraformVariable(this, 'webhook-url', {
        type: 'string',
        sensitive: true,
        nullable: false,
        description:
          'HTTPS endpoint that receives attack alerts (Slack relay, Logic App, Teams workflow...). Set it with TF_VAR_' +
          s.webhookVariableName +
          '; never commit it.',
        validation: [
          {
            condition: `\${can(regex("^https://", var.${s.webhookVariableName}))}`,
            errorMessage: `${s.webhookVariableName} must be an https:// URL.`,
          },
        ],
      });
      this.webhookUrl.overrideLogicalId(s.webhookVariableName);
    }

    this.actionGroup = new MonitorActionGroup(this, 'action-group', {
      name: `ag-${props.namePrefix}-attacks`,
      shortName: 'waf-attacks',
      resourceGroupName: props.resourceGroupName,
      location: 'global',
      webhookReceiver: this.webhookUrl
        ? [{ name: 'webhook', serviceUri: this.webhookUrl.stringValue, useCommonAlertSchema: true }]
        : undefined,
      emailReceiver:
        s.emailReceivers.length > 0
          ? s.emailReceivers.map((r) => ({ name: r.name, emailAddress: r.address, useCommonAlertSchema: true }))
          : undefined,
      tags: { ...props.tags },
    });

    this.rule = new MonitorScheduledQueryRulesAlertV2(this, 'modsecurity-blocks', {
      name: `alert-${props.namePrefix}-modsecurity-blocks`,
      displayName: 'ModSecurity blocked requests at the ingress',
      description: `ModSecurity (OWASP CRS and custom rules) in ingress-nginx returned 403 to a client. One alert per rule id and client IP; the ModSecurity JSON audit lines of namespace ${s.controllerNamespace}, container ${s.controllerContainerName}, in ContainerLogV2 tell why.`,
      resourceGroupName: props.resourceGroupName,
      location: props.location,
      scopes: [props.logAnalyticsWorkspaceId],
      severity: s.severity,
      evaluationFrequency: isoMinutes(s.evaluationFrequencyMinutes),
      windowDuration: isoMinutes(s.windowMinutes),
      criteria: [
        {
          query: modSecurityBlocksQuery({ namespace: s.controllerNamespace, containerName: s.controllerContainerName }),
          timeAggregationMethod: 'Total',
          metricMeasureColumn: BLOCKS_COLUMN,
          operator: 'GreaterThanOrEqual',
          threshold: s.threshold,
          dimension: BLOCK_DIMENSIONS.map((name) => ({ name, operator: 'Include', values: ['*'] })),
          failingPeriods: { minimumFailingPeriodsToTriggerAlert: 1, numberOfEvaluationPeriods: 1 },
        },
      ],
      autoMitigationEnabled: false,
      action: {
        actionGroups: [this.actionGroup.id],
        customProperties: { source: 'modsecurity', namespace: s.controllerNamespace },
      },
      tags: { ...props.tags },
    });
  }
}
