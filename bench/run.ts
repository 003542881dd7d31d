/**
 * `npm run bench`: both benchmarks of issue 9, one after the other, on this machine.
 *
 *   npm run bench                       synth scale (N = 10, 100, 1 000, 5 000; 3 runs each) and data plane (3 × 5 s)
 *   npm run bench -- --only synth       only part 1        (--sizes 10,100 --repeats 1 --stock-max 100)
 *   npm run bench -- --only data-plane  only part 2        (--runs 1 --duration 2 --threads 2 --connections 16 --dist DIR)
 *   npm run bench -- --only diff        only the `npm run diff` benchmark (--lines 10000 --repeats 3; not in the default run)
 *   npm run bench -- --only coraza      Coraza vs libmodsecurity CPU per request (--runs 3 --iterations 2000 --duration 3; not in the default run)
 *   npm run bench -- --quick            1 run per size, data plane 1 × 2 s (a smoke run; numbers are noisier)
 *
 * Results: bench/results/{synth-scale,data-plane}.{json,svg}; docs/benchmarks.md explains them. No test asserts on
 * timings: this is a measurement, run it on the machine you care about.
 */
import { parseArgs } from 'node:util';
import { parseCorazaBenchArgs, runCorazaBench } from './coraza';
import { parseDataPlaneArgs, runDataPlane } from './data-plane';
import { parseDiffArgs, runDiffBench } from './diff';
import { parseSynthArgs, runSynthScale } from './synth-scale';
import { parseStartupArgs, runSynthStartup } from './synth-startup';

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  // strict: false leaves the parts' own flags (--sizes, --runs, ...) to their parsers, which read the same argv.
  const { values } = parseArgs({
    args: argv,
    options: { only: { type: 'string' }, quick: { type: 'boolean' } },
    strict: false,
    allowPositionals: true,
  });
  const only = values.only;
  if (only === true) {
    console.error('--only: name a part: "synth", "data-plane", "diff" or "coraza"');
    return 2;
  }
  if (only !== undefined && only !== 'synth' && only !== 'data-plane' && only !== 'diff' && only !== 'coraza') {
    console.error(`--only: "${String(only)}" is not a part; use "synth", "data-plane", "diff" or "coraza"`);
    return 2;
  }
  const quick = values.quick === true;
  const started = performance.now();
  if (only === 'coraza') {
    console.log('=== Coraza vs libmodsecurity: CPU per request on the same requests ===');
    await runCorazaBench(parseCorazaBenchArgs(argv));
    console.log(`\nbench finished in ${((performance.now() - started) / 1000).toFixed(0)} s`);
    return 0;
  }
  if (only === 'diff') {
    console.log('=== npm run diff on one large object ===');
    runDiffBench(parseDiffArgs(argv));
    console.log(`\nbench finished in ${((performance.now() - started) / 1000).toFixed(0)} s`);
    return 0;
  }
  if (only !== 'data-plane') {
    console.log('=== Part 1: synth at scale ===');
    runSynthScale({ ...(quick ? { repeats: 1 } : {}), ...parseSynthArgs(argv) });
    console.log('\n=== Part 1b: synth start-up (tsx vs compiled bundle) ===');
    runSynthStartup({ ...(quick ? { runs: 3 } : {}), ...parseStartupArgs(argv) });
  }
  if (only !== 'synth') {
    console.log('\n=== Part 2: the WAF on the data plane ===');
    await runDataPlane({ ...(quick ? { runs: 1, durationSeconds: 2 } : {}), ...parseDataPlaneArgs(argv) });
  }
  console.log(`\nbench finished in ${((performance.now() - started) / 1000).toFixed(0)} s`);
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: Error) => {
    console.error(`bench failed: ${err.message}`);
    process.exitCode = 1;
  },
);
