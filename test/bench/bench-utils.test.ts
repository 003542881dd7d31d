import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { FIXTURE_DIST, withMountedPolicy } from '../engine/harness/dist-copy';
import type { ScenarioResult } from '../engine/harness/scenarios';
import { formatTable, growthExponent, median } from '../../bench/report';
import { escapeXml, formatTick, horizontalBarChart, lineChart, stackSvgs, ticks } from '../../bench/svg';
import { parseSynthArgs, summarize, SynthRun } from '../../bench/synth-scale';
import { operatorsPerPhase } from '../../bench/rule-work';
import {
  benchmarkDist,
  cellsOf,
  corpusOutcome,
  parseDataPlaneArgs,
  parseWrk,
  sameBlocks,
  SKIP_RESPONSE_ANALYSIS,
  STOCK_SNIPPET,
  VARIANTS,
  WORKLOADS,
  withOldResponseDefault,
  withoutSkipResponseAnalysis,
  withStaticBackend,
  wrkScript,
  WrkResult,
} from '../../bench/data-plane';

/** The benchmark's own logic (no timings): statistics, tables, plots, wrk parsing and the edge variants. */
describe('statistics and tables', () => {
  test('median of odd and even lists', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(() => median([])).toThrow(RangeError);
  });

  test('growth exponent: 1 for linear, 2 for quadratic', () => {
    expect(growthExponent(1000, 2, 5000, 10)).toBeCloseTo(1);
    expect(growthExponent(1000, 1, 2000, 4)).toBeCloseTo(2);
    expect(() => growthExponent(10, 0, 100, 1)).toThrow(RangeError);
  });

  test('tables align numbers right and text left', () => {
    expect(
      formatTable(
        ['name', 'n'],
        [
          ['a', 1],
          ['bbb', 100],
        ],
      ),
    ).toBe('name    n\n----  ---\na       1\nbbb   100');
  });

  test('synth summary takes medians per size and the stock baseline apart', () => {
    const run = (variant: 'ours' | 'stock', tenants: number, synthSeconds: number): SynthRun => ({
      variant,
      tenants,
      synthSeconds,
      processSeconds: synthSeconds + 0.5,
      startupSeconds: 0.4,
      buildSeconds: 0.1,
      peakRssMiB: 100,
      files: 10,
      bytes: 1000,
      objects: 9,
    });
    const s = summarize([10], [run('ours', 10, 1), run('ours', 10, 3), run('ours', 10, 2), run('stock', 10, 7)]);
    expect(s[0]).toMatchObject({ tenants: 10, synthSeconds: 2, processSeconds: 2.5, stockSynthSeconds: 7 });
  });

  test('rejects bad benchmark arguments', () => {
    expect(parseSynthArgs(['--sizes', '10,100', '--repeats', '2', '--stock-max', '0'])).toEqual({
      sizes: [10, 100],
      repeats: 2,
      stockMaxTenants: 0,
    });
    expect(() => parseSynthArgs(['--sizes', '10,abc'])).toThrow(/--sizes: "abc"/);
    expect(() => parseSynthArgs(['--repeats', '-1'])).toThrow(/--repeats/);
    expect(parseDataPlaneArgs(['--runs', '2', '--duration', '3', '--dist', 'x'])).toEqual({
      runs: 2,
      durationSeconds: 3,
      distRoot: 'x',
    });
    expect(() => parseDataPlaneArgs(['--connections', '0'])).toThrow(/--connections: "0"/);
    expect(parseDataPlaneArgs(['--variants', 'ours,old-default'])).toEqual({ only: ['ours', 'old-default'] });
  });
});

