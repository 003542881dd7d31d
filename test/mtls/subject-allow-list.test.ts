import { execFileSync } from 'node:child_process';
import { AUTH_TLS_MATCH_CN } from '../../lib/ingress-nginx/annotations';
import {
  checkCommonName,
  escapeRegex,
  escapeRfc2253Value,
  subjectAllowListPattern,
} from '../../lib/mtls/subject-allow-list';

/** nginx evaluates `if ($ssl_client_s_dn !~ "<pattern>") { return 403; }`: 403 unless the pattern is found. */
function admitted(pattern: string, dn: string): boolean {
  return new RegExp(pattern).test(dn);
}

describe('subject allow-list → auth-tls-match-cn', () => {
  const pattern = subjectAllowListPattern(['hospital-a', 'hospital-b']);

  test('renders an exact-CN alternation the controller accepts', () => {
    expect(pattern).toBe('CN=(?:hospital-a|hospital-b)(?:,|$)');
    expect(AUTH_TLS_MATCH_CN.render('f', pattern)).toBe(pattern);
  });

  test.each([
    'CN=hospital-a',
    'CN=hospital-b',
    'CN=hospital-a,O=Example Hospital,C=DE',
    'O=Example Hospital,CN=hospital-b',
  ])('admits %j', (dn) => expect(admitted(pattern, dn)).toBe(true));

  test.each([
    'CN=hospital-a-evil',
    'CN=hospital-ab',
    'CN=xhospital-a',
    'CN=Hospital-A',
    'CN=evil,OU=hospital-a',
    'CN=evil,O=hospital-a',
    'CN=hospital-a\\,evil',
    'CN=hospital-a+OU=x',
    'CN=hospital-c',
    '',
  ])('rejects %j (403)', (dn) => expect(admitted(pattern, dn)).toBe(false));

  test('with allowEmptySubject, an empty DN (plain HTTP) passes and nothing else changes', () => {
    const withEmpty = subjectAllowListPattern(['hospital-a'], { allowEmptySubject: true });
    expect(withEmpty).toBe('CN=(?:hospital-a)(?:,|$)|^$');
    expect(admitted(withEmpty, '')).toBe(true);
    expect(admitted(withEmpty, 'CN=hospital-a')).toBe(true);
    expect(admitted(withEmpty, 'CN=hospital-a-evil')).toBe(false);
    expect(admitted(withEmpty, 'CN=mallory')).toBe(false);
  });

  test('escapes regex metacharacters so a name matches only itself', () => {
    const p = subjectAllowListPattern(['api.partner-1 (prod)', 'a*b|c']);
    expect(p).toBe('CN=(?:api\\.partner-1 \\(prod\\)|a\\*b\\|c)(?:,|$)');
    expect(admitted(p, 'CN=api.partner-1 (prod)')).toBe(true);
    expect(admitted(p, 'CN=apiXpartner-1 (prod)')).toBe(false);
    expect(admitted(p, 'CN=a*b|c')).toBe(true);
    expect(admitted(p, 'CN=aab')).toBe(false);
    expect(admitted(p, 'CN=c')).toBe(false);
  });

  test('escapes RFC 2253 specials the way $ssl_client_s_dn prints them', () => {
    expect(escapeRfc2253Value('Acme, Inc')).toBe('Acme\\, Inc');
    expect(escapeRfc2253Value('#1')).toBe('\\#1');
    expect(escapeRfc2253Value('a+b;c<d>"e\\')).toBe('a\\+b\\;c\\<d\\>\\"e\\\\');
    const p = subjectAllowListPattern(['Acme, Inc']);
    expect(admitted(p, 'CN=Acme\\, Inc,O=Acme')).toBe(true);
    expect(admitted(p, 'CN=Acme,O=Inc')).toBe(false);
  });

  test('escapeRegex leaves ordinary characters alone', () => {
    expect(escapeRegex('hospital-a_1')).toBe('hospital-a_1');
  });

  test.each([[''], ['x'.repeat(65)], ['hôpital'], ['a\nb']])('rejects common name %j', (cn) => {
    expect(() => checkCommonName('clients[0].commonName', cn)).toThrow(/clients\[0\]\.commonName/);
  });

  test('rejects an empty allow-list', () => {
    expect(() => subjectAllowListPattern([])).toThrow(/allowedClients/);
  });

  // The same verdicts with PCRE (what nginx uses), through grep -P, when available.
  const hasGrepP = ((): boolean => {
    try {
      execFileSync('grep', ['-P', 'x'], { input: 'x' });
      return true;
    } catch {
      return false;
    }
  })();
  (hasGrepP ? test : test.skip)('PCRE (grep -P) agrees with the JavaScript verdicts', () => {
    const dns = [
      'CN=hospital-a',
      'O=x,CN=hospital-b',
      'CN=hospital-a-evil',
      'CN=evil,OU=hospital-a',
      'CN=hospital-a\\,x',
      '',
    ];
    const withEmpty = subjectAllowListPattern(['hospital-a', 'hospital-b'], { allowEmptySubject: true });
    for (const p of [pattern, withEmpty]) {
      for (const dn of dns) {
        let pcre: boolean;
        try {
          execFileSync('grep', ['-qP', p], { input: `${dn}\n` });
          pcre = true;
        } catch {
          pcre = false;
        }
        expect({ p, dn, pcre }).toEqual({ p, dn, pcre: admitted(p, dn) });
      }
    }
  });
});
