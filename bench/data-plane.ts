/**
 * Benchmark part 2: what the WAF costs on the data plane (issue 9).
 *
 * Edges rendered by the real-engine harness (test/engine/harness, reused read-only: the nginx.conf ingress-nginx
 * v1.15.1 would build from dist/, run by Debian's nginx + libmodsecurity3 + OWASP CRS on loopback) are started side
 * by side and loaded in turn with `wrk`, interleaved run by run so that drift hits all of them alike:
 *
 * - `plain`: the same edge with `enable-modsecurity: "false"` (nginx proxy only),
 * - `ours`: dist/ as synthesized (our WafPolicy, inline in `modsecurity-snippet` or mounted as a policy file and
 *   included from it; CRS loaded once),
 * - `stock`: ModSecurity's recommended configuration with CRS, the way ingress-nginx documents it:
 *   `enable-modsecurity` + `enable-owasp-modsecurity-crs: "true"` + `modsecurity-snippet: SecRuleEngine On` (the base
 *   config is the image's modsecurity.conf = modsecurity.conf-recommended: response bodies inspected, audit parts
 *   ABIJDEFHZ to files),
 * - `old-default`: ours with the response settings of the previous default (no response bodies,
 *   `SecResponseBodyAccess Off`, and {@link SKIP_RESPONSE_ANALYSIS}), to show what inspecting response bodies costs,
 * - `bodies-off-no-skip`: `old-default` without {@link SKIP_RESPONSE_ANALYSIS}, to show what that skip saves (CRS 4.22
 *   runs it in phase 3 only, CRS PR #4807).
 *
 * Besides requests/s and latency under load, each run records the nginx CPU time per request (from /proc) and each
 * workload is replayed over a single connection for the unqueued latency. Only the ModSecurity configuration differs. The benchmark copies of dist/ set `ssl-redirect: "false"` so that `wrk`
 * (which cannot present client certificates) can send plain HTTP that is proxied: TLS and mutual TLS cost the same
 * in all three and are left out of the comparison. The backend is a static nginx server in the same nginx (instead
 * of the harness's Node echo server, which would be the bottleneck). After the load, the attack corpus of the
 * real-engine suite (test/engine/harness/scenarios.ts: attack, custom-rule and benign groups) runs over HTTPS against
 * each WAF edge to show what each configuration blocks.
 *
 *   node --import tsx bench/data-plane.ts [--dist DIR] [--runs 3] [--duration 5] [--threads 2] [--connections 16]
 *     [--variants ours,old-default]   (a subset of the edges; plain always runs)
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parseDocument } from 'yaml';
import { WAF_POLICY_CONFIG_MAP, WAF_POLICY_KEY } from '../lib/controller/waf-policy';
import { copyDist } from '../test/engine/harness/dist-copy';
import { readTree } from '../test/support/dist';
import { EdgeEngine, startEdgeEngine } from '../test/engine/harness/engine';
import { currentEngine, nginxBinary } from '../test/engine/harness/engine-root';
import { describeCrs } from '../test/engine/harness/modsecurity-tree';
import { freePort } from '../test/engine/harness/nginx-process';
import { engineAvailability } from '../test/engine/harness/prerequisites';
import { runScenarios, SCENARIOS, ScenarioResult } from '../test/engine/harness/scenarios';
import { horizontalBarChart, stackSvgs } from './svg';
import { formatTable, machineInfo, median, round, writeResult } from './report';

/** One edge configuration under test. */
export interface EdgeVariant {
  readonly id: string;
  readonly title: string;
  /** Whether ModSecurity is on (the attack corpus runs only against WAF edges). */
  readonly waf: boolean;
  /** Edits the controller ConfigMap data of the benchmark copy of dist/. */
  readonly editControllerData: (data: Record<string, string>) => void;
  /**
   * Edits the WAF policy file (`policy.conf` of the ConfigMap `ingress-nginx-waf-policy` the controller mounts), when
   * dist/ has one.
   * @default unchanged
   */
  readonly editPolicyFile?: (text: string) => string;
  /** Text the source dist/ must contain in its controller layer (what the edit takes away). @default none */
  readonly sourceMustContain?: string;
  /** Text the edited copy must no longer contain in its controller layer (proof that the edit applied). @default none */
  readonly mustNotContain?: string;
}

/** ModSecurity's recommended configuration with CRS, as the ingress-nginx documentation enables it. */
export const STOCK_SNIPPET = 'Include /etc/nginx/modsecurity/modsecurity.conf\nSecRuleEngine On\n';

/**
 * The response-analysis skip of the previous default (`WafPolicy.skipsResponseAnalysis`, now only when response bodies
 * are opted out of): `tx.crs_skip_response_analysis=1`. In CRS 4.22 it is read by rule 950021, a phase-3 rule whose
 * skipAfter cannot cross into phase 4, so CRS's phase-4 response rules still run (CRS PR #4807).
 */
export const SKIP_RESPONSE_ANALYSIS =
  'SecAction "id:10003,phase:1,pass,nolog,t:none,setvar:tx.crs_skip_response_analysis=1"';

