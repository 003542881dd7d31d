/**
 * Props of {@link AksStack}. Every optional prop documents its default; the defaults are the secure ones.
 */

/** AKS automatic upgrade channel (`automatic_upgrade_channel`); `none` leaves upgrades to you. */
export type AksUpgradeChannel = 'patch' | 'stable' | 'rapid' | 'node-image' | 'none';

/** AKS node OS upgrade channel (`node_os_upgrade_channel`). */
export type AksNodeOsUpgradeChannel = 'NodeImage' | 'SecurityPatch' | 'Unmanaged' | 'None';

/**
 * Network policy engine. `cilium` uses Azure CNI powered by Cilium (eBPF dataplane); the others the Azure dataplane.
 */
export type AksNetworkPolicy = 'cilium' | 'calico' | 'azure';

/** AKS pricing tier. `Standard` carries the uptime SLA. */
export type AksSkuTier = 'Free' | 'Standard' | 'Premium';

/** Day of the week, as Azure maintenance windows spell it. */
export type DayOfWeek = 'Monday' | 'Tuesday' | 'Wednesday' | 'Thursday' | 'Friday' | 'Saturday' | 'Sunday';

/** A weekly maintenance window for cluster and node OS upgrades. */
export interface AksMaintenanceWindowProps {
  /** Day on which the window opens. @default 'Sunday' */
  readonly dayOfWeek?: DayOfWeek;
  /** Start, `HH:MM` in `utcOffset`. @default '02:00' */
  readonly startTime?: string;
  /** Length in hours; AKS needs at least 4. @default 4 */
  readonly durationHours?: number;
  /** Time zone of `startTime` as an offset from UTC, `+HH:MM` or `-HH:MM` (up to ±14:00). @default '+00:00' */
  readonly utcOffset?: string;
}

/** How the cluster keeps itself patched. */
export interface AksUpgradeProps {
  /**
   * Automatic Kubernetes upgrade channel. With `stable` or `rapid` leave `kubernetesVersion` unset (they move the
   * minor version); with `node-image` the node OS channel must be `NodeImage`.
   * @default 'patch' (latest patch of the pinned minor version)
   */
  readonly channel?: AksUpgradeChannel;
  /**
   * How node operating systems get security updates. @default 'NodeImage' (weekly node images with OS security fixes)
   */
  readonly nodeOsChannel?: AksNodeOsUpgradeChannel;
  /** Window in which both channels may act. @default Sunday 02:00 UTC, 4 hours */
  readonly maintenanceWindow?: AksMaintenanceWindowProps;
}

/** Microsoft Entra ID integration. Azure RBAC for Kubernetes authorization is always on. */
export interface AksEntraProps {
  /** Entra groups granted cluster-admin through the AKS-managed Entra integration. @default [] */
  readonly adminGroupObjectIds?: readonly string[];
  /** Entra tenant of the cluster. @default the tenant of the Terraform credentials */
  readonly tenantId?: string;
  /**
   * Grant the principal that runs `terraform apply` the "Azure Kubernetes Service RBAC Cluster Admin" role on the
   * cluster, so it can apply the manifests next (local accounts are disabled, so nobody else can).
   * @default true
   */
  readonly grantDeployerClusterAdmin?: boolean;
}

/** Cluster networking: Azure CNI overlay. */
export interface AksNetworkProps {
  /** Network policy engine that enforces Kubernetes NetworkPolicies. @default 'cilium' */
  readonly policy?: AksNetworkPolicy;
  /** Pod address space (overlay, not routed in any VNet). @default '10.244.0.0/16' */
  readonly podCidr?: string;
  /** Service (ClusterIP) address space. @default '10.0.0.0/16' */
  readonly serviceCidr?: string;
  /** ClusterIP of CoreDNS, inside `serviceCidr`. @default '10.0.0.10' */
  readonly dnsServiceIp?: string;
}

/** An autoscaled node pool. */
export interface AksNodePoolProps {
  /** Pool name (at most 12 lower-case letters and digits). @default 'system' / 'user' */
  readonly name?: string;
  /** VM size. @default 'Standard_D4ds_v5' */
  readonly vmSize?: string;
  /** Autoscaler lower bound. @default 2 */
  readonly minCount?: number;
  /** Autoscaler upper bound. @default 3 for the system pool, 6 for the user pool */
  readonly maxCount?: number;
}

/** Log Analytics workspace receiving Container Insights. */
export interface AksLogAnalyticsProps {
  /** Workspace name. @default `log-<clusterName>` */
  readonly workspaceName?: string;
  /** Retention in days, 30–730. @default 30 */
  readonly retentionInDays?: number;
  /** Daily ingestion cap in GB; none when undefined. @default no cap */
  readonly dailyQuotaGb?: number;
}

/** DNS zone and A records for the ingress hosts. */
export interface AksDnsProps {
  /** Zone created in the resource group, e.g. `example.com`; delegate it to the name servers in the outputs. */
  readonly zoneName: string;
  /** Hosts served by the ingress; each gets an A record to the ingress IP and must lie inside `zoneName`. */
  readonly hosts: readonly string[];
  /** TTL of the A records in seconds (1 to 2147483647). @default 300 */
  readonly ttlSeconds?: number;
  /**
   * Which IP the A records point at: `primary` (`publicIpName`) or `migration` (`migrationPublicIpName`). Switching
   * it is the DNS cut-over of docs/migration.md; switching back is the rollback.
   * @default 'primary'
   */
  readonly target?: 'primary' | 'migration';
}

