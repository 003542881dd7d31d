import { checkIntegerInRange, invalid } from '../core/validation';

/**
 * What the WAF does with a request when one of its regexes hits the match limit (`SecPcreMatchLimit`):
 *
 * - `'block'`: deny with 403 once the request phases have run (fail closed). A rule whose regex hits the limit cannot
 *   decide, so the input that made it give up — typically a long value shaped like an attack — is refused.
 * - `'log'`: let the request through and write an audit record naming the limit (fail open, visible).
 */
export type RegexMatchLimitAction = 'block' | 'log';

/** The regex match limits of a WAF policy, validated. */
export interface RegexLimits {
  /** `SecPcreMatchLimit`. */
  readonly matchLimit: number;
  /** What happens when it is hit. */
  readonly action: RegexMatchLimitAction;
}

/**
 * Default match limit: the value CRS's own CI runs its regression suite with (coreruleset v4.22.0
 * `tests/docker-compose.yml` runs the `owasp/modsecurity-crs:nginx` image, whose `MODSEC_PCRE_MATCH_LIMIT` defaults
 * to 100000 — coreruleset/modsecurity-crs-docker README).
 */
export const DEFAULT_REGEX_MATCH_LIMIT = 100000;

/**
 * The base config's limit (libmodsecurity v3.0.14 `modsecurity.conf-recommended`, line 150): too low for CRS 4.22 —
 * on the image's engine it makes long benign request lines 403 (rule 920100 hits it in phase 1, rule 200005 denies)
 * and lets long attack bodies through (e.g. 932130 gives up on a 1.5 KB JSON value; test/waf/regex-limits.test.ts).
 */
export const BASE_CONFIG_REGEX_MATCH_LIMIT = 1000;

/** PCRE2's built-in match limit (`MATCH_LIMIT` in pcre2's config.h): a higher value changes nothing. */
const PCRE2_DEFAULT_MATCH_LIMIT = 10000000;

/** The base config's rule that denies on any `TX:MSC_*` flag, in phase 2 before CRS's phase-2 rules have run. */
const BASE_CONFIG_INTERNAL_ERROR_RULE = 200005;

/** Validates the match-limit props (`field` is the policy's field path, e.g. `waf`). */
export function checkRegexLimits(
  field: string,
  matchLimit: number | undefined,
  action: RegexMatchLimitAction | undefined,
): RegexLimits {
  const limit = checkIntegerInRange(
    `${field}.regexMatchLimit`,
    matchLimit ?? DEFAULT_REGEX_MATCH_LIMIT,
    BASE_CONFIG_REGEX_MATCH_LIMIT,
    PCRE2_DEFAULT_MATCH_LIMIT,
    `use a whole number from ${BASE_CONFIG_REGEX_MATCH_LIMIT} to ${PCRE2_DEFAULT_MATCH_LIMIT} (default ${DEFAULT_REGEX_MATCH_LIMIT}, what CRS's CI uses)`,
  );
  const a = action ?? 'block';
  if (a !== 'block' && a !== 'log')
    invalid(
      `${field}.onRegexMatchLimit`,
      a,
      'is not a match-limit action',
      'use "block" (deny, fail closed) or "log" (pass and audit)',
    );
  return { matchLimit: limit, action: a };
}

/**
 * The settings, rendered right after the engine settings. libmodsecurity 3 enforces `SecPcreMatchLimit` since 3.0.10
 * (src/operators/rx.cc: on `RegexResult::ErrorMatchLimit` the operator returns "no match" and sets
 * `TX:MSC_PCRE_LIMITS_EXCEEDED=1`); 3.0.9 parses and ignores it. `SecPcreMatchLimitRecursion` is not rendered: every
 * 3.x parses and ignores it (src/parser/seclang-parser.yy, the CONFIG_DIR_PCRE_MATCH_LIMIT_RECURSION branch is empty;
 * with PCRE2 the match limit bounds the depth too), so the base config's `SecPcreMatchLimitRecursion 1000` is inert.
 * The base config's rule 200005 is removed: it denies in phase 2 *before* CRS's phase-2 rules run, so it refused
 * long benign request lines and missed every limit hit in a body; {@link renderRegexLimitRule} replaces it.
 */
export function renderRegexLimitSettings(limits: RegexLimits): string[] {
  return [`SecPcreMatchLimit ${limits.matchLimit}`, `SecRuleRemoveById ${BASE_CONFIG_INTERNAL_ERROR_RULE}`];
}

/**
 * The rule that acts on a limit hit, rendered after the CRS rules so that it runs last in phase 2 and sees hits of
 * phase 1 and 2 alike. Limit hits of response rules (phases 3–4) are not covered.
 */
export function renderRegexLimitRule(limits: RegexLimits, id: number): string[] {
  // `deny` without `status` answers 403 (libmodsecurity's default intervention status).
  const disruptive = limits.action === 'block' ? 'deny' : 'pass';
  return [
    `SecRule TX:MSC_PCRE_LIMITS_EXCEEDED "@eq 1" "id:${id},phase:2,${disruptive},log,msg:'PCRE limit ${limits.matchLimit} hit'"`,
  ];
}
