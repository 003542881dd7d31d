/**
 * Benchmark part 1: synthesis at platform scale (issue 9).
 *
 * The reference deployment plus N tenants (bench/tenants.ts) is synthesized by the real pipeline
 * (`lib/synth/pipeline.ts` `synthesize`, the code `npm run synth` runs: resolve + validate once, render YAML, check for
 * private keys, write atomically) in a fresh child process per run, so that every run pays module loading and its
 * peak memory is its own (`process.resourceUsage().maxRSS`). For comparison, stock cdk8s `App.synth()` of the same
 * app runs for the smaller sizes. Every step prints a progress line; the summary table, a JSON result and SVG plots
 * go to bench/results/.
 *
 *   node --import tsx bench/synth-scale.ts [--sizes 10,100,1000,5000] [--repeats 3] [--stock-max 1000]
 */
import { ApiObject } from 'cdk8s';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REFERENCE_DEPLOYMENT } from '../lib/reference/config';
import { synthesize } from '../lib/synth/pipeline';
import { formatTable, growthExponent, machineInfo, median, round, writeResult } from './report';
import { lineChart } from './svg';
import { buildFleetApp, tenantFleet, tenantWafPolicy } from './tenants';

/** Which synthesis a run measures. */
export type SynthVariant = 'ours' | 'stock';

/** What one child process measured. */
export interface SynthChildResult {
  readonly variant: SynthVariant;
  readonly tenants: number;
  /** From process start to the start of the benchmark code: Node start-up and module loading (tsx, cdk8s, ...). */
  readonly startupSeconds: number;
  /** Building the construct tree (bench fleet builder: reference layers + tenants + delivery). */
  readonly buildSeconds: number;
  /** Build + resolve + validate + YAML + write (the whole synth, as `npm run synth` does it). */
  readonly synthSeconds: number;
  /** Peak resident set size of the process. */
  readonly peakRssMiB: number;
  readonly files: number;
  readonly bytes: number;
  readonly objects: number;
}

/** One run as the parent saw it. */
export interface SynthRun extends SynthChildResult {
  /** Wall time of the whole child process (start-up, synth, exit). */
  readonly processSeconds: number;
}

/** Options of {@link runSynthScale}. */
export interface SynthScaleOptions {
  /** Tenant counts. @default [10, 100, 1000, 5000] */
  readonly sizes?: readonly number[];
  /** Runs per size (the median is reported). @default 3 */
  readonly repeats?: number;
  /** Largest size the stock cdk8s baseline runs at (it grows superlinearly). 0 = no baseline. @default 1000 */
  readonly stockMaxTenants?: number;
  /** Give up on a child after this long. @default 300 */
  readonly timeoutSeconds?: number;
  /** Where results are written. @default bench/results */
  readonly resultsDir?: string;
  /** Progress output. @default console.log */
  readonly log?: (line: string) => void;
}

/** The per-size summary of {@link runSynthScale}. */
export interface SynthSizeSummary {
  readonly tenants: number;
  readonly objects: number;
  readonly files: number;
  readonly bytes: number;
  readonly synthSeconds: number;
  readonly processSeconds: number;
  readonly buildSeconds: number;
  readonly startupSeconds: number;
  readonly peakRssMiB: number;
  readonly wafPolicySeconds: number;
  readonly wafConfigBytes: number;
  readonly stockSynthSeconds?: number;
  readonly stockPeakRssMiB?: number;
}

/** Everything {@link runSynthScale} found, as written to bench/results/synth-scale.json. */
export interface SynthScaleResult {
  readonly benchmark: 'synth-scale';
  readonly generatedAt: string;
  readonly machine: ReturnType<typeof machineInfo>;
  readonly options: { readonly sizes: readonly number[]; readonly repeats: number; readonly stockMaxTenants: number };
  readonly summary: readonly SynthSizeSummary[];
  /** Growth exponent of the in-process synth time between consecutive sizes (1 = linear). */
  readonly growth: readonly {
    readonly from: number;
    readonly to: number;
    readonly ours: number;
    readonly stock?: number;
  }[];
  readonly target: {
    readonly tenants: number;
    readonly seconds: number;
    readonly processSeconds?: number;
    readonly met?: boolean;
  };
  readonly runs: readonly SynthRun[];
}

const TARGET = { tenants: 5000, seconds: 10 };

