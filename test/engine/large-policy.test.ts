/**
 * A WAF policy far beyond nginx's 4 KiB directive limit, on the real engine: the controller objects as
 * ModSecurityController synthesizes them (controller ConfigMap with the small snippet, policy ConfigMap, Deployment
 * mounting it) are written into the harness fixture, which mounts the policy file like the controller does. Proves
 * that the file loads and that a host-scoped exclusion — on its own or merged with 200 other hosts — applies to its
 * host only.
 */
import { rmSync } from 'node:fs';
import { Testing } from 'cdk8s';
import { ModSecurityController } from '../../lib/controller/controller';
import { WAF_POLICY_CONFIG_MAP, WAF_POLICY_KEY } from '../../lib/controller/waf-policy';
import type { KubeManifest } from '../../lib/synth/render';
import { RuleExclusion } from '../../lib/waf/exclusion';
import { WafPolicy } from '../../lib/waf/policy';
import { copyDist, FIXTURE_DIST, writeControllerObjects } from './harness/dist-copy';
import { EdgeEngine, startEdgeEngine } from './harness/engine';
import { describeEngine } from './harness/jest-engine';

jest.setTimeout(60000);

const HOST = 'echo.example.com';
const TENANTS = Array.from({ length: 200 }, (_, i) => `tenant-${i}.example.com`);
/** Hosts that contain, extend or nearly equal the fixture's host: a substring match would wrongly cover it. */
const LOOKALIKES = ['xecho.example.com', 'echo.example.co', 'echo.example.com.evil.example', 'cho.example.com'];
const SCANNER = { 'user-agent': 'sqlmap/1.8.2#stable (https://sqlmap.org)' };

/** 200 exclusions that cannot merge (one path each), one merged exclusion over `mergedHosts`, the scenario's deny rules. */
function policy(mergedHosts: readonly string[], extra: readonly RuleExclusion[] = []): WafPolicy {
  return new WafPolicy({
    mode: 'On',
    servedHosts: [HOST, ...TENANTS, ...LOOKALIKES],
    denySourceIps: [{ sources: ['34.242.209.15'] }],
    denyRequestHeaders: [{ header: 'user', match: { exact: 'admin' } }],
    exclusions: [
      ...TENANTS.map((host, i) => ({
        host,
        path: `/scan/t${i}`,
        ruleIds: [913100],
        description: `scanner-like integration of tenant ${i}`,
      })),
      ...mergedHosts.map((host) => ({ host, path: '/scan', ruleIds: [913100] })),
      ...extra,
    ],
  });
}

/** The fixture with the controller objects synthesized for `waf`. */
function distWith(waf: WafPolicy): { dist: string; policyBytes: number; snippetBytes: number } {
  const chart = Testing.chart();
  new ModSecurityController(chart, 'ingress-nginx', { waf, admissionWebhook: false });
  const objects = Testing.synth(chart) as KubeManifest[];
  const wanted = objects.filter(
    (o) => (o.kind === 'ConfigMap' || o.kind === 'Deployment') && o.metadata.namespace === 'ingress-nginx',
  );
  const dist = copyDist(FIXTURE_DIST);
  writeControllerObjects(dist, wanted);
  const data = (name: string): Record<string, string> =>
    wanted.find((o) => o.kind === 'ConfigMap' && o.metadata.name === name)!.data as Record<string, string>;
  return {
    dist,
    policyBytes: Buffer.byteLength(data(WAF_POLICY_CONFIG_MAP)[WAF_POLICY_KEY]),
    snippetBytes: Buffer.byteLength(data('ingress-nginx-controller')['modsecurity-snippet']),
  };
}

async function status(
  engine: EdgeEngine,
  path: string,
  headers: Record<string, string> = SCANNER,
): Promise<{ status: number; ruleIds: readonly string[] }> {
  const { response, audit } = await engine.request({ path, headers, marker: `${path}-${Math.random()}` });
  return { status: response.status, ruleIds: audit?.ruleIds ?? [] };
}

describeEngine('a WAF policy far beyond 4 KiB, mounted as a file, on the real engine', () => {
  const temp: string[] = [];
  afterAll(() => {
    for (const dir of temp) rmSync(dir, { recursive: true, force: true });
  });

  test('exclusions for 200 other hosts (and look-alike hosts) do not reach this host', async () => {
    const { dist, policyBytes, snippetBytes } = distWith(policy([...LOOKALIKES, ...TENANTS]));
    temp.push(dist);
    expect(policyBytes).toBeGreaterThan(10 * 4096);
    expect(snippetBytes).toBeLessThan(250);
    const engine = await startEdgeEngine({ distRoot: dist });
    try {
      expect(engine.mounts.map((m) => m.imagePath)).toEqual(['/etc/nginx/edge-waf']);
      expect(engine.model.unmodelledMounts).toEqual([]);
      expect(await status(engine, '/scan')).toEqual({ status: 403, ruleIds: expect.arrayContaining(['913100']) });
      expect((await status(engine, '/scan/t0')).status).toBe(403);
      expect((await status(engine, '/', { user: 'admin' })).status).toBe(403);
      expect((await status(engine, '/', {})).status).toBe(200);
    } finally {
      await engine.stop();
    }
  });

  test('an exclusion for this host applies to it, merged with 200 hosts or on its own, and only on its path', async () => {
    const single: RuleExclusion = { host: HOST, path: '/single', ruleIds: [913100], id: 15000 };
    const waf = policy([...TENANTS.slice(0, 100), HOST, ...TENANTS.slice(100), ...LOOKALIKES], [single]);
    expect(waf.allocatedRules().filter((r) => r.mergedInto !== undefined).length).toBe(
      TENANTS.length + LOOKALIKES.length,
    );
    const { dist } = distWith(waf);
    temp.push(dist);
    const engine = await startEdgeEngine({ distRoot: dist });
    try {
      expect((await status(engine, '/scan')).status).toBe(200);
      expect((await status(engine, '/scan/deeper')).status).toBe(200);
      expect((await status(engine, '/scan', { ...SCANNER, host: `${HOST}:443` })).status).toBe(200);
      expect((await status(engine, '/scan', { ...SCANNER, host: 'ECHO.Example.COM' })).status).toBe(200);
      expect((await status(engine, '/single')).status).toBe(200);
      expect(await status(engine, '/scanner')).toEqual({ status: 403, ruleIds: expect.arrayContaining(['913100']) });
      expect((await status(engine, '/other')).status).toBe(403);
      expect((await status(engine, '/scan', { user: 'admin' })).status).toBe(403);
      // The host key's delimiter cannot be forged: nginx refuses a Host header with "/" before ModSecurity runs.
      expect((await status(engine, '/scan', { ...SCANNER, host: `x/${HOST}/` })).status).toBe(400);
    } finally {
      await engine.stop();
    }
  });
});
