import { EXCLUDED_PAYLOAD } from './host-scope';
import type { AdversarialTable } from './types';

/** The portal's allow-list in the reference deployment (lib/reference/config.ts `waf.allowPaths`). */
export const PORTAL_ALLOWED_PATHS = ['/api', '/upload'] as const;

/**
 * Rows run with CRS blocking (`certificate-configured`) and without (`custom-rules-only`: CRS 921190 scores an encoded
 * line break in the path by itself and would hide a path scope that lets it through). Exclusion rows need CRS to
 * block the payload, so they run only with it.
 *
 * Path-scoped rules (the portal's allow-list `/api`, `/upload`, and its exclusion on `/upload`) see the path nginx
 * routes on: encoded line breaks, dot segments, doubled slashes, `%uXXXX` and case cannot move a request into a scope
 * (gaining an allow or an exclusion) or out of one. A request that reaches the portal must have been routed on a path
 * inside the allow-list (checked on every row from nginx's `$uri`, reported by the harness).
 */
export const PATH_SCOPE_TABLE: AdversarialTable = {
  mechanism: 'path-scope',
  title:
    'path scopes match the decoded, normalized path as a whole (no multiline anchors, no decoding nginx does not do)',
  states: ['certificate-configured', 'custom-rules-only'],
  invariant: ({ route, uri }) =>
    route !== 'portal' || PORTAL_ALLOWED_PATHS.some((p) => uri === p || uri.startsWith(`${p}/`))
      ? undefined
      : `the portal backend got a request nginx routed on ${JSON.stringify(uri)}, outside its allow-list ${PORTAL_ALLOWED_PATHS.join(', ')}`,
  rows: [
    {
      id: 'allowed-prefix',
      title: '/api/x (control)',
      request: { target: '/api/x', host: '{portal}' },
      expect: { kind: 'backend', route: 'portal' },
    },
    {
      id: 'allowed-exact',
      title: '/api (control)',
      request: { target: '/api', host: '{portal}' },
      expect: { kind: 'backend', route: 'portal' },
    },
    {
      id: 'not-a-prefix',
      title: '/apix (prefix semantics)',
      request: { target: '/apix', host: '{portal}' },
      expect: { kind: 'refused', status: 403, by: 'waf' },
    },
    {
      id: 'encoded-lf',
      title: '/admin%0a/api (encoded line feed)',
      request: { target: '/admin%0a/api', host: '{portal}' },
      expect: { kind: 'refused', status: 403, by: 'waf' },
    },
    {
      id: 'encoded-crlf',
      title: '/admin%0d%0a/api',
      request: { target: '/admin%0d%0a/api', host: '{portal}' },
      expect: { kind: 'refused', status: 403, by: 'waf' },
    },
    {
      id: 'encoded-lf-after',
      title: '/api%0a (line feed after an allowed path)',
      request: { target: '/api%0a', host: '{portal}' },
      expect: { kind: 'refused', status: 403, by: 'waf' },
    },
    {
      id: 'encoded-lf-dot-dot',
      title: '/api%0a/../admin',
      request: { target: '/api%0a/../admin', host: '{portal}' },
      expect: { kind: 'refused', status: 403, by: 'waf' },
    },
    {
      id: 'dot-dot',
      title: '/api/../admin',
      request: { target: '/api/../admin', host: '{portal}' },
      expect: { kind: 'refused', status: 403, by: 'waf' },
    },
    {
      id: 'encoded-dot-dot',
      title: '/api/%2e%2e/admin',
      request: { target: '/api/%2e%2e/admin', host: '{portal}' },
      expect: { kind: 'refused', status: 403, by: 'waf' },
    },
    {
      id: 'encoded-slash-dot-dot',
      title: '/api%2f..%2fadmin',
      request: { target: '/api%2f..%2fadmin', host: '{portal}' },
      expect: { kind: 'refused', status: [400, 403] },
      coraza: {
        expect: { kind: 'redirect', status: [301, 302, 303, 307, 308], location: '/api/../admin' },
        reason:
          "EG's default escapedSlashesAction UnescapeAndRedirect (internal/gatewayapi/listener.go line 356): Envoy redirects to the unescaped path before the filters; the follow-up is the dot-dot row",
      },
    },
    {
      id: 'dot-dot-into-scope',
      title: '/admin/../api/x (resolves into the allow-list; CRS 930110 blocks the traversal itself)',
      request: { target: '/admin/../api/x', host: '{portal}' },
      expect: (state) =>
        state === 'custom-rules-only'
          ? { kind: 'backend', route: 'portal' }
          : { kind: 'refused', status: 403, by: 'waf' },
      coraza: {
        expect: { kind: 'backend', route: 'portal' },
        reason:
          'Envoy resolves dot segments before the filters (normalize_path, EG v1.9.0 listener.go line 397): the WAF and the backend see /api/x, inside the allow-list, and CRS 930110 never sees the ".."',
      },
    },
    {
      id: 'double-slash',
      title: '//admin',
      request: { target: '//admin', host: '{portal}' },
      expect: { kind: 'refused', status: 403, by: 'waf' },
    },
    {
      id: 'dot-segment',
      title: '/./admin',
      request: { target: '/./admin', host: '{portal}' },
      expect: { kind: 'refused', status: 403, by: 'waf' },
    },
    {
      id: 'encoded-letter',
      title: '/%61pi/x (nginx decodes it to /api/x)',
      request: { target: '/%61pi/x', host: '{portal}' },
      expect: { kind: 'backend', route: 'portal' },
    },
    {
      id: 'double-encoded-letter',
      title: '/%2561pi/x (double-encoded: decoded once it is /%61pi/x, not /api/x)',
      request: { target: '/%2561pi/x', host: '{portal}' },
      expect: { kind: 'refused', status: 403, by: 'waf' },
    },
    {
      id: 'iis-unicode',
      title: '/%u0061pi/x (IIS %u encoding; nginx does not decode it)',
      request: { target: '/%u0061pi/x', host: '{portal}' },
      expect: { kind: 'refused', status: [400, 403] },
    },
    {
      id: 'upper-case',
      title: '/API/x (nginx matches case-sensitively)',
      request: { target: '/API/x', host: '{portal}' },
      expect: { kind: 'refused', status: 403, by: 'waf' },
    },
    {
      id: 'semicolon-dot-dot',
      title: '/api;/../admin',
      request: { target: '/api;/../admin', host: '{portal}' },
      expect: { kind: 'refused', status: 403, by: 'waf' },
    },
    {
      id: 'encoded-nul',
      title: '/api%00/../admin',
      request: { target: '/api%00/../admin', host: '{portal}' },
      expect: { kind: 'refused', status: [400, 403] },
    },
    {
      id: 'exclusion-control',
      title: 'excluded payload on /upload (control)',
      request: { target: `/upload?${EXCLUDED_PAYLOAD}`, host: '{portal}' },
      expect: { kind: 'backend', route: 'portal' },
      states: ['certificate-configured'],
      requiresCrs4:
        'the reference exclusion removes CRS 4 rules 930120/932160; CRS 3 blocks the payload with other rules',
    },
    {
      id: 'exclusion-encoded-lf',
      title: 'excluded payload on /login%0a/upload',
      request: { target: `/login%0a/upload?${EXCLUDED_PAYLOAD}`, host: '{portal}' },
      expect: { kind: 'refused', status: 403, by: 'waf' },
      states: ['certificate-configured'],
    },
    {
      id: 'exclusion-on-api-path',
      title: 'excluded payload on /api/x (not /upload)',
      request: { target: `/api/x?${EXCLUDED_PAYLOAD}`, host: '{portal}' },
      expect: { kind: 'refused', status: 403, by: 'waf' },
      states: ['certificate-configured'],
    },
    {
      id: 'exclusion-double-encoded',
      title: 'excluded payload on /%2575pload (double-encoded /upload)',
      request: { target: `/%2575pload?${EXCLUDED_PAYLOAD}`, host: '{portal}' },
      expect: { kind: 'refused', status: 403, by: 'waf' },
      states: ['certificate-configured'],
    },
    {
      id: 'exclusion-iis-unicode',
      title: 'excluded payload on /%u0075pload',
      request: { target: `/%u0075pload?${EXCLUDED_PAYLOAD}`, host: '{portal}' },
      expect: { kind: 'refused', status: [400, 403] },
      states: ['certificate-configured'],
    },
    {
      id: 'exclusion-upload-dot-dot',
      title: 'excluded payload on /upload/../api/x',
      request: { target: `/upload/../api/x?${EXCLUDED_PAYLOAD}`, host: '{portal}' },
      expect: { kind: 'refused', status: 403, by: 'waf' },
      states: ['certificate-configured'],
    },
  ],
};
