/**
 * Proof 4: the SecurityPolicy's CEL allow-list, evaluated with cel-go v0.30.0 (the version Envoy Gateway v1.9.0
 * pins; tools/cel-check parses it the way the translator does) against the subjects of real certificates generated
 * here with openssl and printed the way Envoy prints `connection.subject_peer_certificate`: RFC 2253
 * (`openssl x509 -nameopt RFC2253`, the flag set Envoy passes to BoringSSL's X509_NAME_print_ex; see
 * lib/envoy-gateway/cel.ts). Envoy evaluates the same parsed expression with cel-cpp; both use RE2 for `matches`.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { subjectAllowListCel } from '../../lib/envoy-gateway/cel';
import { REPO_ROOT } from '../support/dist';
import { TestPki } from '../../scripts/envoy-gateway/pki';
import { skipLoudly, toolPath } from '../../scripts/envoy-gateway/tools';

const celCheck = toolPath('cel-check');
if (!celCheck) skipLoudly('cel-check');
const run = celCheck ? describe : describe.skip;

/** Certificates an attacker or a careless CA could present, and whether the allow-list of the reference admits them. */
const CASES: readonly {
  readonly id: string;
  readonly subj: string;
  readonly admitted: boolean;
  readonly why: string;
}[] = [
  { id: 'hospital-a', subj: '/CN=hospital-a', admitted: true, why: 'allowed client' },
  { id: 'hospital-b', subj: '/CN=hospital-b', admitted: true, why: 'allowed client' },
  {
    id: 'hospital-a-with-o',
    subj: '/O=Hospital Edge/CN=hospital-a',
    admitted: true,
    why: 'allowed client with an organisation (printed CN first)',
  },
  {
    id: 'look-alike',
    subj: '/CN=hospital-a-evil',
    admitted: false,
    why: 'look-alike name (prefix of an allowed name)',
  },
  { id: 'suffix', subj: '/CN=xhospital-a', admitted: false, why: 'look-alike name (allowed name as a suffix)' },
  { id: 'ou-cn', subj: '/OU=CN=hospital-a', admitted: false, why: 'allowed name inside another attribute' },
  {
    id: 'o-then-ou-cn',
    subj: '/CN=evil/OU=CN=hospital-a',
    admitted: false,
    why: 'allowed name inside another attribute, real CN elsewhere',
  },
  {
    id: 'two-cns-allowed-first',
    subj: '/CN=evil/CN=hospital-a',
    admitted: false,
    why: 'two CNs, the allowed one printed first',
  },
  {
    id: 'two-cns-allowed-last',
    subj: '/CN=hospital-a/CN=evil',
    admitted: false,
    why: 'two CNs, the allowed one printed last',
  },
  {
    id: 'two-allowed-cns',
    subj: '/CN=hospital-b/CN=hospital-a',
    admitted: false,
    why: 'two CNs, both allowed (ambiguous identity)',
  },
  { id: 'no-cn', subj: '/O=hospital-a', admitted: false, why: 'no CN' },
  { id: 'multi-valued', subj: '/CN=hospital-a+OU=x', admitted: false, why: 'multi-valued RDN around the CN' },
  {
    id: 'escaped-comma',
    subj: '/CN=hospital-a\\,O=x',
    admitted: false,
    why: 'CN with an escaped comma continuing the allowed name',
  },
  { id: 'case', subj: '/CN=Hospital-A', admitted: false, why: 'other case (matching is exact)' },
];

let pki: TestPki;
beforeAll(() => {
  if (celCheck) pki = new TestPki();
});
afterAll(() => pki?.dispose());

function evaluate(
  expression: string,
  subjects: readonly string[],
): { parsed: boolean; error?: string; results?: { subject: string; match: boolean; error?: string }[] } {
  const r = spawnSync(celCheck!, [], { input: JSON.stringify({ expression, subjects }), encoding: 'utf8' });
  return JSON.parse(r.stdout);
}

/** The CEL expression of the committed SecurityPolicy (what ships). */
function shippedExpression(): string {
  const file = join(
    REPO_ROOT,
    'examples/envoy-gateway/dist/30-apps/echo_securitypolicy_hospital-edge-client-authorization.yaml',
  );
  const sp = parse(readFileSync(file, 'utf8')) as {
    spec: { authorization: { rules: { name: string; cel?: string }[] } };
  };
  return sp.spec.authorization.rules.find((r) => r.name === 'allowed-client-certificates')!.cel!;
}

run('the CN allow-list as CEL, on real certificates (cel-go v0.30.0)', () => {
  test('the shipped expression is the one rendered for the reference allow-list', () => {
    expect(shippedExpression()).toBe(
      subjectAllowListCel('clientAuth.allowedCommonNames', ['hospital-a', 'hospital-b']),
    );
  });

  test.each(CASES)('$id ($subj): admitted=$admitted — $why', ({ id, subj, admitted }) => {
    const cert = pki.client(id, subj);
    const out = evaluate(shippedExpression(), [cert.rfc2253]);
    expect(out.parsed).toBe(true);
    expect([cert.rfc2253, out.results![0]]).toEqual([cert.rfc2253, { subject: cert.rfc2253, match: admitted }]);
  });

  test('the subjects are printed as RFC 2253 expects: most specific RDN first, multi-valued RDNs with +, specials escaped', () => {
    expect(pki.client('order', '/O=Hospital Edge/CN=hospital-a').rfc2253).toBe('CN=hospital-a,O=Hospital Edge');
    expect(pki.client('two', '/CN=evil/CN=hospital-a').rfc2253).toBe('CN=hospital-a,CN=evil');
    expect(pki.client('multi', '/CN=hospital-a+OU=x').rfc2253).toBe('CN=hospital-a+OU=x');
    expect(pki.client('comma', '/CN=hospital-a\\,O=x').rfc2253).toBe('CN=hospital-a\\,O=x');
  });

  test('names with RFC 2253 and regex specials, and a quote, match only themselves', () => {
    const names = ['a.b', 'c,d', "o'brien", 'x+y'];
    const expression = subjectAllowListCel('allowedCommonNames', names);
    const own = names.map((n, i) => pki.client(`special-${i}`, `/CN=${n.replace(/([,+])/g, '\\$1')}`).rfc2253);
    const others = [
      pki.client('axb', '/CN=axb').rfc2253,
      pki.client('c', '/CN=c').rfc2253,
      pki.client('obrien', '/CN=obrien').rfc2253,
    ];
    const out = evaluate(expression, [...own, ...others]);
    expect(out.parsed).toBe(true);
    expect(out.results!.map((r) => [r.subject, r.match])).toEqual([
      ...own.map((s) => [s, true]),
      ...others.map((s) => [s, false]),
    ]);
  });

  test('rejects an expression that does not parse (the tool fails closed, as Envoy Gateway would refuse it)', () => {
    const out = evaluate("connection.subject_peer_certificate.matches('^CN=(a", ['CN=a']);
    expect(out.parsed).toBe(false);
    expect(out.error).toMatch(/Syntax error|mismatched input|token recognition/);
  });

  test('an absent subject (no client certificate) is no match, never an error that could be read as a pass', () => {
    const out = evaluate(shippedExpression(), ['']);
    expect(out.results![0]).toEqual({ subject: '', match: false });
  });
});
