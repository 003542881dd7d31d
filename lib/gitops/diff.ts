import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { styleText } from 'node:util';
import { structuredPatch } from 'diff';

/**
 * Object-by-object comparison of two rendered `dist/` trees (path → content): the review step of the
 * rendered-manifests workflow (`npm run diff`). Objects are matched by API group, kind, namespace and name, so a
 * version bump or a move between layers shows as a change of one object, not as a removal plus an addition.
 */

/** What happened to one object between two trees. */
export interface ObjectChange {
  /** `group/kind namespace/name`. */
  readonly id: string;
  /**
   * `added` (only in the new tree), `removed` (only in the old), `changed` (same file, different YAML), `moved`
   * (another file, with or without a content change) or `unchanged`.
   */
  readonly change: 'added' | 'removed' | 'changed' | 'moved' | 'unchanged';
  /** File in the old tree. */
  readonly before?: string;
  /** File in the new tree. */
  readonly after?: string;
  /** Unified diff of the object's YAML (changed and moved objects). */
  readonly diff?: string;
}

/** A non-object file (kustomization.yaml, ...) that differs. */
export interface FileChange {
  /** Path relative to the tree root, e.g. `10-controller/kustomization.yaml`. */
  readonly path: string;
  /** `added` (only in the new tree), `removed` (only in the old) or `changed`. */
  readonly change: 'added' | 'removed' | 'changed';
  /** Unified diff of the file (3 lines of context; `/dev/null` stands for the missing side). */
  readonly diff: string;
}

/** Result of {@link diffTrees}. */
export interface TreeDiff {
  /** Every object of either tree (unchanged ones included), sorted by id. */
  readonly objects: readonly ObjectChange[];
  /** The non-object files (kustomization.yaml, ...) that differ, sorted by path; equal files are left out. */
  readonly files: readonly FileChange[];
}

interface Manifest {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string; namespace?: string };
}

