/**
 * Validates {@link AksStackProps} and fills in the defaults, in one place: the constructs below only read the
 * resolved values. Every rejection names the prop path, the value and the fix.
 */
import {
  checkHostname,
  checkIntegerInRange,
  checkNoTerraformTemplates,
  checkUnique,
  invalid,
} from '../core/validation';
import { checkIpv4Cidr, contains, formatIpv4, Ipv4Cidr, overlaps, parseIpv4 } from '../core/ip';
import {
  AZURE_NAME_RULES,
  checkAuthorizedIpRanges,
  checkAzureName,
  checkEmail,
  checkGuid,
  checkKubernetesVersion,
  checkNodeCounts,
  checkRegion,
  checkTimeOfDay,
  checkUtcOffset,
  checkZones,
} from './checks';
import {
  AksNetworkPolicy,
  AksNodeOsUpgradeChannel,
  AksNodePoolProps,
  AksSkuTier,
  AksStackProps,
  AksUpgradeChannel,
  AlertEmailReceiver,
  DayOfWeek,
} from './props';

/** A node pool with every default applied (see {@link AksNodePoolProps}). */
export interface ResolvedNodePool {
  /** Pool name (at most 12 lower-case letters and digits); `system` or `user` unless set. */
  readonly name: string;
  /** Azure VM size of the nodes, e.g. `Standard_D4ds_v5`. */
  readonly vmSize: string;
  /** Autoscaler lower bound (node count). */
  readonly minCount: number;
  /** Autoscaler upper bound (node count), at least `minCount`. */
  readonly maxCount: number;
}

/**
 * {@link AksStackProps} validated, with every default applied; each field means what the prop of the same path
 * means. {@link AksStack} exposes it as `settings`, and {@link AksCluster} and {@link AttackAlert} take it (or its
 * `alerting` part) when used on their own.
 */