/** What the current default renders and the response variants take away. */
export const RESPONSE_BODY_ACCESS_ON = 'SecResponseBodyAccess On';

const CRS_RULES_INCLUDE = 'Include /etc/nginx/owasp-modsecurity-crs/rules/*.conf';

/** Removes {@link SKIP_RESPONSE_ANALYSIS} from rendered ModSecurity text (inline snippet or mounted policy file). */
export function withoutSkipResponseAnalysis(text: string): string {
  return text
    .split('\n')
    .filter((line) => line !== SKIP_RESPONSE_ANALYSIS)
    .join('\n');
}

/**
 * The response settings of the previous default in rendered ModSecurity text: `SecResponseBodyAccess Off`, no
 * `SecResponseBodyMimeType`, and {@link SKIP_RESPONSE_ANALYSIS} before the CRS rules.
 */
export function withOldResponseDefault(text: string): string {
  return text
    .split('\n')
    .flatMap((line) => {
      if (line === RESPONSE_BODY_ACCESS_ON) return ['SecResponseBodyAccess Off'];
      if (line.startsWith('SecResponseBodyMimeType ')) return [];
      if (line === CRS_RULES_INCLUDE && !text.includes(SKIP_RESPONSE_ANALYSIS)) return [SKIP_RESPONSE_ANALYSIS, line];
      return [line];
    })
    .join('\n');
}

function responseVariant(
  id: string,
  title: string,
  edit: (text: string) => string,
  mustNotContain: string,
): EdgeVariant {
  return {
    id,
    title,
    waf: true,
    editControllerData: (d) => {
      if (d['modsecurity-snippet'] !== undefined) d['modsecurity-snippet'] = edit(d['modsecurity-snippet']);
    },
    editPolicyFile: edit,
    sourceMustContain: RESPONSE_BODY_ACCESS_ON,
    mustNotContain,
  };
}

/** The edges of the comparison: the three of the issue, and ours with the previous response defaults. */
export const VARIANTS: readonly EdgeVariant[] = [
  {
    id: 'plain',
    title: 'plain nginx proxy (ModSecurity off)',
    waf: false,
    editControllerData: (d) => {
      d['enable-modsecurity'] = 'false';
      delete d['modsecurity-snippet'];
    },
  },
  {
    id: 'ours',
    title: 'our WAF configuration (dist/: response bodies inspected)',
    waf: true,
    editControllerData: () => undefined,
  },
  {
    id: 'stock',
    title: 'ModSecurity recommended config + CRS (stock)',
    waf: true,
    editControllerData: (d) => {
      d['enable-modsecurity'] = 'true';
      d['enable-owasp-modsecurity-crs'] = 'true';
      d['modsecurity-snippet'] = STOCK_SNIPPET;
    },
  },
  responseVariant(
    'old-default',
    'ours with the previous default: no response bodies, tx.crs_skip_response_analysis=1',
    withOldResponseDefault,
    RESPONSE_BODY_ACCESS_ON,
  ),
  responseVariant(
    'bodies-off-no-skip',
    'ours without response bodies and without the skip',
    (t) => withoutSkipResponseAnalysis(withOldResponseDefault(t)),
    'crs_skip_response_analysis',
  ),
];

/** A request pattern `wrk` repeats. */
export interface Workload {
  readonly id: string;
  readonly title: string;
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
}

const API_HEADERS = {
  'User-Agent': 'hospital-a-integration/2.3 (+https://hospital-a.example)',
  Accept: 'application/json',
};
const BROWSER_HEADERS = {
  'User-Agent':
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36',
  Accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8',
  'Accept-Language': 'en-IE,en;q=0.9',
  Cookie: 'session=3f2a9c1e7b; theme=dark; lang=en-IE',
};
const NOTE =
  'Patient recovering well after the procedure; follow-up in two weeks, continue the current medication and review bloods at the next visit. ';

/** Benign traffic of an API and a portal behind the edge. */
export const WORKLOADS: readonly Workload[] = [
  {
    id: 'api-get',
    title: 'GET API query → JSON',
    method: 'GET',
    path: '/api/patients?search=heart%20surgery%20recovery&page=2&sort=-admitted',
    headers: API_HEADERS,
  },
  {
    id: 'api-post',
    title: 'POST 1 KiB JSON → JSON',
    method: 'POST',
    path: '/api/patients/42/notes',
    headers: { ...API_HEADERS, 'Content-Type': 'application/json' },
    body: JSON.stringify({ patient: 42, ward: '3B', author: 'dr-obrien', note: NOTE.repeat(7).trim() }),
  },
  {
    id: 'portal-get',
    title: 'GET portal page → 3 KiB HTML',
    method: 'GET',
    path: '/portal/appointments',
    headers: BROWSER_HEADERS,
  },
];

