import { checkHostname, invalid } from '../core/validation';
import { escapeRegex } from './text';

/**
 * Host scoping of rules. A rule scoped to a host the edge does not serve would never match — almost always a typo
 * that leaves the intended host unprotected (or an exclusion silently unused), so it is rejected at synth time.
 */
export function checkServedHost(field: string, host: string, servedHosts: readonly string[]): string {
  checkHostname(field, host);
  const served = servedHosts.some((h) => h === host || (h.startsWith('*.') && host.endsWith(h.slice(1)) && !host.slice(0, -h.length + 1).includes('.')));
  if (!served) {
    invalid(field, host, `is not a host this edge serves (${servedHosts.length ? servedHosts.join(', ') : 'no hosts given'})`, 'use one of the served hosts, or add the host to the edge (WafPolicyProps.servedHosts) first');
  }
  return host;
}

/** Regex on the Host header: the host, case-insensitively, with an optional port. */
export function hostRegex(host: string): string {
  return `^${escapeRegex(host)}(?::[0-9]+)?$`;
}

/** Transformations applied to the path before matching: decode and normalize so `/a/../b` cannot dodge a path scope. */
export const PATH_TRANSFORMS: readonly string[] = ['t:none', 't:urlDecodeUni', 't:normalizePath'];
