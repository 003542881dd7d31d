import { ComparedFact, ExplainedDifference } from './compare';
import { LogLine } from './run-controller';

/**
 * Differences between the controller's nginx.conf and the harness's that do not change what the conformance suite
 * checks, each with its reason. Everything not listed here (or in {@link HARNESS_FIXES_PENDING}) counts as a difference.
 * Template line numbers: ../shared/upstream/ingress-nginx-v1.15.1-nginx.tmpl (identical to the module's
 * rootfs/etc/nginx/template/nginx.tmpl at controller-v1.15.1).
 */
export const EXPLAINED_DIFFERENCES: readonly ExplainedDifference[] = [
  {
    key: /^\S+ \S+ proxy_set_header x-harness-(?:route|uri)$/,
    reason:
      'harness instrumentation, not in the template: the echo backend reports which location proxied the request ' +
      "and nginx's normalized $uri, so the adversarial suite can assert where a request ended up; the client cannot " +
      'set them (proxy_set_header replaces a client copy)',
  },
  {
    key: /^\S+ \S+ proxy_pass$/,
    reason:
      'the controller proxies to upstream_balancer (balancer.lua picks an endpoint of the Service); the harness ' +
      'maps every Service to one loopback echo upstream',
  },
  {
    key: /^_ - locations$/,
    reason:
      'the default server also has /healthz (return 200, for cloud load-balancer probes) and /nginx_status ' +
      '(allow 127.0.0.1, deny all), nginx.tmpl 1455-1490; no scenario requests them, every other path of an ' +
      'unknown host is 404 on both',
  },
];

/**
 * Differences that the harness should not have, with the fix (they count as differences, `M differ`, and the test
 * checks that exactly these differ). Empty once the harness renders what the controller does.
 */
export const HARNESS_FIXES_PENDING: readonly { readonly key: RegExp; readonly fix: string }[] = [
  // none: `ssl_protocols` in the http block (nginx.tmpl 456) and `X-Original-Forwarded-Host` (nginx.tmpl 1322) are
  // rendered by test/engine/harness/nginx-conf.ts since they were found here
];

/** The differences in `facts` that are neither equal nor explained, split into pending harness fixes and others. */
export function unexplained(facts: readonly ComparedFact[]): { pending: ComparedFact[]; other: ComparedFact[] } {
  const differ = facts.filter((f) => f.controller !== f.harness && !f.explained);
  const isPending = (f: ComparedFact): boolean => HARNESS_FIXES_PENDING.some((p) => p.key.test(f.key));
  return { pending: differ.filter(isPending), other: differ.filter((f) => !isPending(f)) };
}

/**
 * Controller log lines (warnings/errors) that are known and accepted, with the reason. Matched against
 * `<level> <source>] <message>`. Everything else the controller warns about fails the test.
 */
export const ACCEPTED_LOG_LINES: readonly { readonly line: RegExp; readonly reason: string }[] = [
  {
    line: /^E event\.go:\d+\] "Unable to write event .*can't create an event with namespace 'ingress-nginx' in namespace 'echo'/,
    reason:
      'dist/ runs the controller with --watch-namespace=echo: its event sink is then namespaced to echo ' +
      '(nginx.go 77-81, Events(config.Namespace); flags.go 362), and client-go refuses events about objects in other ' +
      'namespaces (core/v1 event_expansion.go 78). The RELOAD events about its own Pod (namespace ingress-nginx) are ' +
      'therefore dropped, in a real cluster too; the events about Ingresses in echo are written. Informational only',
  },
  {
    line: /^E event\.go:\d+\] "Unable to write event \(retry limit exceeded!\)" .*InvolvedObject:ObjectReference\{Kind:Pod,Namespace:ingress-nginx,/,
    reason: "the same dropped Pod event (see above), after client-go's retries",
  },
];

/** The controller's warnings and errors (klog W, E, F) not accepted by {@link ACCEPTED_LOG_LINES}. */
export function logFindings(log: readonly LogLine[]): string[] {
  return log
    .filter((l) => l.level !== 'I')
    .map((l) => `${l.level} ${l.source}] ${l.message}`)
    .filter((l) => !ACCEPTED_LOG_LINES.some((e) => e.line.test(l)));
}
