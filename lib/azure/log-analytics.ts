import { Construct } from 'constructs';
import { LogAnalyticsWorkspace } from '@cdktf/provider-azurerm/lib/log-analytics-workspace';
import { checkIntegerInRange, PropsValidator, propsValidator } from '../core/validation';
import { AZURE_NAME_RULES, checkAzureName } from './checks';

/** Props of {@link AksLogAnalytics}. */
export interface AksLogAnalyticsWorkspaceProps {
  /** Resource group of the workspace. */
  readonly resourceGroupName: string;
  /** Azure region. */
  readonly location: string;
  /** Workspace name (4–63 letters, digits and "-"). */
  readonly workspaceName: string;
  /** Days of retention, 30–730. */
  readonly retentionInDays: number;
  /** Daily ingestion cap in GB. @default no cap */
  readonly dailyQuotaGb?: number;
  /** Tags of the workspace. */
  readonly tags: Readonly<Record<string, string>>;
}

/**
 * The Log Analytics workspace behind Container Insights and the attack alert. Local (shared key) authentication
 * is off: the monitoring agent authenticates with its managed identity, and people with Entra ID.
 */
export class AksLogAnalytics extends Construct {
  /** The workspace. */
  public readonly workspace: LogAnalyticsWorkspace;

  constructor(scope: Construct, id: string, props: AksLogAnalyticsWorkspaceProps) {
    super(scope, id);
    const v: PropsValidator = propsValidator(this, 'AksLogAnalytics');
    v.check(() => checkAzureName('workspaceName', props.workspaceName, AZURE_NAME_RULES.workspace));
    v.check(() => checkIntegerInRange('retentionInDays', props.retentionInDays, 30, 730));
    this.workspace = new LogAnalyticsWorkspace(this, 'workspace', {
      name: props.workspaceName,
      resourceGroupName: props.resourceGroupName,
      location: props.location,
      sku: 'PerGB2018',
      retentionInDays: props.retentionInDays,
      dailyQuotaGb: props.dailyQuotaGb,
      localAuthenticationEnabled: false,
      tags: { ...props.tags },
    });
  }
}
