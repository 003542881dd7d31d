import { invalid, checkUnique } from '../core/validation';
import { denyActions, ruleComment, secRule } from './rule-text';
import { checkDescription, checkHeaderName, checkLiteralValue, escapeRegex } from './text';
import { checkPcreRegex } from './pcre';

/**
 * How a header value is matched: one exact value, any of a list of exact values, or a PCRE regex.
 *
 * What is compared is what the backend will see, not the raw bytes. nginx strips only spaces around a header value
 * (nginx 1.27.1 `src/http/ngx_http_parse.c` `ngx_http_parse_header_line`, states `sw_space_before_value` line 972 and
 * `sw_space_after_value` line 1016 skip `' '` only), so a TAB before or after the value reaches ModSecurity and the
 * backend, which trims it as HTTP optional whitespace (RFC 9110 §5.5: OWS = SP / HTAB). A value is also a list: a
 * backend joins repeated header lines with `", "` (RFC 9110 §5.3) and many split on commas. So:
 *
 * - `exact` / `anyOf` deny a header line when ANY element of its comma-separated list, with spaces and TABs around
 *   it removed, equals a denied value: `admin`, `\tadmin\t`, `admin, guest` and `guest,admin` are all denied. Each
 *   header line is checked (ModSecurity sees repeated lines separately), so `user: x` + `user: admin` is denied.
 * - `regex` is matched against each header line's value with surrounding whitespace removed (`t:trim`); it sees the
 *   whole line, commas included (anchor and split yourself, e.g. `(?:^|,)[ \t]*admin[ \t]*(?:,|$)`).
 * - Values are compared case-sensitively (header values are, RFC 9110 §5.5) unless `ignoreCase` is set; set it when
 *   the backend folds case (`Admin`, `ADMIN` are other values otherwise).
 * - Header names are matched case-insensitively (`User`, `USER`). Names with `_` are rejected: ingress-nginx's
 *   defaults (`enable-underscores-in-headers: false`, `ignore-invalid-headers: true`) make nginx drop such header
 *   lines before ModSecurity or the backend sees them (`ngx_http_parse_header_line` sets `invalid_header`, and
 *   `ngx_http_request.c` line 1456 skips the line).
 */
export type HeaderValueMatch =
  | {
      /**
       * The one denied value, compared with each element of the header's comma-separated list (see
       * {@link HeaderValueMatch}). Printable ASCII without surrounding spaces,
       * quotes, backticks, backslashes or `; { } $ %`.
       */
      readonly exact: string;
    }
  | {
      /**
       * Denied values, each compared with each element of the header's comma-separated list. At least one,
       * no duplicates; each value follows the rules of `exact`.
       */
      readonly anyOf: readonly string[];
    }
  | {
      /**
       * Regular expression (`@rx`), unanchored unless you anchor it, in the syntax that means the same in JavaScript
       * and in PCRE2 as libmodsecurity compiles it (see `checkPcreRegex` in pcre.ts: no `\s`, `\u`, `[^]`,
       * backreferences, named groups or variable-length lookbehinds). Printable ASCII; write quotes, backticks and `%`
       * as `\x22`, `\x27`, `\x60`, `\x25`.
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
  if (kinds.length !== 1)
    invalid(
      `${field}.match`,
      rule.match,
      'must set exactly one of exact, anyOf or regex',
      'write e.g. { exact: "admin" }, { anyOf: ["admin", "root"] } or { regex: "^adm" }',
    );
  if ('exact' in rule.match) checkLiteralValue(`${field}.match.exact`, rule.match.exact);
  if ('anyOf' in rule.match) {
    const values = rule.match.anyOf;
    if (!Array.isArray(values) || values.length === 0)
      invalid(`${field}.match.anyOf`, values, 'is empty', 'list at least one value');
    values.forEach((v, i) => checkLiteralValue(`${field}.match.anyOf[${i}]`, v));
    checkUnique(`${field}.match.anyOf`, values);
  }
  if ('regex' in rule.match)
    checkPcreRegex(`${field}.match.regex`, rule.match.regex, { caseInsensitive: rule.ignoreCase === true });
  if (rule.description !== undefined) checkDescription(`${field}.description`, rule.description);
}

/**
 * A list element equal to one of the values: after the start or a comma, optional spaces/TABs, the value, optional
 * spaces/TABs, then a comma or the end. Header values hold no CR or LF (nginx refuses them), so `^`/`$` mean the
 * start and end of the value although libmodsecurity compiles `@rx` multiline.
 */
export function listElementRegex(values: readonly string[]): string {
  return `(?:^|,)[\\t ]*(?:${values.map(escapeRegex).join('|')})[\\t ]*(?:,|$)`;
}

/** The ModSecurity operator for the match: a list-element regex for literal values, `@rx` for a regex. */
function operatorOf(rule: DenyRequestHeaderRule): string {
  const fold = (v: string): string => (rule.ignoreCase ? v.toLowerCase() : v);
  if ('exact' in rule.match) return `@rx ${listElementRegex([fold(rule.match.exact)])}`;
  if ('anyOf' in rule.match) return `@rx ${listElementRegex(rule.match.anyOf.map(fold))}`;
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
  // Literal values: the regex handles the whitespace itself; t:lowercase folds case. A user regex gets the value
  // trimmed (t:trim also removes \v and \f, which backends reject anyway: the rule may deny more, never less).
  const transforms =
    'regex' in rule.match ? ['t:none', 't:trim'] : rule.ignoreCase ? ['t:none', 't:lowercase'] : ['t:none'];
  const msg = `Denied request header ${header}${rule.description ? ` (${rule.description})` : ''}`;
  return [
    ruleComment(id, `Deny request header ${header} ${describeMatch(rule)}`, rule.description),
    secRule(
      `REQUEST_HEADERS:${header}`,
      operatorOf(rule),
      denyActions(id, 'deny-request-header', msg, [...transforms, "logdata:'%{MATCHED_VAR_NAME}'"]),
    ),
  ];
}
