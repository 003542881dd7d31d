/**
 * The CDKTF side of the edge: the AKS cluster and its Azure resources (Log Analytics, static ingress IP, DNS,
 * ModSecurity attack alert), as one `TerraformStack`.
 *
 * This is the package's second entry, `aks-waf-mtls-edge/azure`. It loads `cdktf` and `@cdktf/provider-azurerm`,
 * which are optional peer dependencies: install them (`npm install cdktf@^0.21 @cdktf/provider-azurerm@^14`) only
 * in an app that imports this entry. Provider classes are imported one by one, never through the provider's barrel.
 *
 * @packageDocumentation
 * @module aks-waf-mtls-edge/azure
 */

export { AksStack, AKS_STACK_OUTPUTS } from './azure/aks-stack';
export type {
  AksStackProps,
  AksUpgradeChannel,
  AksNodeOsUpgradeChannel,
  AksNetworkPolicy,
  AksSkuTier,
  DayOfWeek,
  AksMaintenanceWindowProps,
  AksUpgradeProps,
  AksEntraProps,
  AksNetworkProps,
  AksNodePoolProps,
  AksLogAnalyticsProps,
  AksDnsProps,
  AksIngressProps,
  AlertEmailReceiver,
  AksAlertingProps,
} from './azure/props';
export type { ResolvedAksProps, ResolvedNodePool } from './azure/resolve';

// The parts of the stack (public fields of AksStack; usable on their own in a stack of your own).
export { AksCluster } from './azure/cluster';
export type { AksClusterProps } from './azure/cluster';
export { AksLogAnalytics } from './azure/log-analytics';
export type { AksLogAnalyticsWorkspaceProps } from './azure/log-analytics';
export { IngressPublicIp } from './azure/ingress-ip';
export type { IngressPublicIpProps } from './azure/ingress-ip';
export { IngressDns } from './azure/dns';
export type { IngressDnsProps, IngressDnsRecord } from './azure/dns';
export { AttackAlert } from './azure/alerting';
export type { AttackAlertProps } from './azure/alerting';
export { modSecurityBlocksQuery } from './azure/kql';
export type { ModSecurityBlocksQueryOptions } from './azure/kql';
export { AZURE_REGIONS } from './azure/regions';

// The reference deployment's CDKTF app, from the same configuration as its cdk8s app.
export { buildAzureApp, aksStackProps, azureStackName } from './reference/cdktf-app';
