/**
 * The Coraza rendering of a WafPolicy (lib/waf/coraza.ts): what it shares with the ingress-nginx policy file, what it
 * replaces, and what it refuses. The real engine runs these directives in test/coraza/.
 */
import { REFERENCE_DEPLOYMENT } from '../../lib/reference/config';
import { AUDIT_RELEVANT_STATUS } from '../../lib/waf/audit';
import { CORAZA_AUDIT_RELEVANT_STATUS, corazaFilterConfig, renderCorazaDirectives } from '../../lib/waf/coraza';
import { checkPcreRegex } from '../../lib/waf/pcre';
import { WafPolicy } from '../../lib/waf/policy';
import { validationErrorOf } from './support';

const HOSTS = ['echo.example.com', 'portal.example.com'];
const reference = (): WafPolicy => new WafPolicy({ ...REFERENCE_DEPLOYMENT.waf, servedHosts: HOSTS });

describe('Coraza directives', () => {
  test('the reference policy for portal.example.com (snapshot)', () => {
    expect(corazaFilterConfig(reference(), 'portal.example.com')).toMatchSnapshot();
  });

  test('carries the same custom rules and CRS variables as the ingress-nginx policy file, line for line', () => {
    const nginx = reference().renderPolicyFile().split('\n');
    const coraza = renderCorazaDirectives(reference(), { routedHost: 'echo.example.com' });
    const custom = nginx.filter((l) => /id:101\d\d|^# \[101\d\d\]|id:1000[0-3],/.test(l));
    expect(custom.length).toBeGreaterThan(5);
    expect(coraza).toEqual(expect.arrayContaining(custom));
  });

  test('sets the routed host from the route, and renders neither the nginx host rules nor the mTLS gate', () => {
    const text = renderCorazaDirectives(reference(), { routedHost: 'portal.example.com' }).join('\n');
    expect(text).toContain(
      `SecAction "id:10014,phase:1,pass,nolog,t:none,setvar:'tx.edge_waf_host=/portal.example.com/'"`,
    );
    for (const id of [10011, 10012, 10013, 10020, 10021, 10090]) expect(text).not.toContain(`id:${id},`);
    expect(text).not.toContain('UNIQUE_ID');
    expect(text).not.toContain('SecPcreMatchLimit');
    expect(text).not.toContain('/etc/nginx');
  });

  test('includes CRS only from coraza-coreruleset, setup first and rules last', () => {
    const lines = renderCorazaDirectives(reference(), { routedHost: 'echo.example.com' });
    const includes = lines.filter((l) => l.startsWith('Include '));
    expect(includes).toEqual(['Include @crs-setup.conf.example', 'Include @owasp_crs/*.conf']);
    expect(lines[lines.length - 1]).toBe('Include @owasp_crs/*.conf');
  });

  test("lists the base config's response types too (Coraza replaces the list, libmodsecurity appends)", () => {
    const lines = renderCorazaDirectives(new WafPolicy({ responseBodyMimeTypes: ['application/json'] }), {
      routedHost: 'a.example.com',
    });
    expect(lines).toContain('SecResponseBodyMimeType text/plain text/html text/xml application/json');
  });

  test("the RE2 audit-status regex selects exactly the statuses of the base config's lookahead regex (100-599)", () => {
    const pcre = new RegExp(AUDIT_RELEVANT_STATUS);
    const re2 = new RegExp(CORAZA_AUDIT_RELEVANT_STATUS);
    const differ = [];
    for (let s = 100; s < 600; s++) if (pcre.test(String(s)) !== re2.test(String(s))) differ.push(s);
    expect(differ).toEqual([]);
    expect(re2.test('404')).toBe(false);
    expect(re2.test('403')).toBe(true);
  });

  test('mode: FULL when response bodies are inspected or CRS phase 3 still runs, REQUEST_ONLY otherwise', () => {
    expect(corazaFilterConfig(new WafPolicy(), 'a.example.com').mode).toBe('FULL');
    expect(corazaFilterConfig(new WafPolicy({ inspectResponseBodies: false }), 'a.example.com').mode).toBe(
      'REQUEST_ONLY',
    );
    expect(
      corazaFilterConfig(new WafPolicy({ inspectResponseBodies: false, detectionParanoiaLevel: 2 }), 'a.example.com')
        .mode,
    ).toBe('FULL');
  });

  test("rejects a user regex Go's regexp cannot compile, naming its field", () => {
    const policy = new WafPolicy({
      denyRequestHeaders: [
        { header: 'user', match: { exact: 'admin' } },
        { header: 'x-role', match: { regex: '^(?!guest$)' } },
      ],
    });
    const err = validationErrorOf(() => renderCorazaDirectives(policy, { routedHost: 'a.example.com' }));
    expect(err.field).toBe('waf.denyRequestHeaders[1].match.regex');
    expect(err.message).toContain('lookahead');
  });

  test("rejects counted repeats above RE2's 1000, nested counts multiplied", () => {
    expect(validationErrorOf(() => checkPcreRegex('f', 'a{1001}', { re2: true })).message).toContain('1001 copies');
    expect(validationErrorOf(() => checkPcreRegex('f', '(?:a{2}){501}', { re2: true })).message).toContain(
      '1002 copies',
    );
    expect(checkPcreRegex('f', '(?:a{2}){500}', { re2: true })).toBe('(?:a{2}){500}');
    expect(checkPcreRegex('f', 'a{1001}')).toBe('a{1001}');
  });

  test('rejects a wildcard or unserved routed host', () => {
    expect(validationErrorOf(() => renderCorazaDirectives(reference(), { routedHost: '*.example.com' })).field).toBe(
      'waf.routedHost',
    );
    expect(
      validationErrorOf(() => renderCorazaDirectives(reference(), { routedHost: 'other.example.com' })).message,
    ).toContain('is not a host this edge serves');
  });

  test('rejects mode Off (no filter to render)', () => {
    expect(
      validationErrorOf(() => renderCorazaDirectives(new WafPolicy({ mode: 'Off' }), { routedHost: 'a.example.com' }))
        .field,
    ).toBe('waf.mode');
  });
});
