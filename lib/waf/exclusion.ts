import { invalid, checkUnique } from '../core/validation';
import { CRS_RULE_ID_RANGE, WAF_RULE_ID_RANGE } from './rule-ids';
import { ruleComment, secRule, RULE_TAG_PREFIX } from './rule-text';
import { checkServedHost, PATH_TRANSFORMS, pathScopeRegex, ROUTED_HOST_TARGET, routedHostOperator } from './scope';
import { checkDescription, checkPath } from './text';

/**
 * Turns CRS rules off for part of the traffic (a false positive on one host or path), at runtime: a phase-1 rule
 * with `ctl:ruleRemoveById` (or `ctl:ruleRemoveTargetById` with `target`) that runs before CRS. Scoped to a host,
 * a path, or both; a global removal is deliberately not offered (it weakens every host; fix the cause instead).
 */
export interface RuleExclusion {
  /** Ids of the rules to turn off, e.g. `[942100]` (CRS ids, or 200000–299999 for the base modsecurity.conf). */
  readonly ruleIds: readonly number[];
  /**
   * Host the exclusion applies to; must be a host the edge serves.
   * @default every host (then `path` is required)
   */
  readonly host?: string;
  /**
   * Path prefix the exclusion applies to (Kubernetes `Prefix` semantics, matched after decoding/normalizing).
   * @default every path (then `host` is required)
   */
  readonly path?: string;
  /**
   * Only exclude this variable from the rules instead of removing them, e.g. `ARGS:comment` or
   * `REQUEST_COOKIES:session` — the narrowest exclusion, preferred when the false positive is one field.
   * @default remove the rules entirely
   */
  readonly target?: string;
  /**
   * Rule id of the exclusion rule itself, from the custom range (see `CUSTOM_RULE_ID_RANGE`).
   * @default allocated in declaration order
   */
  readonly id?: number;
  /**
   * Why the exclusion is needed (the false positive it fixes); shown in the rule comment.
   * @default none
   */
  readonly description?: string;
}

const TARGET =
  /^(ARGS|ARGS_GET|ARGS_POST|ARGS_NAMES|ARGS_GET_NAMES|ARGS_POST_NAMES|REQUEST_COOKIES|REQUEST_COOKIES_NAMES|REQUEST_HEADERS|REQUEST_HEADERS_NAMES|FILES|FILES_NAMES|XML|REQUEST_BODY|REQUEST_URI|REQUEST_FILENAME|REQUEST_LINE|QUERY_STRING)(:[A-Za-z0-9_.\-[\]]{1,128})?$/;

/** Validates a {@link RuleExclusion}. */
export function checkExclusion(field: string, rule: RuleExclusion, servedHosts: readonly string[]): void {
  if (!rule || !Array.isArray(rule.ruleIds) || rule.ruleIds.length === 0)
    invalid(`${field}.ruleIds`, rule?.ruleIds, 'is empty', 'list the ids of the rules to turn off, e.g. [942100]');
  rule.ruleIds.forEach((id, i) => {
    const f = `${field}.ruleIds[${i}]`;
    if (!Number.isInteger(id) || id < 1 || id > CRS_RULE_ID_RANGE.last)
      invalid(
        f,
        id,
        'is not a ModSecurity rule id',
        `use the id of a CRS rule (${CRS_RULE_ID_RANGE.first}–${CRS_RULE_ID_RANGE.last}) as shown in the audit log`,
      );
    if (id >= WAF_RULE_ID_RANGE.first && id <= WAF_RULE_ID_RANGE.last)
      invalid(
        f,
        id,
        "is the id of one of this policy's own rules",
        'remove or change that custom rule instead of excluding it',
      );
  });
  checkUnique(`${field}.ruleIds`, rule.ruleIds);
  if (rule.host === undefined && rule.path === undefined) {
    invalid(
      field,
      rule,
      'has neither host nor path',
      'scope the exclusion to a host and/or a path prefix, e.g. { host: "api.example.com", path: "/upload" }',
    );
  }
  if (rule.host !== undefined) checkServedHost(`${field}.host`, rule.host, servedHosts);
  if (rule.path !== undefined) checkPath(`${field}.path`, rule.path);
  if (rule.host === undefined && rule.path === '/') {
    invalid(
      `${field}.path`,
      rule.path,
      'covers every request of every host, a global removal',
      'scope the exclusion to a host or a narrower path',
    );
  }
  if (rule.target !== undefined && (typeof rule.target !== 'string' || !TARGET.test(rule.target))) {
    invalid(
      `${field}.target`,
      rule.target,
      'is not a request variable ModSecurity can exclude',
      'use e.g. "ARGS:comment", "REQUEST_COOKIES:session" or "REQUEST_HEADERS:user-agent"',
    );
  }
  if (rule.description !== undefined) checkDescription(`${field}.description`, rule.description);
}

