import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { readTree } from '../../support/dist';

/**
 * Copies a dist-shaped tree into a new temporary folder, letting `edit` change each file's text (return the text
 * unchanged to keep it, or undefined to drop the file). Used to show that the suite fails when dist is broken.
 */
export function copyDist(source: string, edit: (path: string, content: string) => string | undefined = (_p, c) => c): string {
  const target = mkdtempSync(join(tmpdir(), 'edge-dist-'));
  for (const [path, content] of readTree(source)) {
    const next = edit(path, content);
    if (next === undefined) continue;
    mkdirSync(dirname(join(target, path)), { recursive: true });
    writeFileSync(join(target, path), next);
  }
  return target;
}

/** The fixture tree of the harness's own tests. */
export const FIXTURE_DIST = join(__dirname, '..', 'fixtures', 'dist');
