import { execFileSync } from 'node:child_process';
import { DIST, distObjects, readTree, renderReferenceTree } from '../support/dist';
import { validateManifest } from '../support/schema';
import { DELIVERY_FOLDERS, LAYERS } from '../../lib/synth/layers';
import { MANIFEST } from '../../lib/synth/manifest';

describe('committed dist/', () => {
  const committed = new Map([...readTree(DIST)].filter(([path]) => path !== MANIFEST));
  const fresh = renderReferenceTree();

  // Manifest and freshness of dist/ (and every other cdk8s output main.ts writes): test/synth/outputs-fresh.test.ts.

  test.each([...fresh.keys()].sort())('snapshot of dist/%s', (path) => {
    expect(fresh.get(path)).toMatchSnapshot();
  });

  test('every object validates against its Kubernetes or CRD schema', () => {
    const objects = distObjects();
    expect(objects.length).toBeGreaterThan(0);
    for (const { file, manifest } of objects) {
      try {
        validateManifest(manifest);
      } catch (err) {
        throw new Error(`dist/${file}: ${(err as Error).message}`, { cause: err });
      }
    }
  });

  const inLayers = (file: string): boolean => LAYERS.some((l) => file.startsWith(`${l.folder}/`));

  test('every file is in a layer folder or a delivery folder', () => {
    const folders = [...LAYERS.map((l) => l.folder), ...DELIVERY_FOLDERS.map((f) => f.folder)];
    for (const path of committed.keys()) {
      expect({ path, known: path === 'kustomization.yaml' || folders.some((f) => path.startsWith(`${f}/`)) }).toEqual({
        path,
        known: true,
      });
    }
  });

  test('every object in a layer carries the sync wave of its layer folder', () => {
    for (const { file, manifest } of distObjects().filter((o) => inLayers(o.file))) {
      const layer = LAYERS.find((l) => file.startsWith(`${l.folder}/`));
      expect({ file, wave: manifest.metadata.annotations?.['argocd.argoproj.io/sync-wave'] }).toEqual({
        file,
        wave: String(layer?.syncWave),
      });
    }
  });

  test('root kustomization lists the layer folders in apply order', () => {
    const folders = LAYERS.map((l) => l.folder).filter((f) => [...committed.keys()].some((k) => k.startsWith(`${f}/`)));
    expect(committed.get('kustomization.yaml')).toContain(`resources:\n${folders.map((f) => `  - ${f}`).join('\n')}\n`);
  });

  test('kubectl kustomize dist builds every object', () => {
    const out = execFileSync('kubectl', ['kustomize', DIST], { encoding: 'utf8' });
    const built = out.split(/^---$/m).filter((d) => d.trim()).length;
    expect(built).toBe(distObjects().filter((o) => inLayers(o.file)).length);
  });

  test('no file in dist/ holds a private key', () => {
    for (const [path, content] of committed)
      expect({ path, hasKey: /PRIVATE KEY-{5}/.test(content) }).toEqual({ path, hasKey: false });
  });
});
