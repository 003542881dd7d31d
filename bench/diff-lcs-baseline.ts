/**
 * The unified diff `lib/gitops/diff.ts` had before it used jsdiff (commit 6808805, `unifiedDiff`), kept only as the
 * baseline of `bench/diff.ts`: a full longest-common-subsequence table, O(n·m) time and memory. Not used by the
 * library.
 */
export function lcsUnifiedDiff(fromName: string, toName: string, from: string, to: string, context = 3): string {
  if (from === to) return '';
  const x = from === '' ? [] : from.replace(/\n$/, '').split('\n');
  const y = to === '' ? [] : to.replace(/\n$/, '').split('\n');
  const lcs: number[][] = Array.from({ length: x.length + 1 }, () => new Array<number>(y.length + 1).fill(0));
  for (let i = x.length - 1; i >= 0; i--)
    for (let j = y.length - 1; j >= 0; j--)
      lcs[i][j] = x[i] === y[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
  const ops: { op: ' ' | '-' | '+'; line: string; i: number; j: number }[] = [];
  let i = 0;
  let j = 0;
  while (i < x.length || j < y.length) {
    if (i < x.length && j < y.length && x[i] === y[j]) {
      ops.push({ op: ' ', line: x[i], i, j });
      i++;
      j++;
    } else if (i < x.length && (j >= y.length || lcs[i + 1][j] >= lcs[i][j + 1])) {
      ops.push({ op: '-', line: x[i], i, j });
      i++;
    } else {
      ops.push({ op: '+', line: y[j], i, j });
      j++;
    }
  }
  const out = [`--- ${fromName}`, `+++ ${toName}`];
  let k = 0;
  while (k < ops.length) {
    if (ops[k].op === ' ') {
      k++;
      continue;
    }
    const start = Math.max(0, k - context);
    let end = k;
    for (;;) {
      while (end < ops.length && ops[end].op !== ' ') end++;
      let next = end;
      while (next < ops.length && ops[next].op === ' ') next++;
      if (next < ops.length && next - end <= 2 * context) {
        end = next;
        continue;
      }
      end = Math.min(ops.length, end + context);
      break;
    }
    const hunk = ops.slice(start, end);
    const oldStart = hunk[0].i + 1;
    const newStart = hunk[0].j + 1;
    const oldLen = hunk.filter((o) => o.op !== '+').length;
    const newLen = hunk.filter((o) => o.op !== '-').length;
    out.push(
      `@@ -${oldLen === 0 ? oldStart - 1 : oldStart},${oldLen} +${newLen === 0 ? newStart - 1 : newStart},${newLen} @@`,
    );
    for (const o of hunk) out.push(`${o.op}${o.line}`);
    k = end;
  }
  return `${out.join('\n')}\n`;
}