/** Bodies the backend answers with (`/api/` JSON, `/portal/` HTML; also what bench/coraza.ts feeds Coraza's response phases). */
export const API_RESPONSE = JSON.stringify({
  results: Array.from({ length: 6 }, (_, i) => ({
    id: 40 + i,
    name: `Patient ${40 + i}`,
    ward: '3B',
    admitted: '2026-11-02',
    status: 'recovering',
  })),
  page: 2,
});
export const PORTAL_RESPONSE = `<!doctype html><html><head><title>Appointments</title></head><body><h1>Appointments</h1><table>${Array.from({ length: 24 }, (_, i) => `<tr><td>2026-12-${String(i + 1).padStart(2, '0')}</td><td>09:${String(i * 2).padStart(2, '0')}</td><td>Cardiology</td><td>Ward 3B</td></tr>`).join('')}</table></body></html>`;

/** What `wrk` reported for one run. */
export interface WrkResult {
  readonly requestsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly requests: number;
  /** Non-2xx/3xx answers (must be 0: the WAF must not block benign traffic). */
  readonly errors: number;
  readonly socketErrors: number;
  /** nginx CPU time (master + worker, user + system) per request during the run, in microseconds. */
  readonly cpuUsPerRequest?: number;
}

/** Parses `wrk --latency` output. */
export function parseWrk(output: string): WrkResult {
  const num = (re: RegExp, what: string): number => {
    const m = re.exec(output);
    if (!m) throw new Error(`wrk output has no ${what}:\n${output}`);
    return Number(m[1]);
  };
  const latency = (pct: string): number => {
    const m = new RegExp(`^\\s*${pct}%\\s+([0-9.]+)(us|ms|s)\\s*$`, 'm').exec(output);
    if (!m) throw new Error(`wrk output has no ${pct}% latency (run with --latency):\n${output}`);
    const v = Number(m[1]);
    return m[2] === 'us' ? v / 1000 : m[2] === 's' ? v * 1000 : v;
  };
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(output);
  return {
    requestsPerSecond: num(/^Requests\/sec:\s+([0-9.]+)/m, 'Requests/sec'),
    p50Ms: latency('50'),
    p99Ms: latency('99'),
    requests: num(/^\s*(\d+) requests in/m, 'request count'),
    errors: /Non-2xx or 3xx responses: (\d+)/.test(output) ? num(/Non-2xx or 3xx responses: (\d+)/, 'errors') : 0,
    socketErrors: socket ? socket.slice(1).reduce((a, b) => a + Number(b), 0) : 0,
  };
}

/** The wrk Lua script of a workload. */
export function wrkScript(w: Workload, host: string): string {
  const lua = (s: string): string => JSON.stringify(s); // a JSON string literal is a valid Lua string literal for ASCII
  const lines = [`wrk.method = ${lua(w.method)}`, `wrk.headers["Host"] = ${lua(host)}`];
  for (const [k, v] of Object.entries(w.headers)) lines.push(`wrk.headers[${lua(k)}] = ${lua(v)}`);
  if (w.body !== undefined) lines.push(`wrk.body = ${lua(w.body)}`);
  return `${lines.join('\n')}\n`;
}

/** Options of {@link runDataPlane}. */
export interface DataPlaneOptions {
  /** dist-shaped folder to benchmark. @default dist/ of the repository */
  readonly distRoot?: string;
  /** Measured runs per edge and workload (median reported). @default 3 */
  readonly runs?: number;
  /** Seconds per wrk run. @default 5 */
  readonly durationSeconds?: number;
  /** @default 2 */
  readonly threads?: number;
  /** @default 16 */
  readonly connections?: number;
  /** Extra edges to compare (e.g. a candidate cheaper policy), after the three standard ones. @default none */
  readonly extraVariants?: readonly EdgeVariant[];
  /** Ids of the edges of {@link VARIANTS} to run (`plain` is always run: the ratios need it). @default all */
  readonly only?: readonly string[];
  /** Where results are written. @default bench/results */
  readonly resultsDir?: string;
  readonly log?: (line: string) => void;
}

/** Per edge and workload: medians over the runs. */
export interface DataPlaneCell {
  readonly variant: string;
  readonly workload: string;
  readonly requestsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** Median throughput relative to `plain` in the same workload. */
  readonly ratioToPlain: number;
  /** Median nginx CPU time per request, microseconds (what the WAF costs per request, independent of queueing). */
  readonly cpuUsPerRequest: number;
  /** Latency with one connection (no queueing): the time a request spends in the edge plus the backend. */
  readonly unloaded?: { readonly p50Ms: number; readonly p99Ms: number };
  readonly errors: number;
  readonly runs: readonly WrkResult[];
}

/** Attack-corpus outcome per WAF edge. */
export interface CorpusOutcome {
  readonly variant: string;
  /** Attack scenarios answered 403. */
  readonly attacksBlocked: number;
  readonly attacks: number;
  /** Ids of the attack scenarios answered 403 (to compare edges: a cheaper default must block the same). */
  readonly blockedIds: readonly string[];
  /** Custom-rule scenarios (denied source IP, denied header, and their allowed twins) as expected. */
  readonly customRulesAsExpected: number;
  readonly customRules: number;
  /** Benign scenarios that reached the backend unchanged. */
  readonly benignPassed: number;
  readonly benign: number;
  /** Every scenario with all its checks (status, rule attribution in the JSON audit log on stdout, backend view). */
  readonly allChecksPassed: number;
  readonly total: number;
  readonly failures: readonly { readonly id: string; readonly problems: readonly string[] }[];
}

