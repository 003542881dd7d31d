import { Construct } from 'constructs';
import {
  KubernetesCluster,
  KubernetesClusterMaintenanceWindowAutoUpgrade,
} from '@cdktf/provider-azurerm/lib/kubernetes-cluster';
import { KubernetesClusterNodePool } from '@cdktf/provider-azurerm/lib/kubernetes-cluster-node-pool';
import { MonitorDataCollectionRule } from '@cdktf/provider-azurerm/lib/monitor-data-collection-rule';
import { MonitorDataCollectionRuleAssociation } from '@cdktf/provider-azurerm/lib/monitor-data-collection-rule-association';
import { ResolvedAksProps } from './resolve';

/** Props of {@link AksCluster}: the validated stack props plus the workspace Container Insights writes to. */
export interface AksClusterProps {
  /** Validated settings (see `resolveAksProps`). */
  readonly settings: ResolvedAksProps;
  /** Resource id of the Log Analytics workspace. */
  readonly logAnalyticsWorkspaceId: string;
}

/**
 * Container Insights streams collected by the data collection rule: Microsoft's set for AKS, with
 * `Microsoft-ContainerLogV2` instead of the legacy `Microsoft-ContainerLog` (collecting both would bill every
 * log line twice). The attack alert reads ContainerLogV2.
 */
export const CONTAINER_INSIGHTS_STREAMS: readonly string[] = [
  'Microsoft-ContainerLogV2',
  'Microsoft-KubeEvents',
  'Microsoft-KubePodInventory',
  'Microsoft-KubeNodeInventory',
  'Microsoft-KubePVInventory',
  'Microsoft-KubeServices',
  'Microsoft-KubeMonAgentEvents',
  'Microsoft-InsightsMetrics',
  'Microsoft-ContainerInventory',
  'Microsoft-ContainerNodeInventory',
  'Microsoft-Perf',
];

/** A node pool name for AKS's temporary pool when a pool property forces rotation; differs from `name`. */
function rotationName(name: string): string {
  const candidate = `tmp${name}`.slice(0, 12);
  return candidate === name ? 'rotationtmp' : candidate;
}

/**
 * The AKS cluster with its secure defaults: Entra ID integration with Azure RBAC and local accounts disabled, OIDC
 * issuer and workload identity, Azure Policy add-on, Container Insights (managed-identity auth, ContainerLogV2 via a
 * data collection rule), automatic upgrade and node OS upgrade channels within a maintenance window, a system pool
 * for critical add-ons only plus an autoscaled user pool across zones, Azure CNI overlay with a network policy
 * engine, and an API server limited to authorized IP ranges.
 */
export class AksCluster extends Construct {
  /** The cluster. Its `identity.principalId` is the control-plane identity the cloud provider acts as. */
  public readonly cluster: KubernetesCluster;
  /** The user node pool (ingress controller and apps run here). */
  public readonly userNodePool: KubernetesClusterNodePool;
  /** Data collection rule sending Container Insights to the workspace. */
  public readonly dataCollectionRule: MonitorDataCollectionRule;

