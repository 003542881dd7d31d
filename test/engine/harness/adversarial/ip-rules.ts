import type { AdversarialTable } from './types';

/** The scenario's denied source (original write-up) and an address no rule denies (TEST-NET-3). */
const DENIED = '34.242.209.15';
const ALLOWED = '203.0.113.10';

/**
 * Source-address rules decide on the address nginx sees (with `externalTrafficPolicy: Local`, the client's own), not
 * on headers a client writes.
 */
export const IP_RULES_TABLE: AdversarialTable = {
  mechanism: 'ip-rules',
  title: 'source-address rules use the connection address, on every host and port',
  states: ['certificate-configured'],
  rows: [
    {
      id: 'denied-source',
      title: `source ${DENIED}`,
      request: { target: '/', clientIp: DENIED },
      expect: { kind: 'refused', status: 403, by: 'waf' },
    },
    {
      id: 'denied-source-portal',
      title: `source ${DENIED} on the second host`,
      request: { target: '/api/x', host: '{portal}', clientIp: DENIED },
      expect: { kind: 'refused', status: 403, by: 'waf' },
    },
    {
      id: 'denied-source-forwarded-for',
      title: `source ${DENIED} claiming X-Forwarded-For / X-Real-IP ${ALLOWED}`,
      request: {
        target: '/',
        clientIp: DENIED,
        headers: [`X-Forwarded-For: ${ALLOWED}`, `X-Real-IP: ${ALLOWED}`, `Forwarded: for=${ALLOWED}`],
      },
      expect: { kind: 'refused', status: 403, by: 'waf' },
    },
    {
      id: 'allowed-source-forwarded-for-denied',
      title: `source ${ALLOWED} claiming X-Forwarded-For ${DENIED}`,
      request: { target: '/', clientIp: ALLOWED, headers: [`X-Forwarded-For: ${DENIED}`] },
      expect: { kind: 'backend', route: 'api' },
    },
    // On Envoy Gateway plain HTTP reaches only the redirect HTTPRoute (308, lib/envoy-gateway/http-routes.ts), which
    // has no WAF filter: the source is refused on the HTTPS request that follows.
    {
      id: 'denied-source-plain-http',
      title: `source ${DENIED} on plain HTTP`,
      request: { scheme: 'http', target: '/', clientIp: DENIED },
      expect: { kind: 'redirect', status: [307, 308], location: 'https://{api}/' },
    },
  ],
};
