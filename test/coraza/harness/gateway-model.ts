/**
 * The settings of the modelled Envoy in front of Coraza, read from an Envoy Gateway rendering (by default the
 * committed examples/envoy-gateway/dist, which test/synth/outputs-fresh.test.ts keeps equal to what the renderer
 * writes): the HTTPS listeners' hostnames, the ClientTrafficPolicy's `headers.host.stripTrailingHostDot` and the
 * plain-HTTP redirect status. So the Coraza rows answer for the objects we ship, not for Envoy Gateway's defaults.
 */
import { join } from 'node:path';
import { objectsOf as readObjects, readTree } from '../../support/rendered';
import type { GatewayModel } from './envoy-model';

/** The committed Envoy Gateway rendering. */
export const ENVOY_GATEWAY_DIST = join(__dirname, '..', '..', '..', 'examples', 'envoy-gateway', 'dist');

/** A parsed object of a rendering (only what the readers here need). */
export type RenderedObject = {
  kind: string;
  metadata: { name: string; namespace?: string };
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  spec?: Record<string, any>;
};

/** Every object of the YAML files under `root` (kustomization.yaml files left out), read by test/support/rendered. */
export function objectsOf(root: string): RenderedObject[] {
  return readObjects(readTree(root)).map((o) => o.manifest as unknown as RenderedObject);
}

/** The gateway model of a rendering (see the module comment). */
export function gatewayModelOf(distRoot: string = ENVOY_GATEWAY_DIST): GatewayModel {
  const objects = objectsOf(distRoot);
  const listeners = objects
    .filter((o) => o.kind === 'Gateway')
    .flatMap((g) => (g.spec?.listeners ?? []) as { protocol: string; hostname?: string }[]);
  const hosts = listeners.filter((l) => l.protocol === 'HTTPS' && l.hostname).map((l) => l.hostname!);
  if (hosts.length === 0) throw new Error(`${distRoot}: no Gateway with HTTPS listeners`);
  const policies = objects.filter((o) => o.kind === 'ClientTrafficPolicy');
  const strip = policies.map((p) => p.spec?.headers?.host?.stripTrailingHostDot === true);
  if (strip.some((x) => x !== strip[0]))
    throw new Error(
      `${distRoot}: the ClientTrafficPolicies disagree on stripTrailingHostDot (the model assumes one setting)`,
    );
  const redirects = objects
    .filter((o) => o.kind === 'HTTPRoute')
    .flatMap(
      (r) => (r.spec?.rules ?? []) as { filters?: { type: string; requestRedirect?: { statusCode?: number } }[] }[],
    )
    .flatMap((rule) => rule.filters ?? [])
    .filter((f) => f.type === 'RequestRedirect')
    .map((f) => f.requestRedirect?.statusCode ?? 301);
  const statuses = [...new Set(redirects)];
  if (statuses.length > 1)
    throw new Error(`${distRoot}: redirect routes with different statuses ${statuses.join(', ')}`);
  return { hosts, stripTrailingHostDot: strip[0] ?? false, httpsRedirectStatus: statuses[0] };
}
