import { KubernetesCluster } from '@cdktf/provider-azurerm/lib/kubernetes-cluster';
import { KubernetesClusterNodePool } from '@cdktf/provider-azurerm/lib/kubernetes-cluster-node-pool';
import { LogAnalyticsWorkspace } from '@cdktf/provider-azurerm/lib/log-analytics-workspace';
import { MonitorActionGroup } from '@cdktf/provider-azurerm/lib/monitor-action-group';
import { MonitorDataCollectionRule } from '@cdktf/provider-azurerm/lib/monitor-data-collection-rule';
import { MonitorDataCollectionRuleAssociation } from '@cdktf/provider-azurerm/lib/monitor-data-collection-rule-association';
import { MonitorScheduledQueryRulesAlertV2 } from '@cdktf/provider-azurerm/lib/monitor-scheduled-query-rules-alert-v2';
import { PublicIp } from '@cdktf/provider-azurerm/lib/public-ip';
import { ResourceGroup } from '@cdktf/provider-azurerm/lib/resource-group';
import { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment';
import { DnsZone } from '@cdktf/provider-azurerm/lib/dns-zone';
import { DnsARecord } from '@cdktf/provider-azurerm/lib/dns-a-record';
import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { CONTAINER_INSIGHTS_STREAMS } from '../../lib/azure/cluster';
import { AKS_STACK_OUTPUTS } from '../../lib/azure/aks-stack';
import { onlyResource, resourcesOf, synth, withProps } from './support';

const { json, tf } = synth();
const cluster = onlyResource(tf, 'azurerm_kubernetes_cluster');
const clusterRef = `azurerm_kubernetes_cluster.${Object.keys(tf.resource.azurerm_kubernetes_cluster)[0]}`;
const workspaceRef = `azurerm_log_analytics_workspace.${Object.keys(tf.resource.azurerm_log_analytics_workspace)[0]}`;

describe('AksStack resources', () => {
  test('uses the azurerm provider and a resource group in the region', () => {
    expect(json).toHaveProvider(AzurermProvider);
    expect(json).toHaveResourceWithProperties(ResourceGroup, { name: 'rg-test', location: 'westeurope' });
  });

  test('creates a Log Analytics workspace without shared-key authentication', () => {
    expect(json).toHaveResourceWithProperties(LogAnalyticsWorkspace, {
      name: 'log-aks-test',
      sku: 'PerGB2018',
      retention_in_days: 30,
      local_authentication_enabled: false,
    });
  });

  test('integrates the cluster with Entra ID and Azure RBAC, with local accounts disabled', () => {
    expect(json).toHaveResourceWithProperties(KubernetesCluster, {
      name: 'aks-test',
      local_account_disabled: true,
      role_based_access_control_enabled: true,
      azure_active_directory_role_based_access_control: { azure_rbac_enabled: true },
      identity: { type: 'SystemAssigned' },
    });
  });

  test('enables OIDC issuer, workload identity, Azure Policy and Container Insights with managed-identity auth', () => {
    expect(json).toHaveResourceWithProperties(KubernetesCluster, {
      oidc_issuer_enabled: true,
      workload_identity_enabled: true,
      azure_policy_enabled: true,
      oms_agent: { log_analytics_workspace_id: `\${${workspaceRef}.id}`, msi_auth_for_monitoring_enabled: true },
    });
  });

  test('keeps itself patched: patch channel, NodeImage node OS channel, both in a weekly window', () => {
    const window = {
      frequency: 'Weekly',
      interval: 1,
      day_of_week: 'Sunday',
      start_time: '02:00',
      duration: 4,
      utc_offset: '+00:00',
    };
    expect(json).toHaveResourceWithProperties(KubernetesCluster, {
      automatic_upgrade_channel: 'patch',
      node_os_upgrade_channel: 'NodeImage',
      maintenance_window_auto_upgrade: window,
      maintenance_window_node_os: window,
      sku_tier: 'Standard',
    });
    expect(cluster.kubernetes_version).toBeUndefined();
  });

  test('uses Azure CNI overlay with the Cilium dataplane and network policy', () => {
    expect(cluster.network_profile).toEqual({
      network_plugin: 'azure',
      network_plugin_mode: 'overlay',
      network_data_plane: 'cilium',
      network_policy: 'cilium',
      pod_cidr: '10.244.0.0/16',
      service_cidr: '10.0.0.0/16',
      dns_service_ip: '10.0.0.10',
      load_balancer_sku: 'standard',
      outbound_type: 'loadBalancer',
    });
  });

  test('limits the API server to the authorized IP ranges', () => {
    expect(cluster.api_server_access_profile).toEqual({ authorized_ip_ranges: ['203.0.113.0/24'] });
  });

  test('runs a system pool for critical add-ons only, autoscaled across zones', () => {
    expect(cluster.default_node_pool).toMatchObject({
      name: 'system',
      only_critical_addons_enabled: true,
      auto_scaling_enabled: true,
      min_count: 2,
      max_count: 3,
      zones: ['1', '2', '3'],
      vm_size: 'Standard_D4ds_v5',
      temporary_name_for_rotation: 'tmpsystem',
      upgrade_settings: { max_surge: '10%' },
    });
    expect(cluster.default_node_pool.node_count).toBeUndefined();
  });

  test('adds a user pool across zones with autoscaling', () => {
    expect(json).toHaveResourceWithProperties(KubernetesClusterNodePool, {
      name: 'user',
      mode: 'User',
      auto_scaling_enabled: true,
      min_count: 2,
      max_count: 6,
      zones: ['1', '2', '3'],
      kubernetes_cluster_id: `\${${clusterRef}.id}`,
    });
  });

  test('sends ContainerLogV2 (not the legacy ContainerLog) to the workspace through a data collection rule', () => {
    const rule = onlyResource(tf, 'azurerm_monitor_data_collection_rule');
    expect(rule.data_flow).toEqual([{ streams: CONTAINER_INSIGHTS_STREAMS, destinations: ['ciworkspace'] }]);
    expect(CONTAINER_INSIGHTS_STREAMS).toContain('Microsoft-ContainerLogV2');
    expect(CONTAINER_INSIGHTS_STREAMS).not.toContain('Microsoft-ContainerLog');
    const extension = rule.data_sources.extension[0];
    expect(extension.extension_name).toBe('ContainerInsights');
    expect(JSON.parse(extension.extension_json)).toEqual({
      dataCollectionSettings: { interval: '1m', namespaceFilteringMode: 'Off', enableContainerLogV2: true },
    });
    expect(json).toHaveResource(MonitorDataCollectionRule);
    expect(json).toHaveResourceWithProperties(MonitorDataCollectionRuleAssociation, {
      name: 'ContainerInsightsExtension',
      target_resource_id: `\${${clusterRef}.id}`,
    });
  });

  test('creates a static, zone-redundant Standard public IP for the ingress', () => {
    expect(json).toHaveResourceWithProperties(PublicIp, {
      name: 'pip-test-ingress',
      allocation_method: 'Static',
      sku: 'Standard',
      zones: ['1', '2', '3'],
      ip_version: 'IPv4',
      resource_group_name: '${azurerm_resource_group.resource-group.name}',
    });
  });

  test('lets the cluster identity use the IP: Network Contributor on its resource group', () => {
    expect(json).toHaveResourceWithProperties(RoleAssignment, {
      role_definition_name: 'Network Contributor',
      principal_id: `\${${clusterRef}.identity[0].principal_id}`,
      scope: '${azurerm_resource_group.resource-group.id}',
    });
  });

  test('grants the deploying principal cluster admin through Azure RBAC', () => {
    expect(json).toHaveDataSource({ tfResourceType: 'azurerm_client_config' });
    expect(json).toHaveResourceWithProperties(RoleAssignment, {
      role_definition_name: 'Azure Kubernetes Service RBAC Cluster Admin',
      principal_id: '${data.azurerm_client_config.deployer.object_id}',
      scope: `\${${clusterRef}.id}`,
    });
  });

  test('creates the DNS zone and one A record per host, pointing at the ingress IP', () => {
    expect(json).toHaveResourceWithProperties(DnsZone, { name: 'example.com' });
    const records = resourcesOf(tf, 'azurerm_dns_a_record') as Record<string, any>[];
    expect(records.map((r) => r.name).sort()).toEqual(['@', 'echo']);
    const ipRef = `\${azurerm_public_ip.${Object.keys(tf.resource.azurerm_public_ip)[0]}.ip_address}`;
    for (const r of records) expect(r).toMatchObject({ records: [ipRef], ttl: 300 });
    expect(json).toHaveResourceWithProperties(DnsARecord, { name: 'echo' });
  });

  test('raises a log alert (v2) on ModSecurity blocks per rule id and client IP to the action group', () => {
    expect(json).toHaveResourceWithProperties(MonitorScheduledQueryRulesAlertV2, {
      evaluation_frequency: 'PT5M',
      window_duration: 'PT5M',
      severity: 1,
      scopes: [`\${${workspaceRef}.id}`],
    });
    const alert = onlyResource(tf, 'azurerm_monitor_scheduled_query_rules_alert_v2');
    const [criteria] = alert.criteria;
    expect(criteria).toMatchObject({
      operator: 'GreaterThanOrEqual',
      threshold: 1,
      time_aggregation_method: 'Total',
      metric_measure_column: 'Blocks',
    });
    expect(criteria.dimension.map((d: { name: string }) => d.name)).toEqual(['RuleId', 'ClientIp']);
    expect(criteria.query).toMatch(/^ContainerLogV2\n/);
    expect(criteria.query).toContain('PodNamespace == "ingress-nginx" and ContainerName == "controller"');
    const groupRef = `\${azurerm_monitor_action_group.${Object.keys(tf.resource.azurerm_monitor_action_group)[0]}.id}`;
    expect(alert.action.action_groups).toEqual([groupRef]);
    expect(json).toHaveResourceWithProperties(MonitorActionGroup, { short_name: 'waf-attacks', location: 'global' });
  });

  test('tags every taggable resource with managed-by', () => {
    for (const [type, resources] of Object.entries(tf.resource)) {
      for (const r of Object.values(resources) as Record<string, any>[]) {
        if (type === 'azurerm_role_assignment' || type === 'azurerm_monitor_data_collection_rule_association') continue;
        expect({ type, tags: r.tags }).toEqual({ type, tags: expect.objectContaining({ 'managed-by': 'cdktf' }) });
      }
    }
  });
});

describe('AksStack outputs', () => {
  test('gives cluster name, resource group, get-credentials command, ingress IP, name servers, OIDC issuer, workspace', () => {
    expect(Object.keys(tf.output).sort()).toEqual(
      Object.values(AKS_STACK_OUTPUTS)
        .filter((o) => o !== AKS_STACK_OUTPUTS.migrationIngressIp)
        .sort(),
    );
    expect(tf.output.cluster_name.value).toBe(`\${${clusterRef}.name}`);
    expect(tf.output.resource_group_name.value).toBe('${azurerm_resource_group.resource-group.name}');
    expect(tf.output.get_credentials_command.value).toContain('az aks get-credentials --resource-group %s --name %s');
    expect(tf.output.get_credentials_command.value).toContain('kubelogin convert-kubeconfig -l azurecli');
    expect(tf.output.ingress_ip.value).toMatch(/^\$\{azurerm_public_ip\.[\w-]+\.ip_address\}$/);
    expect(tf.output.dns_name_servers.value).toMatch(/azurerm_dns_zone\.[\w-]+\.name_servers/);
  });

  test('has no name-server output and no DNS resources without a DNS zone', () => {
    const { tf: noDns } = synth(withProps({ ingress: { publicIpName: 'pip-test-ingress' } }));
    expect(noDns.output.dns_name_servers).toBeUndefined();
    expect(noDns.resource.azurerm_dns_zone).toBeUndefined();
    expect(noDns.resource.azurerm_dns_a_record).toBeUndefined();
  });
});

describe('AksStack secrets', () => {
  test('takes the webhook URL from a sensitive, non-nullable https variable', () => {
    expect(tf.variable?.alert_webhook_url).toMatchObject({ type: 'string', sensitive: true, nullable: false });
    expect(JSON.stringify(tf.variable?.alert_webhook_url.validation)).toContain('^https://');
    const group = onlyResource(tf, 'azurerm_monitor_action_group');
    expect(group.webhook_receiver).toEqual([
      { name: 'webhook', service_uri: '${var.alert_webhook_url}', use_common_alert_schema: true },
    ]);
  });

  test('writes no URL, token or key literal anywhere outside the variable declaration', () => {
    const { variable, ...rest } = tf;
    expect(variable).toBeDefined();
    const text = JSON.stringify(rest);
    expect(text.match(/https?:\/\/[^"\s]*/g) ?? []).toEqual([]);
    expect(json).not.toMatch(/hooks\.slack\.com|logic\.azure\.com|webhook\.office\.com|client_secret|-----BEGIN/);
  });

  test('uses the configured variable name and no webhook at all when disabled', () => {
    const named = synth(withProps({ alerting: { webhookVariableName: 'slack_relay_url' } })).tf;
    expect(named.variable?.slack_relay_url).toMatchObject({ sensitive: true });
    const emailOnly = synth(
      withProps({ alerting: { webhook: false, emailReceivers: [{ name: 'secops', address: 'secops@example.com' }] } }),
    ).tf;
    expect(emailOnly.variable).toBeUndefined();
    expect(onlyResource(emailOnly, 'azurerm_monitor_action_group')).toMatchObject({
      email_receiver: [{ name: 'secops', email_address: 'secops@example.com', use_common_alert_schema: true }],
    });
    expect(onlyResource(emailOnly, 'azurerm_monitor_action_group').webhook_receiver).toBeUndefined();
  });
});

describe('AksStack options', () => {
  test('switches to the Azure dataplane with Calico', () => {
    const c = onlyResource(synth(withProps({ network: { policy: 'calico' } })).tf, 'azurerm_kubernetes_cluster');
    expect(c.network_profile).toMatchObject({
      network_data_plane: 'azure',
      network_policy: 'calico',
      network_plugin_mode: 'overlay',
    });
  });

  test('passes admin groups, tenant, version, node pools and zones through', () => {
    const group = '11111111-2222-3333-4444-555555555555';
    const tenant = '66666666-7777-8888-9999-000000000000';
    const { tf: t } = synth(
      withProps({
        entra: { adminGroupObjectIds: [group], tenantId: tenant, grantDeployerClusterAdmin: false },
        kubernetesVersion: '1.33',
        zones: [],
        systemNodePool: { vmSize: 'Standard_D2ds_v5', minCount: 1, maxCount: 2 },
        userNodePool: { name: 'apps', minCount: 0, maxCount: 10 },
      }),
    );
    const c = onlyResource(t, 'azurerm_kubernetes_cluster');
    expect(c.azure_active_directory_role_based_access_control).toEqual({
      azure_rbac_enabled: true,
      admin_group_object_ids: [group],
      tenant_id: tenant,
    });
    expect(c.kubernetes_version).toBe('1.33');
    expect(c.default_node_pool).toMatchObject({ vm_size: 'Standard_D2ds_v5', min_count: 1, max_count: 2 });
    expect(c.default_node_pool.zones).toBeUndefined();
    expect(onlyResource(t, 'azurerm_kubernetes_cluster_node_pool')).toMatchObject({
      name: 'apps',
      min_count: 0,
      max_count: 10,
      temporary_name_for_rotation: 'tmpapps',
    });
    expect(onlyResource(t, 'azurerm_public_ip').zones).toBeUndefined();
    expect(t.data).toBeUndefined();
    expect(resourcesOf(t, 'azurerm_role_assignment')).toHaveLength(1);
  });

  test('omits the auto-upgrade channel and its window with channel "none"', () => {
    const c = onlyResource(
      synth(withProps({ upgrades: { channel: 'none', nodeOsChannel: 'Unmanaged' } })).tf,
      'azurerm_kubernetes_cluster',
    );
    expect(c.automatic_upgrade_channel).toBeUndefined();
    expect(c.maintenance_window_auto_upgrade).toBeUndefined();
    expect(c.maintenance_window_node_os).toBeUndefined();
    expect(c.node_os_upgrade_channel).toBe('Unmanaged');
  });

  test('sets the subscription on the provider when given', () => {
    const sub = '12345678-1234-1234-1234-123456789abc';
    expect(synth(withProps({ subscriptionId: sub })).json).toHaveProviderWithProperties(AzurermProvider, {
      subscription_id: sub,
    });
  });

  test('writes ISO 8601 durations for the alert timing', () => {
    const alert = onlyResource(
      synth(withProps({ alerting: { evaluationFrequencyMinutes: 60, windowMinutes: 1440, severity: 3 } })).tf,
      'azurerm_monitor_scheduled_query_rules_alert_v2',
    );
    expect(alert).toMatchObject({ evaluation_frequency: 'PT1H', window_duration: 'P1D', severity: 3 });
  });
});

describe('AksStack snapshot', () => {
  test('matches the stack JSON snapshot', () => {
    expect(tf).toMatchSnapshot();
  });
});