/** The ingress entry point: a static Standard public IP the controller Service takes by name. */
export interface AksIngressProps {
  /** Name of the public IP; the controller Service's `service.beta.kubernetes.io/azure-pip-name`. */
  readonly publicIpName: string;
  /** DNS label giving `<label>.<region>.cloudapp.azure.com`. @default none */
  readonly domainNameLabel?: string;
  /**
   * Name of a second static public IP, for a second data plane (the Envoy Gateway edge) running beside the first
   * during a migration (docs/migration.md); its Service takes it by name like the first. Same resource group, zones
   * and role as the first IP.
   * @default no second IP
   */
  readonly migrationPublicIpName?: string;
  /** DNS zone and records for the hosts. @default no DNS resources */
  readonly dns?: AksDnsProps;
}

/** An e-mail receiver of the attack alert. */
export interface AlertEmailReceiver {
  /** Receiver name, unique in the action group. */
  readonly name: string;
  /** E-mail address. */
  readonly address: string;
}

/** The "alert Slack on attacks" part: an action group and a log alert on ModSecurity blocks. */
export interface AksAlertingProps {
  /** E-mail receivers. @default [] */
  readonly emailReceivers?: readonly AlertEmailReceiver[];
  /**
   * Add a webhook receiver whose URL is the sensitive Terraform variable `webhookVariableName` (set it with
   * `TF_VAR_<name>`); the URL is never part of the synthesized output. @default true
   */
  readonly webhook?: boolean;
  /** Name of the Terraform variable holding the webhook URL. @default 'alert_webhook_url' */
  readonly webhookVariableName?: string;
  /** Alert severity, 0 (critical) to 4 (verbose). @default 1 */
  readonly severity?: number;
  /**
   * How often the query runs, in minutes (1, 5, 10, 15, 30, 45, 60, 120, 180, 240, 300, 360, 720 or 1440). @default 5
   */
  readonly evaluationFrequencyMinutes?: number;
  /** Time range the query looks back over, in minutes, at least the frequency (same values, up to 2880). @default 5 */
  readonly windowMinutes?: number;
  /** Blocks per rule id and client IP within the window that fire the alert. @default 1 */
  readonly threshold?: number;
  /** Namespace of the ingress-nginx controller. @default 'ingress-nginx' */
  readonly controllerNamespace?: string;
  /** Container name of the controller. @default 'controller' */
  readonly controllerContainerName?: string;
}

/** Props of {@link AksStack}. */
export interface AksStackProps {
  /** Azure region, programmatic name (`westeurope`). */
  readonly location: string;
  /** Resource group holding the cluster, workspace, ingress IP, DNS zone and alerting. */
  readonly resourceGroupName: string;
  /** AKS cluster name. */
  readonly clusterName: string;
  /**
   * Public IPv4 ranges allowed to reach the Kubernetes API server (admins, CI). Required: the secure default is
   * a closed API server, and only you know your ranges.
   */
  readonly apiServerAuthorizedIpRanges: readonly string[];
  /** The ingress IP (and DNS). */
  readonly ingress: AksIngressProps;
  /** Subscription to deploy into. @default from the environment (`ARM_SUBSCRIPTION_ID`, or the Azure CLI's) */
  readonly subscriptionId?: string;
  /** Kubernetes version, `MAJOR.MINOR`. @default the AKS default version at creation, then kept patched */
  readonly kubernetesVersion?: string;
  /** AKS pricing tier of the control plane. @default 'Standard' */
  readonly skuTier?: AksSkuTier;
  /** Cluster DNS prefix. @default clusterName */
  readonly dnsPrefix?: string;
  /**
   * Automatic upgrades of Kubernetes and the node OS, and their maintenance window. @default patch channel, NodeImage
   * node OS channel, Sunday 02:00 UTC window
   */
  readonly upgrades?: AksUpgradeProps;
  /**
   * Microsoft Entra ID integration and who administers the cluster. @default Entra integration with Azure RBAC, no
   * admin groups, deployer granted cluster admin
   */
  readonly entra?: AksEntraProps;
  /** Pod and service address ranges and the network policy engine. @default Azure CNI overlay with Cilium */
  readonly network?: AksNetworkProps;
  /** Availability zones of both node pools and the ingress IP; [] in regions without zones. @default ['1', '2', '3'] */
  readonly zones?: readonly string[];
  /** The system pool (critical add-ons only). @default 'system', Standard_D4ds_v5, 2–3 nodes */
  readonly systemNodePool?: AksNodePoolProps;
  /** The user pool running the ingress controller and apps. @default 'user', Standard_D4ds_v5, 2–6 nodes */
  readonly userNodePool?: AksNodePoolProps;
  /**
   * The Log Analytics workspace receiving Container Insights (and queried by the attack alert). @default workspace
   * `log-<clusterName>`, 30 days
   */
  readonly logAnalytics?: AksLogAnalyticsProps;
  /**
   * The attack alert on ModSecurity blocks and its receivers. @default webhook receiver from a sensitive variable,
   * alert on every ModSecurity block, evaluated every 5 minutes
   */
  readonly alerting?: AksAlertingProps;
  /** Tags on every resource (merged over `managed-by: cdktf`). @default {} */
  readonly tags?: Readonly<Record<string, string>>;
  /** Reject region names missing from {@link AZURE_REGIONS} (a typo guard). @default true */
  readonly knownRegionsOnly?: boolean;
}
