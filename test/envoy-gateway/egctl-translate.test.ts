/**
 * Proof 2: Envoy Gateway v1.9.0's own translator (`egctl experimental translate --from gateway-api --to xds`, built
 * from github.com/envoyproxy/gateway/cmd/egctl@v1.9.0 by tools/egctl) turns examples/envoy-gateway/dist into Envoy
 * configuration without errors, and the Envoy configuration does what the intent says. Envoy itself cannot run
 * here (no Envoy build from the Go module proxy): what Envoy does with this configuration is Envoy's documented
 * behaviour, not observed.
 *
 * Input: the controller and apps layers of examples/envoy-gateway/dist as committed, plus what the cluster adds at
 * run time (support/translate.ts `clusterAdditions`: test-generated server and CA Secrets, Service ClusterIPs and the
 * HTTPRoute cert-manager's HTTP-01 solver creates for a pending challenge).
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { REFERENCE_ENVOY_GATEWAY_DEPLOYMENT } from '../../lib/reference/envoy-gateway/app';
import { edgeIntentOf } from '../../lib/reference/intent';
import { corazaFilterConfig } from '../../lib/waf/coraza';
import { REPO_ROOT } from '../support/dist';
import { TestPki } from '../../scripts/envoy-gateway/pki';
import { toolPath, skipLoudly } from '../../scripts/envoy-gateway/tools';
import {
  clusterAdditions,
  findAll,
  layerObjects,
  Obj,
  translate,
  translateToIr,
  Translation,
  withClusterIps,
} from '../../scripts/envoy-gateway/translate';

const egctl = toolPath('egctl');
if (!egctl) skipLoudly('egctl');
const run = egctl ? describe : describe.skip;

const DIST = join(REPO_ROOT, 'examples', 'envoy-gateway', 'dist');
const ACME = { host: 'echo.example.com', token: 'Jk3_token-for-test' };
const intent = edgeIntentOf(REFERENCE_ENVOY_GATEWAY_DEPLOYMENT);

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let pki: TestPki;
let input: Obj[];
let result: Translation;
let out: Json;

/** Objects of the dist an Envoy Gateway controller reads (cert-manager and trust-manager objects are not its). */
function gatewayInput(extra: (objects: Obj[]) => Obj[] = () => []): Obj[] {
  const objects = layerObjects(DIST, ['10-controller', '20-certificates', '30-apps']);
  const forGateway = objects.filter(
    (o) => !o.apiVersion.startsWith('cert-manager.io/') && !o.apiVersion.startsWith('trust.cert-manager.io/'),
  );
  return withClusterIps([...forGateway, ...clusterAdditions(objects, pki, ACME), ...extra(objects)]);
}

function xdsConfigs(o: Json): Json[] {
  return (o.xds as Json)[`${intent.namespace}/${intent.name}`].configs as Json[];
}
function listeners(o: Json): Json[] {
  return (xdsConfigs(o).find((c) => c.dynamicListeners)!.dynamicListeners as Json[]).map((l) => l.activeState.listener);
}
function routeConfigs(o: Json): Json[] {
  return (xdsConfigs(o).find((c) => c.dynamicRouteConfigs)!.dynamicRouteConfigs as Json[]).map((r) => r.routeConfig);
}
function conditions(obj: Json): string[] {
  return findAll(obj.status, (n) => typeof n.type === 'string' && typeof n.status === 'string' && 'reason' in n).map(
    (c) => `${String(c.type)}=${String(c.status)}(${String(c.reason)})`,
  );
}
function httpsChain(o: Json, host: string): Json {
  const l = listeners(o).find((x) =>
    (x.filterChains as Json[] | undefined)?.some((fc) => fc.filterChainMatch?.serverNames?.includes(host)),
  );
  return (l!.filterChains as Json[]).find((fc) => fc.filterChainMatch.serverNames.includes(host))!;
}
function hcm(chain: Json): Json {
  return chain.filters.find((f: Json) => f.name === 'envoy.filters.network.http_connection_manager').typedConfig;
}
function backendRoute(o: Json, host: string): Json {
  const rc = routeConfigs(o).find(
    (r) => r.name === `${intent.namespace}/${intent.name}/https-${intent.hosts.find((h) => h.host === host)!.name}`,
  )!;
  return rc.virtualHosts[0].routes[0];
}

beforeAll(() => {
  if (!egctl) return;
  pki = new TestPki();
  input = gatewayInput();
  result = translate(egctl, input);
  out = result.output as Json;
}, 120000);

