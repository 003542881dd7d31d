/**
 * The mTLS and source-IP scenarios of the seed scenario on the Envoy Gateway data plane, as far as they can be
 * decided here: from Envoy Gateway v1.9.0's translation of examples/envoy-gateway/dist (egctl), evaluated the way
 * Envoy applies that configuration — the listener's `require_client_certificate` and trusted CA (TLS handshake),
 * then the route's RBAC matcher (first match wins; source-IP ranges compared with ipaddr.js; the CEL predicate
 * evaluated with cel-go v0.30.0 by tools/cel-check), then the route's header operators. Envoy does not run here:
 * "observed" is the outcome of the translated configuration under those documented semantics, not a response of
 * Envoy. For the equivalence table of `npm run verify` (rows of data plane "envoy-gateway (translation)").
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ipaddr from 'ipaddr.js';
import { TestPki, TestClientCertificate } from './pki';
import { clusterAdditions, layerObjects, Obj, translate, translateToIr, withClusterIps } from './translate';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** One scenario row. */
export interface MtlsScenarioResult {
  /** What the client does. */
  readonly scenario: string;
  /** What the seed scenario requires. */
  readonly expected: string;
  /** What the translated configuration does with it. */
  readonly observed: string;
  /** Which part of the Envoy configuration decides it. */
  readonly mechanism: string;
}

/** Inputs of {@link envoyGatewayMtlsScenarios}. */
export interface MtlsScenarioOptions {
  /** Path of egctl (tools/egctl). */
  readonly egctl: string;
  /** Path of cel-check (tools/cel-check). */
  readonly celCheck: string;
  /** The rendered Envoy Gateway dist (examples/envoy-gateway/dist). */
  readonly distRoot: string;
  /** The host the scenarios are sent to. */
  readonly host: string;
}

interface Client {
  readonly label: string;
  readonly cert?: TestClientCertificate;
  readonly foreignCa?: boolean;
  readonly sourceIp: string;
  readonly expected: string;
}

