/**
 * Proof 3 of issue 17: the WAF text Envoy Gateway gets (lib/waf/coraza.ts) on the real Coraza engine — Coraza v3.7.0
 * with coraza-coreruleset v4.25.0, run by tools/coraza-host the way built-on-envoy's coraza-waf filter runs it —
 * against the scenario corpus of the nginx suite (attacks, benign traffic, custom rules, host- and path-scoped rules),
 * with what Envoy does before the filter modelled in harness/envoy-model.ts. Envoy itself cannot run here.
 */
import { loudWarning } from '../engine/harness/prerequisites';
import { corazaFilterConfig, CorazaFilterConfig } from '../../lib/waf/coraza';
import { checkPcreRegex, jsRegExp } from '../../lib/waf/pcre';
import { WafPolicy } from '../../lib/waf/policy';
import { ValidationError } from '../../lib/core/validation';
import { ACCEPTED } from '../waf/pcre-corpus';
import { corazaCompiles, corazaHostMissing, corazaMatches, startCorazaHost } from './harness/coraza-host';
import {
  CorazaScenarioResult,
  formatCorazaResults,
  REFERENCE_HOSTS,
  referencePolicy,
  runCorazaScenarios,
} from './harness/run';

const missing = corazaHostMissing();
if (missing) loudWarning(missing);
const describeCoraza = missing ? describe.skip : describe;

/** The Coraza config with path-scoped rules decoding REQUEST_FILENAME once more (the rendering before this fix). */
function withSecondUrlDecode(config: CorazaFilterConfig): CorazaFilterConfig {
  return {
    ...config,
    directives: config.directives.map((l) =>
      l.replace('"t:none,t:normalizePath', '"t:none,t:urlDecode,t:normalizePath'),
    ),
  };
}

const API_HEADERS: [string, string][] = [
  ['user-agent', 'hospital-a-integration/2.3'],
  ['accept', 'application/json'],
];

