/**
 * Benchmark: CPU per request of the two WAF engines on the same requests (issue 17).
 *
 * - Coraza v3.7.0 + CRS 4.25.0 (coraza-coreruleset), with the directives `corazaFilterConfig` renders for the reference
 *   WafPolicy (FULL mode), run by tools/coraza-host `-bench N`: every phase as built-on-envoy's coraza-waf filter runs
 *   them, response headers and bodies included, N times per request, CPU time from getrusage (all Go threads, GC
 *   included). This is the engine alone: Envoy, its dynamic-module ABI and TLS are not in it (Envoy cannot run here).
 * - libmodsecurity 3.0.14 + CRS 4.22.0 in nginx 1.26 (the real-engine harness, bench/data-plane.ts): the nginx CPU per
 *   request of `ours` (dist/) minus `plain` (ModSecurity off) under wrk load — what ModSecurity adds to a request.
 *
 * Same workloads (bench/data-plane.ts WORKLOADS: API GET, 1 KiB JSON POST, portal page), same backend answers
 * (API_RESPONSE, PORTAL_RESPONSE), same host. Reported: medians over the runs and the ratio Coraza / libmodsecurity.
 * The CRS versions differ (4.25 vs 4.22: what each integration ships), and the machine is shared: rerun where it
 * matters.
 *
 *   npm run bench -- --only coraza [--runs 3] [--iterations 2000] [--duration 3]
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { corazaFilterConfig } from '../lib/waf/coraza';
import { corazaHostBinary, corazaHostMissing } from '../test/coraza/harness/coraza-host';
import { REFERENCE_HOSTS, referencePolicy } from '../test/coraza/harness/run';
import { API_RESPONSE, PORTAL_RESPONSE, runDataPlane, Workload, WORKLOADS } from './data-plane';
import { formatTable, machineInfo, median, round, writeResult } from './report';

/** Options of {@link runCorazaBench}. */
export interface CorazaBenchOptions {
  /** Measured runs per engine and workload (median reported). @default 3 */
  readonly runs?: number;
  /** Coraza: requests per run. @default 2000 */
  readonly iterations?: number;
  /** libmodsecurity: seconds per wrk run. @default 3 */
  readonly durationSeconds?: number;
  /** Where results are written. @default bench/results */
  readonly resultsDir?: string;
  readonly log?: (line: string) => void;
}

/** Parses `--runs`, `--iterations`, `--duration`. */
export function parseCorazaBenchArgs(argv: readonly string[]): CorazaBenchOptions {
  const { values } = parseArgs({
    args: [...argv],
    options: { runs: { type: 'string' }, iterations: { type: 'string' }, duration: { type: 'string' } },
    strict: false,
    allowPositionals: true,
  });
  const num = (v: unknown): number | undefined => (typeof v === 'string' ? Number(v) : undefined);
  return { runs: num(values.runs), iterations: num(values.iterations), durationSeconds: num(values.duration) };
}

/** One workload: medians per engine. */
export interface CorazaBenchCell {
  readonly workload: string;
  /** Coraza CPU per request, µs (median over runs). */
  readonly corazaUs: number;
  readonly corazaRunsUs: readonly number[];
  /** nginx CPU per request with ModSecurity (`ours`) and without (`plain`), µs (medians). */
  readonly nginxWithModsecurityUs: number;
  readonly nginxPlainUs: number;
  /** What libmodsecurity adds: ours − plain, µs. */
  readonly libmodsecurityUs: number;
  /** corazaUs / libmodsecurityUs. */
  readonly ratio: number;
}

/** The filter request of a workload, as Envoy would hand it to the filter (with the backend's answer). */
function filterLine(w: Workload): string {
  const response = w.path.startsWith('/portal/')
    ? { status: 200, headers: [['content-type', 'text/html']], body: Buffer.from(PORTAL_RESPONSE).toString('base64') }
    : {
        status: 200,
        headers: [['content-type', 'application/json']],
        body: Buffer.from(API_RESPONSE).toString('base64'),
      };
  const body = Buffer.from(w.body ?? '');
  const headers = [
    ...Object.entries(w.headers).map(([k, v]) => [k.toLowerCase(), v]),
    ...(body.length ? [['content-length', String(body.length)]] : []),
    ['x-forwarded-proto', 'https'],
    ['x-request-id', 'bench'],
    ['x-forwarded-for', '203.0.113.10'],
  ];
  return JSON.stringify({
    id: w.id,
    method: w.method,
    path: w.path,
    authority: REFERENCE_HOSTS.api,
    scheme: 'https',
    protocol: 'HTTP/1.1',
    headers,
    body: body.toString('base64'),
    sourceIp: '203.0.113.10',
    response,
  });
}

