/** Typed WAF policy for ModSecurity + OWASP CRS v4 (rendered into the policy file the controller mounts and includes). */
export * from './policy';
export * from './deny-source-ips';
export * from './deny-request-header';
export * from './allow-paths';
export * from './exclusion';
export * from './regex-limits';
export * from './rule-ids';
export * from './crs';
export { escapeForNginxSingleQuotes } from './text';
export { checkIpOrCidr } from '../core/ip';
export { RULE_TAG_PREFIX } from './rule-text';
