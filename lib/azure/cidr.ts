import { invalid } from '../core/validation';

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

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

/** Parses a dotted IPv4 address to an unsigned number; undefined when it is not one. */
export function parseIpv4(text: string): number | undefined {
  if (typeof text !== 'string' || !IPV4.test(text)) return undefined;
  return text.split('.').reduce((acc, octet) => acc * 256 + Number(octet), 0);
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
    invalid(field, value, 'is not an IPv4 CIDR', 'write an IPv4 network as address/prefix, e.g. "203.0.113.0/24" (a single address is "203.0.113.7/32")');
  }
  if (prefix < minPrefix || prefix > maxPrefix) {
    invalid(field, value, `has prefix /${prefix}, outside /${minPrefix}–/${maxPrefix}`, `use a prefix length from ${minPrefix} to ${maxPrefix}`);
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
