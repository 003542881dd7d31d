import { parseAllDocuments } from 'yaml';
import { diffTrees, formatTreeDiff, unifiedDiff } from '../../lib/gitops/diff';
import { toYaml } from '../../lib/synth/render';

const parse = (content: string): unknown[] => parseAllDocuments(content).map((d) => d.toJS());
const cm = (name: string, data: Record<string, string>, namespace = 'demo') => toYaml({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace }, data });

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
      ['core/ConfigMap demo/a', 'unchanged'], ['core/ConfigMap demo/b', 'changed'], ['core/ConfigMap demo/c', 'moved'], ['core/ConfigMap demo/d', 'removed'], ['core/ConfigMap demo/e', 'added'],
    ]);
    expect(result.files.map((f) => [f.path, f.change])).toEqual([['30-apps/kustomization.yaml', 'changed']]);
  });

  test('shows a unified diff of each changed object', () => {
    const b = result.objects.find((o) => o.id.endsWith('/b'))!;
    expect(b.diff).toContain('--- 30-apps/demo_configmap_b.yaml\n+++ 30-apps/demo_configmap_b.yaml\n@@');
    expect(b.diff).toContain('\n-  x: "1"\n+  x: "2"\n');
    const text = formatTreeDiff(result);
    expect(text.split('\n')[0]).toBe('1 added, 1 removed, 1 changed, 1 moved, 1 unchanged objects; 1 other files changed.');
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
    expect(unifiedDiff('a', 'b', from, to)).toBe(['--- a', '+++ b', '@@ -8,7 +8,7 @@', 'line 7', 'line 8', 'line 9', '-line 10', '+line ten', 'line 11', 'line 12', 'line 13', ''].map((l) => (/^(---|\+\+\+|@@|[-+])/.test(l) || l === '' ? l : ` ${l}`)).join('\n'));
  });

  test('diffs additions against /dev/null', () => {
    expect(unifiedDiff('/dev/null', 'b', '', 'a\nb\n')).toBe('--- /dev/null\n+++ b\n@@ -0,0 +1,2 @@\n+a\n+b\n');
  });
});
