/**
 * Every cdk8s output `npm run synth` writes (lib/reference/outputs.ts, the one list main.ts publishes) is committed
 * and current: its `.synth-manifest` lists exactly the files, and a fresh render equals the committed tree byte for
 * byte. A new output added to the list is covered here without another test.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { readTree, REPO_ROOT } from '../support/dist';
import { cdk8sOutdirsOf, REFERENCE_CDK8S_OUTPUTS } from '../../lib/reference/outputs';
import { MANIFEST, readManifest } from '../../lib/synth/manifest';
import { renderObjects, renderTree } from '../../lib/synth/render';

describe.each(REFERENCE_CDK8S_OUTPUTS.map((o) => [o.outdir, o] as const))('committed %s/', (outdir, output) => {
  const root = join(REPO_ROOT, outdir);
  const all = existsSync(root) ? readTree(root) : new Map<string, string>();
  const committed = new Map([...all].filter(([path]) => path !== MANIFEST));
  const fresh = renderTree(renderObjects(output.build()));

  test(`${MANIFEST} lists exactly the files synth wrote (run \`npm run synth\` and commit ${outdir}/ when this fails)`, () => {
    expect(all.has(MANIFEST)).toBe(true);
    expect([...(readManifest(root) ?? [])]).toEqual([...committed.keys()].sort());
  });

  test(`is up to date with the code (run \`npm run synth\` and commit ${outdir}/ when this fails)`, () => {
    expect([...committed.keys()].sort()).toEqual([...fresh.keys()].sort());
    for (const [path, content] of fresh) {
      expect({ path, content: committed.get(path) }).toEqual({ path, content });
    }
  });
});

test('the first output is dist/, the folder every tool and doc names', () => {
  expect(REFERENCE_CDK8S_OUTPUTS[0]).toMatchObject({ label: 'dist', option: 'dist', outdir: 'dist' });
  expect(new Set(REFERENCE_CDK8S_OUTPUTS.map((o) => o.outdir)).size).toBe(REFERENCE_CDK8S_OUTPUTS.length);
  expect(new Set(REFERENCE_CDK8S_OUTPUTS.map((o) => o.option)).size).toBe(REFERENCE_CDK8S_OUTPUTS.length);
});

describe('cdk8sOutdirsOf (which outputs main.ts writes where)', () => {
  const build = REFERENCE_CDK8S_OUTPUTS[0].build;
  const outputs = [
    { label: 'dist', option: 'dist', outdir: 'dist', build },
    {
      label: 'examples/envoy-gateway/dist',
      option: 'envoy-gateway-dist',
      outdir: 'examples/envoy-gateway/dist',
      build,
    },
  ];
  test('no option: every output to its default folder', () => {
    expect([...cdk8sOutdirsOf(outputs, new Map())]).toEqual([
      ['dist', 'dist'],
      ['envoy-gateway-dist', 'examples/envoy-gateway/dist'],
    ]);
  });
  test('--dist DIR alone: only dist/, moved (the committed examples stay untouched)', () => {
    expect([...cdk8sOutdirsOf(outputs, new Map([['dist', '/tmp/x']]))]).toEqual([['dist', '/tmp/x']]);
  });
  test('both options: both moved', () => {
    expect([
      ...cdk8sOutdirsOf(
        outputs,
        new Map([
          ['dist', '/tmp/x'],
          ['envoy-gateway-dist', '/tmp/y'],
        ]),
      ),
    ]).toEqual([
      ['dist', '/tmp/x'],
      ['envoy-gateway-dist', '/tmp/y'],
    ]);
  });
  test('only the second option: dist/ at its default, the second moved', () => {
    expect([...cdk8sOutdirsOf(outputs, new Map([['envoy-gateway-dist', '/tmp/y']]))]).toEqual([
      ['dist', 'dist'],
      ['envoy-gateway-dist', '/tmp/y'],
    ]);
  });
});
