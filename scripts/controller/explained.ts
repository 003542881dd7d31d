import { ExplainedDifference } from './compare';
import { LogLine } from './run-controller';

/**
 * Differences between the controller's nginx.conf and the harness's that do not change what the conformance suite
 * checks, each with its reason. Everything not listed here counts as a difference.
 */
export const EXPLAINED_DIFFERENCES: readonly ExplainedDifference[] = [
  {
    key: /^\S+ \S+ proxy_pass$/,
    reason: 'the controller proxies to upstream_balancer (balancer.lua picks the endpoint); the harness has one loopback echo upstream',
  },
];

/**
 * Controller log lines (warnings/errors) caused by running out of cluster here, not by our objects, with the reason.
 * Matched against `<source>] <message>`.
 */
export const ENVIRONMENT_LOG_LINES: readonly { readonly line: RegExp; readonly reason: string }[] = [];

/** The controller's warnings and errors (klog W, E, F) not explained by {@link ENVIRONMENT_LOG_LINES}. */
export function logFindings(log: readonly LogLine[]): string[] {
  return log.filter((l) => l.level !== 'I')
    .map((l) => `${l.level} ${l.source}] ${l.message}`)
    .filter((l) => !ENVIRONMENT_LOG_LINES.some((e) => e.line.test(l)));
}