/** Memory of an edge's nginx (master + worker) after the load, from /proc. */
export interface EdgeMemory {
  readonly variant: string;
  readonly rssMiB: number;
}

/** Everything {@link runDataPlane} found, as written to bench/results/data-plane.json. */
export interface DataPlaneResult {
  readonly benchmark: 'data-plane';
  readonly generatedAt: string;
  readonly machine: ReturnType<typeof machineInfo>;
  readonly software: Readonly<Record<string, string>>;
  readonly load: {
    readonly tool: string;
    readonly threads: number;
    readonly connections: number;
    readonly durationSeconds: number;
    readonly runs: number;
    readonly nginxWorkers: number;
  };
  readonly variants: readonly { readonly id: string; readonly title: string }[];
  readonly workloads: readonly { readonly id: string; readonly title: string }[];
  readonly cells: readonly DataPlaneCell[];
  readonly memory: readonly EdgeMemory[];
  readonly corpus: readonly CorpusOutcome[];
}

/** Runs the comparison, prints progress and a table, writes JSON + SVG. */
export async function runDataPlane(options: DataPlaneOptions = {}): Promise<DataPlaneResult> {
  const log = options.log ?? ((line: string) => console.log(line));
  const availability = engineAvailability();
  if (!availability.run) throw new Error(availability.reason);
  const wrk = spawnSync('wrk', ['--version'], { encoding: 'utf8' });
  if (wrk.error) throw new Error('wrk is not installed (Debian package wrk): the data-plane benchmark needs it');
  const distRoot = options.distRoot ?? join(__dirname, '..', 'dist');
  const runs = options.runs ?? 3;
  const duration = options.durationSeconds ?? 5;
  const threads = options.threads ?? 2;
  const connections = options.connections ?? 16;
  const unknown = (options.only ?? []).filter((id) => !VARIANTS.some((v) => v.id === id));
  if (unknown.length > 0)
    throw new Error(`--variants: unknown edge ${unknown.join(', ')} (edges: ${VARIANTS.map((v) => v.id).join(', ')})`);
  const chosen = options.only ? VARIANTS.filter((v) => v.id === 'plain' || options.only!.includes(v.id)) : VARIANTS;
  const variants = [...chosen, ...(options.extraVariants ?? [])];
  const scratch = mkdtempSync(join(tmpdir(), 'bench-dataplane-'));
  const engines = new Map<string, EdgeEngine>();
  const copies: string[] = [];
  try {
    for (const [i, v] of variants.entries()) {
      log(`[data-plane setup ${i + 1}/${variants.length}] starting ${v.id}: ${v.title}`);
      const copy = benchmarkDist(distRoot, v);
      copies.push(copy);
      const backendPort = await freePort();
      const engine = await startEdgeEngine({
        distRoot: copy,
        transformConf: (conf) => withStaticBackend(conf, backendPort),
      });
      engines.set(v.id, engine);
    }
    const first = engines.get('ours')!;
    for (const w of WORKLOADS) writeFileSync(join(scratch, `${w.id}.lua`), wrkScript(w, first.host));

    // Sanity: every edge answers every workload with 200 before it is loaded.
    for (const v of variants)
      for (const w of WORKLOADS) await expectOk(engines.get(v.id)!, w, join(scratch, `${w.id}.lua`));

    const raw = new Map<string, WrkResult[]>();
    const steps = runs * WORKLOADS.length * variants.length;
    let step = 0;
    for (const w of WORKLOADS) {
      for (const v of variants)
        await runWrk(engines.get(v.id)!, w, join(scratch, `${w.id}.lua`), { threads, connections, durationSeconds: 1 }); // warm-up
      for (let r = 1; r <= runs; r++) {
        for (const v of variants) {
          const res = await runWrk(engines.get(v.id)!, w, join(scratch, `${w.id}.lua`), {
            threads,
            connections,
            durationSeconds: duration,
          });
          const key = `${v.id}/${w.id}`;
          raw.set(key, [...(raw.get(key) ?? []), res]);
          log(
            `[data-plane ${++step}/${steps}] ${w.id.padEnd(10)} ${v.id.padEnd(6)} run ${r}: ${res.requestsPerSecond.toFixed(0)} req/s, p50 ${res.p50Ms.toFixed(2)} ms, p99 ${res.p99Ms.toFixed(2)} ms${res.errors ? `, ${res.errors} non-2xx` : ''}`,
          );
        }
      }
    }
    const unloaded = new Map<string, WrkResult>();
    for (const w of WORKLOADS) {
      for (const v of variants) {
        const res = await runWrk(engines.get(v.id)!, w, join(scratch, `${w.id}.lua`), {
          threads: 1,
          connections: 1,
          durationSeconds: Math.min(3, duration),
        });
        unloaded.set(`${v.id}/${w.id}`, res);
        log(
          `[data-plane latency] ${w.id.padEnd(10)} ${v.id.padEnd(6)} 1 connection: p50 ${res.p50Ms.toFixed(2)} ms, p99 ${res.p99Ms.toFixed(2)} ms`,
        );
      }
    }
    const cells = cellsOf(variants, raw, unloaded);
    const memory = variants.map((v) => ({ variant: v.id, rssMiB: round(nginxRssMiB(engines.get(v.id)!), 1) }));
    const software = softwareVersions(first);
    for (const e of engines.values()) await e.stop();
    engines.clear();

    // The attack corpus runs against the edges as the harness renders them (Node echo backend, which the benign
    // scenarios' checks read), over HTTPS with client certificates.
    const corpus: CorpusOutcome[] = [];
    const corpusScenarios = SCENARIOS.filter(
      (s) => s.group === 'attack' || s.group === 'waf-rules' || s.group === 'benign',
    );
    for (const v of variants.filter((x) => x.waf)) {
      log(
        `[data-plane corpus] ${v.id}: ${corpusScenarios.length} scenarios (attacks, custom rules, benign) over HTTPS with client certificates`,
      );
      const copy = benchmarkDist(distRoot, v);
      copies.push(copy);
      const engine = await startEdgeEngine({ distRoot: copy });
      engines.set(v.id, engine);
      const outcome = corpusOutcome(v.id, await runScenarios(engine, corpusScenarios));
      await engine.stop();
      engines.delete(v.id);
      corpus.push(outcome);
      log(
        `[data-plane corpus] ${v.id}: ${outcome.attacksBlocked}/${outcome.attacks} attacks blocked, ${outcome.customRulesAsExpected}/${outcome.customRules} custom-rule scenarios and ${outcome.benignPassed}/${outcome.benign} benign as expected`,
      );
    }

    const result: DataPlaneResult = {
      benchmark: 'data-plane',
      generatedAt: new Date().toISOString(),
      machine: machineInfo(),
      software,
      load: { tool: 'wrk (Debian)', threads, connections, durationSeconds: duration, runs, nginxWorkers: 1 },
      variants: variants.map((v) => ({ id: v.id, title: v.title })),
      workloads: WORKLOADS.map((w) => ({ id: w.id, title: w.title })),
      cells,
      memory,
      corpus,
    };
    log('');
    log(formatDataPlaneTable(result));
    const json = writeResult('data-plane.json', JSON.stringify(result, null, 2), options.resultsDir);
    const svg = writeResult('data-plane.svg', dataPlanePlot(result), options.resultsDir);
    log(`\nwrote ${json}\nwrote ${svg}`);
    return result;
  } finally {
    for (const e of engines.values()) await e.stop();
    for (const c of copies) rmSync(c, { recursive: true, force: true });
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** A copy of dist/ for one edge: the controller ConfigMap edited by the variant, HTTPS redirect off on Ingresses. */
export function benchmarkDist(distRoot: string, variant: EdgeVariant): string {
  let failure: unknown;
  const copy = copyDist(distRoot, (_path, content) => {
    if (!/^kind: (ConfigMap|Ingress)$/m.test(content)) return content;
    const doc = parseDocument(content);
    const o = doc.toJS() as {
      kind: string;
      metadata: { name: string; namespace?: string; annotations?: Record<string, string> };
      data?: Record<string, string>;
    };
    const controllerConfigMap =
      o.kind === 'ConfigMap' &&
      o.metadata.name === 'ingress-nginx-controller' &&
      o.metadata.namespace === 'ingress-nginx';
    const policyConfigMap =
      o.kind === 'ConfigMap' && o.metadata.name === WAF_POLICY_CONFIG_MAP && o.metadata.namespace === 'ingress-nginx';
    if (controllerConfigMap || policyConfigMap) {
      const data = { ...(o.data ?? {}) };
      try {
        if (controllerConfigMap) variant.editControllerData(data);
        else if (variant.editPolicyFile && data[WAF_POLICY_KEY] !== undefined)
          data[WAF_POLICY_KEY] = variant.editPolicyFile(data[WAF_POLICY_KEY]);
      } catch (err) {
        failure ??= err;
      }
      doc.set('data', data);
    } else if (o.kind === 'Ingress') {
      doc.setIn(['metadata', 'annotations', 'nginx.ingress.kubernetes.io/ssl-redirect'], 'false');
    } else {
      return content;
    }
    return doc.toString({ lineWidth: 0 });
  });
  const controllerLayerContains = (root: string, text: string): boolean =>
    [...readTree(root)].some(([path, content]) => path.startsWith('10-controller/') && content.includes(text));
  if (
    failure === undefined &&
    variant.sourceMustContain !== undefined &&
    !controllerLayerContains(distRoot, variant.sourceMustContain)
  ) {
    failure = new Error(
      `edge ${variant.id}: ${distRoot} does not contain "${variant.sourceMustContain}" in its controller layer: nothing for this edge to take away`,
    );
  }
  if (
    failure === undefined &&
    variant.mustNotContain !== undefined &&
    controllerLayerContains(copy, variant.mustNotContain)
  ) {
    failure = new Error(`edge ${variant.id}: the copy of ${distRoot} still contains "${variant.mustNotContain}"`);
  }
  if (failure !== undefined) {
    rmSync(copy, { recursive: true, force: true });
    throw failure;
  }
  return copy;
}

/**
 * Points the harness's upstream at a static nginx backend in the same nginx (JSON for /api/, HTML for /portal/), with
 * upstream keep-alive as the controller configures it (`upstream-keepalive-connections`, default 320). ModSecurity is
 * switched off in the backend server block, so that only the edge inspects each request.
 */
export function withStaticBackend(conf: string, port: number): string {
  const upstream = /upstream harness-echo \{ server [^;]+; keepalive \d+; \}/;
  if (!upstream.test(conf))
    throw new Error(
      'the harness configuration has no "upstream harness-echo { server ...; keepalive N; }" line: bench/data-plane.ts must follow the harness',
    );
  const backend = [
    '    # bench/data-plane.ts: static backend (replaces the Node echo server, which would be the bottleneck)',
    '    server {',
    `        listen 127.0.0.1:${port};`,
    // The edge's `modsecurity on;` is in the http block: without this the backend requests would be inspected too.
    ...(/^\s*modsecurity on;/m.test(conf) ? ['        modsecurity off;'] : []),
    "        location /api/ { default_type application/json; return 200 '" + API_RESPONSE + "'; }",
    "        location /portal/ { default_type text/html; return 200 '" + PORTAL_RESPONSE + "'; }",
    '        location / { return 404; }',
    '    }',
  ].join('\n');
  const end = conf.lastIndexOf('}');
  return `${conf.slice(0, end).replace(upstream, `upstream harness-echo { server 127.0.0.1:${port}; keepalive 320; }`)}${backend}\n}\n`;
}

async function expectOk(engine: EdgeEngine, w: Workload, script: string): Promise<void> {
  const res = await runWrk(engine, w, script, { threads: 1, connections: 1, durationSeconds: 1 });
  if (res.errors > 0 || res.socketErrors > 0 || res.requests === 0) {
    throw new Error(
      `${w.id} against ${engine.confPath}: ${res.errors} non-2xx/3xx and ${res.socketErrors} socket errors of ${res.requests} requests; the edge does not serve this workload (error log: ${engine.errorLog().slice(-800)})`,
    );
  }
}

async function runWrk(
  engine: EdgeEngine,
  w: Workload,
  script: string,
  load: { threads: number; connections: number; durationSeconds: number },
): Promise<WrkResult> {
  const pids = nginxPids(engine);
  const before = cpuTicks(pids);
  const result = await wrkOnce(engine, w, script, load);
  const ticks = cpuTicks(pids) - before;
  return {
    ...result,
    cpuUsPerRequest:
      result.requests > 0 ? round(((ticks / clockTicksPerSecond()) * 1e6) / result.requests, 1) : undefined,
  };
}

function wrkOnce(
  engine: EdgeEngine,
  w: Workload,
  script: string,
  load: { threads: number; connections: number; durationSeconds: number },
): Promise<WrkResult> {
  const url = `http://127.0.0.1:${engine.ports.http}${w.path}`;
  const args = [
    '-t',
    String(load.threads),
    '-c',
    String(load.connections),
    '-d',
    `${load.durationSeconds}s`,
    '--latency',
    '-s',
    script,
    url,
  ];
  return new Promise((resolve, reject) => {
    const child = spawn('wrk', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code !== 0) reject(new Error(`wrk ${args.join(' ')} exited with ${code}:\n${out}`));
      else {
        try {
          resolve(parseWrk(out));
        } catch (err) {
          reject(err);
        }
      }
    });
  });
}