describeCoraza(`real Coraza engine${missing ? ` [SKIPPED: ${missing}]` : ''}`, () => {
  let results: CorazaScenarioResult[] = [];

  beforeAll(async () => {
    results = await runCorazaScenarios();
    process.stdout.write(`${formatCorazaResults(results)}\n`);
  }, 240_000);

  test('the reference filter configs load in Coraza for both hosts (FULL mode: response bodies inspected)', async () => {
    for (const host of Object.values(REFERENCE_HOSTS)) {
      const h = await startCorazaHost(corazaFilterConfig(referencePolicy(), host));
      expect(h.mode).toBe('FULL');
      await h.close();
    }
  });

  test('every WAF scenario and adversarial row has the expected outcome (differences from nginx are declared on the rows)', () => {
    expect(results.length).toBeGreaterThan(100);
    expect(
      results
        .filter((r) => !r.passed)
        .map((r) => `${r.id}: expected ${r.expected}, observed ${r.observed} (${r.note})`),
    ).toEqual([]);
  });

  test('the seed scenario: IP 34.242.209.15 → 403, user: admin → 403, user: user → 200, CRS attacks blocked, benign passes', () => {
    const byId = new Map(results.map((r) => [r.id, r]));
    for (const id of [
      'waf-denied-source-ip',
      'waf-user-admin',
      'waf-user-user',
      'sqli-query',
      'xss-query',
      'log4shell-header',
      'benign-json-apostrophes',
      'benign-upload-png',
    ]) {
      expect(byId.get(`scenario/${id}`)?.passed).toBe(true);
    }
    expect(byId.get('scenario/waf-denied-source-ip')?.observed).toBe('403 (waf 10100)');
    expect(byId.get('scenario/waf-user-admin')?.observed).toBe('403 (waf 10101)');
    expect(
      results
        .filter(
          (r) =>
            r.id.startsWith('scenario/attack') || /^scenario\/(sqli|xss|traversal|cmdi|log4shell|scanner)-/.test(r.id),
        )
        .every((r) => r.observed.startsWith('403 (waf 949110)')),
    ).toBe(true);
  });

  test('rejects double-encoded paths into a scope only without a second t:urlDecode (the previous rendering let them in)', async () => {
    const old = await runCorazaScenarios({
      configOf: (host, state) => withSecondUrlDecode(corazaFilterConfig(referencePolicy(state), host)),
    });
    const failed = old.filter((r) => !r.passed).map((r) => r.id);
    expect(failed).toEqual(
      expect.arrayContaining(['path-scope/double-encoded-letter', 'path-scope/exclusion-double-encoded']),
    );
    expect(old.find((r) => r.id === 'path-scope/double-encoded-letter')?.observed).toBe('200 → portal');
  }, 240_000);

  test('answers 413 to a non-multipart body above the no-files limit (Coraza does not enforce SecRequestBodyNoFilesLimit itself)', async () => {
    const config = corazaFilterConfig(referencePolicy(), REFERENCE_HOSTS.api);
    const body = Buffer.from(JSON.stringify({ notes: 'x'.repeat(200_000) }));
    const req = {
      id: 'big',
      method: 'POST',
      path: '/api/notes',
      authority: REFERENCE_HOSTS.api,
      scheme: 'https' as const,
      protocol: 'HTTP/1.1',
      sourceIp: '203.0.113.10',
      headers: [...API_HEADERS, ['content-type', 'application/json'], ['content-length', String(body.length)]] as [
        string,
        string,
      ][],
      body,
    };
    const withRule = await startCorazaHost(config);
    const withoutRule = await startCorazaHost({
      ...config,
      directives: config.directives.filter((l) => !l.includes('id:10004') && !l.includes('REQUEST_BODY_LENGTH|')),
    });
    try {
      expect(await withRule.run(req)).toMatchObject({ status: 413, interrupted: true, blockRule: 10004 });
      expect(await withoutRule.run(req)).toMatchObject({ interrupted: false });
    } finally {
      await withRule.close();
      await withoutRule.close();
    }
  });

  test('audit records: a block names its rule and host without request headers; rule 10030 adds the routed host to relevant upstream answers', async () => {
    const h = await startCorazaHost(corazaFilterConfig(referencePolicy(), REFERENCE_HOSTS.portal));
    const base = {
      method: 'GET',
      authority: REFERENCE_HOSTS.portal,
      scheme: 'https' as const,
      protocol: 'HTTP/1.1',
      sourceIp: '203.0.113.10',
      headers: [...API_HEADERS, ['authorization', 'Bearer secret-token']] as [string, string][],
    };
    try {
      expect(await h.run({ ...base, id: 'blocked', path: '/admin' })).toMatchObject({ status: 403, blockRule: 10102 });
      const upstream500 = {
        status: 500,
        headers: [['content-type', 'text/plain']] as [string, string][],
        body: Buffer.from('internal error'),
      };
      expect(await h.run({ ...base, id: 'upstream-500', path: '/api/x', response: upstream500 })).toMatchObject({
        interrupted: false,
        status: 500,
      });
    } finally {
      await h.close();
    }
    type Record = {
      transaction: { server_id: string; request: { headers: unknown } };
      messages?: { message: string; data?: { msg?: string; data?: string; id?: number } }[];
    };
    const records = h
      .auditLog()
      .trim()
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record);
    expect(records).toHaveLength(2);
    // Coraza sets no RESPONSE_STATUS once a request is interrupted (transaction.go ProcessResponseHeaders, lines
    // 1164-1167), so 10030 cannot fire for WAF blocks there; the record names the :authority Envoy routed on instead.
    expect(records[0].transaction.server_id).toBe(REFERENCE_HOSTS.portal);
    expect(JSON.stringify(records[0].messages)).toContain('[id \\"10102\\"]');
    expect(JSON.stringify(records[1].messages)).toContain(`host=/${REFERENCE_HOSTS.portal}/`);
    expect(records.every((r) => r.transaction.request.headers === null)).toBe(true);
    expect(h.auditLog()).not.toContain('secret-token');
  });

  test('Coraza refuses a rule set whose regex RE2 cannot compile, which is why renderCorazaDirectives rejects it first', async () => {
    const policy = new WafPolicy({ denyRequestHeaders: [{ header: 'x-role', match: { regex: '^(?!guest$)' } }] });
    expect(() => corazaFilterConfig(policy, 'a.example.com')).toThrow(ValidationError);
    const text = policy
      .renderPolicyFile()
      .split('\n')
      .filter((l) => l.startsWith('SecRule REQUEST_HEADERS:x-role'));
    await expect(startCorazaHost({ mode: 'REQUEST_ONLY', directives: ['SecRuleEngine On', ...text] })).rejects.toThrow(
      /invalid or unsupported Perl syntax|error parsing regexp/,
    );
  });

  test("checkPcreRegex with re2: true accepts exactly the corpus patterns Coraza's @rx compiles", () => {
    const patterns = [
      ...ACCEPTED.map((a) => a.pattern),
      'a{1000}',
      'a{1001}',
      '(?:a{2}){500}',
      '(?:a{2}){501}',
      '(?:(?:a{10}){10}){10}',
      '(?:(?:a{10}){10}){11}',
    ];
    const coraza = corazaCompiles(patterns);
    const ours = patterns.map((p) => {
      try {
        checkPcreRegex('f', p, { re2: true });
        return true;
      } catch {
        return false;
      }
    });
    expect(
      patterns
        .map((p, i) => (ours[i] === coraza[i].ok ? '' : `${p}: ours ${ours[i]}, Coraza ${coraza[i].ok}`))
        .filter(Boolean),
    ).toEqual([]);
    expect(coraza.filter((c) => !c.ok).length).toBeGreaterThan(5);
  });

  test('patterns both accept match the same corpus samples in Coraza as in JavaScript', () => {
    const accepted = ACCEPTED.filter((a) => {
      try {
        checkPcreRegex('f', a.pattern, { re2: true, caseInsensitive: a.ignoreCase });
        return true;
      } catch {
        return false;
      }
    });
    const queries = accepted.map((a) => ({
      pattern: a.ignoreCase && !a.pattern.startsWith('(?i)') ? `(?i)${a.pattern}` : a.pattern,
      samples: a.samples,
    }));
    const coraza = corazaMatches(queries);
    const differ: string[] = [];
    accepted.forEach((a, i) => {
      const js = jsRegExp(a.pattern, a.ignoreCase);
      a.samples.forEach((s, j) => {
        if (js.test(s) !== coraza[i].matches[j])
          differ.push(`${a.pattern} on ${JSON.stringify(s)}: JavaScript ${js.test(s)}, Coraza ${coraza[i].matches[j]}`);
      });
    });
    expect(differ).toEqual([]);
  });
});
