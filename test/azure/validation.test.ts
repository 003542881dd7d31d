import { ValidationError } from '../../lib/core/validation';
import { AksStackProps } from '../../lib/azure/props';
import { resolveAksProps } from '../../lib/azure/resolve';
import { BASE_PROPS, buildStack, withProps } from './support';

/** Builds the stack and returns the ValidationError it throws (fails the test when it does not throw one). */
function rejection(props: AksStackProps): ValidationError {
  try {
    buildStack(props);
  } catch (err) {
    if (err instanceof ValidationError) return err;
    throw err;
  }
  throw new Error('expected a ValidationError, but the stack was built');
}

describe('AksStack validation', () => {
  test('accepts the base props and applies the defaults', () => {
    const s = resolveAksProps(BASE_PROPS);
    expect(s).toMatchObject({
      dnsPrefix: 'aks-test',
      skuTier: 'Standard',
      zones: ['1', '2', '3'],
      upgrades: {
        channel: 'patch',
        nodeOsChannel: 'NodeImage',
        window: { dayOfWeek: 'Sunday', startTime: '02:00', durationHours: 4, utcOffset: '+00:00' },
      },
      network: { policy: 'cilium', podCidr: '10.244.0.0/16', serviceCidr: '10.0.0.0/16', dnsServiceIp: '10.0.0.10' },
      systemNodePool: { name: 'system', vmSize: 'Standard_D4ds_v5', minCount: 2, maxCount: 3 },
      userNodePool: { name: 'user', vmSize: 'Standard_D4ds_v5', minCount: 2, maxCount: 6 },
      logAnalytics: { workspaceName: 'log-aks-test', retentionInDays: 30 },
      entra: { adminGroupObjectIds: [], grantDeployerClusterAdmin: true },
      alerting: {
        webhookVariableName: 'alert_webhook_url',
        severity: 1,
        evaluationFrequencyMinutes: 5,
        windowMinutes: 5,
        threshold: 1,
        controllerNamespace: 'ingress-nginx',
        controllerContainerName: 'controller',
      },
      tags: { 'managed-by': 'cdktf' },
    });
    expect(s.ingress.dns?.records).toEqual([
      { host: 'echo.example.com', name: 'echo' },
      { host: 'example.com', name: '@' },
    ]);
  });

  test('the error names the field, the value and the fix', () => {
    const err = rejection(withProps({ location: 'West Europe' }));
    expect(err.field).toBe('location');
    expect(err.value).toBe('West Europe');
    expect(err.message).toContain('"westeurope"');
  });

  test('accepts an unknown but well-formed region when knownRegionsOnly is false', () => {
    expect(() => buildStack(withProps({ location: 'marsnorth', knownRegionsOnly: false }))).not.toThrow();
  });

  test.each<[string, Partial<Record<keyof AksStackProps, unknown>>, string]>([
    ['a display-name region', { location: 'West Europe' }, 'location'],
    ['a dashed region', { location: 'west-europe' }, 'location'],
    ['an unknown region', { location: 'westeruope' }, 'location'],
    ['an invalid resource group name', { resourceGroupName: 'rg-test.' }, 'resourceGroupName'],
    ['an invalid cluster name', { clusterName: '-aks' }, 'clusterName'],
    ['an invalid DNS prefix', { dnsPrefix: '1aks' }, 'dnsPrefix'],
    ['a subscription id that is not a GUID', { subscriptionId: 'my-subscription' }, 'subscriptionId'],
    ['a Kubernetes version with a leading v', { kubernetesVersion: 'v1.33' }, 'kubernetesVersion'],
    ['a Kubernetes version with a patch under the patch channel', { kubernetesVersion: '1.33.2' }, 'kubernetesVersion'],
    [
      'a pinned Kubernetes version under the stable channel',
      { kubernetesVersion: '1.33', upgrades: { channel: 'stable' } },
      'kubernetesVersion',
    ],
    ['a free-text Kubernetes version', { kubernetesVersion: 'latest' }, 'kubernetesVersion'],
    ['an unknown SKU tier', { skuTier: 'Gold' }, 'skuTier'],
    ['no authorized IP ranges', { apiServerAuthorizedIpRanges: [] }, 'apiServerAuthorizedIpRanges'],
    [
      'an authorized range open to the internet',
      { apiServerAuthorizedIpRanges: ['203.0.113.0/24', '0.0.0.0/0'] },
      'apiServerAuthorizedIpRanges[1]',
    ],
    [
      'an authorized range without a prefix',
      { apiServerAuthorizedIpRanges: ['203.0.113.7'] },
      'apiServerAuthorizedIpRanges[0]',
    ],
    [
      'an authorized range with host bits set',
      { apiServerAuthorizedIpRanges: ['203.0.113.7/24'] },
      'apiServerAuthorizedIpRanges[0]',
    ],
    [
      'an authorized range with a bad octet',
      { apiServerAuthorizedIpRanges: ['203.0.113.256/32'] },
      'apiServerAuthorizedIpRanges[0]',
    ],
    ['an IPv6 authorized range', { apiServerAuthorizedIpRanges: ['2001:db8::/32'] }, 'apiServerAuthorizedIpRanges[0]'],
    [
      'duplicate authorized ranges',
      { apiServerAuthorizedIpRanges: ['203.0.113.0/24', '203.0.113.0/24'] },
      'apiServerAuthorizedIpRanges',
    ],
    ['an unknown upgrade channel', { upgrades: { channel: 'latest' } }, 'upgrades.channel'],
    [
      'node-image channel without the NodeImage OS channel',
      { upgrades: { channel: 'node-image', nodeOsChannel: 'SecurityPatch' } },
      'upgrades.nodeOsChannel',
    ],
    [
      'a maintenance window shorter than 4 hours',
      { upgrades: { maintenanceWindow: { durationHours: 2 } } },
      'upgrades.maintenanceWindow.durationHours',
    ],
    [
      'a maintenance window start that is not HH:MM',
      { upgrades: { maintenanceWindow: { startTime: '2am' } } },
      'upgrades.maintenanceWindow.startTime',
    ],
    [
      'a bad UTC offset',
      { upgrades: { maintenanceWindow: { utcOffset: 'UTC+1' } } },
      'upgrades.maintenanceWindow.utcOffset',
    ],
    [
      'an unknown day',
      { upgrades: { maintenanceWindow: { dayOfWeek: 'Sun' } } },
      'upgrades.maintenanceWindow.dayOfWeek',
    ],
    [
      'an admin group that is not a GUID',
      { entra: { adminGroupObjectIds: ['aks-admins'] } },
      'entra.adminGroupObjectIds[0]',
    ],
    ['a tenant that is not a GUID', { entra: { tenantId: 'contoso.onmicrosoft.com' } }, 'entra.tenantId'],
    ['an unknown network policy', { network: { policy: 'weave' } }, 'network.policy'],
    ['a malformed pod CIDR', { network: { podCidr: '10.244.0.0' } }, 'network.podCidr'],
    ['a pod CIDR too small for a cluster', { network: { podCidr: '10.244.0.0/28' } }, 'network.podCidr'],
    ['overlapping pod and service CIDRs', { network: { podCidr: '10.0.0.0/8' } }, 'network.serviceCidr'],
    [
      'a service CIDR in a range AKS reserves',
      { network: { serviceCidr: '172.30.0.0/16', dnsServiceIp: '172.30.0.10' } },
      'network.serviceCidr',
    ],
    ['a DNS service IP outside the service CIDR', { network: { dnsServiceIp: '10.1.0.10' } }, 'network.dnsServiceIp'],
    ['the first service address as DNS service IP', { network: { dnsServiceIp: '10.0.0.1' } }, 'network.dnsServiceIp'],
    ['a DNS service IP that is not an address', { network: { dnsServiceIp: 'kube-dns' } }, 'network.dnsServiceIp'],
    ['an unknown availability zone', { zones: ['1', '4'] }, 'zones[1]'],
    ['duplicate zones', { zones: ['1', '1'] }, 'zones'],
    ['a system pool with no nodes', { systemNodePool: { minCount: 0 } }, 'systemNodePool.minCount'],
    ['a pool whose max is below its min', { userNodePool: { minCount: 5, maxCount: 3 } }, 'userNodePool.maxCount'],
    ['a fractional node count', { userNodePool: { minCount: 1.5 } }, 'userNodePool.minCount'],
    ['a node pool name with capitals', { userNodePool: { name: 'UserPool' } }, 'userNodePool.name'],
    ['a node pool name longer than 12', { userNodePool: { name: 'userpoolnumber1' } }, 'userNodePool.name'],
    ['two pools with the same name', { userNodePool: { name: 'system' } }, 'userNodePool.name'],
    ['a VM size that is not one', { systemNodePool: { vmSize: 'D4ds_v5' } }, 'systemNodePool.vmSize'],
    ['retention below 30 days', { logAnalytics: { retentionInDays: 7 } }, 'logAnalytics.retentionInDays'],
    ['a non-positive daily quota', { logAnalytics: { dailyQuotaGb: 0 } }, 'logAnalytics.dailyQuotaGb'],
    ['a workspace name with spaces', { logAnalytics: { workspaceName: 'my workspace' } }, 'logAnalytics.workspaceName'],
    ['an invalid public IP name', { ingress: { publicIpName: 'pip ingress' } }, 'ingress.publicIpName'],
    [
      'an invalid domain name label',
      { ingress: { publicIpName: 'pip', domainNameLabel: 'Echo' } },
      'ingress.domainNameLabel',
    ],
    [
      'a DNS zone that is not a domain',
      { ingress: { publicIpName: 'pip', dns: { zoneName: 'localhost', hosts: ['a.localhost'] } } },
      'ingress.dns.zoneName',
    ],
    [
      'DNS without hosts',
      { ingress: { publicIpName: 'pip', dns: { zoneName: 'example.com', hosts: [] } } },
      'ingress.dns.hosts',
    ],
    [
      'a host outside the zone',
      { ingress: { publicIpName: 'pip', dns: { zoneName: 'example.com', hosts: ['echo.example.org'] } } },
      'ingress.dns.hosts[0]',
    ],
    [
      'a host that only ends like the zone',
      { ingress: { publicIpName: 'pip', dns: { zoneName: 'example.com', hosts: ['echoexample.com'] } } },
      'ingress.dns.hosts[0]',
    ],
    [
      'an upper-case host',
      { ingress: { publicIpName: 'pip', dns: { zoneName: 'example.com', hosts: ['Echo.example.com'] } } },
      'ingress.dns.hosts[0]',
    ],
    [
      'duplicate hosts',
      { ingress: { publicIpName: 'pip', dns: { zoneName: 'example.com', hosts: ['a.example.com', 'a.example.com'] } } },
      'ingress.dns.hosts',
    ],
    [
      'a zero TTL',
      { ingress: { publicIpName: 'pip', dns: { zoneName: 'example.com', hosts: ['a.example.com'], ttlSeconds: 0 } } },
      'ingress.dns.ttlSeconds',
    ],
    ['alerting without any receiver', { alerting: { webhook: false } }, 'alerting'],
    [
      'a bad e-mail address',
      { alerting: { emailReceivers: [{ name: 'secops', address: 'secops' }] } },
      'alerting.emailReceivers[0].address',
    ],
    [
      'duplicate e-mail receiver names',
      {
        alerting: {
          emailReceivers: [
            { name: 'a', address: 'a@example.com' },
            { name: 'a', address: 'b@example.com' },
          ],
        },
      },
      'alerting.emailReceivers',
    ],
    [
      'a webhook variable name with dots',
      { alerting: { webhookVariableName: 'alert.url' } },
      'alerting.webhookVariableName',
    ],
    ['a severity above 4', { alerting: { severity: 5 } }, 'alerting.severity'],
    [
      'an evaluation frequency Azure does not offer',
      { alerting: { evaluationFrequencyMinutes: 7 } },
      'alerting.evaluationFrequencyMinutes',
    ],
    [
      'a window shorter than the frequency',
      { alerting: { evaluationFrequencyMinutes: 15, windowMinutes: 5 } },
      'alerting.windowMinutes',
    ],
    ['a zero threshold', { alerting: { threshold: 0 } }, 'alerting.threshold'],
    [
      'a controller namespace that is not a Kubernetes name',
      { alerting: { controllerNamespace: 'Ingress_Nginx' } },
      'alerting.controllerNamespace',
    ],
    ['a tag name with a slash', { tags: { 'team/name': 'edge' } }, 'tags["team/name"]'],
  ])('rejects %s', (_what, overrides, field) => {
    const err = rejection(withProps(overrides));
    expect(err.field).toBe(field);
    expect(err.fix.length).toBeGreaterThan(0);
  });

  test('rejects a missing ingress section', () => {
    expect(rejection(withProps({ ingress: undefined })).field).toBe('ingress');
  });
});
