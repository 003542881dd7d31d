import { validationErrorOf } from '../waf/support';
import { BASE_PROPS, resourcesOf, synth, withProps } from './support';

const WITH_SECOND_IP = { ...BASE_PROPS.ingress, migrationPublicIpName: 'pip-test-gateway' };

describe('the second ingress IP of a side-by-side migration', () => {
  test('without migrationPublicIpName there is one public IP and no migration output', () => {
    const { tf } = synth();
    expect(resourcesOf(tf, 'azurerm_public_ip')).toHaveLength(1);
    expect(tf.output.migration_ingress_ip).toBeUndefined();
  });

  test('adds a second static Standard IP in the same resource group, one role assignment for both, and an output', () => {
    const { tf } = synth(withProps({ ingress: WITH_SECOND_IP }));
    const ips = resourcesOf(tf, 'azurerm_public_ip') as Record<string, unknown>[];
    expect(ips.map((ip) => ip.name).sort()).toEqual(['pip-test-gateway', 'pip-test-ingress']);
    for (const ip of ips)
      expect(ip).toMatchObject({
        allocation_method: 'Static',
        sku: 'Standard',
        resource_group_name: ips[0].resource_group_name,
      });
    const roles = resourcesOf(tf, 'azurerm_role_assignment').filter(
      (r) => (r as { role_definition_name?: string }).role_definition_name === 'Network Contributor',
    );
    expect(roles).toHaveLength(1);
    expect(tf.output.migration_ingress_ip.value).toMatch(
      /^\$\{azurerm_public_ip\.migration-ingress-ip_public-ip_[A-Z0-9]+\.ip_address\}$/,
    );
  });

  test('the DNS records point at the primary IP until dns.target says migration (the cut-over), and back (the rollback)', () => {
    const recordsOf = (target?: 'primary' | 'migration') => {
      const { tf } = synth(withProps({ ingress: { ...WITH_SECOND_IP, dns: { ...BASE_PROPS.ingress.dns!, target } } }));
      return (resourcesOf(tf, 'azurerm_dns_a_record') as { records: string[] }[]).map((r) => r.records.join());
    };
    const primary = recordsOf();
    expect(primary.every((r) => r.includes('ingress-ip_public-ip') && !r.includes('migration-ingress-ip'))).toBe(true);
    const migrated = recordsOf('migration');
    expect(migrated).toHaveLength(primary.length);
    expect(migrated.every((r) => r.includes('migration-ingress-ip_public-ip'))).toBe(true);
    expect(recordsOf('primary')).toEqual(primary);
  });

  test('rejects a migration IP with the name of the first', () => {
    const err = validationErrorOf(() =>
      synth(withProps({ ingress: { ...BASE_PROPS.ingress, migrationPublicIpName: 'pip-test-ingress' } })),
    );
    expect(err.field).toBe('ingress.migrationPublicIpName');
    expect(err.message).toContain('its own IP name');
  });

  test('rejects dns.target "migration" without a migration IP', () => {
    const err = validationErrorOf(() =>
      synth(
        withProps({ ingress: { ...BASE_PROPS.ingress, dns: { ...BASE_PROPS.ingress.dns!, target: 'migration' } } }),
      ),
    );
    expect(err.field).toBe('ingress.dns.target');
    expect(err.message).toContain('ingress.migrationPublicIpName');
  });

  test('rejects an unknown dns.target', () => {
    const err = validationErrorOf(() =>
      synth(withProps({ ingress: { ...BASE_PROPS.ingress, dns: { ...BASE_PROPS.ingress.dns!, target: 'gateway' } } })),
    );
    expect(err.field).toBe('ingress.dns.target');
  });
});
