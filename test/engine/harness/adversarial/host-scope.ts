import type { AdversarialTable } from './types';

/** A payload only CRS 930120 and 932160 catch in ARGS:note, the two rules the reference exclusion removes there. */
export const EXCLUDED_PAYLOAD = 'note=%3Bcat%20/etc/passwd';

/**
 * Allow-list rows run with and without CRS blocking (see the `custom-rules-only` state); exclusion rows need CRS to
 * block the payload, so they run only with it.
 *
 * Host-scoped rules (the portal's path allow-list and its CRS exclusion) apply to every request nginx routes to the
 * portal, whatever the authority looks like, and to no request nginx routes elsewhere. `/admin` is outside the
 * portal's allow-list; the payload is excluded only on the portal's `/upload`.
 */
export const HOST_SCOPE_TABLE: AdversarialTable = {
  mechanism: 'host-scope',
  title: 'host-scoped rules follow the host nginx routes on, not the raw Host header',
  states: ['certificate-configured', 'custom-rules-only'],
  rows: [
    {
      id: 'portal-allowed-path',
      title: 'portal, allowed path (control)',
      request: { target: '/api/x', host: '{portal}' },
      expect: { kind: 'backend', route: 'portal' },
    },
    {
      id: 'portal-denied-path',
      title: 'portal, path outside the allow-list (control)',
      request: { target: '/admin', host: '{portal}' },
      expect: { kind: 'refused', status: 403, by: 'waf' },
    },
    {
      id: 'portal-trailing-dot',
      title: 'Host: portal. (trailing dot)',
      request: { target: '/admin', host: '{portal}.' },
      expect: { kind: 'refused', status: 403, by: 'waf' },
    },
    {
      id: 'portal-empty-port',
      title: 'Host: portal: (empty port)',
      request: { target: '/admin', host: '{portal}:' },
      expect: { kind: 'refused', status: 403, by: 'waf' },
    },
    {
      id: 'portal-port',
      title: 'Host: portal:443',
      request: { target: '/admin', host: '{portal}:443' },
      expect: { kind: 'refused', status: 403, by: 'waf' },
    },
    {
      id: 'portal-trailing-dot-port',
      title: 'Host: portal.:443',
      request: { target: '/admin', host: '{portal}.:443' },
      expect: { kind: 'refused', status: 403, by: 'waf' },
    },
    {
      id: 'portal-upper-case',
      title: 'Host: PORTAL (upper case)',
      request: { target: '/admin', host: '{PORTAL}' },
      expect: { kind: 'refused', status: 403, by: 'waf' },
    },
    {
      id: 'portal-host-spaces',
      title: 'Host header padded with spaces',
      request: { target: '/admin', host: '  {portal}  ' },
      expect: { kind: 'refused', status: 403, by: 'waf' },
    },
    {
      id: 'portal-host-tab',
      title: 'Host header with a leading TAB',
      request: { target: '/admin', host: '\t{portal}', sni: '{portal}' },
      expect: { kind: 'refused', status: [400, 403] },
    },
    {
      id: 'portal-absolute-form-host-api',
      title: 'absolute-form request line naming portal, Host: api',
      request: { target: 'https://{portal}/admin', host: '{api}', sni: '{portal}' },
      expect: { kind: 'refused', status: 403, by: 'waf' },
    },
    {
      id: 'portal-absolute-form-trailing-dot',
      title: 'absolute-form https://portal./admin, Host: api',
      request: { target: 'https://{portal}./admin', host: '{api}', sni: '{portal}' },
      expect: { kind: 'refused', status: 403, by: 'waf' },
    },
    {
      id: 'portal-no-host-http10',
      title: 'HTTP/1.0 without Host, SNI portal (nginx answers from the default server)',
      request: { target: '/admin', host: null, sni: '{portal}', protocol: 'HTTP/1.0' },
      expect: { kind: 'refused', status: [403, 404] },
      coraza: {
        expect: { kind: 'refused', status: 426, by: 'envoy' },
        reason:
          'Envoy refuses HTTP/1.0 (426) unless ClientTrafficPolicy http1.http10 is set (EG v1.9.0 internal/xds/translator/listener.go http1ProtocolOptions, lines 61-86)',
      },
    },
    {
      id: 'portal-duplicate-host',
      title: 'two Host headers (portal, api)',
      request: { target: '/admin', host: '{portal}', headers: ['Host: {api}'], sni: '{portal}' },
      expect: { kind: 'refused', status: [400, 403] },
      coraza: {
        expect: 'not-modelled',
        reason: "whether Envoy's HTTP/1 codec joins two Host lines into one :authority or refuses them is not modelled",
      },
    },
    {
      id: 'exclusion-portal-upload',
      title: 'excluded payload on portal /upload (control: the exclusion works)',
      request: { target: `/upload?${EXCLUDED_PAYLOAD}`, host: '{portal}' },
      expect: { kind: 'backend', route: 'portal' },
      states: ['certificate-configured'],
      requiresCrs4:
        'the reference exclusion removes CRS 4 rules 930120/932160; CRS 3 blocks the payload with other rules',
    },
    {
      id: 'exclusion-portal-upload-trailing-dot',
      title: 'excluded payload on portal /upload, Host: portal.',
      request: { target: `/upload?${EXCLUDED_PAYLOAD}`, host: '{portal}.', sni: '{portal}' },
      expect: { kind: 'backend', route: 'portal' },
      states: ['certificate-configured'],
      requiresCrs4:
        'the reference exclusion removes CRS 4 rules 930120/932160; CRS 3 blocks the payload with other rules',
    },
    {
      id: 'exclusion-not-on-api',
      title: 'same payload on api /upload',
      request: { target: `/upload?${EXCLUDED_PAYLOAD}` },
      expect: { kind: 'refused', status: 403, by: 'waf' },
      states: ['certificate-configured'],
    },
    {
      id: 'exclusion-api-absolute-form-host-portal',
      title: "absolute-form request line naming api, Host: portal (borrow the portal's exclusion)",
      request: { target: `https://{api}/upload?${EXCLUDED_PAYLOAD}`, host: '{portal}', sni: '{api}' },
      expect: { kind: 'refused', status: 403, by: 'waf' },
      states: ['certificate-configured'],
    },
    {
      id: 'exclusion-api-http10-host-portal-sni-api',
      title: 'SNI api, Host: portal (nginx refuses the mismatch)',
      request: { target: `/upload?${EXCLUDED_PAYLOAD}`, host: '{portal}', sni: '{api}' },
      expect: { kind: 'refused', status: [403, 421] },
      states: ['certificate-configured'],
      coraza: {
        expect: { kind: 'refused', status: 404, by: 'envoy' },
        reason:
          'each HTTPS listener has its own filter chain (by SNI) and route configuration: the api listener has no route for the portal host, Envoy answers 404 before the WAF (EG v1.9.0 translator.go lines 407-430, 585-600)',
      },
    },
  ],
};
