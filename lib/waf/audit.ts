import { RULE_TAG_PREFIX } from './rule-text';
import { ROUTED_HOST_VARIABLE } from './transaction-facts';

/**
 * What the JSON audit log keeps of a blocked request. libmodsecurity 3 cannot redact single headers or arguments:
 * `sanitiseArg`, `sanitiseMatched`, `sanitiseMatchedBytes`, `sanitiseRequestHeader` and `sanitiseResponseHeader` are
 * parse errors ("is not yet supported", v3.0.13 src/parser/seclang-parser.yy lines 2819-2837), so a rule set using
 * them does not load. What a record holds is chosen per part (v3.0.13 src/transaction.cc `toJSON`, lines 1677-1810):
 *
 * - A (always): client address and port, time, unique id, method, HTTP version and the request-target as sent —
 *   query string included (`m_uri`, line 1697). Credentials in query strings (`?access_token=`) therefore appear for
 *   every logged request, as they do in nginx's access log (`$request`); keep credentials out of URLs.
 * - B: every request header, values included — `Authorization`, `Cookie`, `X-Api-Key`… Left out by default.
 * - F: every response header (`Set-Cookie`, tokens set by the backend). Left out by default.
 * - C / I / E: request / response bodies (personal data, credentials in forms). Left out by default.
 * - H: the rule messages — id, message, `data` (logdata) and `match` (the operator, the variable name and, for CRS,
 *   the matched part of the input): what explains the block. The matched part is attacker input; it holds a
 *   credential only if the credential itself trips a rule.
 *
 * Without part B the record would not name the host; {@link renderAuditContextRule} adds it as a message.
 */
export const DEFAULT_AUDIT_LOG_PARTS = 'AHZ';

/** Response statuses that make a transaction "relevant" (`SecAuditLogRelevantStatus`): 5xx and 4xx except 404. */
export const AUDIT_RELEVANT_STATUS = '^(?:5|4(?!04))';

/** Message of the audit-context rule (appears in `transaction.messages[].message`). */
export const AUDIT_CONTEXT_MESSAGE = 'Request context';

/**
 * A logging-phase rule that adds the host nginx routed the request to (`tx.edge_waf_host`, see transaction-facts.ts:
 * from the edge's transaction id, else the normalized request line or Host header) to every audit record as a message
 * (`details.data` = `host=<host>`), so that a record names the host without part B and its credentials, and names the
 * host the request reached rather than what the client wrote in its Host header. It fires only for the
 * statuses that make a record relevant anyway: a logged message makes a transaction relevant by itself (v3.0.13
 * src/audit_log/audit_log.cc `saveIfRelevant`, lines 292-297), and with `noauditlog` libmodsecurity 3.0.9 leaves the
 * message out of the record (measured). The message does not reach nginx's error log at the controller's default
 * `error-log-level` (notice; measured on the engine). `relevantStatus` is the engine's regex for those statuses
 * (Coraza's RE2 has no lookahead: see lib/waf/coraza.ts).
 */
export function renderAuditContextRule(id: number, relevantStatus: string = AUDIT_RELEVANT_STATUS): string[] {
  return [
    `# [${id}] Audit context: the routed host of the request, so that records name it without request headers (part B)`,
    `SecRule RESPONSE_STATUS "@rx ${relevantStatus}" "id:${id},phase:5,pass,log,t:none,msg:'${AUDIT_CONTEXT_MESSAGE}',logdata:'host=%{${ROUTED_HOST_VARIABLE}}',tag:'${RULE_TAG_PREFIX}/audit-context'"`,
  ];
}