  constructor(scope: Construct, id: string, props: AksClusterProps) {
    super(scope, id);
    const s = props.settings;
    const tags = { ...s.tags };
    const window: KubernetesClusterMaintenanceWindowAutoUpgrade = {
      frequency: 'Weekly',
      interval: 1,
      dayOfWeek: s.upgrades.window.dayOfWeek,
      startTime: s.upgrades.window.startTime,
      duration: s.upgrades.window.durationHours,
      utcOffset: s.upgrades.window.utcOffset,
    };
    const nodeOsManaged = s.upgrades.nodeOsChannel === 'NodeImage' || s.upgrades.nodeOsChannel === 'SecurityPatch';

    this.cluster = new KubernetesCluster(this, 'cluster', {
      name: s.clusterName,
      location: s.location,
      resourceGroupName: s.resourceGroupName,
      dnsPrefix: s.dnsPrefix,
      kubernetesVersion: s.kubernetesVersion,
      skuTier: s.skuTier,
      identity: { type: 'SystemAssigned' },
      // Entra ID + Azure RBAC; no static admin credentials.
      localAccountDisabled: true,
      roleBasedAccessControlEnabled: true,
      azureActiveDirectoryRoleBasedAccessControl: {
        azureRbacEnabled: true,
        adminGroupObjectIds: s.entra.adminGroupObjectIds.length > 0 ? [...s.entra.adminGroupObjectIds] : undefined,
        tenantId: s.entra.tenantId,
      },
      oidcIssuerEnabled: true,
      workloadIdentityEnabled: true,
      azurePolicyEnabled: true,
      imageCleanerEnabled: true,
      imageCleanerIntervalHours: 48,
      apiServerAccessProfile: { authorizedIpRanges: [...s.apiServerAuthorizedIpRanges] },
      omsAgent: { logAnalyticsWorkspaceId: props.logAnalyticsWorkspaceId, msiAuthForMonitoringEnabled: true },
      automaticUpgradeChannel: s.upgrades.channel === 'none' ? undefined : s.upgrades.channel,
      nodeOsUpgradeChannel: s.upgrades.nodeOsChannel,
      maintenanceWindowAutoUpgrade: s.upgrades.channel === 'none' ? undefined : window,
      maintenanceWindowNodeOs: nodeOsManaged ? window : undefined,
      networkProfile: {
        networkPlugin: 'azure',
        networkPluginMode: 'overlay',
        networkDataPlane: s.network.policy === 'cilium' ? 'cilium' : 'azure',
        networkPolicy: s.network.policy,
        podCidr: s.network.podCidr,
        serviceCidr: s.network.serviceCidr,
        dnsServiceIp: s.network.dnsServiceIp,
        loadBalancerSku: 'standard',
        outboundType: 'loadBalancer',
      },
      defaultNodePool: {
        name: s.systemNodePool.name,
        vmSize: s.systemNodePool.vmSize,
        autoScalingEnabled: true,
        minCount: s.systemNodePool.minCount,
        maxCount: s.systemNodePool.maxCount,
        zones: s.zones.length > 0 ? [...s.zones] : undefined,
        onlyCriticalAddonsEnabled: true,
        temporaryNameForRotation: rotationName(s.systemNodePool.name),
        upgradeSettings: { maxSurge: '10%' },
        tags,
      },
      tags,
    });

    this.userNodePool = new KubernetesClusterNodePool(this, 'user-pool', {
      name: s.userNodePool.name,
      kubernetesClusterId: this.cluster.id,
      mode: 'User',
      vmSize: s.userNodePool.vmSize,
      autoScalingEnabled: true,
      minCount: s.userNodePool.minCount,
      maxCount: s.userNodePool.maxCount,
      zones: s.zones.length > 0 ? [...s.zones] : undefined,
      temporaryNameForRotation: rotationName(s.userNodePool.name),
      upgradeSettings: { maxSurge: '10%' },
      tags,
    });

    // Container Insights with managed-identity auth needs a data collection rule associated with the cluster.
    this.dataCollectionRule = new MonitorDataCollectionRule(this, 'container-insights', {
      name: `MSCI-${s.location}-${s.clusterName}`.slice(0, 64),
      resourceGroupName: s.resourceGroupName,
      location: s.location,
      description: 'Container Insights for the AKS cluster (ContainerLogV2 feeds the ModSecurity attack alert)',
      destinations: { logAnalytics: [{ name: 'ciworkspace', workspaceResourceId: props.logAnalyticsWorkspaceId }] },
      dataFlow: [{ streams: [...CONTAINER_INSIGHTS_STREAMS], destinations: ['ciworkspace'] }],
      dataSources: {
        extension: [
          {
            name: 'ContainerInsightsExtension',
            extensionName: 'ContainerInsights',
            streams: [...CONTAINER_INSIGHTS_STREAMS],
            extensionJson: JSON.stringify({
              dataCollectionSettings: { interval: '1m', namespaceFilteringMode: 'Off', enableContainerLogV2: true },
            }),
          },
        ],
      },
      tags,
    });
    new MonitorDataCollectionRuleAssociation(this, 'container-insights-association', {
      name: 'ContainerInsightsExtension',
      targetResourceId: this.cluster.id,
      dataCollectionRuleId: this.dataCollectionRule.id,
      description: 'Sends Container Insights of this cluster to the workspace; deleting it stops the collection.',
    });
  }
}