/** Runs the scenarios (see the module comment). */
export function envoyGatewayMtlsScenarios(options: MtlsScenarioOptions): MtlsScenarioResult[] {
  const pki = new TestPki();
  const foreign = new TestPki('other-ca');
  try {
    const objects = layerObjects(options.distRoot, ['10-controller', '20-certificates', '30-apps']);
    const input = withClusterIps([
      ...objects.filter(
        (o) => !o.apiVersion.startsWith('cert-manager.io/') && !o.apiVersion.startsWith('trust.cert-manager.io/'),
      ),
      ...clusterAdditions(objects, pki, { host: options.host, token: 'scenario-token' }),
    ]);
    const t = translate(options.egctl, input);
    if (t.status !== 0 || !t.output) throw new Error(`egctl translate failed: ${t.stderr}`);
    const ir = translateToIr(options.egctl, input) as Json;
    const gateway = objects.find((o) => o.kind === 'Gateway')!;
    const key = `${gateway.metadata.namespace}/${gateway.metadata.name}`;
    const irListener = (ir.xdsIR[key].http as Json[]).find((l) => (l.hostnames as string[]).includes(options.host))!;
    const trustedCa = Buffer.from(irListener.tls.caCertificate.certificate, 'base64').toString();
    const configs = (t.output.xds as Json)[key].configs as Json[];
    const chain = (configs.find((c) => c.dynamicListeners)!.dynamicListeners as Json[])
      .flatMap((l) => (l.activeState.listener.filterChains ?? []) as Json[])
      .find((fc) => fc.filterChainMatch?.serverNames?.includes(options.host))!;
    const requireCert = chain.transportSocket.typedConfig.requireClientCertificate === true;
    const route = (configs.find((c) => c.dynamicRouteConfigs)!.dynamicRouteConfigs as Json[])
      .map((r) => r.routeConfig)
      .find(
        (rc) => (rc.virtualHosts as Json[]).some((v) => v.domains.includes(options.host)) && rc.name !== `${key}/http`,
      )!.virtualHosts[0].routes[0];
    const rbac = route.typedPerFilterConfig['envoy.filters.http.rbac'].rbac.matcher;
    const celText = celOf(objects);
    const headers = (route.requestHeadersToAdd as Json[]).map((h) => h.header as { key: string; value: string });

    const clients: Client[] = [
      { label: 'no client certificate', sourceIp: '203.0.113.7', expected: 'rejected (nginx: 400)' },
      {
        label: 'certificate of another CA (CN=hospital-a)',
        cert: foreign.client('foreign', '/CN=hospital-a'),
        foreignCa: true,
        sourceIp: '203.0.113.7',
        expected: 'rejected (nginx: 400)',
      },
      {
        label: 'valid certificate CN=hospital-a',
        cert: pki.client('hospital-a', '/CN=hospital-a'),
        sourceIp: '203.0.113.7',
        expected: '200 with the certificate fingerprint',
      },
      {
        label: 'valid certificate CN=hospital-b',
        cert: pki.client('hospital-b', '/CN=hospital-b'),
        sourceIp: '203.0.113.7',
        expected: '200 with the certificate fingerprint',
      },
      {
        label: 'CA-issued certificate outside the allow-list (CN=hospital-c)',
        cert: pki.client('hospital-c', '/CN=hospital-c'),
        sourceIp: '203.0.113.7',
        expected: '403',
      },
      {
        label: 'look-alike CN=hospital-a-evil',
        cert: pki.client('evil', '/CN=hospital-a-evil'),
        sourceIp: '203.0.113.7',
        expected: '403',
      },
      {
        label: 'valid certificate CN=hospital-a',
        cert: pki.client('hospital-a-ip', '/CN=hospital-a'),
        sourceIp: '34.242.209.15',
        expected: '403',
      },
    ];
    const plain = plainHttpRows(configs, key, options.host);
    return [
      ...clients.map((c) => {
        const scenario = `${c.label}, from ${c.sourceIp}`;
        if (!c.cert) {
          return {
            scenario,
            expected: c.expected,
            observed: requireCert ? 'TLS handshake refused: no certificate' : 'handshake completes',
            mechanism: 'listener filter chain: require_client_certificate',
          };
        }
        if (!verifies(c.cert.certPem, trustedCa)) {
          return {
            scenario,
            expected: c.expected,
            observed: 'TLS handshake refused: certificate not signed by the trusted CA',
            mechanism: 'listener validation context (trusted CA of the ClientTrafficPolicy)',
          };
        }
        const decision = evaluateRbac(rbac, {
          sourceIp: c.sourceIp,
          subject: c.cert.rfc2253,
          celText,
          celCheck: options.celCheck,
        });
        if (decision.action === 'DENY')
          return { scenario, expected: c.expected, observed: '403', mechanism: `route RBAC: ${decision.rule}` };
        const fingerprint = sha1Fingerprint(c.cert.certPem);
        const fp = headers.find((h) => h.value === '%DOWNSTREAM_PEER_FINGERPRINT_1%');
        return {
          scenario,
          expected: c.expected,
          observed: `200, ${fp?.key}: ${fingerprint}`,
          mechanism: `route RBAC: ${decision.rule}; header ${fp?.key} from %DOWNSTREAM_PEER_FINGERPRINT_1%`,
        };
      }),
      ...plain,
    ];
  } finally {
    pki.dispose();
    foreign.dispose();
  }
}

/** Envoy's RedirectAction response codes (route.proto `RedirectResponseCode`; unset is 301). */
const REDIRECT_CODES: Readonly<Record<string, number>> = {
  MOVED_PERMANENTLY: 301,
  FOUND: 302,
  SEE_OTHER: 303,
  TEMPORARY_REDIRECT: 307,
  PERMANENT_REDIRECT: 308,
};

/**
 * Plain HTTP on the host: the first route of the host's virtual host on the `http` listener whose match fits the path
 * (Envoy tries a virtual host's routes in order; Envoy Gateway orders Exact before PathPrefix).
 */
