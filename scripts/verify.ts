/**
 * Real-engine conformance report: renders the nginx configuration ingress-nginx v1.15.1 would build from dist/,
 * runs it on a real nginx + libmodsecurity3 + OWASP CRS on loopback, sends every scenario of
 * test/engine/harness/scenarios.ts and every row of the adversarial tables (test/engine/harness/adversarial/, in
 * each controller state they list) and prints the tables a security reviewer reads.
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
import { formatRowResults, removeStateSources, RowResult, rowsFor, runRow, startStateEngine, stateSources } from '../test/engine/harness/adversarial/run';
import { ENGINE_STATES } from '../test/engine/harness/adversarial/types';

async function main(): Promise<number> {
  // Not strict, as before: unknown flags are ignored.
  const { values } = parseArgs({ args: process.argv.slice(2), options: { dist: { type: 'string' }, keep: { type: 'boolean' } }, strict: false, allowPositionals: true });
  const distRoot = resolve(typeof values.dist === 'string' && values.dist !== '' ? values.dist : join(dirname(__dirname), 'dist'));
  const keepTemp = values.keep === true;

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
    console.log(`engine: ${describeEngine(currentEngine())}${currentEngine().fallbackReason ? ' — FALLBACK, not the image\'s libmodsecurity 3.0.14' : ''}`);
    console.log(`nginx + libmodsecurity + ${describeCrs(engine.crs)}; host ${engine.host}; mTLS CA: ${engine.model.servers[0]?.auth?.caSource ?? 'none'}`);
    if (engine.model.unmodelledKeys.length > 0) console.log(`WARNING: ConfigMap keys not rendered by the harness: ${engine.model.unmodelledKeys.join(', ')}`);
    if (engine.model.unmodelledAnnotations.length > 0) console.log(`WARNING: Ingress annotations not rendered by the harness: ${engine.model.unmodelledAnnotations.join(', ')}`);
    if (keepTemp) console.log(`rendered configuration: ${engine.confPath}`);
    console.log('');
    console.log(formatTable(results));
    console.log('');
    const adversarial = await runAdversarial(distRoot);
    console.log(`Adversarial request shapes (${ADVERSARIAL_TABLES.map((t) => t.mechanism).join(', ')}; states ${ENGINE_STATES.join(', ')})`);
    console.log(formatRowResults(adversarial));
    console.log(`(${((performance.now() - started) / 1000).toFixed(1)} s)`);
    return results.every((r) => r.passed) && adversarial.every((r) => r.passed) ? 0 : 1;
  } finally {
    await engine.stop();
  }
}

/** Every adversarial row in every state its table lists, one engine per state. */
async function runAdversarial(distRoot: string): Promise<RowResult[]> {
  const sources = stateSources(distRoot);
  const results: RowResult[] = [];
  try {
    for (const state of ENGINE_STATES) {
      const engine = await startStateEngine(state, sources);
      try {
        for (const table of ADVERSARIAL_TABLES) for (const row of rowsFor(table, state)) results.push(await runRow(engine, table, row, state));
      } finally {
        await engine.stop();
      }
    }
  } finally {
    removeStateSources(sources);
  }
  return results;
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
