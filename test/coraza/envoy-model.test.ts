/**
 * The model of what Envoy does before the WAF filter (harness/envoy-model.ts): each step on the shapes the
 * adversarial tables send. Runs without the Coraza binary.
 */
import { canonicalPath, RawRequest, throughEnvoy } from './harness/envoy-model';

const GATEWAY = { hosts: ['echo.example.com', 'portal.example.com'] };
const request = (over: Partial<RawRequest>): RawRequest => ({
  scheme: 'https',
  method: 'GET',
  target: '/',
  host: 'portal.example.com',
  sni: 'portal.example.com',
  protocol: 'HTTP/1.1',
  headerLines: [],
  clientIp: '203.0.113.10',
  ...over,
});

describe('Envoy model', () => {
  test.each([
    ['/api/x', '/api/x'],
    ['/%61pi/x', '/api/x'],
    ['/%2561pi/x', '/%2561pi/x'],
    ['/api/../admin', '/admin'],
    ['/api/%2e%2e/admin', '/admin'],
    ['/./admin', '/admin'],
    ['/api%0a/../admin', '/admin'],
    ['/admin/../api/x', '/api/x'],
    ['/api\\..\\admin', '/admin'],
    ['/%u0061pi/x', '/%u0061pi/x'],
    ['/api/.', '/api/'],
    ['/..', '/'],
  ])('normalize_path: %s → %s', (path, expected) => {
    expect(canonicalPath(path)).toBe(expected);
  });

  test('rejects an escaped NUL in the path (Chromium marks it invalid, Envoy answers 400)', () => {
    expect(canonicalPath('/api%00/x')).toBeUndefined();
    expect(throughEnvoy(request({ target: '/api%00/../admin' }), GATEWAY)).toMatchObject({
      kind: 'envoy',
      status: 400,
    });
  });

  test('merges slashes and redirects escaped slashes before the filter', () => {
    expect(throughEnvoy(request({ target: '//admin' }), GATEWAY)).toMatchObject({
      kind: 'filter',
      backendPath: '/admin',
    });
    expect(throughEnvoy(request({ target: '/api%2f..%2fadmin' }), GATEWAY)).toMatchObject({
      kind: 'envoy',
      status: 'redirect',
      location: '/api/../admin',
    });
  });

  test('routes on :authority: port ignored, case folded, trailing dot kept (no route), absolute form wins over Host', () => {
    expect(throughEnvoy(request({ host: 'PORTAL.example.com:443' }), GATEWAY)).toMatchObject({
      kind: 'filter',
      host: 'portal.example.com',
    });
    expect(throughEnvoy(request({ host: 'portal.example.com.' }), GATEWAY)).toMatchObject({
      kind: 'envoy',
      status: 404,
    });
    expect(
      throughEnvoy(request({ target: 'https://portal.example.com/admin', host: 'echo.example.com' }), GATEWAY),
    ).toMatchObject({
      kind: 'filter',
      host: 'portal.example.com',
      request: { path: '/admin', authority: 'portal.example.com' },
    });
    expect(throughEnvoy(request({ host: 'portal.example.com', sni: 'echo.example.com' }), GATEWAY)).toMatchObject({
      kind: 'envoy',
      status: 404,
    });
  });

  test('rejects underscores in header names, NUL and bare CR; trims OWS; refuses HTTP/1.0; resets without a known SNI', () => {
    expect(throughEnvoy(request({ headerLines: ['us_er: admin'] }), GATEWAY)).toMatchObject({
      kind: 'envoy',
      status: 400,
    });
    expect(throughEnvoy(request({ headerLines: ['user: admin\u0000'] }), GATEWAY)).toMatchObject({
      kind: 'envoy',
      status: 400,
    });
    expect(throughEnvoy(request({ headerLines: ['user: admin\rx'] }), GATEWAY)).toMatchObject({
      kind: 'envoy',
      status: 400,
    });
    const ok = throughEnvoy(request({ headerLines: ['User: \t admin \t'] }), GATEWAY);
    expect(ok.kind === 'filter' && ok.request.headers.find(([n]) => n === 'user')).toEqual(['user', 'admin']);
    expect(throughEnvoy(request({ protocol: 'HTTP/1.0' }), GATEWAY)).toMatchObject({ kind: 'envoy', status: 426 });
    expect(throughEnvoy(request({ sni: null }), GATEWAY)).toMatchObject({ kind: 'envoy', status: 'reset' });
    expect(throughEnvoy(request({ scheme: 'http' }), GATEWAY)).toMatchObject({
      kind: 'envoy',
      status: 301,
      location: 'https://portal.example.com/',
    });
  });
});