describe('SVG plots', () => {
  test('ticks and labels', () => {
    expect(ticks(10, 5000, true)).toEqual([10, 100, 1000, 10000]);
    expect(ticks(0, 23, false)).toEqual([0, 5, 10, 15, 20]);
    expect(ticks(0, 25000, false)).toEqual([0, 5000, 10000, 15000, 20000, 25000]);
    expect(formatTick(2500)).toBe('2.5k');
    expect(escapeXml('a<b & "c"')).toBe('a&lt;b &amp; &quot;c&quot;');
  });

  test('a line chart has one path per series, a marker per point, the threshold and escaped labels', () => {
    const svg = lineChart({
      title: 'T <1>',
      xLabel: 'x',
      yLabel: 'y',
      logX: true,
      logY: true,
      threshold: { y: 10, label: 'target' },
      series: [
        {
          name: 'a',
          points: [
            [10, 1],
            [100, 2],
          ],
        },
        { name: 'b', points: [[10, 3]], dashed: true },
      ],
    });
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.match(/<path /g)).toHaveLength(2);
    expect(svg.match(/<circle /g)).toHaveLength(3);
    expect(svg).toContain('T &lt;1&gt;');
    expect(svg).toContain('stroke-dasharray="6 4"');
    expect(() => lineChart({ title: '', xLabel: '', yLabel: '', series: [] })).toThrow(RangeError);
  });

  test('horizontal bars: one per value, labelled, grouped; stacked charts keep their sizes', () => {
    const svg = horizontalBarChart({
      title: 't',
      xLabel: 'rps',
      bars: [
        { group: 'g1', name: 'plain', value: 100 },
        { group: 'g1', name: 'ours', value: 10, note: '10 (0.10)' },
        { group: 'g2', name: 'ours', value: 5 },
      ],
    });
    expect(svg.match(/<rect x="220"/g)).toHaveLength(3);
    expect(svg).toContain('ours: 10 (0.10)');
    expect(svg.match(/font-weight="bold">g\d</g)).toHaveLength(2);
    const stacked = stackSvgs([svg, svg]);
    const h = Number(/height="(\d+)"/.exec(svg)![1]);
    expect(stacked).toContain(`height="${2 * h}"`);
    expect(stacked).toContain(`<svg x="0" y="${h}" xmlns`);
    expect(() => horizontalBarChart({ title: '', xLabel: '', bars: [] })).toThrow(RangeError);
    expect(() => stackSvgs(['<g/>'])).toThrow(/not an SVG/);
  });
});

const WRK_OUTPUT = `Running 5s test @ http://127.0.0.1:40000/api/patients
  2 threads and 16 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    31.20ms    2.10ms  40.00ms   90.00%
    Req/Sec   254.00     10.00   270.00     80.00%
  Latency Distribution
     50%  850.00us
     75%   32.00ms
     90%   33.00ms
     99%    1.20s
  2535 requests in 5.00s, 2.00MB read
  Socket errors: connect 0, read 1, write 0, timeout 2
  Non-2xx or 3xx responses: 4
Requests/sec:    507.00
Transfer/sec:    410.00KB
`;

