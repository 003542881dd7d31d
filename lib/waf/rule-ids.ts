import { invalid } from '../core/validation';

/**
 * Rule ids of the WAF policy. ModSecurity rule ids are global across everything loaded into one engine, so every
 * id we render must stay clear of the ids others use:
 *
 * - 900000–999999: OWASP CRS (reserved by the project for its own rules),
 * - 200000–200007: the base `modsecurity.conf` bundled with the controller image (body processors, parse errors),
 * - 1–99999: ModSecurity's "local use" range (rules that are not distributed) — we take 10000–19999 from it.
 *
 * 10000–10099 hold the policy's own settings rules (CRS variables; 10011-10013 the routed host, 10020-10021 the
 * client-certificate gate, see transaction-facts.ts; on Coraza 10014 sets the routed host and 10004 enforces the
 * no-files body limit, see coraza.ts; 10030 adds the audit-context message; 10090 acts on regex
 * match-limit hits, after CRS); custom rules get ids from 10100–19999.
 *
 * Allocation is per declared rule, in declaration order, whatever is merged at render time: host-scoped exclusions
 * that share rules, target and path render as ONE rule carrying the id of the first of them, and the ids of the
 * others stay reserved (unused), so adding or merging a tenant's exclusion never renumbers any other rule.
 */
export const WAF_RULE_ID_RANGE = { first: 10000, last: 19999 } as const;

/** Ids the policy uses for its settings rules (`SecAction`s setting CRS variables). */
export const SETTINGS_RULE_IDS = {
  crsVariables: 10000,
  allowedMethods: 10001,
  allowedContentTypes: 10002,
  skipResponseAnalysis: 10003,
  hostFromHeader: 10011,
  hostFromRequestLine: 10012,
  hostFromTransaction: 10013,
  plainHttpRedirect: 10020,
  clientCertificateGate: 10021,
  auditContext: 10030,
  regexMatchLimit: 10090,
  corazaRoutedHost: 10014,
  corazaNoFilesLimit: 10004,
} as const;

/** Ids a custom rule may take, explicitly or by allocation. */
export const CUSTOM_RULE_ID_RANGE = { first: 10100, last: WAF_RULE_ID_RANGE.last } as const;

/** The rule ids OWASP CRS reserves. */
export const CRS_RULE_ID_RANGE = { first: 900000, last: 999999 } as const;

/** Validates an explicit custom rule id: a whole number inside {@link CUSTOM_RULE_ID_RANGE}. */
export function checkCustomRuleId(field: string, id: number): number {
  const fix = `pick an id from ${CUSTOM_RULE_ID_RANGE.first} to ${CUSTOM_RULE_ID_RANGE.last}, or leave it out to have one allocated`;
  if (!Number.isInteger(id)) invalid(field, id, 'is not a whole number', fix);
  if (id >= CRS_RULE_ID_RANGE.first && id <= CRS_RULE_ID_RANGE.last) {
    invalid(
      field,
      id,
      `is in the range OWASP CRS reserves (${CRS_RULE_ID_RANGE.first}–${CRS_RULE_ID_RANGE.last}) and would collide with CRS rules`,
      fix,
    );
  }
  if (id < CUSTOM_RULE_ID_RANGE.first || id > CUSTOM_RULE_ID_RANGE.last) {
    invalid(
      field,
      id,
      `is outside the custom rule id range ${CUSTOM_RULE_ID_RANGE.first}–${CUSTOM_RULE_ID_RANGE.last}`,
      fix,
    );
  }
  return id;
}

/** A rule that wants an id: its field path (for errors) and the id it asked for, if any. */
export interface RuleIdRequest {
  readonly field: string;
  readonly id?: number;
}

/**
 * Assigns ids: explicit ids are validated and kept (a repeated id is rejected, naming both rules); rules without
 * one get the lowest free id of {@link CUSTOM_RULE_ID_RANGE}, in declaration order. Pin ids explicitly when you want
 * them to survive edits that insert rules before others (audit-log searches and dashboards often key on ids).
 */
export function allocateRuleIds(requests: readonly RuleIdRequest[]): number[] {
  const taken = new Map<number, string>();
  for (const r of requests) {
    if (r.id === undefined) continue;
    checkCustomRuleId(`${r.field}.id`, r.id);
    const other = taken.get(r.id);
    if (other !== undefined)
      invalid(
        `${r.field}.id`,
        r.id,
        `is already the id of ${other}`,
        'give every custom rule its own id, or leave ids out to have them allocated',
      );
    taken.set(r.id, r.field);
  }
  let next = CUSTOM_RULE_ID_RANGE.first;
  return requests.map((r) => {
    if (r.id !== undefined) return r.id;
    while (taken.has(next)) next++;
    if (next > CUSTOM_RULE_ID_RANGE.last)
      invalid(
        r.field,
        r,
        `needs a rule id but all of ${CUSTOM_RULE_ID_RANGE.first}–${CUSTOM_RULE_ID_RANGE.last} are taken`,
        'merge rules (one rule can deny many addresses or header values)',
      );
    taken.set(next, r.field);
    return next++;
  });
}
