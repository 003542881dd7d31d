import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { REFERENCE_DEPLOYMENT } from '../../lib/reference/config';
import { buildEdgeApp } from '../../lib/reference/cdk8s-app';
import { renderObjects, renderTree, RenderedTree, KubeManifest } from '../../lib/synth/render';

export const REPO_ROOT = join(__dirname, '..', '..');
export const DIST = join(REPO_ROOT, 'dist');

/** Renders the reference deployment in memory, exactly as `npm run synth` writes it. */
export function renderReferenceTree(): RenderedTree {
  return renderTree(renderObjects(buildEdgeApp(REFERENCE_DEPLOYMENT)));
}

/** Reads a folder into path → content (paths relative to the folder, sorted). */
export function readTree(root: string): RenderedTree {
  const tree: RenderedTree = new Map();
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir).sort()) {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) walk(path);
      else tree.set(relative(root, path), readFileSync(path, 'utf8'));
    }
  };
  walk(root);
  return tree;
}

/** Every Kubernetes object in a tree (kustomization.yaml files excluded), with the file it came from. */
export function objectsOf(tree: RenderedTree): { file: string; manifest: KubeManifest }[] {
  const out: { file: string; manifest: KubeManifest }[] = [];
  for (const [file, content] of tree) {
    if (file.endsWith('kustomization.yaml') || !file.endsWith('.yaml')) continue;
    for (const doc of parseAllDocuments(content)) out.push({ file, manifest: doc.toJS() as KubeManifest });
  }
  return out;
}

/** The committed dist/ objects. */
export function distObjects(): { file: string; manifest: KubeManifest }[] {
  return objectsOf(readTree(DIST));
}
