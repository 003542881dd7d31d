/**
 * The Envoy Gateway column of the equivalence table, from examples/envoy-gateway/dist as committed: the WAF filter
 * configs of its EnvoyExtensionPolicies run on the real Coraza engine (test/coraza), and its TLS / allow-list /
 * source-IP decisions come from Envoy Gateway's own translation (egctl) evaluated with cel-go
 * (scripts/envoy-gateway/mtls-scenarios.ts). Each part that cannot run says why instead of a result.
 */
import type { CorazaFilterConfig } from '../../lib/waf/coraza';
import { corazaFilterConfig } from '../../lib/waf/coraza';
import { corazaHostMissing } from '../../test/coraza/harness/coraza-host';
import { CorazaScenarioResult, referencePolicy, runCorazaScenarios } from '../../test/coraza/harness/run';
import { gatewayModelOf, objectsOf } from '../../test/coraza/harness/gateway-model';
import type { EngineState } from '../../test/engine/harness/adversarial/types';
import { envoyGatewayMtlsScenarios, MtlsScenarioResult } from '../envoy-gateway/mtls-scenarios';
import { toolPath } from '../envoy-gateway/tools';

/**
 * The Coraza filter config of each host in a rendered Envoy Gateway dist: the `coraza-waf` entry of the
 * EnvoyExtensionPolicy that targets the host's HTTPRoute.
 */
export function corazaConfigsFromDist(distRoot: string): Map<string, CorazaFilterConfig> {
  const objects = objectsOf(distRoot);
  const routes = new Map(
    objects.filter((o) => o.kind === 'HTTPRoute').map((o) => [o.metadata.name, (o.spec?.hostnames ?? []) as string[]]),
  );
  const configs = new Map<string, CorazaFilterConfig>();
  for (const policy of objects.filter((o) => o.kind === 'EnvoyExtensionPolicy')) {
    const targets = [
      ...(policy.spec?.targetRefs ?? []),
      ...(policy.spec?.targetRef ? [policy.spec.targetRef] : []),
    ] as { kind: string; name: string }[];
    const module = (policy.spec?.dynamicModule ?? [])[0] as { config?: CorazaFilterConfig } | undefined;
    if (!module?.config) continue;
    for (const t of targets.filter((x) => x.kind === 'HTTPRoute'))
      for (const host of routes.get(t.name) ?? []) configs.set(host, module.config);
  }
  return configs;
}

/** What the Envoy Gateway side produced, or why a part is missing. */
export interface EnvoyGatewaySide {
  readonly coraza?: CorazaScenarioResult[];
  readonly envoyMtls?: MtlsScenarioResult[];
  readonly missing: { coraza?: string; envoyMtls?: string };
}

/**
 * Runs both parts on `distRoot`. The `custom-rules-only` state (CRS scores but never blocks: what the custom rules
 * decide alone) is not a committed rendering; its configs are rendered from the reference policy with that change,
 * as the nginx suite does for its states.
 */
export async function runEnvoyGatewaySide(distRoot: string, host: string): Promise<EnvoyGatewaySide> {
  const missing: EnvoyGatewaySide['missing'] = {};
  let coraza: CorazaScenarioResult[] | undefined;
  const corazaMissing = corazaHostMissing();
  if (corazaMissing) missing.coraza = corazaMissing;
  else {
    const fromDist = corazaConfigsFromDist(distRoot);
    const configOf = (h: string, state: EngineState): CorazaFilterConfig => {
      if (state !== 'certificate-configured') return corazaFilterConfig(referencePolicy(state), h);
      const config = fromDist.get(h);
      if (!config) throw new Error(`${distRoot} has no EnvoyExtensionPolicy with a Coraza config for host ${h}`);
      return config;
    };
    coraza = await runCorazaScenarios({ configOf, gateway: gatewayModelOf(distRoot) });
  }
  let envoyMtls: MtlsScenarioResult[] | undefined;
  const egctl = toolPath('egctl');
  const celCheck = toolPath('cel-check');
  if (!egctl || !celCheck)
    missing.envoyMtls = `${!egctl ? 'egctl' : 'cel-check'} is not built (run bash scripts/test-deps/install.sh)`;
  else envoyMtls = envoyGatewayMtlsScenarios({ egctl, celCheck, distRoot, host });
  return { coraza, envoyMtls, missing };
}
