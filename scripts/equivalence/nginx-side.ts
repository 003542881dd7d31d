/**
 * The ingress-nginx column's adversarial part: every adversarial row in every state its table lists, one real nginx
 * + libmodsecurity engine per state, on dist/ and the reference deployment's state variants (test/engine/harness/
 * adversarial/run.ts). Shared by `npm run verify` and test/engine/equivalence.test.ts.
 */
import { ADVERSARIAL_TABLES } from '../../test/engine/harness/adversarial';
import {
  removeStateSources,
  RowResult,
  rowsFor,
  runRow,
  startStateEngine,
  stateSources,
} from '../../test/engine/harness/adversarial/run';
import { ENGINE_STATES } from '../../test/engine/harness/adversarial/types';

/** Every adversarial row in every state its table lists, one engine per state. */
export async function runNginxAdversarial(distRoot: string): Promise<RowResult[]> {
  const sources = stateSources(distRoot);
  const results: RowResult[] = [];
  try {
    for (const state of ENGINE_STATES) {
      const engine = await startStateEngine(state, sources);
      try {
        for (const table of ADVERSARIAL_TABLES)
          for (const row of rowsFor(table, state)) results.push(await runRow(engine, table, row, state));
      } finally {
        await engine.stop();
      }
    }
  } finally {
    removeStateSources(sources);
  }
  return results;
}