/** Medians per edge and workload, with the throughput ratio to `plain`. */
export function cellsOf(
  variants: readonly Pick<EdgeVariant, 'id'>[],
  raw: ReadonlyMap<string, readonly WrkResult[]>,
  unloaded: ReadonlyMap<string, WrkResult> = new Map(),
): DataPlaneCell[] {
  const cells: DataPlaneCell[] = [];
  for (const w of WORKLOADS) {
    const plain = raw.get(`plain/${w.id}`);
    const plainRps = plain ? median(plain.map((r) => r.requestsPerSecond)) : undefined;
    for (const v of variants) {
      const runs = raw.get(`${v.id}/${w.id}`);
      if (!runs || runs.length === 0) continue;
      const rps = median(runs.map((r) => r.requestsPerSecond));
      cells.push({
        variant: v.id,
        workload: w.id,
        requestsPerSecond: round(rps, 1),
        p50Ms: round(median(runs.map((r) => r.p50Ms))),
        p99Ms: round(median(runs.map((r) => r.p99Ms))),
        ratioToPlain: plainRps ? round(rps / plainRps) : NaN,
        cpuUsPerRequest: round(median(runs.map((r) => r.cpuUsPerRequest ?? NaN)), 1),
        ...(unloaded.has(`${v.id}/${w.id}`)
          ? {
              unloaded: {
                p50Ms: unloaded.get(`${v.id}/${w.id}`)!.p50Ms,
                p99Ms: unloaded.get(`${v.id}/${w.id}`)!.p99Ms,
              },
            }
          : {}),
        errors: runs.reduce((a, r) => a + r.errors + r.socketErrors, 0),
        runs,
      });
    }
  }
  return cells;
}

