import { PropsValidator, propsValidator } from '../core/validation';
import { Construct } from 'constructs';
import { PublicIp } from '@cdktf/provider-azurerm/lib/public-ip';
import { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment';
import { AZURE_NAME_RULES, checkAzureName, checkZones } from './checks';

/** Props of {@link IngressPublicIp}. */
export interface IngressPublicIpProps {
  /** Public IP name; the controller Service's `service.beta.kubernetes.io/azure-pip-name`. */
  readonly name: string;
  /** Resource group of the IP; the Service's `service.beta.kubernetes.io/azure-load-balancer-resource-group`. */
  readonly resourceGroupName: string;
  /** Resource id of that resource group (scope of the role assignment). */
  readonly resourceGroupId: string;
  /** Azure region. */
  readonly location: string;
  /** Availability zones; the IP is zone-redundant across them. [] for no zones. */
  readonly zones: readonly string[];
  /** Principal id of the AKS control-plane identity (the cloud provider that attaches the IP to the load balancer). */
  readonly clusterPrincipalId: string;
  /** DNS label giving `<label>.<region>.cloudapp.azure.com`. @default none */
  readonly domainNameLabel?: string;
  /** Tags of the IP. */
  readonly tags: Readonly<Record<string, string>>;
  /**
   * Create the Network Contributor role assignment for the cluster identity on the resource group. A second IP in
   * the same resource group needs none (the first one's role covers it, and Azure refuses a duplicate assignment).
   * @default true
   */
  readonly roleAssignment?: boolean;
}

/**
 * The static Standard public IP of the ingress, kept outside the node resource group so it survives the cluster,
 * plus the role that lets the cluster use it. The role is Network Contributor on the IP's resource group, as
 * Microsoft documents for a static IP outside the node resource group: the Azure cloud provider lists the public
 * IPs of that resource group (`publicIPAddresses/read` at resource-group scope) before it attaches one, so a role
 * scoped to the IP alone is not enough.
 */
export class IngressPublicIp extends Construct {
  /** The public IP; `ipAddress` is the ingress address. */
  public readonly publicIp: PublicIp;
  /** Network Contributor for the cluster identity; undefined when `roleAssignment` is false. */
  public readonly roleAssignment?: RoleAssignment;

  constructor(scope: Construct, id: string, props: IngressPublicIpProps) {
    super(scope, id);
    const v: PropsValidator = propsValidator(this, 'IngressPublicIp');
    v.check(() => checkAzureName('name', props.name, AZURE_NAME_RULES.publicIp));
    v.check(() => checkZones('zones', props.zones));
    this.publicIp = new PublicIp(this, 'public-ip', {
      name: props.name,
      resourceGroupName: props.resourceGroupName,
      location: props.location,
      allocationMethod: 'Static',
      sku: 'Standard',
      skuTier: 'Regional',
      ipVersion: 'IPv4',
      zones: props.zones.length > 0 ? [...props.zones] : undefined,
      domainNameLabel: props.domainNameLabel,
      tags: { ...props.tags },
    });
    if (props.roleAssignment === false) return;
    this.roleAssignment = new RoleAssignment(this, 'network-contributor', {
      scope: props.resourceGroupId,
      roleDefinitionName: 'Network Contributor',
      principalId: props.clusterPrincipalId,
      principalType: 'ServicePrincipal',
      description: 'Lets the AKS cloud provider attach the static ingress IP to the cluster load balancer',
    });
  }
}
