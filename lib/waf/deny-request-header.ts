import { invalid, checkUnique } from '../core/validation';
import { denyActions, ruleComment, secRule } from './rule-text';
import { checkDescription, checkHeaderName, checkLiteralValue, checkRegex, escapeRegex } from './text';

/** How a header value is matched: one exact value, any of a list of exact values, or a PCRE regex. */
export type HeaderValueMatch =
  | {
    /**
     * The one denied value, compared as a whole string (`@streq`). Printable ASCII without surrounding spaces,
     * quotes, backticks, backslashes or `; { } $ %`.
     */
    readonly exact: string;
  }
  | {
    /**
     * Denied values, each compared as a whole string (an anchored alternation of the escaped values). At least one,
     * no duplicates; each value follows the rules of `exact`.
     */
    readonly anyOf: readonly string[];
  }
  | {
    /**
     * PCRE pattern (`@rx`), unanchored unless you anchor it. Printable ASCII without quotes, backticks or `%{`
     * (write them as `\x22`, `\x27`, `\x60`, `\x25`); it must compile.
     */
    readonly regex: string;
  };

/** Denies requests (403, phase 1) that carry a request header with a matching value. */
export interface DenyRequestHeaderRule {
  /** Header name, matched case-insensitively (HTTP header names are), e.g. `user`. */
  readonly header: string;
  /** The value(s) that are denied. Any other value of the header passes. */
  readonly match: HeaderValueMatch;
  /**
   * Compare values ignoring case.
   * @default false
   */
  readonly ignoreCase?: boolean;
  /**
   * Rule id, from the custom range (see `CUSTOM_RULE_ID_RANGE`).
   * @default allocated in declaration order
   */
  readonly id?: number;
  /**
   * Why the value is denied; shown in the rule comment and the audit-log message.
   * @default none
   */
  readonly description?: string;
}

/** Validates a {@link DenyRequestHeaderRule}. */
export function checkDenyRequestHeader(field: string, rule: DenyRequestHeaderRule): void {
  checkHeaderName(`${field}.header`, rule?.header);
  const match = rule.match as Partial<Record<'exact' | 'anyOf' | 'regex', unknown>> | undefined;
  const kinds = match ? (['exact', 'anyOf', 'regex'] as const).filter((k) => match[k] !== undefined) : [];
  if (kinds.length !== 1) invalid(`${field}.match`, rule.match, 'must set exactly one of exact, anyOf or regex', 'write e.g. { exact: "admin" }, { anyOf: ["admin", "root"] } or { regex: "^adm" }');
  if ('exact' in rule.match) checkLiteralValue(`${field}.match.exact`, rule.match.exact);
  if ('anyOf' in rule.match) {
    const values = rule.match.anyOf;
    if (!Array.isArray(values) || values.length === 0) invalid(`${field}.match.anyOf`, values, 'is empty', 'list at least one value');
    values.forEach((v, i) => checkLiteralValue(`${field}.match.anyOf[${i}]`, v));
    checkUnique(`${field}.match.anyOf`, values);
  }
  if ('regex' in rule.match) checkRegex(`${field}.match.regex`, rule.match.regex);
  if (rule.description !== undefined) checkDescription(`${field}.description`, rule.description);
}

/** The ModSecurity operator for the match: `@streq` for one value, an anchored alternation for a list, `@rx` for a regex. */
function operatorOf(rule: DenyRequestHeaderRule): string {
  const fold = (v: string): string => (rule.ignoreCase ? v.toLowerCase() : v);
  if ('exact' in rule.match) return `@streq ${fold(rule.match.exact)}`;
  if ('anyOf' in rule.match) return `@rx ^(?:${rule.match.anyOf.map((v) => escapeRegex(fold(v))).join('|')})$`;
  return `@rx ${rule.ignoreCase && !rule.match.regex.startsWith('(?i)') ? '(?i)' : ''}${rule.match.regex}`;
}

function describeMatch(rule: DenyRequestHeaderRule): string {
  if ('exact' in rule.match) return `= ${rule.match.exact}`;
  if ('anyOf' in rule.match) return `in [${rule.match.anyOf.join(', ')}]`;
  return `matches regex`;
}

/** Renders the rule (one rule whatever the match kind, so one id per header policy). */
export function renderDenyRequestHeader(rule: DenyRequestHeaderRule, id: number): string[] {
  const header = rule.header.toLowerCase();
  const transforms = rule.ignoreCase && !('regex' in rule.match) ? ['t:none', 't:lowercase'] : ['t:none'];
  const msg = `Denied request header ${header}${rule.description ? ` (${rule.description})` : ''}`;
  return [
    ruleComment(id, `Deny request header ${header} ${describeMatch(rule)}`, rule.description),
    secRule(`REQUEST_HEADERS:${header}`, operatorOf(rule), denyActions(id, 'deny-request-header', msg, [...transforms, "logdata:'%{MATCHED_VAR_NAME}'"])),
  ];
}