/** Runs the benchmark, prints progress and a table, writes JSON + SVG. */
export function runSynthScale(options: SynthScaleOptions = {}): SynthScaleResult {
  const sizes = options.sizes ?? [10, 100, 1000, 5000];
  const repeats = options.repeats ?? 3;
  const stockMaxTenants = options.stockMaxTenants ?? 1000;
  const log = options.log ?? ((line: string) => console.log(line));
  const runs: SynthRun[] = [];
  const plan: { variant: SynthVariant; tenants: number; repeat: number }[] = [];
  for (const tenants of sizes) for (let r = 1; r <= repeats; r++) plan.push({ variant: 'ours', tenants, repeat: r });
  for (const tenants of sizes.filter((n) => n <= stockMaxTenants)) plan.push({ variant: 'stock', tenants, repeat: 1 });

  plan.forEach((step, i) => {
    const label = `[synth ${i + 1}/${plan.length}] ${step.variant.padEnd(5)} ${String(step.tenants).padStart(5)} tenants, run ${step.repeat}`;
    const run = runChild(step.variant, step.tenants, options.timeoutSeconds ?? 300);
    runs.push(run);
    log(
      `${label}: synth ${run.synthSeconds.toFixed(2)} s (process ${run.processSeconds.toFixed(2)} s), peak ${run.peakRssMiB.toFixed(0)} MiB, ${run.files} files, ${(run.bytes / 1048576).toFixed(1)} MiB`,
    );
  });
  const waf = new Map<number, { seconds: number; bytes: number }>();
  sizes.forEach((tenants, i) => {
    const w = measureFleetWaf(tenants);
    waf.set(tenants, w);
    log(
      `[synth waf ${i + 1}/${sizes.length}] fleet WafPolicy of ${tenants} tenants (one exclusion each): ${w.seconds.toFixed(2)} s, policy file ${(w.bytes / 1024).toFixed(0)} KiB`,
    );
  });

  const summary = summarize(sizes, runs, waf);
  const growth = summary.slice(1).map((s, i) => {
    const prev = summary[i];
    const stock =
      prev.stockSynthSeconds !== undefined && s.stockSynthSeconds !== undefined
        ? round(growthExponent(prev.tenants, prev.stockSynthSeconds, s.tenants, s.stockSynthSeconds), 2)
        : undefined;
    return {
      from: prev.tenants,
      to: s.tenants,
      ours: round(growthExponent(prev.tenants, prev.synthSeconds, s.tenants, s.synthSeconds), 2),
      ...(stock !== undefined ? { stock } : {}),
    };
  });
  const atTarget = summary.find((s) => s.tenants === TARGET.tenants);
  const result: SynthScaleResult = {
    benchmark: 'synth-scale',
    generatedAt: new Date().toISOString(),
    machine: machineInfo(),
    options: { sizes, repeats, stockMaxTenants },
    summary,
    growth,
    target: {
      ...TARGET,
      ...(atTarget ? { processSeconds: atTarget.processSeconds, met: atTarget.processSeconds < TARGET.seconds } : {}),
    },
    runs,
  };
  log('');
  log(formatSynthTable(result));
  const json = writeResult('synth-scale.json', JSON.stringify(result, null, 2), options.resultsDir);
  const svg = writeResult('synth-scale.svg', synthPlot(result), options.resultsDir);
  log(`\nwrote ${json}\nwrote ${svg}`);
  return result;
}

/** Medians per size. */
export function summarize(
  sizes: readonly number[],
  runs: readonly SynthRun[],
  waf: ReadonlyMap<number, { readonly seconds: number; readonly bytes: number }> = new Map(),
): SynthSizeSummary[] {
  return sizes.map((tenants) => {
    const ours = runs.filter((r) => r.variant === 'ours' && r.tenants === tenants);
    const stock = runs.filter((r) => r.variant === 'stock' && r.tenants === tenants);
    const m = (pick: (r: SynthRun) => number, from: readonly SynthRun[] = ours): number =>
      round(median(from.map(pick)));
    return {
      tenants,
      objects: ours[0].objects,
      files: ours[0].files,
      bytes: ours[0].bytes,
      synthSeconds: m((r) => r.synthSeconds),
      processSeconds: m((r) => r.processSeconds),
      buildSeconds: m((r) => r.buildSeconds),
      startupSeconds: m((r) => r.startupSeconds),
      peakRssMiB: m((r) => r.peakRssMiB, ours),
      wafPolicySeconds: waf.get(tenants)?.seconds ?? 0,
      wafConfigBytes: waf.get(tenants)?.bytes ?? 0,
      ...(stock.length > 0
        ? { stockSynthSeconds: m((r) => r.synthSeconds, stock), stockPeakRssMiB: m((r) => r.peakRssMiB, stock) }
        : {}),
    };
  });
}

