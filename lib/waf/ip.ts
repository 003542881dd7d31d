import { isIP } from 'node:net';
import { invalid } from '../core/validation';

/**
 * Validates an IPv4/IPv6 address or CIDR block as ModSecurity's `@ipMatch` reads it. Rejected: anything that is not
 * an address, prefix lengths out of range, host bits set after the prefix (`10.0.0.1/8` is ambiguous: did you mean
 * the host or the network?), zone ids, and `/0` (that denies every client).
 */
export function checkIpOrCidr(field: string, value: string): string {
  const fix = 'use an IPv4 or IPv6 address ("34.242.209.15", "2001:db8::1") or a CIDR block ("203.0.113.0/24", "2001:db8::/32")';
  if (typeof value !== 'string' || value.length === 0) invalid(field, value, 'is not an IP address or CIDR block', fix);
  const [address, prefix, ...rest] = value.split('/');
  if (rest.length > 0 || address.includes('%')) invalid(field, value, 'is not an IP address or CIDR block', fix);
  const family = isIP(address);
  if (family === 0) invalid(field, value, 'is not an IP address or CIDR block', fix);
  if (prefix === undefined) return value;
  const bits = family === 4 ? 32 : 128;
  if (!/^[0-9]{1,3}$/.test(prefix) || Number(prefix) > bits) invalid(field, value, `has a prefix length outside 0–${bits}`, fix);
  const length = Number(prefix);
  if (length === 0) invalid(field, value, 'matches every address', 'list the networks to deny; a /0 block would deny every client');
  const hostMask = (1n << BigInt(bits - length)) - 1n;
  if ((toBigInt(address, family) & hostMask) !== 0n) {
    invalid(field, value, `has host bits set after the /${length} prefix`, `write the network address of the block (e.g. ${networkOf(address, family, length)}/${length}) or drop the prefix to deny one address`);
  }
  return value;
}

function toBigInt(address: string, family: number): bigint {
  if (family === 4) return address.split('.').reduce((acc, octet) => (acc << 8n) | BigInt(Number(octet)), 0n);
  let text = address;
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    const n = toBigInt(v4[1], 4);
    text = `${text.slice(0, -v4[1].length)}${(n >> 16n).toString(16)}:${(n & 0xffffn).toString(16)}`;
  }
  const [head, tail] = text.split('::');
  const headGroups = head ? head.split(':') : [];
  const tailGroups = tail !== undefined && tail !== '' ? tail.split(':') : [];
  const missing = 8 - headGroups.length - tailGroups.length;
  const groups = tail === undefined ? headGroups : [...headGroups, ...Array<string>(missing).fill('0'), ...tailGroups];
  return groups.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n);
}

function networkOf(address: string, family: number, length: number): string {
  const bits = family === 4 ? 32 : 128;
  const n = toBigInt(address, family) & ~((1n << BigInt(bits - length)) - 1n);
  if (family === 4) return [24n, 16n, 8n, 0n].map((s) => String((n >> s) & 0xffn)).join('.');
  const groups: string[] = [];
  for (let s = 112n; s >= 0n; s -= 16n) groups.push(((n >> s) & 0xffffn).toString(16));
  return groups.join(':').replace(/(^|:)0(:0)+(:|$)/, '::');
}
