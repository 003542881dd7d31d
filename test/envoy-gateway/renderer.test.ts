/**
 * The Envoy Gateway renderer without external tools: the committed examples/envoy-gateway/dist is current, the pins
 * agree with the tool modules, and what Envoy Gateway cannot express or would misread fails synth naming the field.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Chart, Testing } from 'cdk8s';
import { subjectAllowListCel } from '../../lib/envoy-gateway/cel';
import { renderModuleSource } from '../../lib/envoy-gateway/coraza-module';
import { EnvoyGatewayDataPlane, EnvoyGatewayRoutes } from '../../lib/envoy-gateway/edge';
import { backendCertificateHeaders } from '../../lib/envoy-gateway/mtls';
import { ENVOY_GATEWAY_VERSION } from '../../lib/envoy-gateway/versions';
import type { EdgeIntent } from '../../lib/intent/edge-intent';
import { buildEnvoyGatewayApp, REFERENCE_ENVOY_GATEWAY_DEPLOYMENT } from '../../lib/reference/envoy-gateway/app';
import { ENVOY_GATEWAY_DIST_PATH } from '../../lib/reference/envoy-gateway/config';
import { edgeIntentOf } from '../../lib/reference/intent';
import { MANIFEST, readManifest } from '../../lib/synth/manifest';
import { renderObjects, renderTree } from '../../lib/synth/render';
import { WafPolicy } from '../../lib/waf/policy';
import { readTree, REPO_ROOT } from '../support/dist';

const MODULE = { image: { reference: 'ghcr.io/tetratelabs/built-on-envoy/composer:0.11.0' } } as const;

function intentWith(change: Partial<EdgeIntent> = {}): EdgeIntent {
  return { ...edgeIntentOf(REFERENCE_ENVOY_GATEWAY_DEPLOYMENT), ...change };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function render(intent: EdgeIntent, gatewayNamespace = intent.namespace): Record<string, any>[] {
  const chart = new Chart(Testing.app(), 'test');
  const plane = new EnvoyGatewayDataPlane(chart, 'plane', {
    intent,
    gatewayNamespace,
    gatewayClassName: 'edge',
    corazaModule: MODULE,
  });
  new EnvoyGatewayRoutes(chart, 'routes', { intent, gateway: plane.gateway });
  return Testing.synth(chart);
}

describe('examples/envoy-gateway/dist', () => {
  test('is what buildEnvoyGatewayApp renders (run `npm run synth` and commit when this fails)', () => {
    const committed = readTree(join(REPO_ROOT, ENVOY_GATEWAY_DIST_PATH));
    committed.delete(MANIFEST);
    const fresh = renderTree(renderObjects(buildEnvoyGatewayApp()));
    expect([...committed.keys()].sort()).toEqual([...fresh.keys()].sort());
    for (const [path, content] of fresh) expect([path, committed.get(path)]).toEqual([path, content]);
    expect([...(readManifest(join(REPO_ROOT, ENVOY_GATEWAY_DIST_PATH)) ?? [])].sort()).toEqual(
      [...fresh.keys()].sort(),
    );
  });

  test("its delivery reads examples/envoy-gateway/dist and turns on cert-manager's Gateway API support", () => {
    const tree = readTree(join(REPO_ROOT, ENVOY_GATEWAY_DIST_PATH));
    expect(tree.get('delivery/argocd/argocd_application_hospital-edge-envoy-gateway-apps.yaml')).toMatch(
      /path: examples\/envoy-gateway\/dist\/30-apps/,
    );
    expect(tree.get('delivery/flux/flux-system_helmrelease_cert-manager.yaml')).toMatch(/enableGatewayAPI: true/);
  });
});

describe('pins', () => {
  test('tools/egctl builds the Envoy Gateway version the renderer targets', () => {
    expect(readFileSync(join(REPO_ROOT, 'tools/egctl/go.mod'), 'utf8')).toMatch(
      new RegExp(`require github.com/envoyproxy/gateway ${ENVOY_GATEWAY_VERSION.replace(/\./g, '\\.')}\\n`),
    );
  });

  test('tools/cel-check uses cel-go v0.30.0, the version Envoy Gateway v1.9.0 pins', () => {
    expect(readFileSync(join(REPO_ROOT, 'tools/cel-check/go.mod'), 'utf8')).toMatch(
      /require github.com\/google\/cel-go v0\.30\.0\n/,
    );
    expect(readFileSync(join(REPO_ROOT, 'tools/egctl/go.mod'), 'utf8')).toMatch(
      /\tgithub.com\/google\/cel-go v0\.30\.0 /,
    );
  });
});

describe('Envoy Gateway renderer', () => {
  test("one EnvoyExtensionPolicy per host route, each with the routed host's directives", () => {
    const objs = render(intentWith());
    const eep = objs.filter((o) => o.kind === 'EnvoyExtensionPolicy');
    expect(eep.map((o) => [o.spec.targetRefs[0].name, o.spec.dynamicModule[0].filterName])).toEqual([
      ['echo', 'coraza-waf'],
      ['portal', 'coraza-waf'],
    ]);
    expect(eep[1].spec.dynamicModule[0].config.directives.join('\n')).toMatch(
      /tx\.edge_waf_host=\/portal\.example\.com\//,
    );
  });

  test('with the WAF off no Coraza filter is rendered', () => {
    const objs = render(
      intentWith({ waf: new WafPolicy({ mode: 'Off', servedHosts: ['echo.example.com', 'portal.example.com'] }) }),
    );
    expect(objs.filter((o) => o.kind === 'EnvoyExtensionPolicy')).toEqual([]);
    expect(
      objs.find((o) => o.kind === 'SecurityPolicy')!.spec.authorization.rules.map((r: { name: string }) => r.name),
    ).toEqual(['allowed-client-certificates']);
  });

  test('bare addresses become /32 and /128 CIDRs; blocks stay as given', () => {
    const waf = new WafPolicy({
      servedHosts: ['echo.example.com', 'portal.example.com'],
      denySourceIps: [{ sources: ['34.242.209.15', '2001:db8::1', '203.0.113.0/24'] }],
    });
    const sp = render(intentWith({ waf })).find((o) => o.kind === 'SecurityPolicy')!;
    expect(sp.spec.authorization.rules[0]).toEqual({
      name: 'deny-source-ips',
      action: 'Deny',
      principal: { clientCIDRs: ['34.242.209.15/32', '2001:db8::1/128', '203.0.113.0/24'] },
    });
  });

  test('a Gateway in its own namespace admits routes from the app namespace only, by name', () => {
    const gw = render(intentWith(), 'edge-gateway').find((o) => o.kind === 'Gateway')!;
    expect(gw.spec.listeners[0].allowedRoutes).toEqual({
      namespaces: { from: 'Selector', selector: { matchLabels: { 'kubernetes.io/metadata.name': 'echo' } } },
    });
    const same = render(intentWith()).find((o) => o.kind === 'Gateway')!;
    expect(same.spec.listeners.map((l: { allowedRoutes: unknown }) => l.allowedRoutes)).toEqual([
      { namespaces: { from: 'Same' } },
      { namespaces: { from: 'Same' } },
      { namespaces: { from: 'Same' } },
    ]);
  });

  test("without the HTTPS redirect no route is attached to the plain-HTTP listener (only cert-manager's solver)", () => {
    const routes = render(intentWith({ httpsRedirect: false })).filter((o) => o.kind === 'HTTPRoute');
    expect(routes.map((r) => r.spec.parentRefs[0].sectionName)).toEqual(['https-echo', 'https-portal']);
  });

  test("sha256 fingerprints use Envoy's SHA-256 operator; without passCertificate a client-sent ssl-client-cert is removed", () => {
    const m = backendCertificateHeaders('clientCertificateHeaders', {
      fingerprintHeader: 'X-Client-FP',
      fingerprintAlgorithm: 'sha256',
      passCertificate: false,
    });
    expect(m.set[0]).toEqual({ name: 'x-client-fp', value: '%DOWNSTREAM_PEER_FINGERPRINT_256%' });
    expect(m.remove).toEqual(['ssl-client-cert']);
  });

  test('rejects a fingerprint header that collides with another header of the contract', () => {
    expect(() =>
      backendCertificateHeaders('clientCertificateHeaders', {
        fingerprintHeader: 'ssl-client-cert',
        fingerprintAlgorithm: 'sha1',
        passCertificate: false,
      }),
    ).toThrow(
      /clientCertificateHeaders\.fingerprintHeader: "ssl-client-cert" is not a header name Envoy Gateway can set/,
    );
  });

  test('rejects an empty allow-list and a common name CEL cannot match exactly', () => {
    expect(() => subjectAllowListCel('clientAuth.allowedCommonNames', [])).toThrow(
      /clientAuth\.allowedCommonNames: \[\] is empty/,
    );
    expect(() => subjectAllowListCel('clientAuth.allowedCommonNames', ['hôpital'])).toThrow(
      /clientAuth\.allowedCommonNames\[0\]: "hôpital" contains characters outside printable ASCII/,
    );
  });

  test('a quote in a common name cannot end the CEL string: it becomes \\x27 in the pattern', () => {
    expect(subjectAllowListCel('f', ["o'brien"])).toContain(String.raw`r'^CN=(?:o\x27brien)(?:,|$)'`);
  });

  test.each([
    [
      'an image tagged latest',
      { image: { reference: 'ghcr.io/tetratelabs/built-on-envoy/composer:latest' } },
      /corazaModule\.image\.reference: .* is not a pinned OCI image reference/,
    ],
    [
      'an untagged image',
      { image: { reference: 'ghcr.io/tetratelabs/built-on-envoy/composer' } },
      /is not a pinned OCI image reference/,
    ],
    [
      'a relative library path',
      { local: { path: 'modules/libcomposer.so' } },
      /corazaModule\.local\.path: .* is not an absolute path/,
    ],
    [
      'a remote module over plain http',
      { remote: { url: 'http://example.org/libcomposer.so', sha256: 'a'.repeat(64) } },
      /corazaModule\.remote\.url: .* is not an https URL/,
    ],
    [
      'a remote module without a SHA-256',
      { remote: { url: 'https://example.org/libcomposer.so', sha256: 'ABC' } },
      /corazaModule\.remote\.sha256: "ABC" is not a SHA-256/,
    ],
  ])('rejects %s as the Coraza module source', (_what, source, message) => {
    expect(() => renderModuleSource('envoyGateway.corazaModule', source as never)).toThrow(message);
  });

  test('accepts a digest-pinned image and mounts it read-only where the library path points', () => {
    const digest = `ghcr.io/tetratelabs/built-on-envoy/composer@sha256:${'0'.repeat(64)}`;
    const r = renderModuleSource('m', { image: { reference: digest } });
    expect(r).toEqual({
      source: { type: 'Local', local: { path: '/usr/lib/envoy/modules/composer/libcomposer.so' } },
      volume: { name: 'coraza-composer', image: { reference: digest, pullPolicy: 'IfNotPresent' } },
      volumeMount: { name: 'coraza-composer', mountPath: '/usr/lib/envoy/modules/composer', readOnly: true },
    });
  });

  test('the app builds with the default module source of the reference (release tag: no digest invented)', () => {
    expect(() => buildEnvoyGatewayApp()).not.toThrow();
  });
});

describe('client CA revocation list', () => {
  test('a provided CA with a CRL makes Envoy check it (clientValidation.crl on the same Secret); without one, no crl', () => {
    const ctp = (intent: EdgeIntent, clientCaCrl: boolean) => {
      const chart = new Chart(Testing.app(), 'crl');
      new EnvoyGatewayDataPlane(chart, 'plane', {
        intent,
        gatewayNamespace: intent.namespace,
        gatewayClassName: 'edge',
        corazaModule: MODULE,
        clientCaCrl,
      });
      return Testing.synth(chart).find((o) => o.kind === 'ClientTrafficPolicy')!.spec.tls.clientValidation;
    };
    const ref = { kind: 'Secret', group: '', name: 'hospital-client-ca' };
    expect(ctp(intentWith(), true)).toEqual({ caCertificateRefs: [ref], crl: { refs: [ref] } });
    expect(ctp(intentWith(), false)).toEqual({ caCertificateRefs: [ref] });
  });
});

describe('buildEnvoyGatewayApp', () => {
  test('rejects a config whose dataPlane is ingress-nginx, naming dataPlane', () => {
    expect(() => buildEnvoyGatewayApp({ ...REFERENCE_ENVOY_GATEWAY_DEPLOYMENT, dataPlane: 'ingress-nginx' })).toThrow(
      /^dataPlane: "ingress-nginx" is not what buildEnvoyGatewayApp renders/,
    );
  });
});