export interface ResolvedAksProps {
  /** Azure region, programmatic name (`westeurope`). */
  readonly location: string;
  /** Resource group of the cluster and its Azure side (a Terraform reference inside {@link AksStack}). */
  readonly resourceGroupName: string;
  /** AKS cluster name. */
  readonly clusterName: string;
  /** Cluster DNS prefix (`dnsPrefix`, else the cluster name). */
  readonly dnsPrefix: string;
  /**
   * Subscription to deploy into; undefined means the one of the environment (`ARM_SUBSCRIPTION_ID` or the Azure CLI).
   */
  readonly subscriptionId?: string;
  /** Kubernetes version `MAJOR.MINOR`; undefined means the AKS default at creation. */
  readonly kubernetesVersion?: string;
  /** AKS pricing tier (`Standard` unless set). */
  readonly skuTier: AksSkuTier;
  /** Public IPv4 ranges allowed to reach the API server (validated CIDRs, none of them `/0`). */
  readonly apiServerAuthorizedIpRanges: readonly string[];
  /** Automatic upgrade channels and their weekly maintenance window. */
  readonly upgrades: {
    /** Kubernetes upgrade channel (`patch` unless set). */
    readonly channel: AksUpgradeChannel;
    /** Node OS upgrade channel (`NodeImage` unless set). */
    readonly nodeOsChannel: AksNodeOsUpgradeChannel;
    /** Weekly window in which both channels may act (Sunday 02:00 +00:00, 4 hours unless set). */
    readonly window: {
      /** Day on which the window opens. */
      readonly dayOfWeek: DayOfWeek;
      /** Start time, 24-hour `HH:MM` in `utcOffset`. */
      readonly startTime: string;
      /** Length in whole hours, 4 to 24. */
      readonly durationHours: number;
      /** Offset from UTC of `startTime`, `+HH:MM` or `-HH:MM`. */
      readonly utcOffset: string;
    };
  };
  /** Microsoft Entra ID integration (Azure RBAC always on). */
  readonly entra: {
    /** Object ids (GUIDs) of the Entra groups granted cluster-admin; possibly empty. */
    readonly adminGroupObjectIds: readonly string[];
    /** Entra tenant (GUID); undefined means the tenant of the Terraform credentials. */
    readonly tenantId?: string;
    /**
     * Whether the principal running `terraform apply` gets "Azure Kubernetes Service RBAC Cluster Admin" (true unless
     * set).
     */
    readonly grantDeployerClusterAdmin: boolean;
  };
  /** Azure CNI overlay networking. */
  readonly network: {
    /** Network policy engine (`cilium` unless set). */
    readonly policy: AksNetworkPolicy;
    /** Pod address space, a CIDR from /8 to /24 clear of the ranges AKS reserves. */
    readonly podCidr: string;
    /** Service (ClusterIP) address space, a CIDR from /8 to /28, disjoint from `podCidr`. */
    readonly serviceCidr: string;
    /** ClusterIP of CoreDNS, a host address inside `serviceCidr` (not its first address). */
    readonly dnsServiceIp: string;
  };
  /** Availability zones (`"1"`, `"2"`, `"3"`) of both node pools and the ingress IP; empty in regions without zones. */
  readonly zones: readonly string[];
  /** The system node pool (critical add-ons only). */
  readonly systemNodePool: ResolvedNodePool;
  /** The user node pool (ingress controller and apps); its name differs from the system pool's. */
  readonly userNodePool: ResolvedNodePool;
  /** The Log Analytics workspace. */
  readonly logAnalytics: {
    /** Workspace name (`log-<clusterName>` unless set). */
    readonly workspaceName: string;
    /** Retention in days, 30 to 730. */
    readonly retentionInDays: number;
    /** Daily ingestion cap in GB (positive); undefined means no cap. */
    readonly dailyQuotaGb?: number;
  };
  /** The ingress entry point: static public IP and optional DNS. */
  readonly ingress: {
    /** Name of the static public IP (the controller Service's `azure-pip-name`). */
    readonly publicIpName: string;
    /** DNS label of the IP (`<label>.<region>.cloudapp.azure.com`); undefined means none. */
    readonly domainNameLabel?: string;
    /** Name of the second static IP of a side-by-side migration; undefined means none. */
    readonly migrationPublicIpName?: string;
    /** DNS zone and records; undefined means no DNS resources. */
    readonly dns?: {
      /** Zone name, e.g. `example.com`. */
      readonly zoneName: string;
      /** One A record per host, each inside the zone. */
      readonly records: readonly {
        /** Fully qualified host, e.g. `echo.example.com`. */
        readonly host: string;
        /** Record name relative to the zone, e.g. `echo`, or `@` for the apex. */
        readonly name: string;
      }[];
      /** TTL of the A records in seconds (300 unless set). */
      readonly ttlSeconds: number;
      /** The IP the records point at (`primary` unless set). */
      readonly target: 'primary' | 'migration';
    };
  };
  /** The attack alert on ModSecurity blocks. */
  readonly alerting: {
    /** E-mail receivers of the action group, unique by name; possibly empty. */
    readonly emailReceivers: readonly AlertEmailReceiver[];
    /**
     * Terraform variable holding the webhook URL (`alert_webhook_url` unless set); undefined means no webhook receiver.
     */
    readonly webhookVariableName?: string;
    /** Alert severity, 0 (critical) to 4 (verbose). */
    readonly severity: number;
    /** How often the query runs, in minutes (one of the values a scheduled query rule accepts). */
    readonly evaluationFrequencyMinutes: number;
    /** Time range the query looks back over, in minutes, at least `evaluationFrequencyMinutes`. */
    readonly windowMinutes: number;
    /** Blocks per rule id and client IP within the window that fire the alert (at least 1). */
    readonly threshold: number;
    /** Namespace of the ingress-nginx controller whose logs the query reads. */
    readonly controllerNamespace: string;
    /** Container name of the controller whose logs the query reads. */
    readonly controllerContainerName: string;
  };
  /** Tags on every resource: `managed-by: cdktf` merged with the `tags` prop. */
  readonly tags: Readonly<Record<string, string>>;
}

const UPGRADE_CHANNELS: readonly AksUpgradeChannel[] = ['patch', 'stable', 'rapid', 'node-image', 'none'];
const NODE_OS_CHANNELS: readonly AksNodeOsUpgradeChannel[] = ['NodeImage', 'SecurityPatch', 'Unmanaged', 'None'];
const NETWORK_POLICIES: readonly AksNetworkPolicy[] = ['cilium', 'calico', 'azure'];
const SKU_TIERS: readonly AksSkuTier[] = ['Free', 'Standard', 'Premium'];
const DAYS: readonly DayOfWeek[] = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
/** Evaluation frequencies and windows a scheduled query rule (v2) accepts, in minutes. */
const ALERT_MINUTES = [1, 5, 10, 15, 30, 45, 60, 120, 180, 240, 300, 360, 720, 1440, 2880];
/** Ranges AKS reserves; pod and service CIDRs must not overlap them. */
const AKS_RESERVED = ['169.254.0.0/16', '172.30.0.0/16', '172.31.0.0/16', '192.0.2.0/24'].map((c) =>
  checkIpv4Cidr('reserved', c),
);
/** VM size as Azure spells it, e.g. `Standard_D4ds_v5`. */
const VM_SIZE = /^(Standard|Basic)_[A-Za-z0-9_-]+$/;

