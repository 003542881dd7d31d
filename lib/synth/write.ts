import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * Writes a tree of relative path → content under `root` (used for synth's scratch folder). Folders and files get the
 * modes the umask gives, as `git checkout` creates them (0755 and 0644 under umask 022). Returns the bytes written.
 */
export function writeTree(root: string, tree: ReadonlyMap<string, string>): number {
  let bytes = 0;
  const made = new Set<string>();
  for (const [path, content] of tree) {
    const file = join(root, path);
    const dir = dirname(file);
    if (!made.has(dir)) {
      mkdirSync(dir, { recursive: true });
      made.add(dir);
    }
    try {
      writeFileSync(file, content);
    } catch (err) {
      // write(2) errors (ENOSPC, EDQUOT, EIO) carry no path: name the file
      if (typeof err === 'object' && err !== null && !('path' in err)) Object.assign(err, { path: file });
      throw err;
    }
    bytes += Buffer.byteLength(content);
  }
  return bytes;
}
