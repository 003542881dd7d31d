import { mkdirSync, renameSync, rmSync, writeFileSync, existsSync, mkdtempSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

/**
 * Replaces `target` with a folder produced by `produce`, atomically from the reader's point of view:
 * `produce` writes into a fresh sibling folder, and only when it returns is the old folder swapped out.
 * If `produce` throws, the previous `target` is left byte-identical and the scratch folder is removed.
 */
export function replaceFolderAtomically(target: string, produce: (scratch: string) => void): void {
  const absolute = resolve(target);
  mkdirSync(dirname(absolute), { recursive: true });
  const scratch = mkdtempSync(join(dirname(absolute), `.synth-${basename(absolute)}-`));
  try {
    produce(scratch);
  } catch (err) {
    rmSync(scratch, { recursive: true, force: true });
    throw err;
  }
  const old = existsSync(absolute) ? `${scratch}.old` : undefined;
  if (old) renameSync(absolute, old);
  renameSync(scratch, absolute);
  if (old) rmSync(old, { recursive: true, force: true });
}

/** Writes a tree of relative path → content under `root`. */
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
    writeFileSync(file, content);
    bytes += Buffer.byteLength(content);
  }
  return bytes;
}
