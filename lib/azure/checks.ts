/**
 * Input checks for the Azure side. Each throws a ValidationError naming the prop, the bad value and the fix, so a
 * mistake fails `npm run synth` instead of `terraform apply` twenty minutes in.
 */
import { checkIntegerInRange, checkUnique, invalid } from '../core/validation';
import { checkIpv4Cidr, Ipv4Cidr } from '../core/ip';
import { AZURE_REGIONS, normalizeRegion } from './regions';

/** An Azure region in programmatic form (`westeurope`), optionally one of {@link AZURE_REGIONS}. */
export function checkRegion(field: string, value: string, knownOnly: boolean): string {
  if (typeof value !== 'string' || !/^[a-z][a-z0-9]{2,29}$/.test(value)) {
    const normalized = typeof value === 'string' ? normalizeRegion(value) : '';
    invalid(
      field,
      value,
      'is not an Azure region name',
      normalized
        ? `use the programmatic name, e.g. "${normalized}" (lower case, no spaces or dashes)`
        : 'use a region name such as "westeurope"',
    );
  }
  if (knownOnly && !AZURE_REGIONS.includes(value)) {
    const near = AZURE_REGIONS.filter((r) => r.startsWith(value.slice(0, 4)));
    invalid(
      field,
      value,
      'is not a known Azure region',
      `use one of \`az account list-locations --query "[].name"\`${near.length ? ` (close: ${near.slice(0, 5).join(', ')})` : ''}, or set knownRegionsOnly: false for a region newer than this library`,
    );
  }
  return value;
}

/**
 * A Kubernetes version as AKS takes it: `MAJOR.MINOR` (e.g. `1.33`) or `MAJOR.MINOR.PATCH` (`1.33.2`).
 * `majorMinorOnly` is set when the `patch` upgrade channel manages patches.
 */
export function checkKubernetesVersion(field: string, value: string, majorMinorOnly: boolean): string {
  if (typeof value !== 'string' || !/^1\.\d{1,2}(\.\d{1,3})?$/.test(value)) {
    invalid(
      field,
      value,
      'is not a Kubernetes version AKS accepts',
      'use MAJOR.MINOR such as "1.33" (see `az aks get-versions --location <region>`), without a leading "v"',
    );
  }
  if (majorMinorOnly && value.split('.').length === 3) {
    invalid(
      field,
      value,
      'pins a patch version while the "patch" upgrade channel manages patches',
      `use "${value.split('.').slice(0, 2).join('.')}" (MAJOR.MINOR) so the channel can patch the cluster without Terraform drift`,
    );
  }
  return value;
}

/** Naming rule of one Azure resource type. */
export interface AzureNameRule {
  /** What the name names, for messages ("resource group"). */
  readonly what: string;
  /** Shortest allowed length. */
  readonly minLength: number;
  /** Longest allowed length. */
  readonly maxLength: number;
  /** Whole-name pattern. */
  readonly pattern: RegExp;
  /** The rule in words, for the fix. */
  readonly rule: string;
}

/** Azure naming rules (learn.microsoft.com "Naming rules and restrictions for Azure resources"). */
export const AZURE_NAME_RULES = {
  resourceGroup: {
    what: 'resource group',
    minLength: 1,
    maxLength: 90,
    pattern: /^[-\w.()]*[-\w()]$/,
    rule: 'letters, digits, "_", "-", ".", "(" and ")", not ending in "."',
  },
  cluster: {
    what: 'AKS cluster',
    minLength: 1,
    maxLength: 63,
    pattern: /^[a-zA-Z0-9]([-\w]*[a-zA-Z0-9])?$/,
    rule: 'letters, digits, "_" and "-", starting and ending with a letter or digit',
  },
  dnsPrefix: {
    what: 'AKS DNS prefix',
    minLength: 1,
    maxLength: 54,
    pattern: /^[a-zA-Z]([-a-zA-Z0-9]*[a-zA-Z0-9])?$/,
    rule: 'letters, digits and "-", starting with a letter and ending with a letter or digit',
  },
  publicIp: {
    what: 'public IP',
    minLength: 1,
    maxLength: 80,
    pattern: /^[a-zA-Z0-9]([-\w.]*[\w])?$/,
    rule: 'letters, digits, "_", "-" and ".", starting with a letter or digit and ending with a letter, digit or "_"',
  },
  workspace: {
    what: 'Log Analytics workspace',
    minLength: 4,
    maxLength: 63,
    pattern: /^[a-zA-Z0-9][-a-zA-Z0-9]*[a-zA-Z0-9]$/,
    rule: 'letters, digits and "-", starting and ending with a letter or digit',
  },
  actionGroup: {
    what: 'action group',
    minLength: 1,
    maxLength: 260,
    pattern: /^[^%&\\?/<>*:]+$/,
    rule: 'no %, &, \\, ?, /, <, >, * or :',
  },
  actionGroupShortName: {
    what: 'action group short name',
    minLength: 1,
    maxLength: 12,
    pattern: /^[^%&\\?/<>*:]+$/,
    rule: 'at most 12 characters, no %, &, \\, ?, /, <, >, * or :',
  },
  nodePool: {
    what: 'node pool',
    minLength: 1,
    maxLength: 12,
    pattern: /^[a-z][a-z0-9]*$/,
    rule: 'at most 12 lower-case letters and digits, starting with a letter',
  },
} satisfies Record<string, AzureNameRule>;

