import { invalid, checkUnique } from '../core/validation';
import { checkIpOrCidr } from '../core/ip';
import { denyActions, ruleComment, secRule } from './rule-text';
import { checkDescription } from './text';

/** Denies requests (403, phase 1) from source addresses or networks. */
export interface DenySourceIpsRule {
  /** IPv4/IPv6 addresses or CIDR blocks, e.g. `34.242.209.15`, `203.0.113.0/24`, `2001:db8::/32`. */
  readonly sources: readonly string[];
  /**
   * Rule id, from the custom range (see `CUSTOM_RULE_ID_RANGE`).
   * @default allocated in declaration order
   */
  readonly id?: number;
  /**
   * Why these sources are denied; shown in the rule comment and the audit-log message.
   * @default none
   */
  readonly description?: string;
}

/** Validates a {@link DenySourceIpsRule} (field: its path, e.g. `waf.denySourceIps[0]`). */
export function checkDenySourceIps(field: string, rule: DenySourceIpsRule): void {
  if (!rule || !Array.isArray(rule.sources) || rule.sources.length === 0) {
    invalid(`${field}.sources`, rule?.sources, 'is empty', 'list at least one IP address or CIDR block to deny');
  }
  rule.sources.forEach((s, i) => checkIpOrCidr(`${field}.sources[${i}]`, s));
  checkUnique(`${field}.sources`, rule.sources);
  if (rule.description !== undefined) checkDescription(`${field}.description`, rule.description);
}

/**
 * Renders the rule. `REMOTE_ADDR` is the client address nginx sees: on AKS the controller Service uses
 * `externalTrafficPolicy: Local` so that it is the real client, not a node.
 */
export function renderDenySourceIps(rule: DenySourceIpsRule, id: number): string[] {
  const msg = `Denied source address${rule.description ? ` (${rule.description})` : ''}`;
  return [
    ruleComment(id, `Deny source addresses ${rule.sources.join(', ')}`, rule.description),
    secRule(
      'REMOTE_ADDR',
      `@ipMatch ${rule.sources.join(',')}`,
      denyActions(id, 'deny-source-ip', msg, ['t:none', "logdata:'%{REMOTE_ADDR}'"]),
    ),
  ];
}
