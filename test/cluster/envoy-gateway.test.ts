/**
 * Proof 1: the real kube-apiserver of the cluster tests (tools/kube-apiserver, kine storage, loopback), with the
 * Gateway API v1.6.1 and Envoy Gateway v1.9.0 CRDs installed (their OpenAPI schemas and CEL rules enforced by the
 * server), accepts every object of examples/envoy-gateway/dist and its delivery folders, applied as Argo CD and Flux
 * apply them (server-side apply, strict field validation, a warning counts as a rejection).
 */
import { join } from 'node:path';
import { ControlPlane, startControlPlane } from '../../scripts/cluster/control-plane';
import { installEnvoyGatewayCrds } from '../../scripts/cluster/envoy-gateway-crds';
import { REPO_ROOT } from '../../scripts/cluster/paths';
import {
  applyObject,
  distLayers,
  formatReport,
  INSTALLER_NAMESPACES,
  installCrds,
  KubeObject,
  LayerResult,
  renderKustomization,
  totals,
} from '../../scripts/cluster/verify';

const DIST = join(REPO_ROOT, 'examples', 'envoy-gateway', 'dist');
let cp: ControlPlane;
let layers: LayerResult[];
let objects: KubeObject[];

beforeAll(async () => {
  cp = await startControlPlane();
  layers = [installCrds(cp), installEnvoyGatewayCrds(cp)];
  layers.push({
    layer: 'prerequisites',
    results: Object.keys(INSTALLER_NAMESPACES).map((name) =>
      applyObject(cp, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } }),
    ),
  });
  objects = [];
  for (const layer of [...distLayers(DIST), 'delivery/argocd', 'delivery/flux']) {
    const rendered = renderKustomization(cp, join(DIST, layer));
    objects.push(...rendered);
    layers.push({ layer, results: rendered.map((o) => applyObject(cp, o)) });
  }
}, 600000);

afterAll(async () => {
  await cp?.stop();
}, 60000);

/** A copy of the first object of `kind` in the dist with `change` applied to its spec. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function variant(kind: string, change: (spec: Record<string, any>) => void): KubeObject {
  const o = JSON.parse(JSON.stringify(objects.find((x) => x.kind === kind))) as KubeObject & {
    spec: Record<string, unknown>;
  };
  (o.metadata as { name: string }).name = `${o.metadata.name}-variant`;
  change(o.spec);
  return o;
}

describe('examples/envoy-gateway/dist on a real kube-apiserver with the Envoy Gateway v1.9.0 CRDs', () => {
  test('every object is accepted without warnings (N applied, 0 rejected)', () => {
    const rejected = layers.flatMap((l) =>
      l.results.filter((r) => !r.accepted).map((r) => `${l.layer}: ${r.object}: ${r.message}`),
    );
    expect(rejected).toEqual([]);
    expect(formatReport(layers)).toMatch(/\ncluster: \d+ applied, 0 rejected$/);
    expect(totals(layers).applied).toBeGreaterThan(40);
  });

  test('the Envoy Gateway objects of every kind were among them', () => {
    const kinds = new Set(objects.map((o) => o.kind));
    for (const k of [
      'GatewayClass',
      'Gateway',
      'HTTPRoute',
      'EnvoyProxy',
      'ClientTrafficPolicy',
      'SecurityPolicy',
      'EnvoyExtensionPolicy',
      'ClusterIssuer',
    ])
      expect([k, kinds.has(k)]).toEqual([k, true]);
  });

  test('the server stored what we sent: the SecurityPolicy CEL rule and the EnvoyProxy image volume read back unchanged', () => {
    const sp = objects.find((o) => o.kind === 'SecurityPolicy')!;
    const got = JSON.parse(
      cp.kubectl(['get', 'securitypolicy', sp.metadata.name, '-n', sp.metadata.namespace!, '-o', 'json']).stdout,
    ) as { spec: unknown };
    expect(got.spec).toEqual(sp.spec);
    const ep = objects.find((o) => o.kind === 'EnvoyProxy')!;
    const gotEp = JSON.parse(
      cp.kubectl(['get', 'envoyproxy', ep.metadata.name, '-n', ep.metadata.namespace!, '-o', 'json']).stdout,
    ) as { spec: { provider: { kubernetes: { envoyDeployment: { pod: { volumes: unknown[] } } } } } };
    expect(gotEp.spec.provider.kubernetes.envoyDeployment.pod.volumes).toEqual(
      (ep.spec as typeof gotEp.spec).provider.kubernetes.envoyDeployment.pod.volumes,
    );
  });

  // The CRDs' CEL rules run: what a hand-edited copy would get wrong is refused.
  test('rejects an authorization rule with neither principal nor cel (CRD CEL rule)', () => {
    const r = applyObject(
      cp,
      variant('SecurityPolicy', (s) => {
        s.authorization.rules = [{ name: 'x', action: 'Allow' }];
      }),
    );
    expect([r.accepted, r.message]).toEqual([
      false,
      expect.stringMatching(/at least one of principal or cel must be specified/),
    ]);
  });

  test('rejects a remote dynamic module without a valid sha256 (CRD pattern)', () => {
    const r = applyObject(
      cp,
      variant('EnvoyProxy', (s) => {
        s.dynamicModules = [
          {
            name: 'coraza-composer',
            source: { type: 'Remote', remote: { url: 'https://example.org/libcomposer.so', sha256: 'latest' } },
          },
        ];
      }),
    );
    expect([r.accepted, r.message]).toEqual([false, expect.stringMatching(/sha256/)]);
  });

  test('rejects a Remote module source that also sets local (CRD CEL rule)', () => {
    const r = applyObject(
      cp,
      variant('EnvoyProxy', (s) => {
        s.dynamicModules = [
          {
            name: 'm',
            source: {
              type: 'Remote',
              local: { path: '/x.so' },
              remote: { url: 'https://example.org/x.so', sha256: 'a'.repeat(64) },
            },
          },
        ];
      }),
    );
    expect([r.accepted, r.message]).toEqual([
      false,
      expect.stringMatching(/If type is Remote, local field must not be set/),
    ]);
  });

  test('rejects an HTTPS listener without certificateRefs on the Gateway (Gateway API CEL rule)', () => {
    const r = applyObject(
      cp,
      variant('Gateway', (s) => {
        s.listeners[1].tls = { mode: 'Terminate' };
      }),
    );
    expect(r.accepted).toBe(false);
    expect(r.message).toMatch(/certificateRefs/);
  });
});