/** Coraza CPU per request (µs) of one workload, `iterations` requests in one process. */
function corazaRun(configFile: string, w: Workload, iterations: number): number {
  const out = spawnSync(corazaHostBinary(), ['-bench', String(iterations), '-config', configFile], {
    input: `${filterLine(w)}\n`,
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  if (out.status !== 0) throw new Error(`coraza-host -bench failed: ${out.stderr.slice(-2000)}`);
  const lines = out.stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { loaded?: boolean; error?: string; requests?: number; cpuNs?: number });
  if (!lines[0].loaded) throw new Error(`Coraza refused the directives: ${lines[0].error}`);
  const r = lines[1];
  return r.cpuNs! / r.requests! / 1000;
}

/** Checks that Coraza lets the benign workload through (a blocked request would be cheaper and mean nothing). */
function expectPasses(configFile: string, w: Workload): void {
  const out = spawnSync(corazaHostBinary(), ['-config', configFile], { input: `${filterLine(w)}\n`, encoding: 'utf8' });
  const res = JSON.parse(out.stdout.trim().split('\n')[1]) as { interrupted: boolean; blockRule: number };
  if (res.interrupted)
    throw new Error(
      `Coraza blocked the benign workload ${w.id} (rule ${res.blockRule}): the benchmark would measure a block`,
    );
}

/** Runs both engines on the workloads, prints a table, writes bench/results/coraza.json. */
export async function runCorazaBench(options: CorazaBenchOptions = {}): Promise<CorazaBenchCell[]> {
  const log = options.log ?? ((line: string) => console.log(line));
  const missing = corazaHostMissing();
  if (missing) throw new Error(missing);
  const runs = options.runs ?? 3;
  const iterations = options.iterations ?? 2000;
  const scratch = mkdtempSync(join(tmpdir(), 'bench-coraza-'));
  try {
    const configFile = join(scratch, 'filter.json');
    writeFileSync(configFile, JSON.stringify(corazaFilterConfig(referencePolicy(), REFERENCE_HOSTS.api)));
    for (const w of WORKLOADS) expectPasses(configFile, w);
    const coraza = new Map<string, number[]>();
    for (const w of WORKLOADS) corazaRun(configFile, w, Math.max(50, Math.floor(iterations / 10))); // warm-up (page cache, CPU frequency)
    for (let r = 1; r <= runs; r++) {
      for (const w of WORKLOADS) {
        const us = corazaRun(configFile, w, iterations);
        coraza.set(w.id, [...(coraza.get(w.id) ?? []), us]);
        log(`[coraza ${r}/${runs}] ${w.id.padEnd(10)} ${us.toFixed(0)} µs CPU per request (${iterations} requests)`);
      }
    }
    log(
      '[coraza] libmodsecurity side: nginx with and without ModSecurity under wrk (bench/data-plane.ts, edges plain and ours)',
    );
    const nginx = await runDataPlane({
      only: ['ours'],
      runs,
      durationSeconds: options.durationSeconds ?? 3,
      resultsDir: scratch,
      log,
    });
    const cpu = (variant: string, workload: string): number =>
      nginx.cells.find((c) => c.variant === variant && c.workload === workload)!.cpuUsPerRequest;
    const cells = WORKLOADS.map((w): CorazaBenchCell => {
      const corazaUs = round(median(coraza.get(w.id)!), 1);
      const ours = cpu('ours', w.id);
      const plain = cpu('plain', w.id);
      const libmodsecurityUs = round(ours - plain, 1);
      return {
        workload: w.id,
        corazaUs,
        corazaRunsUs: coraza.get(w.id)!.map((v) => round(v, 1)),
        nginxWithModsecurityUs: ours,
        nginxPlainUs: plain,
        libmodsecurityUs,
        ratio: round(corazaUs / libmodsecurityUs, 2),
      };
    });
    log('');
    log(
      formatTable(
        [
          'workload',
          'Coraza µs/req',
          'libmodsecurity µs/req (ours - plain)',
          'nginx+ModSecurity',
          'nginx plain',
          'Coraza / libmodsecurity',
        ],
        cells.map((c) => [
          c.workload,
          c.corazaUs.toFixed(0),
          c.libmodsecurityUs.toFixed(0),
          c.nginxWithModsecurityUs.toFixed(0),
          c.nginxPlainUs.toFixed(0),
          `${c.ratio.toFixed(2)}x`,
        ]),
      ),
    );
    const path = writeResult(
      'coraza.json',
      JSON.stringify(
        {
          benchmark: 'coraza-vs-libmodsecurity',
          generatedAt: new Date().toISOString(),
          machine: machineInfo(),
          software: {
            coraza: 'v3.7.0 + coraza-coreruleset v4.25.0 (tools/coraza-host)',
            libmodsecurity: nginx.software,
          },
          runs,
          iterations,
          wrk: nginx.load,
          cells,
        },
        null,
        2,
      ),
      options.resultsDir,
    );
    log(`\nwrote ${path}`);
    return cells;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
