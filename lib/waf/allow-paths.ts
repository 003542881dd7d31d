import { invalid, checkUnique } from '../core/validation';
import { denyActions, ruleComment, secRule } from './rule-text';
import { checkServedHost, PATH_TRANSFORMS, pathScopeRegex, ROUTED_HOST_TARGET, routedHostOperator } from './scope';
import { checkDescription, checkPath } from './text';

/**
 * A path allow-list (positive security model): requests whose path is not under one of `paths` are denied (403,
 * phase 1). Scoped to one host, or to every host when `host` is left out.
 */
export interface AllowPathsRule {
  /** Allowed path prefixes, with Kubernetes `Prefix` semantics (`/api` allows `/api` and `/api/x`, not `/apix`). */
  readonly paths: readonly string[];
  /**
   * Host the allow-list applies to; must be a host the edge serves.
   * @default every host
   */
  readonly host?: string;
  /**
   * Rule id, from the custom range (see `CUSTOM_RULE_ID_RANGE`).
   * @default allocated in declaration order
   */
  readonly id?: number;
  /**
   * Why the allow-list exists; shown in the rule comment and the audit-log message.
   * @default none
   */
  readonly description?: string;
}

/** Validates an {@link AllowPathsRule}. */
export function checkAllowPaths(field: string, rule: AllowPathsRule, servedHosts: readonly string[]): void {
  if (!rule || !Array.isArray(rule.paths) || rule.paths.length === 0)
    invalid(`${field}.paths`, rule?.paths, 'is empty', 'list the path prefixes to allow; every other path is denied');
  rule.paths.forEach((p, i) => {
    checkPath(`${field}.paths[${i}]`, p);
    if (p === '/')
      invalid(
        `${field}.paths[${i}]`,
        p,
        'allows every path, so the allow-list would deny nothing',
        'list narrower prefixes, or remove the allow-list',
      );
  });
  checkUnique(`${field}.paths`, rule.paths);
  if (rule.host !== undefined) checkServedHost(`${field}.host`, rule.host, servedHosts);
  if (rule.description !== undefined) checkDescription(`${field}.description`, rule.description);
}

/**
 * Renders the rule: deny unless the normalized path matches one of the prefixes (scoped to the routed host with a
 * chain).
 */
export function renderAllowPaths(rule: AllowPathsRule, id: number): string[] {
  const pathRegex = rule.paths
    .map(pathScopeRegex)
    .map((r) => `(?:${r})`)
    .join('|');
  const msg = `Path not in allow-list${rule.description ? ` (${rule.description})` : ''}`;
  const comment = ruleComment(
    id,
    `Allow only paths ${rule.paths.join(', ')}${rule.host ? ` on ${rule.host}` : ''}`,
    rule.description,
  );
  const pathOperator = `!@rx ${pathRegex}`;
  if (!rule.host) {
    return [
      comment,
      secRule(
        'REQUEST_FILENAME',
        pathOperator,
        denyActions(id, 'allow-paths', msg, [...PATH_TRANSFORMS, "logdata:'%{MATCHED_VAR}'"]),
      ),
    ];
  }
  return [
    comment,
    secRule(ROUTED_HOST_TARGET, routedHostOperator([rule.host]), [
      ...denyActions(id, 'allow-paths', msg, ['t:none']),
      'chain',
    ]),
    `  ${secRule('REQUEST_FILENAME', pathOperator, [...PATH_TRANSFORMS, "logdata:'%{MATCHED_VAR}'"])}`,
  ];
}
