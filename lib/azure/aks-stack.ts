import { PropsValidator, propsValidator } from '../core/validation';
import { Construct } from 'constructs';
import { Fn, TerraformOutput, TerraformStack } from 'cdktf';
import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { ResourceGroup } from '@cdktf/provider-azurerm/lib/resource-group';
import { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment';
import { DataAzurermClientConfig } from '@cdktf/provider-azurerm/lib/data-azurerm-client-config';
import { AttackAlert } from './alerting';
import { AksCluster } from './cluster';
import { IngressDns } from './dns';
import { IngressPublicIp } from './ingress-ip';
import { AksLogAnalytics } from './log-analytics';
import { AksStackProps } from './props';
import { resolveAksProps, ResolvedAksProps } from './resolve';

/** Names of the Terraform outputs of {@link AksStack}. */
export const AKS_STACK_OUTPUTS = {
  clusterName: 'cluster_name',
  resourceGroupName: 'resource_group_name',
  getCredentialsCommand: 'get_credentials_command',
  ingressIp: 'ingress_ip',
  migrationIngressIp: 'migration_ingress_ip',
  dnsNameServers: 'dns_name_servers',
  oidcIssuerUrl: 'oidc_issuer_url',
  logAnalyticsWorkspaceId: 'log_analytics_workspace_id',
} as const;

/**
 * The AKS cluster and its Azure side as one CDKTF stack: resource group, Log Analytics workspace with Container
 * Insights, the cluster (see {@link AksCluster} for its secure defaults), a static ingress IP with the role the
 * cluster needs to use it, an optional DNS zone with A records for the ingress hosts, and the ModSecurity attack
 * alert. Props are validated in the constructor; a bad value throws a ValidationError before anything is written.
 *
 * The outputs are what a user needs next: cluster name, resource group, the `az aks get-credentials` command,
 * the ingress IP, the DNS name servers to delegate to, the OIDC issuer (for workload identity federation) and the
 * workspace id.
 */
export class AksStack extends TerraformStack {
  /** The validated props with defaults applied. */
  public readonly settings: ResolvedAksProps;
  /** The resource group holding everything else. */
  public readonly resourceGroup: ResourceGroup;
  /** The Log Analytics workspace (Container Insights, attack alert). */
  public readonly logAnalytics: AksLogAnalytics;
  /** The AKS cluster, its user node pool and Container Insights wiring. */
  public readonly cluster: AksCluster;
  /** The static ingress IP and the cluster identity's role on its resource group. */
  public readonly ingressIp: IngressPublicIp;
  /** The second static IP of a side-by-side migration; undefined without `ingress.migrationPublicIpName`. */
  public readonly migrationIngressIp?: IngressPublicIp;
  /** The DNS zone and records; undefined without `ingress.dns`. */
  public readonly dns?: IngressDns;
  /** The action group and the ModSecurity log alert. */
  public readonly attackAlert: AttackAlert;
  /** "Azure Kubernetes Service RBAC Cluster Admin" for the deploying principal, unless disabled. */
  public readonly deployerClusterAdmin?: RoleAssignment;

  constructor(scope: Construct, id: string, props: AksStackProps) {
    super(scope, id);
    const v: PropsValidator = propsValidator(this, 'AksStack');
    const s = v.check(() => resolveAksProps(props));
    this.settings = s;

    new AzurermProvider(this, 'azurerm', { features: [{}], subscriptionId: s.subscriptionId });

    this.resourceGroup = new ResourceGroup(this, 'resource-group', {
      name: s.resourceGroupName,
      location: s.location,
      tags: { ...s.tags },
    });
    const resourceGroupName = this.resourceGroup.name;

    this.logAnalytics = new AksLogAnalytics(this, 'log-analytics', {
      resourceGroupName,
      location: s.location,
      tags: s.tags,
      workspaceName: s.logAnalytics.workspaceName,
      retentionInDays: s.logAnalytics.retentionInDays,
      dailyQuotaGb: s.logAnalytics.dailyQuotaGb,
    });
    const workspaceId = this.logAnalytics.workspace.id;

    this.cluster = new AksCluster(this, 'aks', {
      settings: { ...s, resourceGroupName },
      logAnalyticsWorkspaceId: workspaceId,
    });

    this.ingressIp = new IngressPublicIp(this, 'ingress-ip', {
      name: s.ingress.publicIpName,
      resourceGroupName,
      resourceGroupId: this.resourceGroup.id,
      location: s.location,
      zones: s.zones,
      clusterPrincipalId: this.cluster.cluster.identity.principalId,
      domainNameLabel: s.ingress.domainNameLabel,
      tags: s.tags,
    });

    if (s.ingress.migrationPublicIpName !== undefined) {
      this.migrationIngressIp = new IngressPublicIp(this, 'migration-ingress-ip', {
        name: s.ingress.migrationPublicIpName,
        resourceGroupName,
        resourceGroupId: this.resourceGroup.id,
        location: s.location,
        zones: s.zones,
        clusterPrincipalId: this.cluster.cluster.identity.principalId,
        tags: s.tags,
        // One role on the resource group covers both IPs; a second identical assignment would conflict.
        roleAssignment: false,
      });
    }

    if (s.ingress.dns) {
      const target = s.ingress.dns.target === 'migration' ? this.migrationIngressIp! : this.ingressIp;
      this.dns = new IngressDns(this, 'dns', {
        zoneName: s.ingress.dns.zoneName,
        resourceGroupName,
        records: s.ingress.dns.records,
        ipAddress: target.publicIp.ipAddress,
        ttlSeconds: s.ingress.dns.ttlSeconds,
        tags: s.tags,
      });
    }

    this.attackAlert = new AttackAlert(this, 'attack-alert', {
      settings: s.alerting,
      namePrefix: s.clusterName,
      resourceGroupName,
      location: s.location,
      logAnalyticsWorkspaceId: workspaceId,
      tags: s.tags,
    });

    if (s.entra.grantDeployerClusterAdmin) {
      const deployer = new DataAzurermClientConfig(this, 'deployer');
      this.deployerClusterAdmin = new RoleAssignment(this, 'deployer-cluster-admin', {
        scope: this.cluster.cluster.id,
        roleDefinitionName: 'Azure Kubernetes Service RBAC Cluster Admin',
        principalId: deployer.objectId,
        description: 'The principal that applied this stack administers the cluster (local accounts are disabled)',
      });
    }

    this.addOutputs(s);
  }

  private addOutputs(s: ResolvedAksProps): void {
    const cluster = this.cluster.cluster;
    const output = (id: string, value: unknown, description: string) =>
      new TerraformOutput(this, id, { value, description });
    output(AKS_STACK_OUTPUTS.clusterName, cluster.name, 'AKS cluster name');
    output(
      AKS_STACK_OUTPUTS.resourceGroupName,
      this.resourceGroup.name,
      'Resource group of the cluster, ingress IP, DNS zone and alerting',
    );
    output(
      AKS_STACK_OUTPUTS.getCredentialsCommand,
      Fn.format(
        'az aks get-credentials --resource-group %s --name %s --overwrite-existing && kubelogin convert-kubeconfig -l azurecli',
        [this.resourceGroup.name, cluster.name],
      ),
      'Fetches a kubeconfig (Entra ID login through kubelogin; local accounts are disabled)',
    );
    output(
      AKS_STACK_OUTPUTS.ingressIp,
      this.ingressIp.publicIp.ipAddress,
      `Static ingress IP (${s.ingress.publicIpName}); point the ingress hosts here`,
    );
    if (this.migrationIngressIp)
      output(
        AKS_STACK_OUTPUTS.migrationIngressIp,
        this.migrationIngressIp.publicIp.ipAddress,
        `Second static ingress IP (${s.ingress.migrationPublicIpName}) for the side-by-side data plane; test it with curl --resolve before the DNS cut-over`,
      );
    if (this.dns)
      output(
        AKS_STACK_OUTPUTS.dnsNameServers,
        this.dns.zone.nameServers,
        `Name servers of ${s.ingress.dns?.zoneName}; delegate the domain to them at your registrar`,
      );
    output(
      AKS_STACK_OUTPUTS.oidcIssuerUrl,
      cluster.oidcIssuerUrl,
      'OIDC issuer of the cluster, for workload identity federated credentials',
    );
    output(
      AKS_STACK_OUTPUTS.logAnalyticsWorkspaceId,
      this.logAnalytics.workspace.id,
      'Log Analytics workspace with Container Insights (ContainerLogV2)',
    );
  }
}