/**
 * Renders the exclusion: a pass/nolog rule (chained when scoped to host and path) whose last link removes the rules.
 */
export function renderExclusion(rule: RuleExclusion, id: number): string[] {
  const ctl = rule.ruleIds.map((r) =>
    rule.target ? `ctl:ruleRemoveTargetById=${r};${rule.target}` : `ctl:ruleRemoveById=${r}`,
  );
  const scope = [rule.host, rule.path].filter((s) => s !== undefined).join(' ');
  const what = `${rule.target ? `${rule.target} from ` : ''}rules ${rule.ruleIds.join(', ')}`;
  const comment = ruleComment(id, `Exclude ${what} for ${scope}`, rule.description);
  const head = [`id:${id}`, 'phase:1', 'pass', 'nolog', `tag:'${RULE_TAG_PREFIX}/exclusion'`];
  const hostRule = (first: string[], last: string[]): string =>
    secRule(ROUTED_HOST_TARGET, routedHostOperator([rule.host!]), [...first, 't:none', ...last]);
  const pathRule = (first: string[], last: string[]): string =>
    secRule('REQUEST_FILENAME', `@rx ${pathScopeRegex(rule.path!)}`, [...first, ...PATH_TRANSFORMS, ...last]);
  if (rule.host && rule.path) return [comment, hostRule(head, ['chain']), `  ${pathRule([], ctl)}`];
  if (rule.host) return [comment, hostRule(head, ctl)];
  return [comment, pathRule(head, ctl)];
}

/**
 * Host-scoped exclusions without an explicit id that turn off the same rules (same target) on the same path merge
 * into one rule whose host condition lists every host: one rule per distinct exclusion instead of one per host, so a
 * fleet of tenants with the same false positive costs one `@pm` lookup per request and a few bytes per host.
 * Returns the merge key, or undefined for exclusions that always render on their own (path-only, or pinned id).
 */
export function exclusionMergeKey(rule: RuleExclusion): string | undefined {
  if (rule.host === undefined || rule.id !== undefined) return undefined;
  return JSON.stringify([rule.ruleIds, rule.target ?? null, rule.path ?? null]);
}

/** One member of a merged exclusion: the exclusion and its field path. */
export interface MergedExclusionMember {
  readonly field: string;
  readonly rule: RuleExclusion;
}

/**
 * Renders exclusions that share a merge key (see {@link exclusionMergeKey}) as one rule with the id of the first
 * member: a comment line per member (field, host, description), the `@pm` host condition, then the path condition
 * (when scoped to a path) whose last link removes the rules.
 */
export function renderMergedExclusion(members: readonly MergedExclusionMember[], id: number): string[] {
  const first = members[0].rule;
  const hosts = [...new Set(members.map((m) => m.rule.host!))];
  const ctl = first.ruleIds.map((r) =>
    first.target ? `ctl:ruleRemoveTargetById=${r};${first.target}` : `ctl:ruleRemoveById=${r}`,
  );
  const what = `${first.target ? `${first.target} from ` : ''}rules ${first.ruleIds.join(', ')}`;
  const lines = [
    ruleComment(
      id,
      `Exclude ${what}${first.path ? ` for ${first.path}` : ''} on ${hosts.length} hosts (merged exclusions)`,
    ),
  ];
  for (const m of members)
    lines.push(`#   ${m.field} ${m.rule.host}${m.rule.description ? `: ${m.rule.description}` : ''}`);
  const head = [`id:${id}`, 'phase:1', 'pass', 'nolog', `tag:'${RULE_TAG_PREFIX}/exclusion'`, 't:none'];
  if (first.path === undefined)
    return [...lines, secRule(ROUTED_HOST_TARGET, routedHostOperator(hosts), [...head, ...ctl])];
  return [
    ...lines,
    secRule(ROUTED_HOST_TARGET, routedHostOperator(hosts), [...head, 'chain']),
    `  ${secRule('REQUEST_FILENAME', `@rx ${pathScopeRegex(first.path)}`, [...PATH_TRANSFORMS, ...ctl])}`,
  ];
}
