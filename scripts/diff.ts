/**
 * `npm run diff`: the review step of the rendered-manifests workflow. Synthesizes the reference deployment in
 * memory (nothing is written) and shows, object by object, what it changes against the committed dist/:
 * added, removed, moved and changed objects, with a unified diff of each changed object, then other changed files
 * (kustomization.yaml). Exit code 0 when nothing changes, 1 when something does (`--exit-code`, for CI), 2 on error.
 *
 *   npm run diff                 summary + unified diffs
 *   npm run diff -- --stat       summary only
 *   npm run diff -- --dist DIR   compare against another folder
 */
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { parseAllDocuments } from 'yaml';
import { REFERENCE_DEPLOYMENT } from '../lib/reference/config';
import { buildEdgeApp } from '../lib/reference/cdk8s-app';
import { renderObjects, renderTree, RenderedTree, toYaml } from '../lib/synth/render';
import { diffTrees, formatTreeDiff, readTreeFrom } from '../lib/gitops/diff';

function main(argv: readonly string[]): number {
  const usage = (arg: string): number => {
    console.error(`diff: unknown argument "${arg}". Usage: diff.ts [--dist DIR] [--stat] [--exit-code]`);
    return 2;
  };
  const { tokens } = parseArgs({
    args: [...argv],
    options: { dist: { type: 'string' }, stat: { type: 'boolean' }, 'exit-code': { type: 'boolean' } },
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  let dist = 'dist';
  let stat = false;
  let exitCode = false;
  for (const t of tokens) {
    if (t.kind !== 'option') return usage(t.kind === 'positional' ? t.value : '--');
    if (t.name === 'dist' && t.value !== undefined && t.value !== '' && (t.inlineValue || !t.value.startsWith('-')))
      dist = t.value;
    else if (t.name === 'stat' && t.value === undefined) stat = true;
    else if (t.name === 'exit-code' && t.value === undefined) exitCode = true;
    else return usage(t.rawName);
  }
  const before: RenderedTree = existsSync(dist) ? readTreeFrom(dist) : new Map();
  const after = renderTree(renderObjects(buildEdgeApp(REFERENCE_DEPLOYMENT)));
  const result = diffTrees(before, after, (content) => parseAllDocuments(content).map((d) => d.toJS()), toYaml);
  console.log(formatTreeDiff(result, { stat, color: process.stdout.isTTY === true }));
  const changed = result.objects.some((o) => o.change !== 'unchanged') || result.files.length > 0;
  return exitCode && changed ? 1 : 0;
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (err) {
  console.error('diff failed:', err instanceof Error ? err.message : err);
  process.exitCode = 2;
}