/** The summary table printed at the end. */
export function formatSynthTable(result: SynthScaleResult): string {
  const head = [
    'tenants',
    'objects',
    'files',
    'MiB written',
    'synth s',
    'process s',
    'build s',
    'peak RSS MiB',
    'stock cdk8s s',
    'fleet WAF s',
    'fleet WAF KiB',
  ];
  const rows = result.summary.map((s) => [
    s.tenants,
    s.objects,
    s.files,
    (s.bytes / 1048576).toFixed(1),
    s.synthSeconds.toFixed(2),
    s.processSeconds.toFixed(2),
    s.buildSeconds.toFixed(2),
    s.peakRssMiB.toFixed(0),
    s.stockSynthSeconds !== undefined ? s.stockSynthSeconds.toFixed(2) : '-',
    s.wafPolicySeconds.toFixed(2),
    (s.wafConfigBytes / 1024).toFixed(0),
  ]);
  const lines = [
    `Synth scale: reference deployment + N tenants, median of ${result.options.repeats} run(s) (synth = in-process; process = whole child incl. start-up)`,
    formatTable(head, rows),
    'fleet WAF = of the synth: building the WafPolicy with one exclusion per tenant and rendering the policy file the controller mounts (measured apart)',
  ];
  lines.push(
    '',
    `growth exponent of synth time (1 = linear): ${result.growth.map((g) => `${g.from}→${g.to}: ${g.ours}${g.stock !== undefined ? ` (stock ${g.stock})` : ''}`).join(', ')}`,
  );
  const t = result.target;
  if (t.processSeconds !== undefined)
    lines.push(
      `target: ${t.tenants} tenants in under ${t.seconds} s (whole process): ${t.processSeconds.toFixed(2)} s — ${t.met ? 'met' : 'NOT met'}`,
    );
  return lines.join('\n');
}

/** Log-log plot of synth time against tenants, with a linear reference and the 10 s target. */
export function synthPlot(result: SynthScaleResult): string {
  const s = result.summary;
  const series = [
    { name: 'ours: whole process (incl. start-up)', points: s.map((x) => [x.tenants, x.processSeconds] as const) },
    { name: 'ours: synth in-process', points: s.map((x) => [x.tenants, x.synthSeconds] as const) },
  ];
  const stock = s.filter((x) => x.stockSynthSeconds !== undefined);
  if (stock.length > 0)
    series.push({
      name: 'stock cdk8s App.synth()',
      points: stock.map((x) => [x.tenants, x.stockSynthSeconds!] as const),
    });
  const anchor = s[s.length - 1];
  const linear = {
    name: 'linear growth (through the largest size)',
    dashed: true,
    points: s.map((x) => [x.tenants, (anchor.synthSeconds * x.tenants) / anchor.tenants] as const),
  };
  return lineChart({
    title: 'Synth time vs tenants (log-log)',
    xLabel:
      'tenants (each: namespace, Service, mTLS Ingress + server Certificate, 2 client Certificates, WAF exclusion)',
    yLabel: 'seconds',
    logX: true,
    logY: true,
    series: [...series, linear],
    threshold: {
      y: result.target.seconds,
      label: `target: ${result.target.tenants} tenants < ${result.target.seconds} s`,
    },
  });
}

