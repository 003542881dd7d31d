/**
 * Real-engine conformance report: renders the nginx configuration ingress-nginx v1.15.1 would build from dist/,
 * runs it on a real nginx + libmodsecurity3 + OWASP CRS on loopback, sends every scenario of
 * test/engine/harness/scenarios.ts and every row of the adversarial tables (test/engine/harness/adversarial/, in
 * each controller state they list) and prints the tables a security reviewer reads. Then the same scenarios on the
 * Envoy Gateway rendering (examples/envoy-gateway/dist: Envoy Gateway's own translation + cel-go for TLS, allow-list
 * and source IP; the real Coraza engine for the WAF; Envoy itself does not run here) and the equivalence table of
 * both data planes (scripts/equivalence/table.ts).
 *
 *   npm run verify -- --envoy-gateway-dist DIR   another Envoy Gateway rendering (default examples/envoy-gateway/dist)
 *
 *   npm run verify                      against dist/
 *   npm run verify -- --dist DIR        against another dist-shaped folder
 *   npm run verify -- --keep            keep the temporary folder (rendered nginx.conf, PKI) and print its path
 *
 * Exit code 0 when every scenario behaves as expected, 1 otherwise, 2 when the engine cannot start.
 */
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { startEdgeEngine } from '../test/engine/harness/engine';
import { currentEngine, describeEngine } from '../test/engine/harness/engine-root';
import { describeCrs } from '../test/engine/harness/modsecurity-tree';
import { engineAvailability, loudWarning } from '../test/engine/harness/prerequisites';
import { formatTable, runScenarios } from '../test/engine/harness/scenarios';
import { ADVERSARIAL_TABLES } from '../test/engine/harness/adversarial';
import { formatRowResults } from '../test/engine/harness/adversarial/run';
import { ENGINE_STATES } from '../test/engine/harness/adversarial/types';
import { formatCorazaResults } from '../test/coraza/harness/run';
import { equivalenceRows, formatEquivalence, rowPasses } from './equivalence/table';
import { runNginxAdversarial } from './equivalence/nginx-side';
import { runEnvoyGatewaySide } from './equivalence/envoy-gateway-side';
import { REFERENCE_DEPLOYMENT } from '../lib/reference/config';
import { hostNamesOf } from '../lib/reference/intent';

async function main(): Promise<number> {
  // Not strict, as before: unknown flags are ignored.
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: { dist: { type: 'string' }, 'envoy-gateway-dist': { type: 'string' }, keep: { type: 'boolean' } },
    strict: false,
    allowPositionals: true,
  });
  const distRoot = resolve(
    typeof values.dist === 'string' && values.dist !== '' ? values.dist : join(dirname(__dirname), 'dist'),
  );
  const keepTemp = values.keep === true;
  const gatewayDist = values['envoy-gateway-dist'];
  const envoyGatewayRoot = resolve(
    typeof gatewayDist === 'string' && gatewayDist !== ''
      ? gatewayDist
      : join(dirname(__dirname), 'examples', 'envoy-gateway', 'dist'),
  );

  const availability = engineAvailability();
  if (!availability.run) {
    loudWarning(availability.reason);
    return 0;
  }
  const started = performance.now();
  const engine = await startEdgeEngine({ distRoot, keepTemp });
  try {
    const results = await runScenarios(engine);
    console.log(`Real-engine conformance of ${distRoot}`);
    console.log(
      `engine: ${describeEngine(currentEngine())}${currentEngine().fallbackReason ? " — FALLBACK, not the image's libmodsecurity 3.0.14" : ''}`,
    );
    console.log(
      `nginx + libmodsecurity + ${describeCrs(engine.crs)}; host ${engine.host}; mTLS CA: ${engine.model.servers[0]?.auth?.caSource ?? 'none'}`,
    );
    if (engine.model.unmodelledKeys.length > 0)
      console.log(`WARNING: ConfigMap keys not rendered by the harness: ${engine.model.unmodelledKeys.join(', ')}`);
    if (engine.model.unmodelledAnnotations.length > 0)
      console.log(
        `WARNING: Ingress annotations not rendered by the harness: ${engine.model.unmodelledAnnotations.join(', ')}`,
      );
    if (keepTemp) console.log(`rendered configuration: ${engine.confPath}`);
    console.log('');
    console.log(formatTable(results));
    console.log('');
    const adversarial = await runNginxAdversarial(distRoot);
    console.log(
      `Adversarial request shapes (${ADVERSARIAL_TABLES.map((t) => t.mechanism).join(', ')}; states ${ENGINE_STATES.join(', ')})`,
    );
    console.log(formatRowResults(adversarial));
    console.log('');
    const envoy = await runEnvoyGatewaySide(envoyGatewayRoot, hostNamesOf(REFERENCE_DEPLOYMENT)[0]);
    if (envoy.coraza) {
      console.log(
        `Envoy Gateway rendering ${envoyGatewayRoot}: the WAF on the real Coraza engine (modelled Envoy in front)`,
      );
      console.log(formatCorazaResults(envoy.coraza));
      console.log('');
    }
    for (const why of Object.values(envoy.missing)) loudWarning(why);
    const rows = equivalenceRows({
      nginxScenarios: results,
      nginxRows: adversarial,
      coraza: envoy.coraza,
      envoyMtls: envoy.envoyMtls,
      missing: envoy.missing,
    });
    console.log('Equivalence: each scenario on ingress-nginx (dist/) and Envoy Gateway (examples/envoy-gateway/dist)');
    console.log(formatEquivalence(rows));
    console.log(`(${((performance.now() - started) / 1000).toFixed(1)} s)`);
    return results.every((r) => r.passed) && adversarial.every((r) => r.passed) && rows.every(rowPasses) ? 0 : 1;
  } finally {
    await engine.stop();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: Error) => {
    console.error(`verify: the engine could not run: ${err.message}`);
    process.exitCode = 2;
  },
);