describe('wrk', () => {
  test('parses throughput, latency percentiles in us/ms/s, errors', () => {
    expect(parseWrk(WRK_OUTPUT)).toEqual({
      requestsPerSecond: 507,
      p50Ms: 0.85,
      p99Ms: 1200,
      requests: 2535,
      errors: 4,
      socketErrors: 3,
    });
  });

  test('fails on output without a latency distribution', () => {
    expect(() => parseWrk(WRK_OUTPUT.replace(/Latency Distribution[\s\S]*?99%.*\n/, ''))).toThrow(/no 50% latency/);
  });

  test('writes a Lua script with method, Host, headers and body', () => {
    const post = WORKLOADS.find((w) => w.method === 'POST')!;
    const lua = wrkScript(post, 'echo.example.com');
    expect(lua).toContain('wrk.method = "POST"');
    expect(lua).toContain('wrk.headers["Host"] = "echo.example.com"');
    expect(lua).toContain('wrk.headers["Content-Type"] = "application/json"');
    expect(lua).toMatch(/^wrk\.body = "\{\\"patient\\":42/m);
  });

  test('ratio to plain and medians per edge and workload', () => {
    const r = (rps: number, cpu: number): WrkResult => ({
      requestsPerSecond: rps,
      p50Ms: 1,
      p99Ms: 2,
      requests: rps * 5,
      errors: 0,
      socketErrors: 0,
      cpuUsPerRequest: cpu,
    });
    const w = WORKLOADS[0].id;
    const cells = cellsOf(
      [{ id: 'plain' }, { id: 'ours' }],
      new Map([
        [`plain/${w}`, [r(1000, 40), r(1200, 41), r(1100, 42)]],
        [`ours/${w}`, [r(100, 900), r(110, 910), r(90, 920)]],
      ]),
    );
    expect(cells.map((c) => [c.variant, c.requestsPerSecond, c.ratioToPlain, c.cpuUsPerRequest])).toEqual([
      ['plain', 1100, 1, 41],
      ['ours', 100, 0.091, 910],
    ]);
  });
});

describe('edges of the data-plane comparison', () => {
  const controllerData = (dist: string): Record<string, string> =>
    parse(readFileSync(join(dist, '10-controller', 'ingress-nginx_ConfigMap_ingress-nginx-controller.yaml'), 'utf8'))
      .data;
  const ingress = (dist: string): any => parse(readFileSync(join(dist, '30-apps', 'echo_Ingress_echo.yaml'), 'utf8'));

  test.each(VARIANTS.filter((v) => v.sourceMustContain === undefined).map((v) => [v.id, v]))(
    '%s: a copy of dist/ with its ModSecurity settings and no HTTPS redirect',
    (_id, variant) => {
      const copy = benchmarkDist(FIXTURE_DIST, variant);
      try {
        const data = controllerData(copy);
        const original = controllerData(FIXTURE_DIST);
        expect(ingress(copy).metadata.annotations['nginx.ingress.kubernetes.io/ssl-redirect']).toBe('false');
        if (variant.id === 'plain') {
          expect(data['enable-modsecurity']).toBe('false');
          expect(data['modsecurity-snippet']).toBeUndefined();
        } else if (variant.id === 'stock') {
          expect(data).toMatchObject({
            'enable-modsecurity': 'true',
            'enable-owasp-modsecurity-crs': 'true',
            'modsecurity-snippet': STOCK_SNIPPET,
          });
        } else if (variant.id === 'ours') {
          expect(data).toEqual(original);
        }
        expect(data['proxy-set-headers']).toBe(original['proxy-set-headers']);
      } finally {
        rmSync(copy, { recursive: true, force: true });
      }
    },
  );

  test.each(['old-default', 'bodies-off-no-skip'])(
    'rejects the %s edge on a dist whose policy does not inspect response bodies (the harness fixture)',
    (id) => {
      expect(() =>
        benchmarkDist(
          FIXTURE_DIST,
          VARIANTS.find((v) => v.id === id)!,
        ),
      ).toThrow(/does not contain .*nothing for this edge to take away/);
    },
  );

  const CURRENT =
    'SecResponseBodyAccess On\nSecResponseBodyMimeType text/html application/json\nInclude /etc/nginx/owasp-modsecurity-crs/crs-setup.conf\nInclude /etc/nginx/owasp-modsecurity-crs/rules/*.conf\n';

  test('the old-default edge puts back the previous response settings in the mounted WAF policy file', () => {
    const source = withMountedPolicy(FIXTURE_DIST, CURRENT);
    const copy = benchmarkDist(
      source,
      VARIANTS.find((v) => v.id === 'old-default')!,
    );
    try {
      const cm = parse(
        readFileSync(join(copy, '10-controller', 'ingress-nginx_ConfigMap_ingress-nginx-waf-policy.yaml'), 'utf8'),
      );
      expect(cm.data['policy.conf']).toBe(
        `SecResponseBodyAccess Off\nInclude /etc/nginx/owasp-modsecurity-crs/crs-setup.conf\n${SKIP_RESPONSE_ANALYSIS}\nInclude /etc/nginx/owasp-modsecurity-crs/rules/*.conf\n`,
      );
    } finally {
      rmSync(copy, { recursive: true, force: true });
      rmSync(source, { recursive: true, force: true });
    }
  });

  test('the bodies-off-no-skip edge turns response bodies off without the skip', () => {
    const out = withoutSkipResponseAnalysis(withOldResponseDefault(CURRENT));
    expect(out).toBe(
      'SecResponseBodyAccess Off\nInclude /etc/nginx/owasp-modsecurity-crs/crs-setup.conf\nInclude /etc/nginx/owasp-modsecurity-crs/rules/*.conf\n',
    );
    expect(withoutSkipResponseAnalysis('SecRuleEngine On\n')).toBe('SecRuleEngine On\n');
    expect(withOldResponseDefault(withOldResponseDefault(CURRENT))).toBe(withOldResponseDefault(CURRENT));
  });

  test('the static backend replaces the harness upstream and closes the http block', () => {
    const conf = 'http {\n    upstream harness-echo { server 127.0.0.1:1234; keepalive 8; }\n    server { }\n}\n';
    const out = withStaticBackend(conf, 5555);
    expect(out).toContain('upstream harness-echo { server 127.0.0.1:5555; keepalive 320; }');
    expect(out).toContain('listen 127.0.0.1:5555;');
    expect(out.trimEnd().endsWith('}')).toBe(true);
    expect(out.match(/\{/g)!.length).toBe(out.match(/\}/g)!.length);
    expect(out).not.toContain('modsecurity off;');
    const waf = withStaticBackend(conf.replace('http {\n', 'http {\n    modsecurity on;\n'), 5555);
    expect(waf.slice(waf.indexOf('listen 127.0.0.1:5555;'))).toContain('modsecurity off;');
    expect(() => withStaticBackend('http { }', 1)).toThrow(/no "upstream harness-echo/);
  });

  test('corpus outcome counts blocks per group and compares the blocked attacks', () => {
    const res = (id: string, group: ScenarioResult['group'], status: number, passed: boolean): ScenarioResult => ({
      id,
      group,
      title: id,
      expected: { status: 403 },
      status,
      ruleIds: [],
      problems: passed ? [] : ['x'],
      passed,
    });
    const a = corpusOutcome('ours', [
      res('sqli', 'attack', 403, true),
      res('xss', 'attack', 403, true),
      res('ip', 'waf-rules', 403, true),
      res('get', 'benign', 200, true),
    ]);
    const b = corpusOutcome('old-default', [
      res('sqli', 'attack', 403, true),
      res('xss', 'attack', 200, false),
      res('ip', 'waf-rules', 403, true),
      res('get', 'benign', 200, true),
    ]);
    expect(a).toMatchObject({
      attacksBlocked: 2,
      attacks: 2,
      customRulesAsExpected: 1,
      benignPassed: 1,
      allChecksPassed: 4,
      total: 4,
    });
    expect(sameBlocks(a, a)).toBe(true);
    expect(sameBlocks(b, a)).toBe(false);
  });
});

describe('rule work per phase (bench/rule-work.ts)', () => {
  test('counts executed operators per phase of a debug log', () => {
    const log = [
      '[id] [/] [4] Starting phase REQUEST_HEADERS.  (SecRules 1)',
      '[id] [/] [4] (Rule: 1) Executing operator "Rx" with param "x" against ARGS.',
      '[id] [/] [4] (Rule: 2) Executing operator "Eq" with param "1" against TX:a.',
      '[id] [/] [4] Starting phase RESPONSE_HEADERS.  (SecRules 3)',
      '[id] [/] [4] (Rule: 3) Executing operator "Eq" with param "1" against TX:b.',
      '[id] [/] [9] Target value: "0"',
    ].join('\n');
    expect(operatorsPerPhase(log)).toEqual({
      REQUEST_HEADERS: 2,
      REQUEST_BODY: 0,
      RESPONSE_HEADERS: 1,
      RESPONSE_BODY: 0,
      LOGGING: 0,
    });
  });
});