function plainHttpRows(configs: Json[], key: string, host: string): MtlsScenarioResult[] {
  const rc = (configs.find((c) => c.dynamicRouteConfigs)!.dynamicRouteConfigs as Json[])
    .map((r) => r.routeConfig)
    .find((r) => r.name === `${key}/http`)!;
  const vhost = (rc.virtualHosts as Json[]).find((v) => v.domains.includes(host))!;
  const pick = (path: string): Json | undefined =>
    (vhost.routes as Json[]).find((r) =>
      r.match.path !== undefined ? r.match.path === path : path.startsWith(r.match.prefix),
    );
  const describe = (r: Json | undefined): string => {
    if (!r) return '404 (no route)';
    if (r.redirect)
      return `${REDIRECT_CODES[r.redirect.responseCode ?? 'MOVED_PERMANENTLY']} redirect to ${r.redirect.schemeRedirect}://`;
    return `routed to ${r.route.cluster}`;
  };
  const acme = (vhost.routes as Json[]).find(
    (r) => typeof r.match.path === 'string' && r.match.path.startsWith('/.well-known/acme-challenge/'),
  );
  const rows: MtlsScenarioResult[] = [
    {
      scenario: `plain HTTP GET /api on ${host}`,
      expected: '308 to https',
      observed: describe(pick('/api')),
      mechanism: 'http listener: HTTPRoute RequestRedirect',
    },
  ];
  if (acme)
    rows.push({
      scenario: `plain HTTP GET ${acme.match.path} (pending ACME challenge)`,
      expected: 'reaches the cert-manager solver',
      observed: describe(pick(acme.match.path)),
      mechanism: "http listener: cert-manager's Exact-match HTTPRoute before the redirect",
    });
  return rows;
}

/** The CEL text of the SecurityPolicy's Allow rule (the translated matcher holds its parsed form). */
function celOf(objects: readonly Obj[]): string {
  const sp = objects.find((o) => o.kind === 'SecurityPolicy')!;
  return (sp.spec as { authorization: { rules: { cel?: string }[] } }).authorization.rules.find((r) => r.cel)!.cel!;
}

/** Evaluates an RBAC `matcher` (xDS unified matcher: first matching entry wins, else on_no_match). */
function evaluateRbac(
  matcher: Json,
  request: { sourceIp: string; subject: string; celText: string; celCheck: string },
): { action: string; rule: string } {
  for (const m of matcher.matcherList.matchers as Json[]) {
    const p = m.predicate.singlePredicate;
    let matched: boolean;
    if (p.input.typedConfig['@type'].endsWith('SourceIPInput')) {
      const ip = ipaddr.parse(request.sourceIp);
      matched = (p.customMatch.typedConfig.cidrRanges as { addressPrefix: string; prefixLen: number }[]).some((r) => {
        const net = ipaddr.parse(r.addressPrefix);
        return net.kind() === ip.kind() && ip.match(net, r.prefixLen);
      });
    } else if (p.customMatch.name === 'cel_matcher') {
      matched = celMatches(request.celCheck, request.celText, request.subject);
    } else {
      throw new Error(`unknown RBAC predicate ${JSON.stringify(p).slice(0, 200)}`);
    }
    if (matched)
      return { action: m.onMatch.action.typedConfig.action ?? 'ALLOW', rule: `${m.onMatch.action.name} matched` };
  }
  return { action: matcher.onNoMatch.action.typedConfig.action ?? 'ALLOW', rule: 'no rule matched: default action' };
}

function celMatches(celCheck: string, expression: string, subject: string): boolean {
  const r = spawnSync(celCheck, [], { input: JSON.stringify({ expression, subjects: [subject] }), encoding: 'utf8' });
  const out = JSON.parse(r.stdout) as { parsed: boolean; results?: { match: boolean }[] };
  return out.parsed && out.results![0].match;
}

function verifies(certPem: string, caPem: string): boolean {
  const dir = mkdtempSync(join(tmpdir(), 'eg-verify-'));
  try {
    writeFileSync(join(dir, 'ca.pem'), caPem);
    writeFileSync(join(dir, 'c.pem'), certPem);
    return (
      spawnSync('openssl', ['verify', '-CAfile', join(dir, 'ca.pem'), join(dir, 'c.pem')], { encoding: 'utf8' })
        .status === 0
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** SHA-1 over the certificate DER, lower-case hex without colons (Envoy's `%DOWNSTREAM_PEER_FINGERPRINT_1%`). */
function sha1Fingerprint(certPem: string): string {
  const out = execFileSync('openssl', ['x509', '-noout', '-fingerprint', '-sha1'], {
    input: certPem,
    encoding: 'utf8',
  });
  return out.trim().replace(/^.*=/, '').replace(/:/g, '').toLowerCase();
}