/** Reads a folder into path → content (paths relative to it, sorted). */
export function readTreeFrom(root: string): Map<string, string> {
  const tree = new Map<string, string>();
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

function isObjectFile(path: string): boolean {
  return /\.ya?ml$/.test(path) && !/(^|\/)kustomization\.ya?ml$/.test(path);
}

function identity(m: Manifest): string {
  const group = m.apiVersion?.includes('/') ? m.apiVersion.split('/')[0] : 'core';
  return `${group}/${m.kind} ${m.metadata?.namespace ?? ''}/${m.metadata?.name}`.replace(' /', ' ');
}

function index(
  tree: ReadonlyMap<string, string>,
  parse: (content: string) => unknown[],
  stringify: (m: unknown) => string,
): Map<string, { file: string; yaml: string }> {
  const out = new Map<string, { file: string; yaml: string }>();
  for (const [file, content] of tree) {
    if (!isObjectFile(file)) continue;
    for (const doc of parse(content)) {
      if (!doc || typeof doc !== 'object') continue;
      out.set(identity(doc as Manifest), { file, yaml: stringify(doc) });
    }
  }
  return out;
}

/**
 * Compares two trees object by object; `parse` splits a YAML file into objects, `stringify` renders one canonically.
 */
export function diffTrees(
  before: ReadonlyMap<string, string>,
  after: ReadonlyMap<string, string>,
  parse: (content: string) => unknown[],
  stringify: (m: unknown) => string,
): TreeDiff {
  const a = index(before, parse, stringify);
  const b = index(after, parse, stringify);
  const objects: ObjectChange[] = [];
  for (const id of [...new Set([...a.keys(), ...b.keys()])].sort()) {
    const x = a.get(id);
    const y = b.get(id);
    if (!x) objects.push({ id, change: 'added', after: y!.file, diff: unifiedDiff('/dev/null', y!.file, '', y!.yaml) });
    else if (!y)
      objects.push({ id, change: 'removed', before: x.file, diff: unifiedDiff(x.file, '/dev/null', x.yaml, '') });
    else if (x.yaml !== y.yaml)
      objects.push({
        id,
        change: x.file === y.file ? 'changed' : 'moved',
        before: x.file,
        after: y.file,
        diff: unifiedDiff(x.file, y.file, x.yaml, y.yaml),
      });
    else if (x.file !== y.file) objects.push({ id, change: 'moved', before: x.file, after: y.file });
    else objects.push({ id, change: 'unchanged', before: x.file, after: y.file });
  }
  const files: FileChange[] = [];
  for (const path of [...new Set([...before.keys(), ...after.keys()])].sort()) {
    if (isObjectFile(path)) continue;
    const x = before.get(path);
    const y = after.get(path);
    if (x === y) continue;
    files.push({
      path,
      change: x === undefined ? 'added' : y === undefined ? 'removed' : 'changed',
      diff: unifiedDiff(x === undefined ? '/dev/null' : path, y === undefined ? '/dev/null' : path, x ?? '', y ?? ''),
    });
  }
  return { objects, files };
}

/**
 * A unified diff (3 lines of context) of two texts, empty when they are equal. The line diff is jsdiff's
 * `structuredPatch` (Myers' O(ND) algorithm: time and memory grow with the size of the change, not with the product
 * of the two lengths as the LCS table this replaced did; bench/diff.ts measures both, docs/benchmarks.md has the
 * numbers). Both texts are read as ending in a newline, so no `\ No newline at end of file` marker appears; hunk
 * headers follow GNU diff (a zero-length side starts at the line before).
 */
export function unifiedDiff(fromName: string, toName: string, from: string, to: string, context = 3): string {
  if (from === to) return '';
  const withNewline = (text: string): string => (text === '' || text.endsWith('\n') ? text : `${text}\n`);
  const patch = structuredPatch(fromName, toName, withNewline(from), withNewline(to), undefined, undefined, {
    context,
  });
  const out = [`--- ${fromName}`, `+++ ${toName}`];
  for (const h of patch.hunks) {
    out.push(
      `@@ -${h.oldLines === 0 ? h.oldStart - 1 : h.oldStart},${h.oldLines} +${h.newLines === 0 ? h.newStart - 1 : h.newStart},${h.newLines} @@`,
    );
    out.push(...h.lines);
  }
  return `${out.join('\n')}\n`;
}

/** Options of {@link formatTreeDiff}. */
export interface FormatOptions {
  /**
   * Summary only, no unified diffs.
   * @default false
   */
  readonly stat?: boolean;
  /**
   * ANSI colours.
   * @default false
   */
  readonly color?: boolean;
}

/** Human-readable report: one line per changed object, then the diffs. */
export function formatTreeDiff(d: TreeDiff, options: FormatOptions = {}): string {
  // The caller decides (scripts/diff.ts: stdout is a TTY); styleText must not second-guess it from process.stdout.
  type Format = Parameters<typeof styleText>[0];
  const paint = (format: Format, s: string): string =>
    options.color ? styleText(format, s, { validateStream: false }) : s;
  const changed = d.objects.filter((o) => o.change !== 'unchanged');
  const count = (c: ObjectChange['change']): number => d.objects.filter((o) => o.change === c).length;
  const lines: string[] = [];
  if (changed.length === 0 && d.files.length === 0)
    return `dist/ is up to date: ${d.objects.length} objects unchanged.`;
  lines.push(
    `${count('added')} added, ${count('removed')} removed, ${count('changed')} changed, ${count('moved')} moved, ${count('unchanged')} unchanged objects; ${d.files.length} other files changed.`,
  );
  for (const o of changed) {
    const where = o.change === 'moved' ? `${o.before} -> ${o.after}` : (o.after ?? o.before);
    const mark = {
      added: paint('green', '+ added  '),
      removed: paint('red', '- removed'),
      changed: paint('yellow', '~ changed'),
      moved: paint('cyan', '> moved  '),
      unchanged: '',
    }[o.change];
    lines.push(`  ${mark} ${o.id}  (${where})`);
  }
  for (const f of d.files) lines.push(`  ${paint('yellow', `~ ${f.change.padEnd(7)}`)} ${f.path}`);
  if (!options.stat) {
    for (const o of changed) {
      if (!o.diff) continue;
      lines.push('', paint('bold', `# ${o.change}: ${o.id}`));
      lines.push(
        ...o.diff
          .replace(/\n$/, '')
          .split('\n')
          .map((l) =>
            l.startsWith('+') && !l.startsWith('+++')
              ? paint('green', l)
              : l.startsWith('-') && !l.startsWith('---')
                ? paint('red', l)
                : l,
          ),
      );
    }
    for (const f of d.files) {
      lines.push('', paint('bold', `# ${f.change}: ${f.path}`));
      lines.push(...f.diff.replace(/\n$/, '').split('\n'));
    }
  }
  return lines.join('\n');
}
