import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isErrno } from './errors';

/**
 * Name of the manifest synth writes into each output folder: every file it wrote, one relative path a line. A dotfile
 * without a .yaml/.json suffix, so that kustomize, `kubectl apply -R`, Argo CD and Flux never read it as an object.
 */
export const MANIFEST = '.synth-manifest';

const HEADER =
  '# Files written by `npm run synth` (aks-waf-mtls-edge). synth replaces this folder only while it holds\n# nothing but these files; anything else stops it (nothing is deleted).\n';

/** Every file under `root`, relative, `/`-separated, sorted. */
export function listFiles(root: string): string[] {
  const files: string[] = [];
  const walk = (dir: string, prefix: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const rel = prefix + entry.name;
      if (entry.isDirectory()) walk(join(dir, entry.name), `${rel}/`);
      else files.push(rel);
    }
  };
  walk(root, '');
  return files.sort();
}

/** Writes the manifest of the files under `root` (the manifest itself excluded). */
export function writeManifest(root: string): string[] {
  const files = listFiles(root).filter((f) => f !== MANIFEST);
  writeFileSync(join(root, MANIFEST), HEADER + files.map((f) => `${f}\n`).join(''));
  return files;
}

/** The files a previous synth listed in `root`, or undefined when the folder has no manifest. */
export function readManifest(root: string): Set<string> | undefined {
  try {
    const text = readFileSync(join(root, MANIFEST), 'utf8');
    return new Set(text.split('\n').filter((l) => l && !l.startsWith('#')));
  } catch (err) {
    if (isErrno(err) && err.code === 'ENOENT') return undefined;
    throw err;
  }
}
