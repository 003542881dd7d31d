/**
 * `synthesize()` with several cdk8s outputs (e.g. dist/ for ingress-nginx and examples/envoy-gateway/dist for Envoy
 * Gateway) and one CDKTF output: all of them replaced together or none, under one lock per folder, each checked for
 * ownership, the summary naming each. Every case that must change nothing compares fingerprints of all three.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'cdk8s';
import { KubeConfigMap } from 'cdk8s-plus-27/lib/imports/k8s';
import { formatSummary, synthesize, SynthTargets } from '../../lib/synth/pipeline';
import { LayerChart } from '../../lib/synth/layers';
import { ValidationError } from '../../lib/core/validation';
import { fingerprint, leftovers } from './support';

/** A cdk8s app: one ConfigMap per name. */
function userApp(...names: string[]): () => App {
  return () => {
    const app = new App();
    const chart = new LayerChart(app, 'apps', { layer: 'apps' });
    for (const name of names)
      new KubeConfigMap(chart, name, { metadata: { name, namespace: 'demo' }, data: { a: 'b' } });
    return app;
  };
}

/** A CDKTF app stand-in: writes the files cdktf writes. */
function userStacks(stack = 'edge'): (outdir: string) => { synth(): void } {
  return (outdir) => ({
    synth: () => {
      mkdirSync(join(outdir, 'stacks', stack), { recursive: true });
      writeFileSync(join(outdir, 'manifest.json'), `{"stacks":["${stack}"]}\n`);
      writeFileSync(join(outdir, 'stacks', stack, 'cdk.tf.json'), '{}\n');
    },
  });
}

