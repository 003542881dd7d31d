/**
 * Builds the text of one ModSecurity rule. Everything passed in has been validated (see text.ts): values never
 * contain double quotes, so wrapping operator arguments and action lists in `"…"` is safe; action arguments are
 * wrapped in `'…'` as CRS does (text placed inline in nginx.conf is escaped for nginx afterwards; the policy file
 * is read as is).
 */
export const RULE_TAG_PREFIX = 'edge-waf';

/** `SecRule VARIABLE "OPERATOR" "ACTIONS"` on one line (no `\` continuations: they would need nginx escaping). */
export function secRule(variable: string, operator: string, actions: readonly string[]): string {
  return `SecRule ${variable} "${operator}" "${actions.join(',')}"`;
}

/** The actions of a custom rule that denies with 403 in phase 1 (before CRS, which scores and blocks in phase 2). */
export function denyActions(id: number, kind: string, msg: string, extra: readonly string[] = []): string[] {
  return [
    `id:${id}`,
    'phase:1',
    'deny',
    'status:403',
    'log',
    ...extra,
    `msg:'${msg}'`,
    `tag:'${RULE_TAG_PREFIX}/${kind}'`,
  ];
}

/** A comment line naming the rule id, so a reviewer can map audit-log ids back to the policy. */
export function ruleComment(id: number, title: string, description?: string): string {
  return `# [${id}] ${title}${description ? `: ${description}` : ''}`;
}
