/**
 * The KQL behind the attack alert. ModSecurity in the ingress-nginx controller writes one JSON audit record per
 * relevant transaction to stdout (`SecAuditLogFormat JSON`, `SecAuditLog /dev/stdout`); Container Insights stores
 * each stdout line in `ContainerLogV2.LogMessage` (a dynamic value when the line is JSON, a string otherwise — the
 * query accepts both). A block is a record whose `transaction.response.http_code` is 403 and which names at least
 * one rule in `transaction.messages[].details.ruleId`. The controller's access log lines share the stream and are
 * dropped by the `transaction` filters.
 */

/** Where the controller runs. */
export interface ModSecurityBlocksQueryOptions {
  /** Namespace of the ingress-nginx controller pods. */
  readonly namespace: string;
  /** Container name of the controller. */
  readonly containerName: string;
}

/** Column holding the number of blocks per row; the alert's metric measure column. */
export const BLOCKS_COLUMN = 'Blocks';
/** Columns the alert splits by: one alert per rule id and client IP. */
export const BLOCK_DIMENSIONS = ['RuleId', 'ClientIp'] as const;

/** KQL string literal (double-quoted, escaped). */
function kqlString(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/**
 * Counts ModSecurity blocks per rule id and client IP. The result has one row per (RuleId, ClientIp) with
 * `Blocks` (matched-rule count), `Requests` (distinct blocked transactions), `Hosts` and `Uris` (samples) and the
 * first / last time seen. Time filtering is left to the alert's window.
 */
export function modSecurityBlocksQuery(options: ModSecurityBlocksQueryOptions): string {
  return [
    'ContainerLogV2',
    `| where PodNamespace == ${kqlString(options.namespace)} and ContainerName == ${kqlString(options.containerName)}`,
    '| where tostring(LogMessage) has "transaction"',
    '| extend Audit = iff(gettype(LogMessage) == "dictionary", LogMessage, parse_json(tostring(LogMessage)))',
    '| extend Tx = Audit.transaction',
    '| where isnotnull(Tx) and toint(Tx.response.http_code) == 403 and array_length(Tx.messages) > 0',
    '| extend ClientIp = tostring(Tx.client_ip), TxId = tostring(Tx.unique_id), Uri = tostring(Tx.request.uri)',
    // The default audit parts carry no request headers: the host nginx routed to is the WAF's audit-context message
    // `host=/<host>/` (lib/waf/audit.ts); records with part B (a custom auditLogParts) also name the Host header.
    '| extend Host = coalesce(extract(\'"data":"host=/([^/"]*)/"\', 1, tostring(Tx.messages)), tostring(Tx.request.headers.Host), tostring(Tx.request.headers.host), tostring(Tx.host_ip))',
    '| mv-expand Message = Tx.messages',
    '| extend RuleId = tostring(Message.details.ruleId)',
    '| where isnotempty(RuleId)',
    `| summarize ${BLOCKS_COLUMN} = count(), Requests = dcount(TxId), Hosts = make_set(Host, 10), Uris = make_set(Uri, 10), FirstSeen = min(TimeGenerated), LastSeen = max(TimeGenerated) by ${BLOCK_DIMENSIONS.join(', ')}`,
  ].join('\n');
}
