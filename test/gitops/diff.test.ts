import { parseAllDocuments } from 'yaml';
import { applyPatch } from 'diff';
import { lcsUnifiedDiff } from '../../bench/diff-lcs-baseline';
import { diffTrees, formatTreeDiff, unifiedDiff } from '../../lib/gitops/diff';
import { toYaml } from '../../lib/synth/render';

const parse = (content: string): unknown[] => parseAllDocuments(content).map((d) => d.toJS());
const cm = (name: string, data: Record<string, string>, namespace = 'demo') =>
  toYaml({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace }, data });

describe('diffTrees', () => {
  const before = new Map([
    ['30-apps/demo_configmap_a.yaml', cm('a', { x: '1' })],
    ['30-apps/demo_configmap_b.yaml', cm('b', { x: '1' })],
    ['30-apps/demo_configmap_c.yaml', cm('c', { x: '1' })],
    ['30-apps/demo_configmap_d.yaml', cm('d', { x: '1' })],
    ['30-apps/kustomization.yaml', 'resources:\n  - a\n'],
  ]);
  const after = new Map([
    ['30-apps/demo_configmap_a.yaml', cm('a', { x: '1' })],
    ['30-apps/demo_configmap_b.yaml', cm('b', { x: '2' })],
    ['20-certificates/demo_configmap_c.yaml', cm('c', { x: '1' })],
    ['30-apps/demo_configmap_e.yaml', cm('e', { x: '1' })],
    ['30-apps/kustomization.yaml', 'resources:\n  - b\n'],
  ]);
  const result = diffTrees(before, after, parse, toYaml);

  test('classifies objects by identity: unchanged, changed, moved, removed, added', () => {
    expect(result.objects.map((o) => [o.id, o.change])).toEqual([
      ['core/ConfigMap demo/a', 'unchanged'],
      ['core/ConfigMap demo/b', 'changed'],
      ['core/ConfigMap demo/c', 'moved'],
      ['core/ConfigMap demo/d', 'removed'],
      ['core/ConfigMap demo/e', 'added'],
    ]);
    expect(result.files.map((f) => [f.path, f.change])).toEqual([['30-apps/kustomization.yaml', 'changed']]);
  });

  test('shows a unified diff of each changed object', () => {
    const b = result.objects.find((o) => o.id.endsWith('/b'))!;
    expect(b.diff).toContain('--- 30-apps/demo_configmap_b.yaml\n+++ 30-apps/demo_configmap_b.yaml\n@@');
    expect(b.diff).toContain('\n-  x: "1"\n+  x: "2"\n');
    const text = formatTreeDiff(result);
    expect(text.split('\n')[0]).toBe(
      '1 added, 1 removed, 1 changed, 1 moved, 1 unchanged objects; 1 other files changed.',
    );
    expect(text).toContain('# changed: core/ConfigMap demo/b');
    expect(formatTreeDiff(result, { stat: true })).not.toContain('@@');
  });

  test('reports an up-to-date tree', () => {
    expect(formatTreeDiff(diffTrees(before, before, parse, toYaml))).toBe('dist/ is up to date: 4 objects unchanged.');
  });
});

describe('unifiedDiff', () => {
  test('is empty for equal texts and produces hunks with context', () => {
    expect(unifiedDiff('a', 'b', 'x\n', 'x\n')).toBe('');
    const from = Array.from({ length: 20 }, (_, i) => `line ${i}`).join('\n');
    const to = from.replace('line 10', 'line ten');
    expect(unifiedDiff('a', 'b', from, to)).toBe(
      [
        '--- a',
        '+++ b',
        '@@ -8,7 +8,7 @@',
        'line 7',
        'line 8',
        'line 9',
        '-line 10',
        '+line ten',
        'line 11',
        'line 12',
        'line 13',
        '',
      ]
        .map((l) => (/^(---|\+\+\+|@@|[-+])/.test(l) || l === '' ? l : ` ${l}`))
        .join('\n'),
    );
  });

  test('diffs additions against /dev/null', () => {
    expect(unifiedDiff('/dev/null', 'b', '', 'a\nb\n')).toBe('--- /dev/null\n+++ b\n@@ -0,0 +1,2 @@\n+a\n+b\n');
  });
});

