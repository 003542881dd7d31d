import type { AdversarialTable, EngineState, Outcome } from './types';

/**
 * Plain HTTP to an mTLS host: redirected to HTTPS while redirects are on (the WAF's 307 in every controller state;
 * the controller's own 308 would come only with its certificate configured), refused with redirects off — never
 * proxied. The WAF answers before the Lua redirect (see lib/waf/transaction-facts.ts), so 307 in both redirect states.
 */
const plainHttp =
  (path: string) =>
  (state: EngineState): Outcome =>
    state === 'https-redirect-off'
      ? { kind: 'refused', status: 403, by: 'waf' }
      : { kind: 'redirect', status: [307, 308], location: `https://{api}${path}` };

/** Requests that must never reach the backend of the mTLS API without a verified, allowed client certificate. */
export const MTLS_TABLE: AdversarialTable = {
  mechanism: 'mtls',
  title:
    'no request without a verified, allow-listed client certificate reaches an mTLS backend, on any port, in any state',
  states: ['certificate-configured', 'certificate-not-configured', 'https-redirect-off'],
  rows: [
    {
      id: 'https-valid-client',
      title: 'HTTPS, SNI = Host = api, valid client certificate (control)',
      request: { target: '/api/patients' },
      expect: { kind: 'backend', route: 'api' },
    },
    {
      id: 'https-no-certificate',
      title: 'HTTPS without a client certificate',
      request: { target: '/', identity: { kind: 'none' } },
      expect: { kind: 'refused', status: 400, by: 'nginx' },
    },
    {
      id: 'https-wrong-subject',
      title: 'HTTPS, client CA certificate outside the allow-list',
      request: { target: '/', identity: { kind: 'wrong-subject', commonName: 'mallory' } },
      expect: { kind: 'refused', status: 403, by: 'nginx' },
    },
    {
      id: 'http-plain',
      title: 'plain HTTP, no certificate',
      request: { scheme: 'http', target: '/api/patients' },
      expect: plainHttp('/api/patients'),
    },
    {
      id: 'http-post-body',
      title: 'plain HTTP POST with a JSON body',
      request: {
        scheme: 'http',
        method: 'POST',
        target: '/api/patients',
        headers: ['Content-Type: application/json'],
        body: '{"name":"x"}',
      },
      expect: plainHttp('/api/patients'),
    },
    {
      id: 'http-spoofed-verify-headers',
      title: 'plain HTTP with ssl-client-verify: SUCCESS and a subject header',
      request: {
        scheme: 'http',
        target: '/',
        headers: ['ssl-client-verify: SUCCESS', 'ssl-client-subject-dn: CN=hospital-a'],
      },
      expect: plainHttp('/'),
    },
    {
      id: 'http-host-trailing-dot',
      title: 'plain HTTP, Host: api. (trailing dot)',
      request: { scheme: 'http', target: '/x', host: '{api}.' },
      expect: plainHttp('/x'),
    },
    {
      id: 'http-host-upper-case-port',
      title: 'plain HTTP, Host: API:80 (upper case, port)',
      request: { scheme: 'http', target: '/x', host: '{API}:80' },
      expect: plainHttp('/x'),
    },
    {
      id: 'http-absolute-form',
      title: 'plain HTTP, absolute-form request line naming api, Host of an unknown name',
      request: { scheme: 'http', target: 'http://{api}/x', host: 'unknown.example.net' },
      expect: plainHttp('/x'),
    },
    {
      id: 'http-no-host-http10',
      title: 'plain HTTP/1.0 without Host (default server answers)',
      request: { scheme: 'http', target: '/x', host: null, protocol: 'HTTP/1.0' },
      expect: { kind: 'refused', status: 404 },
    },
    {
      id: 'http-acme-foreign-token',
      title: 'plain HTTP under /.well-known/acme-challenge/ with a token the solver does not serve',
      request: { scheme: 'http', target: '/.well-known/acme-challenge/not-the-token' },
      expect: plainHttp('/.well-known/acme-challenge/not-the-token'),
    },
    {
      id: 'http-acme-solver',
      title: "plain HTTP to cert-manager's HTTP-01 solver path (issuance keeps working)",
      request: { scheme: 'http', target: '/.well-known/acme-challenge/{acme-token}' },
      expect: { kind: 'backend', route: 'acme-solver' },
    },
    {
      id: 'http-acme-solver-prefix-escape',
      title: 'plain HTTP, solver path + "/../../api/patients"',
      request: { scheme: 'http', target: '/.well-known/acme-challenge/{acme-token}/../../../api/patients' },
      expect: plainHttp('/.well-known/acme-challenge/{acme-token}/../../../api/patients'),
    },
    {
      id: 'https-no-sni',
      title: 'HTTPS without SNI (default server, no certificate requested), Host: api',
      request: { target: '/', sni: null, identity: { kind: 'none' } },
      expect: { kind: 'refused', status: [400, 421] },
    },
    {
      id: 'https-no-sni-with-certificate',
      title: 'HTTPS without SNI, client offers a valid certificate, Host: api',
      request: { target: '/', sni: null },
      expect: { kind: 'refused', status: [400, 421] },
    },
    {
      id: 'https-unknown-sni',
      title: 'HTTPS, SNI of an unknown name, Host: api, no certificate',
      request: { target: '/', sni: 'unknown.example.net', identity: { kind: 'none' } },
      expect: { kind: 'refused', status: [400, 421] },
    },
    {
      id: 'https-sni-portal-host-api',
      title: 'HTTPS, SNI = portal with a valid certificate, Host: api',
      request: { target: '/', sni: '{portal}' },
      expect: { kind: 'refused', status: [400, 421] },
    },
    {
      id: 'https-unknown-sni-absolute-form',
      title: 'HTTPS, SNI unknown, no certificate, absolute-form request line naming api',
      request: {
        target: 'https://{api}/',
        host: 'unknown.example.net',
        sni: 'unknown.example.net',
        identity: { kind: 'none' },
      },
      expect: { kind: 'refused', status: [400, 421] },
    },
  ],
};
