import { isIP } from 'node:net';
import * as ipaddr from 'ipaddr.js';
import { invalid } from './validation';

/**
 * IP addresses and CIDR blocks, for every concern that checks one: the WAF's source-IP deny lists (`@ipMatch`) and
 * the Azure network plan (VNet, subnets, service CIDR, authorized API-server ranges). Parsing and bit arithmetic
 * come from `ipaddr.js`; addresses in messages are written in RFC 5952 form (the longest run of zero groups becomes
 * `::`, lower case). No CDKTF import here: the cdk8s entry point loads this module.
 */

/** An IPv4 network in CIDR notation, parsed. */
export interface Ipv4Cidr {
  /** The CIDR as written, e.g. `10.244.0.0/16`. */
  readonly text: string;
  /** First address of the network, as an unsigned 32-bit number. */
  readonly network: number;
  /** Prefix length, 0–32. */
  readonly prefix: number;
  /** Number of addresses in the network. */
  readonly size: number;
}

/** Parses a dotted IPv4 address (four decimal parts, no leading zeros) to an unsigned number; undefined otherwise. */
export function parseIpv4(text: string): number | undefined {
  if (typeof text !== 'string' || !ipaddr.IPv4.isValidFourPartDecimal(text) || /(^|\.)0\d/.test(text)) return undefined;
  return ipaddr.IPv4.parse(text)
    .toByteArray()
    .reduce((acc, octet) => acc * 256 + octet, 0);
}

/** Formats an unsigned 32-bit number as a dotted IPv4 address. */
export function formatIpv4(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join('.');
}

/**
 * Parses and checks an IPv4 CIDR (`a.b.c.d/n`). The address must be the network address (no host bits set), which
 * catches typos such as `10.0.0.1/16` where `10.0.0.0/16` was meant.
 */
export function checkIpv4Cidr(field: string, value: string, minPrefix = 0, maxPrefix = 32): Ipv4Cidr {
  const match = typeof value === 'string' ? /^([^/]+)\/(\d{1,2})$/.exec(value) : null;
  const address = match ? parseIpv4(match[1]) : undefined;
  const prefix = match ? Number(match[2]) : NaN;
  if (!match || address === undefined || !(prefix >= 0 && prefix <= 32)) {
    invalid(
      field,
      value,
      'is not an IPv4 CIDR',
      'write an IPv4 network as address/prefix, e.g. "203.0.113.0/24" (a single address is "203.0.113.7/32")',
    );
  }
  if (prefix < minPrefix || prefix > maxPrefix) {
    invalid(
      field,
      value,
      `has prefix /${prefix}, outside /${minPrefix}–/${maxPrefix}`,
      `use a prefix length from ${minPrefix} to ${maxPrefix}`,
    );
  }
  const size = 2 ** (32 - prefix);
  const network = address - (address % size);
  if (network !== address) {
    invalid(field, value, 'has host bits set', `use the network address: "${formatIpv4(network)}/${prefix}"`);
  }
  return { text: value, network, prefix, size };
}

/** Whether two networks share any address. */
export function overlaps(a: Ipv4Cidr, b: Ipv4Cidr): boolean {
  return a.network < b.network + b.size && b.network < a.network + a.size;
}

/** Whether `address` (a parsed IPv4) lies inside `cidr`. */
export function contains(cidr: Ipv4Cidr, address: number): boolean {
  return address >= cidr.network && address < cidr.network + cidr.size;
}

/** RFC 5952 text of an address (IPv4-mapped IPv6 keeps its dotted tail, RFC 5952 section 5). */
export function formatAddress(address: ipaddr.IPv4 | ipaddr.IPv6): string {
  if (address.kind() === 'ipv4') return address.toString();
  const v6 = address as ipaddr.IPv6;
  return v6.isIPv4MappedAddress() ? `::ffff:${v6.toIPv4Address().toString()}` : v6.toRFC5952String();
}

/**
 * Validates an IPv4/IPv6 address or CIDR block as ModSecurity's `@ipMatch` reads it. Rejected: anything that is not
 * an address (node's `isIP` is the gate: dotted-quad IPv4 only, no zone ids), prefix lengths out of range, host bits
 * set after the prefix (`10.0.0.1/8` is ambiguous: did you mean the host or the network?), and `/0` (that denies
 * every client).
 */
export function checkIpOrCidr(field: string, value: string): string {
  const fix =
    'use an IPv4 or IPv6 address ("34.242.209.15", "2001:db8::1") or a CIDR block ("203.0.113.0/24", "2001:db8::/32")';
  if (typeof value !== 'string' || value.length === 0) invalid(field, value, 'is not an IP address or CIDR block', fix);
  const [text, prefix, ...rest] = value.split('/');
  if (rest.length > 0 || text.includes('%')) invalid(field, value, 'is not an IP address or CIDR block', fix);
  const family = isIP(text);
  if (family === 0) invalid(field, value, 'is not an IP address or CIDR block', fix);
  if (prefix === undefined) return value;
  const bits = family === 4 ? 32 : 128;
  if (!/^[0-9]{1,3}$/.test(prefix) || Number(prefix) > bits)
    invalid(field, value, `has a prefix length outside 0–${bits}`, fix);
  const length = Number(prefix);
  if (length === 0)
    invalid(field, value, 'matches every address', 'list the networks to deny; a /0 block would deny every client');
  const address = ipaddr.parse(text);
  const network =
    family === 4
      ? ipaddr.IPv4.networkAddressFromCIDR(`${text}/${length}`)
      : ipaddr.IPv6.networkAddressFromCIDR(`${text}/${length}`);
  if (network.toNormalizedString() !== address.toNormalizedString()) {
    invalid(
      field,
      value,
      `has host bits set after the /${length} prefix`,
      `write the network address of the block (e.g. ${formatAddress(network)}/${length}) or drop the prefix to deny one address`,
    );
  }
  return value;
}
