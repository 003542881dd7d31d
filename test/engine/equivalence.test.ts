/**
 * The equivalence table of `npm run verify`, in `npm test`: every scenario on ingress-nginx (the real nginx +
 * libmodsecurity on dist/) and on Envoy Gateway (the translation of examples/envoy-gateway/dist by egctl + cel-go,
 * and the real Coraza engine on its WAF configs). Envoy itself does not run here. The seed scenario must be checked
 * and as expected on both data planes; every other row must be as expected on each plane that could check it.
 */
import { join } from 'node:path';
import { equivalenceRows, formatEquivalence, rowPasses } from '../../scripts/equivalence/table';
import { runEnvoyGatewaySide } from '../../scripts/equivalence/envoy-gateway-side';
import { runNginxAdversarial } from '../../scripts/equivalence/nginx-side';
import { REFERENCE_DEPLOYMENT } from '../../lib/reference/config';
import { hostNamesOf } from '../../lib/reference/intent';
import { DIST, REPO_ROOT } from '../support/dist';
import { startEdgeEngine } from './harness/engine';
import { describeEngine } from './harness/jest-engine';
import { runScenarios } from './harness/scenarios';

jest.setTimeout(600000);

describeEngine('equivalence of the two data planes (seed scenario and every shared row)', () => {
  test('the seed scenario is checked and as expected on both data planes, and no row fails on either', async () => {
    const engine = await startEdgeEngine({ distRoot: DIST });
    let nginxScenarios;
    try {
      nginxScenarios = await runScenarios(engine);
    } finally {
      await engine.stop();
    }
    const nginxRows = await runNginxAdversarial(DIST);
    const envoy = await runEnvoyGatewaySide(
      join(REPO_ROOT, 'examples', 'envoy-gateway', 'dist'),
      hostNamesOf(REFERENCE_DEPLOYMENT)[0],
    );
    for (const why of Object.values(envoy.missing))
      console.warn(`!!! equivalence: Envoy Gateway side NOT CHECKED: ${why}`);
    const rows = equivalenceRows({
      nginxScenarios,
      nginxRows,
      coraza: envoy.coraza,
      envoyMtls: envoy.envoyMtls,
      missing: envoy.missing,
    });
    const table = formatEquivalence(rows);
    const failed = rows.filter((r) => !rowPasses(r)).map((r) => r.scenario);
    if (failed.length) process.stderr.write(`\n${table}\n`);
    expect(failed).toEqual([]);
    if (envoy.missing.coraza || envoy.missing.envoyMtls) return; // said loudly above; the real-component suites skip the same way
    const seed = rows.filter((r) => r.section === 'seed');
    expect(
      seed
        .filter((r) => r.ingressNginx.asExpected !== true || r.envoyGateway.asExpected !== true)
        .map((r) => r.scenario),
    ).toEqual([]);
    expect(seed.map((r) => r.scenario)).toEqual(
      expect.arrayContaining([
        'no client certificate → rejected',
        'valid certificate → 200, backend gets the fingerprint',
        'CN outside the allow-list → 403',
        'source IP 34.242.209.15 → 403',
        'header user: admin → 403',
        'header user: user → 200',
      ]),
    );
  });
});
