/**
 * One-off measurement behind docs/benchmarks.md "What the response-analysis skip saves": how many rule operators
 * libmodsecurity executes per phase for one benign request, for each response edge of the data-plane benchmark
 * (ModSecurity debug log, level 9, counted per phase). A count of work, independent of machine load.
 *
 *   node --import tsx bench/rule-work.ts [--dist DIR]
 */
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../test/support/dist';
import { startEdgeEngine } from '../test/engine/harness/engine';
import { benchmarkDist, VARIANTS } from './data-plane';

const PHASES = ['REQUEST_HEADERS', 'REQUEST_BODY', 'RESPONSE_HEADERS', 'RESPONSE_BODY', 'LOGGING'] as const;

/** Operators executed per phase in a level-9 ModSecurity debug log of one transaction. */
export function operatorsPerPhase(debugLog: string): Record<string, number> {
  const counts: Record<string, number> = Object.fromEntries(PHASES.map((p) => [p, 0]));
  let phase: string | undefined;
  for (const line of debugLog.split('\n')) {
    const start = /Starting phase ([A-Z_]+)\./.exec(line);
    if (start) phase = start[1];
    else if (phase && / Executing operator /.test(line)) counts[phase] = (counts[phase] ?? 0) + 1;
  }
  return counts;
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const distRoot = argv.includes('--dist') ? argv[argv.indexOf('--dist') + 1] : join(REPO_ROOT, 'dist');
  const rows: string[] = [];
  for (const id of ['ours', 'old-default', 'bodies-off-no-skip']) {
    const copy = benchmarkDist(
      distRoot,
      VARIANTS.find((v) => v.id === id)!,
    );
    const log = join(tmpdir(), `rule-work-${id}-${process.pid}.log`);
    const engine = await startEdgeEngine({
      distRoot: copy,
      transformConf: (c) =>
        c.replace("modsecurity_rules '", `modsecurity_rules '\nSecDebugLog ${log}\nSecDebugLogLevel 9\n`),
    });
    try {
      const { response } = await engine.request({
        path: '/api/patients?page=2',
        marker: `rule-work-${id}`,
        headers: { accept: 'application/json' },
      });
      if (response.status !== 200) throw new Error(`${id}: status ${response.status}`);
    } finally {
      await engine.stop();
      rmSync(copy, { recursive: true, force: true });
    }
    const counts = operatorsPerPhase(readFileSync(log, 'utf8'));
    rmSync(log, { force: true });
    rows.push(`${id.padEnd(20)} ${PHASES.map((p) => `${p} ${counts[p]}`).join(', ')}`);
  }
  console.log('operators executed for one benign GET with a JSON answer (harness echo upstream):');
  for (const r of rows) console.log(r);
}

if (require.main === module) {
  main().catch((err: Error) => {
    console.error(`rule-work failed: ${err.message}`);
    process.exitCode = 1;
  });
}