function oneOf<T extends string>(field: string, value: T, allowed: readonly T[]): T {
  if (!allowed.includes(value))
    invalid(field, value, 'is not one of the allowed values', `use one of ${allowed.map((a) => `"${a}"`).join(', ')}`);
  return value;
}

function resolveNodePool(
  field: string,
  pool: AksNodePoolProps | undefined,
  defaults: ResolvedNodePool,
  minAllowed: number,
): ResolvedNodePool {
  const resolved = { ...defaults, ...definedOnly(pool ?? {}) };
  checkAzureName(`${field}.name`, resolved.name, AZURE_NAME_RULES.nodePool);
  if (typeof resolved.vmSize !== 'string' || !VM_SIZE.test(resolved.vmSize)) {
    invalid(
      `${field}.vmSize`,
      resolved.vmSize,
      'is not an Azure VM size',
      'use a size such as "Standard_D4ds_v5" (see `az vm list-sizes --location <region>`)',
    );
  }
  checkNodeCounts(field, resolved.minCount, resolved.maxCount, minAllowed);
  return resolved;
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function resolveNetwork(props: AksStackProps): ResolvedAksProps['network'] {
  const n = props.network ?? {};
  const policy = oneOf('network.policy', n.policy ?? 'cilium', NETWORK_POLICIES);
  const podCidr = n.podCidr ?? '10.244.0.0/16';
  const serviceCidr = n.serviceCidr ?? '10.0.0.0/16';
  const dnsServiceIp = n.dnsServiceIp ?? '10.0.0.10';
  const pods = checkIpv4Cidr('network.podCidr', podCidr, 8, 24);
  const services = checkIpv4Cidr('network.serviceCidr', serviceCidr, 8, 28);
  checkNotReserved('network.podCidr', pods);
  checkNotReserved('network.serviceCidr', services);
  if (overlaps(pods, services))
    invalid(
      'network.serviceCidr',
      serviceCidr,
      `overlaps network.podCidr (${podCidr})`,
      'use disjoint ranges, e.g. podCidr "10.244.0.0/16" and serviceCidr "10.0.0.0/16"',
    );
  const dns = parseIpv4(dnsServiceIp);
  if (dns === undefined)
    invalid(
      'network.dnsServiceIp',
      dnsServiceIp,
      'is not an IPv4 address',
      `use an address inside serviceCidr, e.g. "${formatIpv4(services.network + 10)}"`,
    );
  if (!contains(services, dns))
    invalid(
      'network.dnsServiceIp',
      dnsServiceIp,
      `is outside network.serviceCidr (${serviceCidr})`,
      `use an address inside it, e.g. "${formatIpv4(services.network + 10)}"`,
    );
  if (dns - services.network < 2 || dns === services.network + services.size - 1) {
    invalid(
      'network.dnsServiceIp',
      dnsServiceIp,
      "is the network, first (the API server's ClusterIP) or broadcast address of the service range",
      `use e.g. "${formatIpv4(services.network + 10)}"`,
    );
  }
  return { policy, podCidr, serviceCidr, dnsServiceIp };
}

function checkNotReserved(field: string, cidr: Ipv4Cidr): void {
  const clash = AKS_RESERVED.find((r) => overlaps(r, cidr));
  if (clash)
    invalid(
      field,
      cidr.text,
      `overlaps ${clash.text}, which AKS reserves`,
      'use a private range outside 169.254.0.0/16, 172.30.0.0/16, 172.31.0.0/16 and 192.0.2.0/24',
    );
}

function resolveUpgrades(props: AksStackProps): ResolvedAksProps['upgrades'] {
  const u = props.upgrades ?? {};
  const channel = oneOf('upgrades.channel', u.channel ?? 'patch', UPGRADE_CHANNELS);
  const nodeOsChannel = oneOf('upgrades.nodeOsChannel', u.nodeOsChannel ?? 'NodeImage', NODE_OS_CHANNELS);
  if (channel === 'node-image' && nodeOsChannel !== 'NodeImage') {
    invalid(
      'upgrades.nodeOsChannel',
      nodeOsChannel,
      'conflicts with upgrades.channel "node-image"',
      'use nodeOsChannel "NodeImage" with the node-image channel (AKS requires it), or pick another channel',
    );
  }
  const w = u.maintenanceWindow ?? {};
  const window = {
    dayOfWeek: oneOf('upgrades.maintenanceWindow.dayOfWeek', w.dayOfWeek ?? 'Sunday', DAYS),
    startTime: checkTimeOfDay('upgrades.maintenanceWindow.startTime', w.startTime ?? '02:00'),
    durationHours: checkIntegerInRange(
      'upgrades.maintenanceWindow.durationHours',
      w.durationHours ?? 4,
      4,
      24,
      'AKS needs a window of 4 to 24 hours',
    ),
    utcOffset: checkUtcOffset('upgrades.maintenanceWindow.utcOffset', w.utcOffset ?? '+00:00'),
  };
  return { channel, nodeOsChannel, window };
}

function resolveDns(props: AksStackProps): ResolvedAksProps['ingress']['dns'] {
  const dns = props.ingress.dns;
  if (!dns) return undefined;
  const zoneName = checkHostname('ingress.dns.zoneName', dns.zoneName);
  if (!Array.isArray(dns.hosts) || dns.hosts.length === 0) {
    invalid(
      'ingress.dns.hosts',
      dns.hosts,
      'is empty',
      'list the hosts the ingress serves (e.g. ["echo.example.com"]), or leave ingress.dns out',
    );
  }
  checkUnique('ingress.dns.hosts', dns.hosts);
  const records = dns.hosts.map((host, i) => {
    const field = `ingress.dns.hosts[${i}]`;
    checkHostname(field, host, true);
    if (host === zoneName) return { host, name: '@' };
    if (!host.endsWith(`.${zoneName}`))
      invalid(
        field,
        host,
        `is not inside the DNS zone "${zoneName}"`,
        `use a host ending in ".${zoneName}", or change ingress.dns.zoneName`,
      );
    return { host, name: host.slice(0, -(zoneName.length + 1)) };
  });
  const ttlSeconds = checkIntegerInRange('ingress.dns.ttlSeconds', dns.ttlSeconds ?? 300, 1, 2147483647);
  const target = oneOf('ingress.dns.target', dns.target ?? 'primary', ['primary', 'migration'] as const);
  if (target === 'migration' && props.ingress.migrationPublicIpName === undefined) {
    invalid(
      'ingress.dns.target',
      target,
      'names the migration IP, but ingress.migrationPublicIpName is not set',
      'set ingress.migrationPublicIpName (the second data plane\'s IP), or point the records at "primary"',
    );
  }
  return { zoneName, records, ttlSeconds, target };
}

function resolveAlerting(props: AksStackProps): ResolvedAksProps['alerting'] {
  const a = props.alerting ?? {};
  const emailReceivers = a.emailReceivers ?? [];
  emailReceivers.forEach((r, i) => {
    checkAzureName(`alerting.emailReceivers[${i}].name`, r.name, AZURE_NAME_RULES.actionGroup);
    checkEmail(`alerting.emailReceivers[${i}].address`, r.address);
  });
  checkUnique('alerting.emailReceivers', emailReceivers, (r) => r.name);
  const webhook = a.webhook ?? true;
  const webhookVariableName = webhook ? (a.webhookVariableName ?? 'alert_webhook_url') : undefined;
  if (webhookVariableName !== undefined && !/^[a-zA-Z_][a-zA-Z0-9_-]*$/.test(webhookVariableName)) {
    invalid(
      'alerting.webhookVariableName',
      webhookVariableName,
      'is not a Terraform variable name',
      'use letters, digits, "_" and "-", starting with a letter or "_", e.g. "alert_webhook_url"',
    );
  }
  if (!webhook && emailReceivers.length === 0) {
    invalid(
      'alerting',
      a,
      'has no receiver, so attack alerts would reach nobody',
      'keep webhook: true (a sensitive variable) or add emailReceivers',
    );
  }
  const minutes = (field: string, value: number, max: number) => {
    if (!ALERT_MINUTES.includes(value) || value > max)
      invalid(
        field,
        value,
        'is not a duration a log alert accepts',
        `use one of ${ALERT_MINUTES.filter((m) => m <= max).join(', ')} (minutes)`,
      );
    return value;
  };
  const evaluationFrequencyMinutes = minutes(
    'alerting.evaluationFrequencyMinutes',
    a.evaluationFrequencyMinutes ?? 5,
    1440,
  );
  const windowMinutes = minutes('alerting.windowMinutes', a.windowMinutes ?? 5, 2880);
  if (windowMinutes < evaluationFrequencyMinutes) {
    invalid(
      'alerting.windowMinutes',
      windowMinutes,
      `is shorter than evaluationFrequencyMinutes (${evaluationFrequencyMinutes}), so blocks between runs would be missed`,
      `use at least ${evaluationFrequencyMinutes}`,
    );
  }
  const controllerNamespace = a.controllerNamespace ?? 'ingress-nginx';
  const controllerContainerName = a.controllerContainerName ?? 'controller';
  for (const [field, value] of [
    ['alerting.controllerNamespace', controllerNamespace],
    ['alerting.controllerContainerName', controllerContainerName],
  ] as const) {
    if (!/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(value))
      invalid(
        field,
        value,
        'is not a Kubernetes name',
        'use the namespace / container name of the ingress-nginx controller, e.g. "ingress-nginx" / "controller"',
      );
  }
  return {
    emailReceivers,
    webhookVariableName,
    severity: checkIntegerInRange('alerting.severity', a.severity ?? 1, 0, 4, 'use 0 (critical) to 4 (verbose)'),
    evaluationFrequencyMinutes,
    windowMinutes,
    threshold: checkIntegerInRange('alerting.threshold', a.threshold ?? 1, 1, 1000000),
    controllerNamespace,
    controllerContainerName,
  };
}

/** Validates the props of {@link AksStack} and applies the defaults. Throws a ValidationError on the first problem. */
export function resolveAksProps(props: AksStackProps): ResolvedAksProps {
  // Every string below reaches Terraform JSON verbatim (tags, e-mail receivers, names): `${…}` / `%{…}` in any of
  // them would be evaluated by Terraform at plan time (e.g. `${file("~/.ssh/id_rsa")}`), so none may contain one.
  checkNoTerraformTemplates('', props);
  const knownRegionsOnly = props.knownRegionsOnly ?? true;
  const location = checkRegion('location', props.location, knownRegionsOnly);
  const resourceGroupName = checkAzureName(
    'resourceGroupName',
    props.resourceGroupName,
    AZURE_NAME_RULES.resourceGroup,
  );
  const clusterName = checkAzureName('clusterName', props.clusterName, AZURE_NAME_RULES.cluster);
  const dnsPrefix = checkAzureName('dnsPrefix', props.dnsPrefix ?? clusterName, AZURE_NAME_RULES.dnsPrefix);
  if (props.subscriptionId !== undefined) checkGuid('subscriptionId', props.subscriptionId);
  const skuTier = oneOf('skuTier', props.skuTier ?? 'Standard', SKU_TIERS);
  const upgrades = resolveUpgrades(props);
  if (props.kubernetesVersion !== undefined) {
    checkKubernetesVersion('kubernetesVersion', props.kubernetesVersion, upgrades.channel === 'patch');
    if (upgrades.channel === 'stable' || upgrades.channel === 'rapid') {
      invalid(
        'kubernetesVersion',
        props.kubernetesVersion,
        `is pinned while the "${upgrades.channel}" channel moves minor versions, which makes every plan want to downgrade`,
        'leave kubernetesVersion out with this channel, or use the "patch" channel',
      );
    }
  }
  checkAuthorizedIpRanges('apiServerAuthorizedIpRanges', props.apiServerAuthorizedIpRanges);

  const entraProps = props.entra ?? {};
  const adminGroupObjectIds = entraProps.adminGroupObjectIds ?? [];
  adminGroupObjectIds.forEach((id, i) => checkGuid(`entra.adminGroupObjectIds[${i}]`, id));
  checkUnique('entra.adminGroupObjectIds', adminGroupObjectIds);
  if (entraProps.tenantId !== undefined) checkGuid('entra.tenantId', entraProps.tenantId);

  const zones = checkZones('zones', props.zones ?? ['1', '2', '3']);
  const systemNodePool = resolveNodePool(
    'systemNodePool',
    props.systemNodePool,
    { name: 'system', vmSize: 'Standard_D4ds_v5', minCount: 2, maxCount: 3 },
    1,
  );
  const userNodePool = resolveNodePool(
    'userNodePool',
    props.userNodePool,
    { name: 'user', vmSize: 'Standard_D4ds_v5', minCount: 2, maxCount: 6 },
    0,
  );
  if (systemNodePool.name === userNodePool.name)
    invalid(
      'userNodePool.name',
      userNodePool.name,
      'is the same as the system pool name',
      'give the pools different names, e.g. "system" and "user"',
    );

  const la = props.logAnalytics ?? {};
  const logAnalytics = {
    workspaceName: checkAzureName(
      'logAnalytics.workspaceName',
      la.workspaceName ?? `log-${clusterName}`.replace(/_/g, '-'),
      AZURE_NAME_RULES.workspace,
    ),
    retentionInDays: checkIntegerInRange('logAnalytics.retentionInDays', la.retentionInDays ?? 30, 30, 730),
    dailyQuotaGb: la.dailyQuotaGb,
  };
  if (
    la.dailyQuotaGb !== undefined &&
    !(typeof la.dailyQuotaGb === 'number' && Number.isFinite(la.dailyQuotaGb) && la.dailyQuotaGb > 0)
  ) {
    invalid(
      'logAnalytics.dailyQuotaGb',
      la.dailyQuotaGb,
      'is not a positive number',
      'use a cap in GB such as 5, or leave it out for no cap',
    );
  }

  if (!props.ingress)
    invalid(
      'ingress',
      props.ingress,
      'is missing',
      "give at least ingress.publicIpName (the controller Service's azure-pip-name)",
    );
  const publicIpName = checkAzureName('ingress.publicIpName', props.ingress.publicIpName, AZURE_NAME_RULES.publicIp);
  const domainNameLabel = props.ingress.domainNameLabel;
  if (domainNameLabel !== undefined && !/^[a-z][a-z0-9-]{1,61}[a-z0-9]$/.test(domainNameLabel)) {
    invalid(
      'ingress.domainNameLabel',
      domainNameLabel,
      'is not a valid DNS label for a public IP',
      'use 3–63 lower-case letters, digits and "-", starting with a letter',
    );
  }
  const migrationPublicIpName =
    props.ingress.migrationPublicIpName === undefined
      ? undefined
      : checkAzureName('ingress.migrationPublicIpName', props.ingress.migrationPublicIpName, AZURE_NAME_RULES.publicIp);
  if (migrationPublicIpName !== undefined && migrationPublicIpName === publicIpName) {
    invalid(
      'ingress.migrationPublicIpName',
      migrationPublicIpName,
      'is the same as ingress.publicIpName',
      'give the second data plane its own IP name, e.g. "<name>-gateway"',
    );
  }

  const tags = { 'managed-by': 'cdktf', ...(props.tags ?? {}) };
  Object.entries(tags).forEach(([k, v]) => {
    if (k.length === 0 || k.length > 512 || /[<>%&\\?/]/.test(k))
      invalid(`tags["${k}"]`, k, 'is not a valid Azure tag name', 'use up to 512 characters without < > % & \\ ? /');
    if (typeof v !== 'string' || v.length > 256)
      invalid(`tags["${k}"]`, v, 'is not a valid Azure tag value', 'use a string of at most 256 characters');
  });

  return {
    location,
    resourceGroupName,
    clusterName,
    dnsPrefix,
    subscriptionId: props.subscriptionId,
    kubernetesVersion: props.kubernetesVersion,
    skuTier,
    apiServerAuthorizedIpRanges: [...props.apiServerAuthorizedIpRanges],
    upgrades,
    entra: {
      adminGroupObjectIds,
      tenantId: entraProps.tenantId,
      grantDeployerClusterAdmin: entraProps.grantDeployerClusterAdmin ?? true,
    },
    network: resolveNetwork(props),
    zones,
    systemNodePool,
    userNodePool,
    logAnalytics,
    ingress: { publicIpName, domainNameLabel, migrationPublicIpName, dns: resolveDns(props) },
    alerting: resolveAlerting(props),
    tags,
  };
}
