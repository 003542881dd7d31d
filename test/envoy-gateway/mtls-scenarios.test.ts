/**
 * The seed scenario's mTLS and source-IP rows on Envoy Gateway, decided from Envoy Gateway's own translation of
 * examples/envoy-gateway/dist (scripts/envoy-gateway/mtls-scenarios.ts; Envoy does not run here).
 */
import { join } from 'node:path';
import { envoyGatewayMtlsScenarios, MtlsScenarioResult } from '../../scripts/envoy-gateway/mtls-scenarios';
import { skipLoudly, toolPath } from '../../scripts/envoy-gateway/tools';
import { REPO_ROOT } from '../support/dist';

const egctl = toolPath('egctl');
const celCheck = toolPath('cel-check');
if (!egctl) skipLoudly('egctl');
if (!celCheck) skipLoudly('cel-check');
const run = egctl && celCheck ? describe : describe.skip;

let rows: MtlsScenarioResult[];
beforeAll(() => {
  if (egctl && celCheck)
    rows = envoyGatewayMtlsScenarios({
      egctl,
      celCheck,
      distRoot: join(REPO_ROOT, 'examples/envoy-gateway/dist'),
      host: 'echo.example.com',
    });
}, 180000);

run('seed scenario on Envoy Gateway (translation + evaluation of the translated configuration)', () => {
  test('no certificate and a foreign CA fail the handshake; valid clients get 200 with their fingerprint; CN outside the list and the denied IP get 403; plain HTTP is redirected, the ACME path is not', () => {
    expect(rows.map((r) => [r.scenario, r.observed.replace(/[0-9a-f]{40}$/, '<sha1>')])).toEqual([
      ['no client certificate, from 203.0.113.7', 'TLS handshake refused: no certificate'],
      [
        'certificate of another CA (CN=hospital-a), from 203.0.113.7',
        'TLS handshake refused: certificate not signed by the trusted CA',
      ],
      ['valid certificate CN=hospital-a, from 203.0.113.7', '200, ssl-client-fingerprint: <sha1>'],
      ['valid certificate CN=hospital-b, from 203.0.113.7', '200, ssl-client-fingerprint: <sha1>'],
      ['CA-issued certificate outside the allow-list (CN=hospital-c), from 203.0.113.7', '403'],
      ['look-alike CN=hospital-a-evil, from 203.0.113.7', '403'],
      ['valid certificate CN=hospital-a, from 34.242.209.15', '403'],
      ['plain HTTP GET /api on echo.example.com', '308 redirect to https://'],
      [
        'plain HTTP GET /.well-known/acme-challenge/scenario-token (pending ACME challenge)',
        'routed to httproute/echo/cm-acme-http-solver-test/rule/0',
      ],
    ]);
  });

  test('each decision names the part of the configuration that makes it', () => {
    expect(rows.map((r) => r.mechanism)).toEqual([
      'listener filter chain: require_client_certificate',
      'listener validation context (trusted CA of the ClientTrafficPolicy)',
      'route RBAC: allowed-client-certificates matched; header ssl-client-fingerprint from %DOWNSTREAM_PEER_FINGERPRINT_1%',
      'route RBAC: allowed-client-certificates matched; header ssl-client-fingerprint from %DOWNSTREAM_PEER_FINGERPRINT_1%',
      'route RBAC: no rule matched: default action',
      'route RBAC: no rule matched: default action',
      'route RBAC: deny-source-ips matched',
      'http listener: HTTPRoute RequestRedirect',
      "http listener: cert-manager's Exact-match HTTPRoute before the redirect",
    ]);
  });

  test('the fingerprints are 40 lower-case hex digits (sha1, no colons), different per certificate', () => {
    const fps = rows.filter((r) => r.observed.startsWith('200')).map((r) => r.observed.split(': ')[1]);
    expect(fps.every((f) => /^[0-9a-f]{40}$/.test(f))).toBe(true);
    expect(new Set(fps).size).toBe(fps.length);
  });
});
