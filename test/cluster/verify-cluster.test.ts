import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ControlPlane, startControlPlane } from '../../scripts/cluster/control-plane';
import { REPO_ROOT, sharedDir } from '../../scripts/cluster/paths';
import {
  applyObject,
  distLayers,
  formatReport,
  KubeObject,
  LayerResult,
  renderKustomization,
  totals,
  verifyDist,
} from '../../scripts/cluster/verify';
import { BROKEN_COPIES, DEPRECATED_OBJECT } from './broken-copies';

const DIST = join(REPO_ROOT, 'dist');
let cp: ControlPlane;
let layers: LayerResult[];

beforeAll(async () => {
  cp = await startControlPlane();
  layers = verifyDist(cp, DIST);
}, 600000);

afterAll(async () => {
  await cp?.stop();
}, 60000);

describe('npm run verify:cluster on a real kube-apiserver + kine', () => {
  test('every object of dist/ and dist/delivery is accepted without warnings (cluster: N applied, 0 rejected)', () => {
    const report = formatReport(layers);
    // the rejected objects, with the server's message
    expect(
      layers.flatMap((l) =>
        l.results.filter((r) => !r.accepted && !r.notChecked).map((r) => `${l.layer}: ${r.object}: ${r.message}`),
      ),
    ).toEqual([]);
    expect(totals(layers).rejected).toBe(0);
    // Objects go unchecked only when a CRD cannot be had without ../shared (crds.ts); with shared, every one is applied.
    if (sharedDir()) expect(totals(layers).notChecked).toBe(0);
    expect(report).toMatch(/\ncluster: \d+ applied, 0 rejected(?:, \d+ NOT CHECKED)?$/);
  });

  test("applies the CRDs, the installers' namespaces, every layer in the documented order, then the delivery folders", () => {
    expect(layers.map((l) => l.layer)).toEqual([
      'crds',
      'prerequisites',
      ...distLayers(DIST),
      'delivery/argocd',
      'delivery/flux',
    ]);
    for (const l of layers) expect([l.layer, l.results.length > 0]).toEqual([l.layer, true]);
  });

  test('server and client are the kube-apiserver and kubectl of tools/kube-apiserver/go.mod', () => {
    const pinned = /require k8s\.io\/kubernetes (v\S+)/.exec(
      readFileSync(join(REPO_ROOT, 'tools/kube-apiserver/go.mod'), 'utf8'),
    )?.[1];
    const v = JSON.parse(cp.kubectl(['version', '-o', 'json']).stdout) as {
      clientVersion: { gitVersion: string };
      serverVersion: { gitVersion: string };
    };
    expect([v.serverVersion.gitVersion, v.clientVersion.gitVersion]).toEqual([pinned, pinned]);
  });

  test('RBAC is enforced: a user without bindings is refused', () => {
    const r = cp.kubectl(['get', 'secrets', '-n', 'echo'], { user: 'trust-manager' }); // no RBAC objects for it in this file
    expect(r.stderr).toMatch(/forbidden: User "trust-manager" cannot list resource "secrets"/);
  });

  test('every listening socket of the control plane is on 127.0.0.1', () => {
    const [cmd, args] = cp.network.wrap('ss', ['-ltnpH']);
    const r = spawnSync(cmd, args, { encoding: 'utf8' });
    expect(r.status).toBe(0); // iproute2's ss (scripts/test-deps/10-debian.sh installs it)
    const out = r.stdout;
    const pids = cp.processes().map((p) => `pid=${p.child.pid},`);
    const ours = out.split('\n').filter((l) => pids.some((p) => l.includes(p)));
    expect(ours.length).toBeGreaterThan(0);
    expect(ours.filter((l) => !/\s127\.0\.0\.1:\d+\s/.test(l))).toEqual([]);
  });
});

describe('the API server refuses what JSON schema accepts', () => {
  const objects = (layer: string): KubeObject[] => renderKustomization(cp, join(DIST, layer));

  test.each(BROKEN_COPIES.map((c) => [c.title, c] as const))('rejects %s', (_title, c) => {
    const original = objects(c.layer).find((o) => o.kind === c.kind && o.metadata.name === c.name);
    expect(original).toBeDefined();
    expect(applyObject(cp, original!)).toMatchObject({ accepted: true }); // the unbroken object passes
    const broken = structuredClone(original!) as Record<string, any>;
    c.breakIt(broken);
    const result = applyObject(cp, broken as KubeObject);
    expect(result.accepted).toBe(false);
    expect(result.message).toMatch(c.expect);
  });

  test('rejects an object the server accepts with a deprecation warning', () => {
    const result = applyObject(cp, DEPRECATED_OBJECT);
    expect(result.accepted).toBe(false);
    expect(result.message).toMatch(/Warning: v1 Endpoints is deprecated/);
  });
});
