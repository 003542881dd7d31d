/**
 * Validation errors shared by every construct. A message always names the field, the bad value and the fix,
 * so a failed `npm run synth` tells the user exactly what to change (and writes nothing).
 */
export class ValidationError extends Error {
  /** Path of the offending field, e.g. `waf.denySourceIps[2]`. */
  public readonly field: string;
  /** The rejected value as the user gave it. */
  public readonly value: unknown;
  /** What to do instead. */
  public readonly fix: string;

  constructor(field: string, value: unknown, problem: string, fix: string) {
    super(`${field}: ${describe(value)} ${problem}. Fix: ${fix}`);
    this.name = 'ValidationError';
    this.field = field;
    this.value = value;
    this.fix = fix;
  }
}

/** Throws a {@link ValidationError}; reads as a statement at call sites. */
export function invalid(field: string, value: unknown, problem: string, fix: string): never {
  throw new ValidationError(field, value, problem, fix);
}

function describe(value: unknown): string {
  if (value === undefined) return 'undefined';
  const text = typeof value === 'string' ? JSON.stringify(value) : JSON.stringify(value) ?? String(value);
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

/** Integer in [min, max], inclusive. */
export function checkIntegerInRange(field: string, value: number, min: number, max: number, fix?: string): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    invalid(field, value, `is not an integer between ${min} and ${max}`, fix ?? `use a whole number from ${min} to ${max}`);
  }
  return value;
}

/** RFC 1123 label: what Kubernetes requires of namespace and most object names. */
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
/** RFC 1123 subdomain: what Kubernetes requires of most object names. */
const DNS_SUBDOMAIN = /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

export function checkDnsLabel(field: string, value: string): string {
  if (typeof value !== 'string' || !DNS_LABEL.test(value)) {
    invalid(field, value, 'is not a valid Kubernetes name (RFC 1123 label)', 'use at most 63 lower-case letters, digits and "-", starting and ending with a letter or digit');
  }
  return value;
}

export function checkDnsSubdomain(field: string, value: string): string {
  if (typeof value !== 'string' || !DNS_SUBDOMAIN.test(value)) {
    invalid(field, value, 'is not a valid Kubernetes object name (RFC 1123 subdomain)', 'use lower-case letters, digits, "-" and ".", at most 253 characters, starting and ending with a letter or digit');
  }
  return value;
}

/**
 * A fully qualified DNS host name as used in an Ingress rule. Wildcards are allowed only when `allowWildcard`
 * is set, and then only as the whole left-most label (`*.example.com`), as Kubernetes requires.
 */
export function checkHostname(field: string, value: string, allowWildcard = false): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 253) {
    invalid(field, value, 'is not a host name', 'use a fully qualified DNS name such as "api.example.com"');
  }
  const labels = value.split('.');
  if (labels.length < 2) invalid(field, value, 'is not a fully qualified host name', 'use a name with a domain, such as "api.example.com"');
  labels.forEach((label, i) => {
    if (label === '*') {
      if (!allowWildcard) invalid(field, value, 'is a wildcard host, which is not allowed here', 'name each host explicitly, e.g. "api.example.com"');
      if (i !== 0) invalid(field, value, 'has "*" outside the left-most label', 'a wildcard must be the whole first label, e.g. "*.example.com"');
      if (labels.length < 3) invalid(field, value, 'is a wildcard over a top-level domain', 'use a wildcard below a registered domain, e.g. "*.example.com"');
      return;
    }
    if (!DNS_LABEL.test(label)) {
      invalid(field, value, `has an invalid label "${label}"`, 'use lower-case letters, digits and "-" in each dot-separated label (IP addresses and upper case are not host names)');
    }
  });
  if (/^[0-9]+$/.test(labels[labels.length - 1])) invalid(field, value, 'looks like an IP address', 'Ingress hosts must be DNS names');
  return value;
}

/** Rejects duplicates in a list, naming the first repeated value. */
export function checkUnique<T>(field: string, values: readonly T[], key: (v: T) => string = String): void {
  const seen = new Set<string>();
  for (const v of values) {
    const k = key(v);
    if (seen.has(k)) invalid(field, k, 'appears more than once', 'list each entry once');
    seen.add(k);
  }
}
