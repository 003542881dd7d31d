/**
 * The one reader of rendered YAML folders (dist/, examples/envoy-gateway/dist, scratch renderings): tests, the
 * equivalence table and the Envoy Gateway scripts all read objects through {@link readTree} and {@link objectsOf}.
 * It loads no construct code (lib/gitops/diff.ts only), so scripts can use it without loading the library.
 */
import { parseAllDocuments } from 'yaml';
import { readTreeFrom } from '../../lib/gitops/diff';
import type { KubeManifest, RenderedTree } from '../../lib/synth/render';

/** Reads a folder into path → content (paths relative to the folder, sorted): lib/gitops/diff.ts's reader. */
export const readTree: (root: string) => RenderedTree = readTreeFrom;

/** Every Kubernetes object in a tree (kustomization.yaml files and empty documents excluded), with its file. */
export function objectsOf(tree: RenderedTree): { file: string; manifest: KubeManifest }[] {
  const out: { file: string; manifest: KubeManifest }[] = [];
  for (const [file, content] of tree) {
    if (file.endsWith('kustomization.yaml') || !file.endsWith('.yaml')) continue;
    for (const doc of parseAllDocuments(content)) {
      const manifest = doc.toJS() as KubeManifest | null;
      if (manifest !== null) out.push({ file, manifest });
    }
  }
  return out;
}

/** The objects of the given layer folders (their own files, not subfolders), in the order of `layers`. */
export function layerObjectsOf(root: string, layers: readonly string[]): KubeManifest[] {
  const objects = objectsOf(readTree(root));
  return layers.flatMap((layer) =>
    objects
      .filter((o) => o.file.startsWith(`${layer}/`) && !o.file.slice(layer.length + 1).includes('/'))
      .map((o) => o.manifest),
  );
}
