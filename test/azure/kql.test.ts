import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BLOCK_DIMENSIONS, BLOCKS_COLUMN, modSecurityBlocksQuery } from '../../lib/azure/kql';

/**
 * A ModSecurity JSON audit record as libmodsecurity 3.0.14 writes it (captured from the engine suite, `npm run verify --
 * --keep`, with the default audit parts AHZ, for a request from the denied source IP). The query's field
 * paths are resolved against it, so a misspelt path fails here instead of silently never alerting.
 */
const record = JSON.parse(readFileSync(join(__dirname, 'fixtures', 'modsecurity-audit-403.json'), 'utf8'));
const query = modSecurityBlocksQuery({ namespace: 'ingress-nginx', containerName: 'controller' });

/** Resolves `a.b.c` in an object; arrays resolve to their first element. */
function at(value: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((v, key) => {
    const current = Array.isArray(v) ? v[0] : v;
    return current && typeof current === 'object' ? (current as Record<string, unknown>)[key] : undefined;
  }, value);
}

describe('modSecurityBlocksQuery', () => {
  test('reads ContainerLogV2 of the controller container in its namespace', () => {
    expect(query.split('\n')[0]).toBe('ContainerLogV2');
    expect(query).toContain('| where PodNamespace == "ingress-nginx" and ContainerName == "controller"');
  });

  test('parses LogMessage whether Container Insights stored it as JSON or as text', () => {
    expect(query).toContain('iff(gettype(LogMessage) == "dictionary", LogMessage, parse_json(tostring(LogMessage)))');
  });

  test('counts only 403 responses that name at least one rule, per rule id and client IP', () => {
    expect(query).toContain('toint(Tx.response.http_code) == 403 and array_length(Tx.messages) > 0');
    expect(query).toContain('| mv-expand Message = Tx.messages');
    expect(query).toContain('| where isnotempty(RuleId)');
    expect(query).toMatch(
      new RegExp(`\\| summarize ${BLOCKS_COLUMN} = count\\(\\).* by ${BLOCK_DIMENSIONS.join(', ')}$`),
    );
  });

  test('every transaction field the query reads exists in a real ModSecurity audit record', () => {
    const txPaths = [...query.matchAll(/\bTx\.([A-Za-z_.]+[A-Za-z_])/g)].map((m) => m[1]);
    const messagePaths = [...query.matchAll(/\bMessage\.([A-Za-z_.]+[A-Za-z_])/g)].map((m) => m[1]);
    expect(txPaths).toEqual(
      expect.arrayContaining(['response.http_code', 'messages', 'client_ip', 'unique_id', 'request.uri']),
    );
    expect(messagePaths).toEqual(['details.ruleId']);
    const tx = record.transaction;
    // The Host header is only in records with part B (a custom auditLogParts; the default AHZ has none), and is
    // case-sensitive in JSON (HTTP/2 clients send it lower-case): the query reads both as fallbacks.
    const missing = txPaths.filter((p) => !p.startsWith('request.headers.') && at(tx, p) === undefined);
    expect(missing).toEqual([]);
    expect(at(tx, 'messages.details.ruleId')).toBe('10100');
    // The host the query extracts first: the WAF's audit-context message in the real record.
    const extract = /extract\('([^']*)', 1, tostring\(Tx\.messages\)\)/.exec(query)?.[1];
    expect(new RegExp(extract!).exec(JSON.stringify(tx.messages))?.[1]).toBe('echo.example.com');
    expect(at(tx, 'response.http_code')).toBe(403);
    expect(query).toContain('Audit.transaction');
  });

  test('escapes quotes and backslashes in names', () => {
    expect(modSecurityBlocksQuery({ namespace: 'a"b', containerName: 'c\\d' })).toContain(
      'PodNamespace == "a\\"b" and ContainerName == "c\\\\d"',
    );
  });
});