/** Summarizes the scenario results of one edge. */
export function corpusOutcome(variant: string, results: readonly ScenarioResult[]): CorpusOutcome {
  const attacks = results.filter((r) => r.group === 'attack');
  const blocked = attacks.filter((r) => r.status === 403);
  const custom = results.filter((r) => r.group === 'waf-rules');
  const benign = results.filter((r) => r.group === 'benign');
  return {
    variant,
    attacksBlocked: blocked.length,
    attacks: attacks.length,
    blockedIds: blocked.map((r) => r.id),
    customRulesAsExpected: custom.filter((r) => r.passed).length,
    customRules: custom.length,
    benignPassed: benign.filter((r) => r.passed).length,
    benign: benign.length,
    allChecksPassed: results.filter((r) => r.passed).length,
    total: results.length,
    failures: results.filter((r) => !r.passed).map((r) => ({ id: r.id, problems: r.problems })),
  };
}

/** The table printed at the end. */
export function formatDataPlaneTable(result: DataPlaneResult): string {
  const head = [
    'workload',
    'edge',
    'req/s',
    'ratio to plain',
    'p50 ms',
    'p99 ms',
    'CPU µs/req',
    '1-conn p50 ms',
    '1-conn p99 ms',
    'non-2xx',
  ];
  const rows = result.cells.map((c) => [
    c.workload,
    c.variant,
    c.requestsPerSecond.toFixed(0),
    Number.isNaN(c.ratioToPlain) ? '-' : c.ratioToPlain.toFixed(3),
    c.p50Ms.toFixed(2),
    c.p99Ms.toFixed(2),
    Number.isNaN(c.cpuUsPerRequest) ? '-' : c.cpuUsPerRequest.toFixed(0),
    c.unloaded ? c.unloaded.p50Ms.toFixed(2) : '-',
    c.unloaded ? c.unloaded.p99Ms.toFixed(2) : '-',
    c.errors,
  ]);
  const l = result.load;
  const lines = [
    `Data plane: ${l.tool}, ${l.threads} threads, ${l.connections} connections, ${l.durationSeconds} s × ${l.runs} runs per cell (median), nginx ${l.nginxWorkers} worker, HTTP on loopback.`,
    'p50/p99 under saturation include queueing (connections ÷ throughput); CPU µs/req and the 1-connection latencies are the per-request cost.',
    `software: ${Object.entries(result.software)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}`,
    formatTable(head, rows),
  ];
  if (result.memory.length > 0)
    lines.push(
      '',
      `nginx RSS after load (master + worker): ${result.memory.map((m) => `${m.variant} ${m.rssMiB.toFixed(0)} MiB`).join(', ')}`,
    );
  if (result.corpus.length > 0) {
    const ours = result.corpus.find((c) => c.variant === 'ours');
    lines.push(
      '',
      'Attack corpus (test/engine/harness/scenarios.ts: attack, waf-rules and benign groups, HTTPS + client certificates):',
    );
    lines.push(
      formatTable(
        ['edge', 'attacks blocked', 'custom rules ok', 'benign ok', 'all checks', 'same blocks as ours'],
        result.corpus.map((c) => [
          c.variant,
          `${c.attacksBlocked}/${c.attacks}`,
          `${c.customRulesAsExpected}/${c.customRules}`,
          `${c.benignPassed}/${c.benign}`,
          `${c.allChecksPassed}/${c.total}`,
          ours ? (sameBlocks(c, ours) ? 'yes' : `NO (${diffBlocks(c, ours)})`) : '-',
        ]),
      ),
    );
    for (const c of result.corpus.filter((x) => x.variant !== 'stock' && x.failures.length > 0)) {
      lines.push(
        `  ${c.variant} not as expected: ${c.failures.map((f) => `${f.id} (${f.problems.join('; ')})`).join(', ')}`,
      );
    }
    if (result.corpus.some((c) => c.variant === 'stock'))
      lines.push(
        '  (stock writes its audit log to files, not JSON on stdout, and has no custom rules: only its status codes are comparable)',
      );
  }
  return lines.join('\n');
}

