/**
 * `npm run bench -- --only diff`: the unified diff of `npm run diff` on one large object with one change, jsdiff
 * (`lib/gitops/diff.ts`, what the library runs) side by side with the LCS table it replaced
 * (`bench/diff-lcs-baseline.ts`). The object is a ConfigMap whose WAF policy file has `--lines` lines (a per-tenant
 * policy gets that long); one rule in the middle changes. Every run is a fresh Node process, so peak RSS
 * (`process.resourceUsage().maxRSS`) is that run's own; medians of `--repeats` runs.
 *
 *   npm run bench -- --only diff                       --lines 10000 --repeats 3
 *   npm run bench -- --only diff --lines 2000 --repeats 5
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { parseArgs } from 'node:util';
import { unifiedDiff } from '../lib/gitops/diff';
import { toYaml } from '../lib/synth/render';
import { lcsUnifiedDiff } from './diff-lcs-baseline';
import { formatTable, machineInfo, median, round, writeResult } from './report';

/** Options of {@link runDiffBench}. */
export interface DiffBenchOptions {
  /**
   * Lines of the policy file inside the ConfigMap.
   * @default 10000
   */
  readonly lines?: number;
  /**
   * Runs per implementation (fresh process each).
   * @default 3
   */
  readonly repeats?: number;
}

const IMPLEMENTATIONS = { jsdiff: unifiedDiff, lcs: lcsUnifiedDiff } as const;
type Implementation = keyof typeof IMPLEMENTATIONS;

interface Run {
  readonly ms: number;
  readonly peakRssMiB: number;
  readonly rssBeforeMiB: number;
  readonly objectLines: number;
  readonly diffLines: number;
  readonly sha256: string;
}

/** The two YAML renderings of the ConfigMap: before, and after one rule in the middle changed. */
export function largeObjectPair(lines: number): { before: string; after: string } {
  const policy = (changed: number): string =>
    Array.from(
      { length: lines },
      (_, i) =>
        `SecRule REQUEST_URI "@beginsWith /api/v${i}" "id:${100000 + i},phase:1,pass,nolog,ctl:ruleRemoveById=${i === changed ? 942101 : 942100}"`,
    ).join('\n');
  const cm = (p: string): string =>
    toYaml({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'waf-policy', namespace: 'ingress-nginx' },
      data: { 'policy.conf': `${p}\n` },
    });
  return { before: cm(policy(-1)), after: cm(policy(Math.floor(lines / 2))) };
}

function child(impl: Implementation, lines: number): void {
  const { before, after } = largeObjectPair(lines);
  const rssBefore = process.resourceUsage().maxRSS;
  const started = performance.now();
  const diff = IMPLEMENTATIONS[impl]('a.yaml', 'b.yaml', before, after);
  const ms = performance.now() - started;
  const run: Run = {
    ms,
    peakRssMiB: process.resourceUsage().maxRSS / 1024,
    rssBeforeMiB: rssBefore / 1024,
    objectLines: before.split('\n').length - 1,
    diffLines: diff.split('\n').length - 1,
    sha256: createHash('sha256').update(diff).digest('hex'),
  };
  process.stdout.write(`${JSON.stringify(run)}\n`);
}

function measure(impl: Implementation, lines: number): Run {
  const r = spawnSync(process.execPath, ['--import', 'tsx', __filename, '--child', impl, '--lines', String(lines)], {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  if (r.status !== 0)
    throw new Error(`${impl} run failed (status ${r.status}): ${r.stderr.trim().split('\n').slice(-3).join(' ')}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as Run;
}

/** Runs both implementations, prints the side-by-side table and writes bench/results/diff.json. */
export function runDiffBench(options: DiffBenchOptions = {}): void {
  const lines = options.lines ?? 10000;
  const repeats = options.repeats ?? 3;
  const results: Record<string, unknown>[] = [];
  const rows: (string | number)[][] = [];
  for (const impl of Object.keys(IMPLEMENTATIONS) as Implementation[]) {
    const runs = Array.from({ length: repeats }, () => measure(impl, lines));
    const m = {
      impl,
      runs: repeats,
      objectLines: runs[0].objectLines,
      diffLines: runs[0].diffLines,
      sha256: runs[0].sha256,
      medianMs: round(median(runs.map((r) => r.ms)), 1),
      medianPeakRssMiB: round(median(runs.map((r) => r.peakRssMiB)), 0),
      medianRssBeforeMiB: round(median(runs.map((r) => r.rssBeforeMiB)), 0),
      ms: runs.map((r) => round(r.ms, 1)),
      peakRssMiB: runs.map((r) => round(r.peakRssMiB, 0)),
    };
    results.push(m);
    rows.push([
      impl,
      m.objectLines,
      m.diffLines,
      m.medianMs.toFixed(1),
      m.medianPeakRssMiB.toFixed(0),
      m.medianRssBeforeMiB.toFixed(0),
    ]);
  }
  console.log(
    formatTable(['diff', 'object lines', 'diff lines', 'median ms', 'peak RSS MiB', 'RSS before diff MiB'], rows),
  );
  const same = new Set(results.map((r) => r.sha256)).size === 1;
  console.log(
    same ? 'both produce the same unified diff' : 'the two diffs differ (alignment of equal lines); both are minimal',
  );
  console.log(
    `results: ${writeResult('diff.json', JSON.stringify({ machine: machineInfo(), lines, repeats, sameOutput: same, results }, null, 2))}`,
  );
}

/** Parses the flags of this benchmark out of `npm run bench` arguments (others are left to the other parts). */
export function parseDiffArgs(argv: readonly string[]): DiffBenchOptions {
  const { values } = parseArgs({
    args: [...argv],
    options: { lines: { type: 'string' }, repeats: { type: 'string' } },
    strict: false,
    allowPositionals: true,
  });
  const whole = (name: string, v: unknown): number | undefined => {
    if (v === undefined) return undefined;
    const n = Number(v);
    if (typeof v !== 'string' || !Number.isInteger(n) || n < 1)
      throw new Error(`--${name}: "${String(v)}" is not a positive whole number`);
    return n;
  };
  return { lines: whole('lines', values.lines), repeats: whole('repeats', values.repeats) };
}

if (require.main === module) {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: { child: { type: 'string' }, lines: { type: 'string' }, repeats: { type: 'string' } },
  });
  if (values.child === 'jsdiff' || values.child === 'lcs') child(values.child, Number(values.lines));
  else runDiffBench(parseDiffArgs(process.argv.slice(2)));
}