describe('unifiedDiff on large objects and in colour', () => {
  test('diffs a 10 000-line object with one change into one hunk', () => {
    const from = `${Array.from({ length: 10000 }, (_, i) => `rule ${i}`).join('\n')}\n`;
    const to = from.replace('rule 5000\n', 'rule five thousand\n');
    expect(unifiedDiff('a', 'b', from, to)).toBe(
      '--- a\n+++ b\n@@ -4998,7 +4998,7 @@\n rule 4997\n rule 4998\n rule 4999\n-rule 5000\n+rule five thousand\n rule 5001\n rule 5002\n rule 5003\n',
    );
  });

  test('keeps hunks apart beyond twice the context and merges them within it', () => {
    const from = `${Array.from({ length: 30 }, (_, i) => `l${i}`).join('\n')}\n`;
    const apart = unifiedDiff('a', 'b', from, from.replace('l5\n', 'x\n').replace('l20\n', 'y\n'));
    expect(apart.match(/^@@ .* @@$/gm)).toEqual(['@@ -3,7 +3,7 @@', '@@ -18,7 +18,7 @@']);
    const near = unifiedDiff('a', 'b', from, from.replace('l5\n', 'x\n').replace('l11\n', 'y\n'));
    expect(near.match(/^@@ .* @@$/gm)).toEqual(['@@ -3,13 +3,13 @@']);
  });

  test('treats a missing final newline like a present one (no "No newline" marker)', () => {
    expect(unifiedDiff('a', 'b', 'x\ny', 'x\nz\n')).toBe('--- a\n+++ b\n@@ -1,2 +1,2 @@\n x\n-y\n+z\n');
  });

  test('colours the report only when asked, whatever stdout is', () => {
    const before = new Map([['a.yaml', cm('a', { x: '1' })]]);
    const after = new Map([['a.yaml', cm('a', { x: '2' })]]);
    const d = diffTrees(before, after, parse, toYaml);
    expect(formatTreeDiff(d)).not.toContain('\u001b[');
    const coloured = formatTreeDiff(d, { color: true });
    expect(coloured).toContain('\u001b[33m~ changed\u001b[39m');
    expect(coloured).toContain('\u001b[32m+  x: "2"\u001b[39m');
    expect(coloured).toContain('\u001b[1m# changed: core/ConfigMap demo/a\u001b[22m');
  });
});

describe('unifiedDiff against the LCS table it replaced', () => {
  // Seeded random edits of short texts with many equal lines (where alignments are ambiguous).
  const cases = ((): { from: string; to: string }[] => {
    let seed = 7;
    const rnd = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    return Array.from({ length: 500 }, () => {
      const a = Array.from({ length: rnd(40) }, () => `l${rnd(6)}`);
      const b = [...a];
      for (let e = rnd(5); e > 0; e--) {
        const p = rnd(b.length + 1);
        const k = rnd(3);
        if (k === 0) b.splice(p, 1);
        else if (k === 1) b.splice(p, 0, `n${rnd(6)}`);
        else b[p] = `c${rnd(3)}`;
      }
      const text = (l: string[]): string => (l.length ? `${l.join('\n')}\n` : '');
      return { from: text(a), to: text(b) };
    });
  })();
  const changedLines = (d: string): number =>
    d.split('\n').filter((l) => /^[-+]/.test(l) && !/^(---|\+\+\+) /.test(l)).length;

  test('changes as few lines as the LCS table did, and its patch turns the old text into the new', () => {
    for (const { from, to } of cases) {
      const d = unifiedDiff('a', 'b', from, to);
      expect(changedLines(d)).toBe(changedLines(lcsUnifiedDiff('a', 'b', from, to)));
      if (d !== '') expect(applyPatch(from, d)).toBe(to);
    }
  });
});