/** Both edges block exactly the same attack scenarios. */
export function sameBlocks(a: CorpusOutcome, b: CorpusOutcome): boolean {
  return a.blockedIds.length === b.blockedIds.length && a.blockedIds.every((id) => b.blockedIds.includes(id));
}

function diffBlocks(a: CorpusOutcome, b: CorpusOutcome): string {
  const lost = b.blockedIds.filter((id) => !a.blockedIds.includes(id));
  const gained = a.blockedIds.filter((id) => !b.blockedIds.includes(id));
  return [lost.length ? `not blocked: ${lost.join(' ')}` : '', gained.length ? `also blocked: ${gained.join(' ')}` : '']
    .filter(Boolean)
    .join('; ');
}

/** The nginx processes of an edge: the master (pid file) and its children (the worker), from /proc. */
function nginxPids(engine: EdgeEngine): number[] {
  const master = Number(readFileSync(join(dirname(engine.confPath), 'nginx.pid'), 'utf8').trim());
  const pids = [master];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = procStat(Number(entry));
    if (stat && Number(stat[1]) === master) pids.push(Number(entry));
  }
  return pids;
}

/** Fields of /proc/<pid>/stat after the command name (index 0 = state, 1 = ppid, 11 = utime, 12 = stime). */
function procStat(pid: number): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined; // ended meanwhile
  }
}