describe('synthesize() with two cdk8s outputs and one CDKTF output: all three or none', () => {
  let work: string;
  let dist: string;
  let second: string;
  let cdktfOut: string;
  beforeEach(() => {
    work = mkdtempSync(join(tmpdir(), 'several-'));
    dist = join(work, 'dist');
    mkdirSync(join(work, 'examples', 'envoy-gateway'), { recursive: true });
    second = join(work, 'examples', 'envoy-gateway', 'dist');
    cdktfOut = join(work, 'cdktf.out');
  });
  afterEach(() => {
    delete process.env.EDGE_SYNTH_TEST_HOOK;
    delete process.env.EDGE_SYNTH_TEST_NO_EXCHANGE;
    spawnSync('chmod', ['-R', 'u+w', work]);
    rmSync(work, { recursive: true, force: true });
  });

  const SECOND = 'examples/envoy-gateway/dist';
  const three = (first = 'settings', other = 'gateway'): SynthTargets => ({
    cdk8s: [
      { build: userApp(first), outdir: dist },
      { build: userApp(other), outdir: second, label: SECOND },
    ],
    cdktf: { build: userStacks(), outdir: cdktfOut },
  });
  const state = (): unknown => ({
    dist: fingerprint(dist),
    second: fingerprint(second),
    cdktf: fingerprint(cdktfOut),
    extra: [...leftovers(work), ...leftovers(join(work, 'examples', 'envoy-gateway'))],
  });
  function previousOutputs(): unknown {
    synthesize(three('old-settings', 'old-gateway'));
    return state();
  }

  test('writes all three, each with its manifest, and the summary names each', () => {
    previousOutputs();
    const summary = synthesize(three());
    expect(Object.keys(fingerprint(dist) ?? {})).toContain('30-apps/demo_configmap_settings.yaml');
    expect(Object.keys(fingerprint(dist) ?? {})).not.toContain('30-apps/demo_configmap_old-settings.yaml');
    expect(Object.keys(fingerprint(second) ?? {}).sort()).toEqual([
      '.',
      '.synth-manifest',
      '30-apps',
      '30-apps/demo_configmap_gateway.yaml',
      '30-apps/kustomization.yaml',
      'kustomization.yaml',
    ]);
    expect(Object.keys(fingerprint(cdktfOut) ?? {})).toContain('stacks/edge/cdk.tf.json');
    expect(summary.cdk8sOutputs.map((o) => [o.label, o.outdir, o.objectsByKind])).toEqual([
      ['dist', dist, { ConfigMap: 1 }],
      [SECOND, second, { ConfigMap: 1 }],
    ]);
    expect(summary.dist).toBe(summary.cdk8sOutputs[0]);
    const text = formatSummary(summary, 1000);
    expect(text).toContain(`${dist}/: 3 files, 1 objects`);
    expect(text).toContain(`${second}/: 3 files, 1 objects`);
    expect(text).toContain(`${cdktfOut}/: stacks edge`);
    expect(state()).toMatchObject({ extra: [] });
  });

  test('one cdk8s target (not a list) is still the dist output', () => {
    const summary = synthesize({ cdk8s: { build: userApp('settings'), outdir: dist } });
    expect(summary.cdk8sOutputs.map((o) => o.label)).toEqual(['dist']);
  });

  const FAILURES: readonly { name: string; setup?: () => void; run: () => void; message: RegExp }[] = [
    {
      name: 'a validation error in the second cdk8s app',
      run: () =>
        synthesize({
          ...three(),
          cdk8s: [
            { build: userApp('settings'), outdir: dist },
            {
              build: () => {
                throw new ValidationError('dataPlane', 'x', 'is not supported', 'use one');
              },
              outdir: second,
            },
          ],
        }),
      message: /^dataPlane: "x" is not supported/,
    },
    {
      name: 'a failure swapping the last output after both cdk8s outputs were swapped (rolled back)',
      run: () => {
        process.env.EDGE_SYNTH_TEST_HOOK = 'fail:swap:cdktf.out';
        synthesize(three());
      },
      message: new RegExp(`^publishing failed: .*; dist, ${SECOND} and cdktf\\.out were put back as they were$`),
    },
    {
      name: 'the same with the rename fallback (no RENAME_EXCHANGE)',
      run: () => {
        process.env.EDGE_SYNTH_TEST_NO_EXCHANGE = '1';
        process.env.EDGE_SYNTH_TEST_HOOK = 'fail:swap:cdktf.out';
        synthesize(three());
      },
      message: /put back as they were$/,
    },
    {
      name: 'a failure swapping the second cdk8s output',
      run: () => {
        process.env.EDGE_SYNTH_TEST_HOOK = `fail:swap:${SECOND}`;
        synthesize(three());
      },
      message: /put back as they were$/,
    },
    {
      name: 'a hand-added file in the second cdk8s output (ownership)',
      setup: () => writeFileSync(join(second, 'notes.txt'), 'mine\n'),
      run: () => synthesize(three()),
      message: new RegExp(`^${SECOND} ".*" holds 1 file synth did not write: notes\\.txt .*Fix: move it out`),
    },
    {
      name: "a live synth holding the second output's lock",
      setup: () =>
        writeFileSync(
          join(work, 'examples', 'envoy-gateway', '.synth-dist.lock'),
          `${JSON.stringify({ pid: 1, hostname: hostname(), since: '2026-01-01T00:00:00Z' })}\n`,
        ),
      run: () => synthesize({ ...three(), lockWaitSeconds: 0 }),
      message: new RegExp(`^${SECOND} is being synthesized by another process \\(pid 1 `),
    },
    {
      name: 'two outputs with the same label',
      run: () =>
        synthesize({
          cdk8s: [
            { build: userApp('a'), outdir: dist },
            { build: userApp('b'), outdir: second, label: 'dist' },
          ],
        }),
      message: /^two outputs are labelled "dist"; nothing was changed/,
    },
    {
      name: 'two cdk8s outputs in the same folder',
      run: () =>
        synthesize({
          cdk8s: [
            { build: userApp('a'), outdir: dist },
            { build: userApp('b'), outdir: dist, label: 'other' },
          ],
        }),
      message: /^(dist|other) ".*" and (dist|other) ".*" overlap/,
    },
  ];
  test.each(FAILURES.map((f) => [f.name, f] as const))('rejects %s: all three folders byte-identical', (_, failure) => {
    previousOutputs();
    failure.setup?.();
    const before = state();
    expect(failure.run).toThrow(failure.message);
    expect(state()).toEqual(before);
  });
});
