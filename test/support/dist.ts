import { join } from 'node:path';
import { REFERENCE_DEPLOYMENT } from '../../lib/reference/config';
import { buildEdgeApp } from '../../lib/reference/cdk8s-app';
import { renderObjects, renderTree, RenderedTree, KubeManifest } from '../../lib/synth/render';
import { objectsOf, readTree } from './rendered';

export { objectsOf, readTree };

export const REPO_ROOT = join(__dirname, '..', '..');
export const DIST = join(REPO_ROOT, 'dist');

/** Renders the reference deployment in memory, exactly as `npm run synth` writes it. */
export function renderReferenceTree(): RenderedTree {
  return renderTree(renderObjects(buildEdgeApp(REFERENCE_DEPLOYMENT)));
}

/** The committed dist/ objects. */
export function distObjects(): { file: string; manifest: KubeManifest }[] {
  return objectsOf(readTree(DIST));
}
