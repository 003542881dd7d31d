import { renderTransactionFactRules, transactionIdTemplate } from '../../lib/waf/transaction-facts';
import { SETTINGS_RULE_IDS } from '../../lib/waf/rule-ids';

/**
 * The SecLang of the transaction-id rules, read back as JavaScript regexes (`\A`/`\z` → `^`/`$` without the `m`
 * flag: the same meaning). The real engine runs them in test/engine/adversarial.test.ts; this pins the contract.
 */
const rules = renderTransactionFactRules(SETTINGS_RULE_IDS, 'edge-waf');
const operator = (id: number): RegExp => {
  const line =
    id === SETTINGS_RULE_IDS.clientCertificateGate
      ? rules[rules.findIndex((l) => l.includes(`id:${id},`)) + 1]
      : rules.find((l) => l.includes(`id:${id},`))!;
  const rx = /"!?@rx ([^"]+)"/.exec(line)![1];
  return new RegExp(rx.replace(/\\A/g, '^').replace(/\\z/g, '$'));
};
const id = (flags: string, scheme: string, verify: string, host: string): string =>
  `edge_${flags}_0123456789abcdef0123456789abcdef_${scheme}_${verify}_${host}`;

describe('transaction facts', () => {
  test('the template is an nginx complex value the controller accepts (parser.NGINXVariable) for every flag combination', () => {
    for (const requireClientCertificate of [true, false]) {
      for (const redirectPlainHttp of [true, false]) {
        expect(transactionIdTemplate({ requireClientCertificate, redirectPlainHttp })).toMatch(/^[A-Za-z0-9\-_${}]*$/);
      }
    }
    expect(transactionIdTemplate({ requireClientCertificate: true, redirectPlainHttp: true })).toBe(
      'edge_mr_${request_id}_${scheme}_${ssl_client_verify}_${host}',
    );
  });

  test('the routed host is read from the id, after the certificate state, whatever the verify outcome', () => {
    const rx = operator(SETTINGS_RULE_IDS.hostFromTransaction);
    expect(rx.exec(id('mr', 'https', 'SUCCESS', 'echo.example.com'))?.[1]).toBe('echo.example.com');
    expect(rx.exec(id('o', 'http', '', 'portal.example.com'))?.[1]).toBe('portal.example.com');
    expect(rx.exec(id('or', 'https', 'FAILED:certificate has expired', 'a.example.com'))?.[1]).toBe('a.example.com');
    expect(rx.exec('1701234567.123456')).toBeNull();
  });

  test('the gate passes only https + SUCCESS in a location that requires a certificate', () => {
    const passes = operator(SETTINGS_RULE_IDS.clientCertificateGate); // the chained "!@rx": matching means allowed
    expect(passes.test(id('mr', 'https', 'SUCCESS', 'echo.example.com'))).toBe(true);
    expect(passes.test(id('m', 'https', 'SUCCESS', 'echo.example.com'))).toBe(true);
    for (const denied of [
      id('mr', 'http', '', 'echo.example.com'),
      id('m', 'https', 'NONE', 'echo.example.com'),
      id('m', 'https', 'FAILED:x', 'echo.example.com'),
      id('mr', 'http', 'SUCCESS', 'echo.example.com'),
    ]) {
      expect(passes.test(denied)).toBe(false);
    }
    expect(/^edge_m/.test(id('or', 'http', '', 'echo.example.com'))).toBe(false); // optional modes are not gated
  });

  test('plain HTTP is redirected to the routed host only where the id says so', () => {
    const rx = operator(SETTINGS_RULE_IDS.plainHttpRedirect);
    expect(rx.exec(id('mr', 'http', '', 'echo.example.com'))?.[1]).toBe('echo.example.com');
    expect(rx.test(id('m', 'http', '', 'echo.example.com'))).toBe(false);
    expect(rx.test(id('mr', 'https', 'SUCCESS', 'echo.example.com'))).toBe(false);
  });

  test('the fallback host rules normalize like ngx_http_validate_host (port, trailing dot; case by t:lowercase)', () => {
    const header = operator(SETTINGS_RULE_IDS.hostFromHeader);
    for (const [raw, host] of [
      ['b.example.com', 'b.example.com'],
      ['b.example.com.', 'b.example.com'],
      ['b.example.com:', 'b.example.com'],
      ['b.example.com.:8443', 'b.example.com'],
    ]) {
      expect(header.exec(raw)?.[1]).toBe(host);
    }
    const line = operator(SETTINGS_RULE_IDS.hostFromRequestLine);
    expect(line.exec('GET https://b.example.com./x HTTP/1.1')?.[1]).toBe('b.example.com');
    expect(line.exec('GET http://b.example.com:80?x HTTP/1.1')?.[1]).toBe('b.example.com');
    expect(line.exec('GET /x HTTP/1.1')).toBeNull();
  });
});