afterAll(() => pki?.dispose());

run('egctl experimental translate (Envoy Gateway v1.9.0) on examples/envoy-gateway/dist', () => {
  test('the translator is Envoy Gateway v1.9.0 (build info of the egctl binary: `go version -m`)', () => {
    const r = spawnSync('go', ['version', '-m', egctl!], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/\tmod\tgithub\.com\/envoyproxy\/gateway\tv1\.9\.0\t/);
    expect(r.stdout).toMatch(/\tdep\tgithub\.com\/google\/cel-go\tv0\.30\.0\t/);
  });

  test('translates without errors, and accepts every route and policy', () => {
    expect([result.status, result.stderr]).toEqual([0, '']);
    const statuses = ['httpRoutes', 'clientTrafficPolicies', 'securityPolicies', 'envoyExtensionPolicies'].flatMap(
      (k) =>
        (out[k] as Json[]).map((o) => [
          `${o.kind ?? k}/${o.metadata.name}`,
          conditions(o).filter((c) => !c.includes('=True')),
        ]),
    );
    expect(statuses.filter(([, bad]) => (bad as string[]).length > 0)).toEqual([]);
    expect((out.httpRoutes as Json[]).map((r) => r.metadata.name).sort()).toEqual([
      'cm-acme-http-solver-test',
      'echo',
      'echo-https-redirect',
      'portal',
      'portal-https-redirect',
    ]);
    expect((out.envoyExtensionPolicies as Json[]).map((p) => p.metadata.name).sort()).toEqual([
      'echo-waf',
      'portal-waf',
    ]);
  });

  test('every listener of the Gateway is programmed, each HTTPS listener with one route attached', () => {
    const gw = (out.gateways as Json[])[0];
    expect(
      (gw.status.listeners as Json[]).map((l) => [
        l.name,
        l.attachedRoutes,
        conditions({ status: l }).every((c) => c.includes('=True')),
      ]),
    ).toEqual([
      ['http', 3, true],
      ['https-echo', 1, true],
      ['https-portal', 1, true],
    ]);
  });

  test.each(intent.hosts.map((h) => h.host))(
    '%s: the TLS filter chain requires a client certificate verified against the test CA',
    (host) => {
      const tls = httpsChain(out, host).transportSocket.typedConfig;
      expect(tls.requireClientCertificate).toBe(true);
      expect(tls.commonTlsContext.validationContextSdsSecretConfig.name).toBe(
        `${intent.namespace}/${intent.name}-client-tls/ca.crt`,
      );
      // The SDS secret's content is not printed by egctl; the IR carries it.
      const ir = translateIr();
      const listener = (ir.xdsIR[`${intent.namespace}/${intent.name}`].http as Json[]).find((l) =>
        (l.hostnames as string[]).includes(host),
      )!;
      expect(listener.tls.requireClientCertificate).toBe(true);
      expect(Buffer.from(listener.tls.caCertificate.certificate, 'base64').toString()).toBe(pki.ca.certPem);
    },
  );

  test('every listener strips a trailing dot from the Host and normalizes the path before routing (as nginx routes)', () => {
    const hcms = listeners(out)
      .filter((l) => l.name.startsWith(`${intent.namespace}/${intent.name}/`))
      .flatMap((l) => [...(l.filterChains ?? []), ...(l.defaultFilterChain ? [l.defaultFilterChain] : [])])
      .map(hcm);
    expect(hcms.length).toBe(3);
    for (const h of hcms)
      expect([h.stripTrailingHostDot, h.normalizePath, h.mergeSlashes, h.pathWithEscapedSlashesAction]).toEqual([
        true,
        true,
        true,
        'UNESCAPE_AND_REDIRECT',
      ]);
  });

  test('client certificates are only asked for on HTTPS: the plain-HTTP listener has no TLS', () => {
    const http = listeners(out).find((l) => l.name === `${intent.namespace}/${intent.name}/http`)!;
    expect(findAll(http, (n) => n.name === 'envoy.transport_sockets.tls')).toEqual([]);
  });

  test.each(intent.hosts.map((h) => h.host))(
    '%s: x-forwarded-client-cert is sanitized and set by Envoy; the client address is the peer, not X-Forwarded-For',
    (host) => {
      const h = hcm(httpsChain(out, host));
      expect([h.forwardClientCertDetails, h.setCurrentClientCertDetails]).toEqual(['SANITIZE_SET', { subject: true }]);
      expect([h.useRemoteAddress, h.xffNumTrustedHops]).toEqual([true, undefined]);
    },
  );

  test.each(intent.hosts.map((h) => h.host))(
    '%s: the backend gets the fingerprint contract from Envoy, overwriting client copies',
    (host) => {
      const headers = (backendRoute(out, host).requestHeadersToAdd as Json[]).map((h) => [
        h.header.key,
        h.header.value,
        h.appendAction,
      ]);
      expect(headers).toEqual([
        ['ssl-client-fingerprint', '%DOWNSTREAM_PEER_FINGERPRINT_1%', 'OVERWRITE_IF_EXISTS_OR_ADD'],
        ['ssl-client-verify', 'SUCCESS', 'OVERWRITE_IF_EXISTS_OR_ADD'],
        ['ssl-client-subject-dn', '%DOWNSTREAM_PEER_SUBJECT%', 'OVERWRITE_IF_EXISTS_OR_ADD'],
        ['ssl-client-issuer-dn', '%DOWNSTREAM_PEER_ISSUER%', 'OVERWRITE_IF_EXISTS_OR_ADD'],
        ['ssl-client-cert', '%DOWNSTREAM_PEER_CERT%', 'OVERWRITE_IF_EXISTS_OR_ADD'],
      ]);
    },
  );

  test.each(intent.hosts.map((h) => h.host))(
    '%s: RBAC denies 34.242.209.15 first, then allows only the CEL allow-list, default deny',
    (host) => {
      const rbac = backendRoute(out, host).typedPerFilterConfig['envoy.filters.http.rbac'].rbac.matcher;
      const [deny, allow] = rbac.matcherList.matchers as Json[];
      expect(deny.onMatch.action.typedConfig.action).toBe('DENY');
      expect(deny.predicate.singlePredicate.input.typedConfig['@type']).toBe(
        'type.googleapis.com/envoy.extensions.matching.common_inputs.network.v3.SourceIPInput',
      );
      expect(deny.predicate.singlePredicate.customMatch.typedConfig.cidrRanges).toEqual([
        { addressPrefix: '34.242.209.15', prefixLen: 32 },
      ]);
      expect(allow.onMatch.action.typedConfig.name).toBe('ALLOW');
      const cel = allow.predicate.singlePredicate.customMatch.typedConfig.exprMatch.celExprParsed.expr;
      const constants = findAll(cel, (n) => n.constExpr !== undefined).map((n) => (n as Json).constExpr.stringValue);
      expect(constants).toEqual(['^CN=(?:hospital-a|hospital-b)(?:,|$)', String.raw`[^\\](?:\\\\)*[,+]CN=`]);
      expect(
        findAll(cel, (n) => n.selectExpr !== undefined).map(
          (n) => `${(n as Json).selectExpr.operand.identExpr.name}.${(n as Json).selectExpr.field}`,
        ),
      ).toEqual(['connection.subject_peer_certificate', 'connection.subject_peer_certificate']);
      expect(rbac.onNoMatch.action.typedConfig.action).toBe('DENY');
    },
  );

  test.each(intent.hosts.map((h) => h.host))(
    '%s: the route enables its own coraza-waf filter, which carries exactly the directives of the WAF policy for that host',
    (host) => {
      const name = intent.hosts.find((h) => h.host === host)!.name;
      const filterName = `envoy.filters.http.dynamic_modules/envoyextensionpolicy/${intent.namespace}/${name}-waf/dynamic-module/0`;
      expect(Object.keys(backendRoute(out, host).typedPerFilterConfig)).toContain(filterName);
      const filter = (hcm(httpsChain(out, host)).httpFilters as Json[]).find((f) => f.name === filterName)!;
      expect(filter.disabled).toBe(true); // off by default, on per route
      const cfg = filter.typedConfig;
      expect([cfg.dynamicModuleConfig.module.local.filename, cfg.filterName]).toEqual([
        '/usr/lib/envoy/modules/composer/libcomposer.so',
        'coraza-waf',
      ]);
      expect(JSON.parse(cfg.filterConfig.value)).toEqual(
        JSON.parse(JSON.stringify(corazaFilterConfig(intent.waf, host))),
      );
      // The filter runs before RBAC and the router in this chain.
      expect((hcm(httpsChain(out, host)).httpFilters as Json[]).map((f) => f.name).slice(-2)).toEqual([
        'envoy.filters.http.rbac',
        'envoy.filters.http.router',
      ]);
    },
  );

  test.each(intent.hosts.map((h) => h.host))(
    "%s: a request on this host's TLS connection naming another host finds no route (SNI/Host mismatch)",
    (host) => {
      const name = intent.hosts.find((h) => h.host === host)!.name;
      const rc = routeConfigs(out).find((r) => r.name === `${intent.namespace}/${intent.name}/https-${name}`)!;
      expect((rc.virtualHosts as Json[]).flatMap((v) => v.domains)).toEqual([host]);
      expect(rc.ignorePortInHostMatching).toBe(true);
    },
  );

  test('plain HTTP: every host redirects to https with 308 (as ingress-nginx), the ACME challenge path reaches the solver first', () => {
    const rc = routeConfigs(out).find((r) => r.name === `${intent.namespace}/${intent.name}/http`)!;
    const byHost = Object.fromEntries(
      (rc.virtualHosts as Json[]).map((v) => [
        v.domains.join(','),
        (v.routes as Json[]).map((r) => [r.match.path ?? `prefix:${r.match.prefix}`, r.redirect ?? r.route?.cluster]),
      ]),
    );
    expect(byHost).toEqual({
      'echo.example.com': [
        [`/.well-known/acme-challenge/${ACME.token}`, `httproute/${intent.namespace}/cm-acme-http-solver-test/rule/0`],
        ['prefix:/', { schemeRedirect: 'https', responseCode: 'PERMANENT_REDIRECT' }],
      ],
      'portal.example.com': [['prefix:/', { schemeRedirect: 'https', responseCode: 'PERMANENT_REDIRECT' }]],
    });
  });

  test('a client CA with a revocation list: the translated listener checks client certificates against that CRL', () => {
    const crl = pki.crl();
    const withCrl = gatewayInput().map((o) => {
      if (o.kind === 'Secret' && o.metadata.name === intent.clientAuth.caSecretName)
        return { ...o, data: { ...(o.data as object), 'ca.crl': Buffer.from(crl).toString('base64') } };
      if (o.kind === 'ClientTrafficPolicy' && o.metadata.name === `${intent.name}-client-tls`) {
        const spec = o.spec as Json;
        return {
          ...o,
          spec: {
            ...spec,
            tls: {
              clientValidation: {
                ...spec.tls.clientValidation,
                crl: { refs: spec.tls.clientValidation.caCertificateRefs },
              },
            },
          },
        };
      }
      return o;
    });
    const r = translate(egctl!, withCrl);
    expect([r.status, r.stderr]).toEqual([0, '']);
    const ctp = (r.output!.clientTrafficPolicies as Json[]).find(
      (p) => p.metadata.name === `${intent.name}-client-tls`,
    )!;
    expect(conditions(ctp).every((c) => c.includes('=True'))).toBe(true);
    const ir = translateToIr(egctl!, withCrl) as Json;
    const listener = (ir.xdsIR[`${intent.namespace}/${intent.name}`].http as Json[]).find((l) =>
      (l.hostnames as string[]).includes('echo.example.com'),
    )!;
    expect(JSON.stringify(listener.tls)).toContain(Buffer.from(crl).toString('base64'));
  });

  test('rejects a SecurityPolicy whose CEL does not parse (the translator checks what we send)', () => {
    const broken = gatewayInput().map((o) =>
      o.kind === 'SecurityPolicy'
        ? {
            ...o,
            spec: {
              ...(o.spec as Json),
              authorization: {
                defaultAction: 'Deny',
                rules: [{ name: 'x', action: 'Allow', cel: "connection.subject_peer_certificate.matches('^CN=(a" }],
              },
            },
          }
        : o,
    );
    const r = translate(egctl!, broken);
    const sp = (r.output!.securityPolicies as Json[])[0];
    expect(conditions(sp).join(' ')).toMatch(/Accepted=False/);
  });

  test('rejects a Gateway whose client CA Secret is missing (no listener is programmed with client validation)', () => {
    const withoutCa = gatewayInput().filter(
      (o) => !(o.kind === 'Secret' && o.metadata.name === intent.clientAuth.caSecretName),
    );
    const r = translate(egctl!, withoutCa);
    const ctp = (r.output!.clientTrafficPolicies as Json[]).find(
      (p) => p.metadata.name === `${intent.name}-client-tls`,
    )!;
    expect(conditions(ctp).join(' ')).toMatch(/Accepted=False/);
  });
});

let irCache: Json | undefined;
function translateIr(): Json {
  irCache ??= translateToIr(egctl!, input) as Json;
  return irCache;
}