/** Runs one measurement in a fresh Node process and returns what it reported. */
function runChild(variant: SynthVariant, tenants: number, timeoutSeconds: number): SynthRun {
  const work = mkdtempSync(join(tmpdir(), 'bench-synth-'));
  try {
    const started = performance.now();
    const child = spawnSync(
      process.execPath,
      ['--import', 'tsx', __filename, '--child', variant, String(tenants), join(work, 'out')],
      {
        cwd: join(__dirname, '..'),
        encoding: 'utf8',
        timeout: timeoutSeconds * 1000,
        maxBuffer: 16 * 1024 * 1024,
      },
    );
    const processSeconds = (performance.now() - started) / 1000;
    if (child.error) throw new Error(`${variant} synth of ${tenants} tenants: ${child.error.message}`);
    const line = child.stdout
      .split('\n')
      .reverse()
      .find((l) => l.startsWith('{'));
    if (child.status !== 0 || !line)
      throw new Error(
        `${variant} synth of ${tenants} tenants failed (exit ${child.status}):\n${child.stderr.slice(-2000)}`,
      );
    return { ...(JSON.parse(line) as SynthChildResult), processSeconds: round(processSeconds) };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** The child side: one synthesis, measured, reported as one JSON line on stdout. */
function child(variant: SynthVariant, tenants: number, outdir: string): SynthChildResult {
  const startupSeconds = performance.now() / 1000;
  const fleet = tenantFleet({ tenants });
  const t0 = performance.now();
  let buildSeconds = 0;
  let files: number;
  let bytes: number;
  let objects: number;
  if (variant === 'ours') {
    const summary = synthesize({
      cdk8s: {
        build: () => {
          const b = performance.now();
          const app = buildFleetApp(REFERENCE_DEPLOYMENT, fleet);
          buildSeconds = (performance.now() - b) / 1000;
          return app;
        },
        outdir,
      },
    });
    files = summary.dist!.files;
    bytes = summary.dist!.bytes;
    objects = Object.values(summary.dist!.objectsByKind).reduce((a, b) => a + b, 0);
  } else {
    const app = buildFleetApp(REFERENCE_DEPLOYMENT, fleet, { outdir });
    buildSeconds = (performance.now() - t0) / 1000;
    app.synth();
    ({ files, bytes } = folderSize(outdir));
    objects = app.node.findAll().filter((c) => c instanceof ApiObject).length;
  }
  const synthSeconds = (performance.now() - t0) / 1000;
  const peakRssMiB = process.resourceUsage().maxRSS / 1024;
  return {
    variant,
    tenants,
    startupSeconds: round(startupSeconds),
    buildSeconds: round(buildSeconds),
    synthSeconds: round(synthSeconds),
    peakRssMiB: round(peakRssMiB, 1),
    files,
    bytes,
    objects,
  };
}

/**
 * Builds the fleet's WafPolicy (every tenant exclusion validated as it is added) and renders the policy file the
 * controller mounts, in this process: the share of the synth time that the WAF policy takes, and its size.
 */
export function measureFleetWaf(tenants: number): { readonly seconds: number; readonly bytes: number } {
  const fleet = tenantFleet({ tenants });
  const started = performance.now();
  const text = tenantWafPolicy(REFERENCE_DEPLOYMENT, fleet).renderPolicyFile();
  return { seconds: round((performance.now() - started) / 1000), bytes: Buffer.byteLength(text) };
}

function folderSize(dir: string): { files: number; bytes: number } {
  let files = 0;
  let bytes = 0;
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    const st = statSync(path);
    if (st.isDirectory()) {
      const sub = folderSize(path);
      files += sub.files;
      bytes += sub.bytes;
    } else {
      files++;
      bytes += st.size;
    }
  }
  return { files, bytes };
}

/** Parses `--sizes 10,100 --repeats 3 --stock-max 1000`. */
export function parseSynthArgs(argv: readonly string[]): SynthScaleOptions {
  const out: { sizes?: number[]; repeats?: number; stockMaxTenants?: number } = {};
  for (let i = 0; i < argv.length; i++) {
    const value = argv[i + 1];
    const num = (name: string): number => {
      const n = Number(value);
      if (!Number.isInteger(n) || n < 0) throw new Error(`${name}: "${value}" is not a whole number`);
      return n;
    };
    if (argv[i] === '--sizes') {
      out.sizes = (value ?? '').split(',').map((v) => {
        const n = Number(v);
        if (!Number.isInteger(n) || n < 1) throw new Error(`--sizes: "${v}" is not a positive whole number`);
        return n;
      });
      i++;
    } else if (argv[i] === '--repeats') {
      out.repeats = Math.max(1, num('--repeats'));
      i++;
    } else if (argv[i] === '--stock-max') {
      out.stockMaxTenants = num('--stock-max');
      i++;
    }
  }
  return out;
}

if (require.main === module) {
  const argv = process.argv.slice(2);
  if (argv[0] === '--child') {
    const variant = argv[1] as SynthVariant;
    if (variant !== 'ours' && variant !== 'stock') throw new Error(`unknown variant ${argv[1]}`);
    console.log(JSON.stringify(child(variant, Number(argv[2]), argv[3])));
  } else {
    runSynthScale(parseSynthArgs(argv));
  }
}
