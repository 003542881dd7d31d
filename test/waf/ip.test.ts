import { ValidationError } from '../../lib/core/validation';
import { checkIpOrCidr } from '../../lib/core/ip';

/** What `checkIpOrCidr` must refuse, and a piece of the message it must give. Add rows as attackers find shapes. */
const REJECTED: readonly (readonly [string, RegExp])[] = [
  ['', /is not an IP address or CIDR block/],
  ['1.2.3', /is not an IP address or CIDR block/],
  ['01.2.3.4', /is not an IP address or CIDR block/],
  ['0x1.2.3.4', /is not an IP address or CIDR block/],
  [' 1.2.3.4', /is not an IP address or CIDR block/],
  ['fe80::1%eth0', /is not an IP address or CIDR block/],
  ['1.2.3.4/8/9', /is not an IP address or CIDR block/],
  ['1.2.3.4/33', /prefix length outside 0–32/],
  ['2001:db8::/129', /prefix length outside 0–128/],
  ['1.2.3.4/', /prefix length outside 0–32/],
  ['1.2.3.4/0', /matches every address/],
  ['::/0', /matches every address/],
  ['10.0.0.1/8', /host bits set after the \/8 prefix.*e\.g\. 10\.0\.0\.0\/8/],
  // RFC 5952: the longest run of zero groups is compressed (the old code compressed the first run).
  ['2001:db8:0:0:1:0:0:1/127', /e\.g\. 2001:db8:0:0:1::\/127\)/],
  ['1:0:0:2:0:0:0:3/100', /e\.g\. 1:0:0:2::\/100\)/],
  // RFC 5952 section 5: an IPv4-mapped address keeps its dotted tail.
  ['::ffff:10.0.0.1/104', /e\.g\. ::ffff:10\.0\.0\.0\/104\)/],
];

const ACCEPTED = [
  '1.2.3.4',
  '1.2.3.4/32',
  '10.0.0.0/8',
  '2001:db8::1',
  '2001:DB8::/32',
  '::1/128',
  '::ffff:10.0.0.0/104',
];

describe('checkIpOrCidr', () => {
  test.each(REJECTED)('rejects %p', (value, message) => {
    expect(() => checkIpOrCidr('waf.denySourceIps[0].sources[0]', value)).toThrow(ValidationError);
    expect(() => checkIpOrCidr('waf.denySourceIps[0].sources[0]', value)).toThrow(message);
  });

  test.each(ACCEPTED)('accepts %p as written', (value) => {
    expect(checkIpOrCidr('f', value)).toBe(value);
  });
});
