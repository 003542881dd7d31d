import { Testing, TerraformStack } from 'cdktf';
import { ValidationError } from '../../lib/core/validation';
import { IngressDns } from '../../lib/azure/dns';
import { IngressPublicIp } from '../../lib/azure/ingress-ip';
import { AksLogAnalytics } from '../../lib/azure/log-analytics';
import { onlyResource, resourcesOf, synth, withProps } from './support';

const stack = () => new TerraformStack(Testing.app(), 'parts');
const dnsProps = {
  zoneName: 'example.com',
  resourceGroupName: 'rg',
  ipAddress: '203.0.113.10',
  ttlSeconds: 60,
  tags: {},
};

describe('stack parts used on their own', () => {
  test('IngressDns writes wildcard and apex records', () => {
    const json = Testing.synthScope((scope) => {
      new IngressDns(scope, 'dns', {
        ...dnsProps,
        records: [
          { host: '*.apps.example.com', name: '*.apps' },
          { host: 'example.com', name: '@' },
        ],
      });
    });
    const names = Object.values(JSON.parse(json).resource.azurerm_dns_a_record)
      .map((r: any) => r.name)
      .sort();
    expect(names).toEqual(['*.apps', '@']);
  });

  test('a wildcard host in the stack props becomes a wildcard record', () => {
    const { tf } = synth(
      withProps({ ingress: { publicIpName: 'pip', dns: { zoneName: 'example.com', hosts: ['*.apps.example.com'] } } }),
    );
    expect(onlyResource(tf, 'azurerm_dns_a_record').name).toBe('*.apps');
    expect(resourcesOf(tf, 'azurerm_dns_zone')).toHaveLength(1);
  });

  test('IngressDns looks records up by host', () => {
    const dns = new IngressDns(stack(), 'dns', { ...dnsProps, records: [{ host: 'echo.example.com', name: 'echo' }] });
    expect(dns.recordFor('echo.example.com')).toBeDefined();
    expect(dns.recordFor('other.example.com')).toBeUndefined();
  });

  test('rejects an IngressDns record name with a dot at the end', () => {
    expect(
      () => new IngressDns(stack(), 'dns', { ...dnsProps, records: [{ host: 'echo.example.com', name: 'echo.' }] }),
    ).toThrow(ValidationError);
  });

  test('rejects IngressDns records with the same name', () => {
    expect(
      () =>
        new IngressDns(stack(), 'dns', {
          ...dnsProps,
          records: [
            { host: 'a.example.com', name: 'a' },
            { host: 'a.example.com', name: 'a' },
          ],
        }),
    ).toThrow(/appears more than once/);
  });

  test('rejects an IngressPublicIp name with spaces and an unknown zone', () => {
    const base = {
      name: 'pip',
      resourceGroupName: 'rg',
      resourceGroupId: 'id',
      location: 'westeurope',
      zones: ['1'],
      clusterPrincipalId: 'p',
      tags: {},
    };
    expect(() => new IngressPublicIp(stack(), 'ip', { ...base, name: 'my ip' })).toThrow(ValidationError);
    expect(() => new IngressPublicIp(stack(), 'ip2', { ...base, zones: ['4'] })).toThrow(ValidationError);
  });

  test('rejects an AksLogAnalytics retention under 30 days', () => {
    expect(
      () =>
        new AksLogAnalytics(stack(), 'la', {
          resourceGroupName: 'rg',
          location: 'westeurope',
          workspaceName: 'log-x',
          retentionInDays: 7,
          tags: {},
        }),
    ).toThrow(ValidationError);
  });
});