/** Checks a resource name against its Azure naming rule. */
export function checkAzureName(field: string, value: string, rule: AzureNameRule): string {
  if (
    typeof value !== 'string' ||
    value.length < rule.minLength ||
    value.length > rule.maxLength ||
    !rule.pattern.test(value)
  ) {
    invalid(
      field,
      value,
      `is not a valid ${rule.what} name`,
      `use ${rule.minLength}–${rule.maxLength} characters: ${rule.rule}`,
    );
  }
  return value;
}

/** An Entra ID object or tenant id (a GUID). */
export function checkGuid(field: string, value: string): string {
  if (typeof value !== 'string' || !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value)) {
    invalid(
      field,
      value,
      'is not a GUID',
      'use the object id as shown by `az ad group show --group <name> --query id -o tsv`, e.g. "00000000-0000-0000-0000-000000000000"',
    );
  }
  return value;
}

/**
 * API server authorized IP ranges: at least one IPv4 CIDR, none open to the whole internet, no duplicates.
 * An empty list would leave the API server reachable from anywhere, which is what this prop exists to prevent.
 */
export function checkAuthorizedIpRanges(field: string, values: readonly string[]): Ipv4Cidr[] {
  if (!Array.isArray(values) || values.length === 0) {
    invalid(
      field,
      values,
      'is empty, which leaves the API server open to the internet',
      'list the public IPv4 ranges of your admins and CI runners, e.g. ["203.0.113.0/24"]',
    );
  }
  if (values.length > 200)
    invalid(field, values.length, 'has more entries than AKS allows (200)', 'merge ranges into wider prefixes');
  const parsed = values.map((v, i) => {
    const cidr = checkIpv4Cidr(`${field}[${i}]`, v);
    if (cidr.prefix === 0)
      invalid(
        `${field}[${i}]`,
        v,
        'opens the API server to the whole internet',
        'list only the ranges that need the API server, e.g. "203.0.113.0/24"',
      );
    return cidr;
  });
  checkUnique(field, values);
  return parsed;
}

/** Availability zones: distinct values from "1", "2", "3". */
export function checkZones(field: string, values: readonly string[]): readonly string[] {
  values.forEach((z, i) => {
    if (!['1', '2', '3'].includes(z))
      invalid(
        `${field}[${i}]`,
        z,
        'is not an availability zone',
        'use "1", "2" and/or "3", or [] in a region without zones',
      );
  });
  checkUnique(field, values);
  return values;
}

/** An e-mail address (the form Azure Monitor action groups accept). */
export function checkEmail(field: string, value: string): string {
  if (typeof value !== 'string' || value.length > 254 || !/^[^\s@,;<>]+@[^\s@,;<>]+\.[^\s@,;<>]+$/.test(value)) {
    invalid(field, value, 'is not an e-mail address', 'use one address such as "secops@example.com"');
  }
  return value;
}

/** Autoscaling bounds of a node pool. */
export function checkNodeCounts(field: string, minCount: number, maxCount: number, minAllowed: number): void {
  checkIntegerInRange(
    `${field}.minCount`,
    minCount,
    minAllowed,
    1000,
    minAllowed === 1 ? 'a system node pool needs at least 1 node (2 or more for availability)' : undefined,
  );
  checkIntegerInRange(`${field}.maxCount`, maxCount, 1, 1000);
  if (maxCount < minCount)
    invalid(`${field}.maxCount`, maxCount, `is below minCount (${minCount})`, `set maxCount to ${minCount} or more`);
}

/** A wall-clock time `HH:MM`. */
export function checkTimeOfDay(field: string, value: string): string {
  if (typeof value !== 'string' || !/^([01]\d|2[0-3]):[0-5]\d$/.test(value))
    invalid(field, value, 'is not a time of day', 'use 24-hour "HH:MM", e.g. "02:00"');
  return value;
}

/** A UTC offset `+HH:MM` / `-HH:MM`. */
export function checkUtcOffset(field: string, value: string): string {
  if (typeof value !== 'string' || !/^[+-](0\d|1[0-4]):[0-5]\d$/.test(value))
    invalid(field, value, 'is not a UTC offset', 'use "+HH:MM" or "-HH:MM", e.g. "+00:00" or "+01:00"');
  return value;
}
