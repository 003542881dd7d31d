import { ValidationError } from '../../lib/core/validation';
import { checkIpv4Cidr, contains, formatIpv4, overlaps, parseIpv4 } from '../../lib/core/ip';

describe('IPv4 CIDR helpers', () => {
  test('parses and formats addresses', () => {
    expect(parseIpv4('10.0.0.10')).toBe(167772170);
    expect(formatIpv4(167772170)).toBe('10.0.0.10');
    expect(parseIpv4('255.255.255.255')).toBe(2 ** 32 - 1);
    expect(parseIpv4('01.2.3.4')).toBeUndefined();
    expect(parseIpv4('1.2.3')).toBeUndefined();
  });

  test('parses networks with size', () => {
    expect(checkIpv4Cidr('f', '10.244.0.0/16')).toEqual({
      text: '10.244.0.0/16',
      network: parseIpv4('10.244.0.0'),
      prefix: 16,
      size: 65536,
    });
    expect(checkIpv4Cidr('f', '203.0.113.7/32').size).toBe(1);
  });

  test('detects overlap and containment', () => {
    const a = checkIpv4Cidr('a', '10.0.0.0/16');
    expect(overlaps(a, checkIpv4Cidr('b', '10.0.255.0/24'))).toBe(true);
    expect(overlaps(a, checkIpv4Cidr('b', '10.1.0.0/16'))).toBe(false);
    expect(overlaps(checkIpv4Cidr('b', '10.0.0.0/8'), a)).toBe(true);
    expect(contains(a, parseIpv4('10.0.0.10')!)).toBe(true);
    expect(contains(a, parseIpv4('10.1.0.0')!)).toBe(false);
  });

  test('rejects host bits and suggests the network address', () => {
    expect(() => checkIpv4Cidr('f', '10.0.0.1/16')).toThrow(/"10\.0\.0\.0\/16"/);
  });

  test.each(['10.0.0.0', '10.0.0.0/33', '10.0.0/8', 'a.b.c.d/8', '10.0.0.0/-1', ''])('rejects %p', (value) => {
    expect(() => checkIpv4Cidr('f', value)).toThrow(ValidationError);
  });

  test('rejects a prefix outside the allowed range', () => {
    expect(() => checkIpv4Cidr('f', '10.0.0.0/30', 8, 24)).toThrow(/outside \/8–\/24/);
  });
});
