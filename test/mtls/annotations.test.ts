import { ValidationError } from '../../lib/core/validation';
import {
  AUTH_TLS_MATCH_CN,
  AUTH_TLS_PASS_CERTIFICATE_TO_UPSTREAM,
  AUTH_TLS_SECRET,
  AUTH_TLS_VERIFY_CLIENT,
  AUTH_TLS_VERIFY_DEPTH,
  FORCE_SSL_REDIRECT,
  INGRESS_ANNOTATIONS,
  MODSECURITY_TRANSACTION_ID,
  renderAnnotation,
  SSL_REDIRECT,
  VerifyClientMode,
} from '../../lib/ingress-nginx/annotations';
import { declare } from '../../lib/ingress-nginx/declaration';

describe('ingress-nginx annotation declarations (controller v1.15.1 validation)', () => {
  test('render under the nginx.ingress.kubernetes.io/ prefix', () => {
    expect(renderAnnotation(AUTH_TLS_SECRET, 'f', { namespace: 'echo', name: 'hospital-client-ca' })).toEqual([
      'nginx.ingress.kubernetes.io/auth-tls-secret',
      'echo/hospital-client-ca',
    ]);
    expect(renderAnnotation(AUTH_TLS_VERIFY_DEPTH, 'f', 3)).toEqual([
      'nginx.ingress.kubernetes.io/auth-tls-verify-depth',
      '3',
    ]);
    expect(renderAnnotation(AUTH_TLS_PASS_CERTIFICATE_TO_UPSTREAM, 'f', true)[1]).toBe('true');
    expect(renderAnnotation(SSL_REDIRECT, 'f', false)[1]).toBe('false');
    expect(renderAnnotation(FORCE_SSL_REDIRECT, 'f', true)[1]).toBe('true');
  });

  test.each(['on', 'off', 'optional', 'optional_no_ca'])('accepts verify mode %s', (mode) => {
    expect(AUTH_TLS_VERIFY_CLIENT.render('f', mode as VerifyClientMode)).toBe(mode);
  });

  test.each(['ON', 'required', 'on ', 'optional_no_ca_x', ''])(
    'rejects verify mode %j (the controller would silently use "on")',
    (mode) => {
      expect(() => AUTH_TLS_VERIFY_CLIENT.render('clientAuth.verifyClient', mode as VerifyClientMode)).toThrow(
        ValidationError,
      );
    },
  );

  test.each([0, 11, -1, 1.5, Number.NaN])('rejects verify depth %p outside 1-10', (depth) => {
    expect(() => AUTH_TLS_VERIFY_DEPTH.render('clientAuth.verifyDepth', depth)).toThrow(
      /clientAuth\.verifyDepth.*between 1 and 10/,
    );
  });

  test.each([
    ['echo', 'a b'],
    ['echo', 'a;b'],
    ['', 'x'],
    ['echo/x', 'y'],
    ['echo', "x'"],
  ])('rejects auth-tls-secret %s/%s (controller BasicChars validator)', (namespace, name) => {
    expect(() => AUTH_TLS_SECRET.render('f', { namespace, name })).toThrow(ValidationError);
  });

  test('accepts a match-cn regex starting with CN=', () => {
    expect(AUTH_TLS_MATCH_CN.render('f', 'CN=(?:a|b)(?:,|$)')).toBe('CN=(?:a|b)(?:,|$)');
  });

  test.each([
    ['hospital-a', /does not start with "CN="/],
    ['cn=hospital-a', /does not start with "CN="/],
    ['CN=(hospital-a', /not a valid regex/],
    ['CN=a[', /not a valid regex/],
    ['CN=(?<=x)a', /look-around/],
    ['CN=(?!x)a', /look-around/],
    ['CN=(a)\\1', /back-references/],
    ['CN=a\nreturn 200;', /line break/],
  ])('rejects match-cn %j', (value, message) => {
    expect(() => AUTH_TLS_MATCH_CN.render('clientAuth.allowedClients', value)).toThrow(message);
  });

  test('rejects non-boolean booleans', () => {
    expect(() => SSL_REDIRECT.render('httpsRedirect', 'true' as unknown as boolean)).toThrow(
      /httpsRedirect.*not a boolean/,
    );
  });

  test('declares nothing above risk level High, and refuses to render a Critical declaration', () => {
    for (const d of INGRESS_ANNOTATIONS.values()) expect(['Low', 'Medium', 'High']).toContain(d.risk);
    expect([...INGRESS_ANNOTATIONS.keys()].some((k) => k.includes('snippet'))).toBe(false);
    const snippet = declare<string>({
      name: 'configuration-snippet',
      doc: 'raw nginx',
      risk: 'Critical',
      render: (_f, v) => v,
    });
    expect(() => renderAnnotation(snippet, 'snippet', 'return 200;')).toThrow(/risk level Critical/);
  });

  test('documents every declaration in one line', () => {
    for (const d of INGRESS_ANNOTATIONS.values()) expect(d.doc).toMatch(/^[^\n]{10,}$/);
  });

  test('renders the ModSecurity transaction id as $request_id', () => {
    expect(renderAnnotation(MODSECURITY_TRANSACTION_ID, 'f', '$request_id')).toEqual([
      'nginx.ingress.kubernetes.io/modsecurity-transaction-id',
      '$request_id',
    ]);
    expect(MODSECURITY_TRANSACTION_ID.render('f', '${request_id}-edge')).toBe('${request_id}-edge');
  });

  test.each(['$request_id;', 'id with space', '"$request_id"', '$request_id\nmodsecurity off'])(
    'rejects transaction id %j (the controller drops the Ingress)',
    (value) => {
      expect(() => MODSECURITY_TRANSACTION_ID.render('ingress.modsecurityTransactionId', value)).toThrow(
        ValidationError,
      );
      expect(() => MODSECURITY_TRANSACTION_ID.render('ingress.modsecurityTransactionId', value)).toThrow(
        /ingress.modsecurityTransactionId: .* Fix: use an nginx variable/,
      );
    },
  );
});
