/**
 * Benchmark: wall time of the whole `npm run synth` process for the reference deployment (issue 18), side by side:
 *
 * - `tsx`: `node --import tsx main.ts` (the synth command before issue 18: every run transpiles on load);
 * - `bundle`: `node scripts/synth-launcher.mjs` with an up-to-date bundle (what `npm run synth` runs now: the
 *   staleness check, then one compiled file, compiled from V8's code cache);
 * - `no-code-cache`: the same with `EDGE_SYNTH_NO_CODE_CACHE=1` (V8 parses and compiles the bundle on every run);
 * - `bundle-two-outputs`: the bundle writing dist/ and cdktf.out/ only, the work `npm run synth` did when issue 18
 *   was filed (before the Envoy Gateway rendering became a third output);
 * - `node-alone`: `node -e 0`, the floor every variant pays (Node's own start-up on this machine);
 * - `rebuild`: the same launcher after a source changed (its bundle cache is emptied first), so it compiles.
 *
 * Hyperfine-style: one warm-up of each, then N rounds that run the variants alternately (so load on the machine hits
 * them alike); medians reported. The staleness check alone (hashing every input) is timed in-process. Outputs go to
 * temporary folders (every output of lib/reference/outputs.ts, as `npm run synth` writes them); dist/ is not touched.
 * No test asserts on these numbers.
 *
 *   node --import tsx bench/synth-startup.ts [--runs 10]
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { REFERENCE_CDK8S_OUTPUTS } from '../lib/reference/outputs';
import { formatTable, machineInfo, median, round, writeResult } from './report';

const REPO = resolve(__dirname, '..');
const LAUNCHER = join(REPO, 'scripts', 'synth-launcher.mjs');
const BUNDLE_DIR = join(REPO, '.cache', 'synth');

type Variant = 'tsx' | 'bundle' | 'no-code-cache' | 'bundle-two-outputs' | 'rebuild' | 'node-alone';
const COMMANDS: Record<Variant, readonly string[]> = {
  tsx: ['--import', 'tsx', join(REPO, 'main.ts')],
  bundle: [LAUNCHER],
  'no-code-cache': [LAUNCHER],
  'bundle-two-outputs': [LAUNCHER],
  rebuild: [LAUNCHER],
  'node-alone': ['-e', '0'],
};

function runOnce(variant: Variant, out: string): number {
  if (variant === 'rebuild') rmSync(BUNDLE_DIR, { recursive: true, force: true });
  const started = performance.now();
  const outputs = (
    variant === 'bundle-two-outputs' ? REFERENCE_CDK8S_OUTPUTS.slice(0, 1) : REFERENCE_CDK8S_OUTPUTS
  ).flatMap((o) => [`--${o.option}`, join(out, o.option)]);
  const env = { ...process.env, EDGE_SYNTH_NO_CODE_CACHE: variant === 'no-code-cache' ? '1' : '' };
  const args =
    variant === 'node-alone'
      ? COMMANDS[variant]
      : [...COMMANDS[variant], ...outputs, '--cdktf-out', join(out, 'cdktf.out')];
  const child = spawnSync(process.execPath, args, {
    cwd: REPO,
    encoding: 'utf8',
    env,
  });
  const seconds = (performance.now() - started) / 1000;
  if (child.status !== 0) throw new Error(`${variant} run failed (status ${child.status}): ${child.stderr}`);
  return seconds;
}

/** Parses `--runs N`. */
export function parseStartupArgs(argv: readonly string[]): { runs?: number } {
  const i = argv.indexOf('--runs');
  return i >= 0 ? { runs: Number(argv[i + 1]) } : {};
}

/** Runs the benchmark and writes bench/results/synth-startup.json. */
export function runSynthStartup(options: { runs?: number } = {}): void {
  const runs = options.runs ?? 10;
  const out = mkdtempSync(join(tmpdir(), 'synth-startup-'));
  const variants: Variant[] = ['tsx', 'rebuild', 'bundle', 'no-code-cache', 'bundle-two-outputs', 'node-alone'];
  const times: Record<Variant, number[]> = {
    tsx: [],
    bundle: [],
    'no-code-cache': [],
    'bundle-two-outputs': [],
    rebuild: [],
    'node-alone': [],
  };
  try {
    for (const v of variants) runOnce(v, out); // warm-up (leaves a fresh bundle and code cache behind: 'bundle' follows 'rebuild')
    for (let r = 0; r < runs; r++) {
      for (const v of variants) times[v].push(runOnce(v, out));
      console.log(`round ${r + 1}/${runs}: ${variants.map((v) => `${v} ${times[v][r].toFixed(3)} s`).join(', ')}`);
    }
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
  // The check alone, in a fresh process (module loading excluded): Node ESM code, since this file compiles to CommonJS.
  const probe = `const m = await import(${JSON.stringify(pathToFileURL(LAUNCHER).href)}); const t = performance.now(); const r = await m.ensureBundle(); console.log(JSON.stringify({ s: (performance.now() - t) / 1000, built: r.built }));`;
  const check: number[] = [];
  for (let r = 0; r < runs; r++) {
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', probe], { cwd: REPO, encoding: 'utf8' });
    const { s, built } = JSON.parse(child.stdout) as { s: number; built: boolean };
    if (built) throw new Error('the staleness check rebuilt an up-to-date bundle');
    check.push(s);
  }
  const result = {
    machine: machineInfo(),
    runs,
    medianSeconds: {
      tsx: round(median(times.tsx)),
      bundle: round(median(times.bundle)),
      noCodeCache: round(median(times['no-code-cache'])),
      bundleTwoOutputs: round(median(times['bundle-two-outputs'])),
      nodeAlone: round(median(times['node-alone'])),
      rebuild: round(median(times.rebuild)),
      check: round(median(check), 4),
    },
    seconds: { ...times, check },
  };
  console.log(
    formatTable(
      ['variant', 'median s', 'min s', 'max s'],
      [
        ...variants.map((v) => [
          v,
          round(median(times[v])),
          round(Math.min(...times[v])),
          round(Math.max(...times[v])),
        ]),
        [
          'staleness check (in-process)',
          round(median(check), 4),
          round(Math.min(...check), 4),
          round(Math.max(...check), 4),
        ],
      ],
    ),
  );
  console.log(`wrote ${writeResult('synth-startup.json', JSON.stringify(result, null, 2))}`);
}

if (require.main === module) {
  runSynthStartup(parseStartupArgs(process.argv.slice(2)));
}