function cpuTicks(pids: readonly number[]): number {
  return pids.reduce((sum, pid) => {
    const f = procStat(pid);
    return sum + (f ? Number(f[11]) + Number(f[12]) : 0);
  }, 0);
}

let clockTicks: number | undefined;
function clockTicksPerSecond(): number {
  clockTicks ??= Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;
  return clockTicks;
}

/** Resident memory of an edge's nginx (master + worker). */
function nginxRssMiB(engine: EdgeEngine): number {
  let kib = 0;
  for (const pid of nginxPids(engine)) {
    try {
      const m = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (m) kib += Number(m[1]);
    } catch {
      // ended meanwhile
    }
  }
  return kib / 1024;
}

/** Two horizontal bar charts: requests/s (labelled with the ratio to plain) and nginx CPU time per request. */
export function dataPlanePlot(result: DataPlaneResult): string {
  const titleOf = new Map(result.workloads.map((w) => [w.id, w.title]));
  const bars = (value: (c: DataPlaneCell) => number, note: (c: DataPlaneCell) => string) =>
    result.cells.map((c) => ({
      group: titleOf.get(c.workload) ?? c.workload,
      name: c.variant,
      value: value(c),
      note: note(c),
    }));
  const l = result.load;
  return stackSvgs([
    horizontalBarChart({
      title: `Throughput (median of ${l.runs} × ${l.durationSeconds} s, ${l.connections} connections, 1 nginx worker, loopback)`,
      xLabel: 'requests per second',
      bars: bars(
        (c) => c.requestsPerSecond,
        (c) => `${c.requestsPerSecond.toFixed(0)} req/s (${c.ratioToPlain.toFixed(3)} of plain)`,
      ),
    }),
    horizontalBarChart({
      title: 'nginx CPU time per request (master + worker, from /proc)',
      xLabel: 'microseconds per request',
      bars: bars(
        (c) => c.cpuUsPerRequest,
        (c) => `${c.cpuUsPerRequest.toFixed(0)} µs`,
      ),
    }),
  ]);
}

/** Versions of the engine that ran: the trixie root's packages when nginx runs chrooted there (engine-root.ts), else the host's. */
function softwareVersions(engine: EdgeEngine): Record<string, string> {
  const root = currentEngine();
  const admindir = root.kind === 'trixie' ? ['--admindir', join(root.root, 'var', 'lib', 'dpkg')] : [];
  const q = (pkg: string): string =>
    spawnSync('dpkg-query', [...admindir, '-W', '-f', '${Version}', pkg], { encoding: 'utf8' }).stdout?.trim() ||
    'unknown';
  const version =
    root.kind === 'trixie'
      ? spawnSync('chroot', [root.root, nginxBinary(root), '-v'], { encoding: 'utf8' })
      : spawnSync('nginx', ['-v'], { encoding: 'utf8' });
  const nginx = /nginx\/(\S+)/.exec(version.stderr ?? '')?.[1] ?? 'unknown';
  // Debian 13 renamed the library package for the 64-bit time_t transition.
  const libmodsecurity = q('libmodsecurity3t64') === 'unknown' ? q('libmodsecurity3') : q('libmodsecurity3t64');
  return {
    nginx,
    libmodsecurity3: libmodsecurity,
    'libnginx-mod-http-modsecurity': q('libnginx-mod-http-modsecurity'),
    crs: describeCrs(engine.crs),
    wrk: spawnSync('dpkg-query', ['-W', '-f', '${Version}', 'wrk'], { encoding: 'utf8' }).stdout?.trim() || 'unknown',
  };
}

/** Parses `--dist DIR --runs 3 --duration 5 --threads 2 --connections 16`. */
export function parseDataPlaneArgs(argv: readonly string[]): DataPlaneOptions {
  const out: {
    distRoot?: string;
    runs?: number;
    durationSeconds?: number;
    threads?: number;
    connections?: number;
    only?: string[];
  } = {};
  for (let i = 0; i < argv.length; i++) {
    const value = argv[i + 1];
    const num = (): number => {
      const n = Number(value);
      if (!Number.isInteger(n) || n < 1) throw new Error(`${argv[i]}: "${value}" is not a positive whole number`);
      i++;
      return n;
    };
    if (argv[i] === '--dist' && value) {
      out.distRoot = value;
      i++;
    } else if (argv[i] === '--variants' && value) {
      out.only = value.split(',');
      i++;
    } else if (argv[i] === '--runs') out.runs = num();
    else if (argv[i] === '--duration') out.durationSeconds = num();
    else if (argv[i] === '--threads') out.threads = num();
    else if (argv[i] === '--connections') out.connections = num();
  }
  return out;
}

if (require.main === module) {
  runDataPlane(parseDataPlaneArgs(process.argv.slice(2))).catch((err: Error) => {
    console.error(`data-plane benchmark failed: ${err.message}`);
    process.exitCode = 1;
  });
}
