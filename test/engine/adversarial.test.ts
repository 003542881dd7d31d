/**
 * The adversarial suite (test/engine/harness/adversarial/): every row of every mechanism's table, in every state its
 * table lists, against the real engine rendered from dist/ (and from the reference deployment's variants for the
 * states `https-redirect-off` and `custom-rules-only`). `npm run verify` prints the same rows.
 *
 *   ENGINE_DIST=<folder>                     the dist under test (default: the committed dist/)
 *   ENGINE_DIST_NO_REDIRECT=<folder>         dist of state https-redirect-off (default: synthesized now)
 *   ENGINE_DIST_CUSTOM_RULES_ONLY=<folder>   dist of state custom-rules-only (default: synthesized now)
 *   SKIP_ENGINE_TESTS=1                      skip this suite explicitly (it says so loudly)
 */
import { DIST } from '../support/dist';
import { ADVERSARIAL_TABLES } from './harness/adversarial';
import {
  formatRowResults,
  removeStateSources,
  RowResult,
  rowsFor,
  runRow,
  startStateEngine,
  StateSources,
  stateSources,
} from './harness/adversarial/run';
import { ENGINE_STATES } from './harness/adversarial/types';
import type { EdgeEngine } from './harness/engine';
import { describeEngine } from './harness/jest-engine';

jest.setTimeout(60000);

const distRoot = process.env.ENGINE_DIST ?? DIST;

describeEngine(`adversarial request shapes against ${process.env.ENGINE_DIST ? distRoot : 'dist/'}`, () => {
  let sources: StateSources | undefined;
  const results: RowResult[] = [];

  beforeAll(() => {
    sources = stateSources(distRoot);
  });

  afterAll(() => {
    if (sources) removeStateSources(sources);
    if (results.some((r) => !r.passed))
      process.stderr.write(`\nAdversarial rows (${distRoot}):\n${formatRowResults(results)}\n\n`);
  });

  test('every table has rows with unique ids, and every state is exercised', () => {
    for (const table of ADVERSARIAL_TABLES) {
      expect(table.rows.length).toBeGreaterThan(0);
      expect(new Set(table.rows.map((r) => r.id)).size).toBe(table.rows.length);
    }
    expect(new Set(ADVERSARIAL_TABLES.map((t) => t.mechanism)).size).toBe(ADVERSARIAL_TABLES.length);
    for (const state of ENGINE_STATES) expect(ADVERSARIAL_TABLES.some((t) => rowsFor(t, state).length > 0)).toBe(true);
  });

  describe.each(ENGINE_STATES.map((s) => [s] as const))('state %s', (state) => {
    let engine: EdgeEngine | undefined;

    beforeAll(async () => {
      engine = await startStateEngine(state, sources!);
    });

    afterAll(async () => {
      await engine?.stop();
    });

    const rows = ADVERSARIAL_TABLES.flatMap((table) =>
      rowsFor(table, state).map((row) => [`${table.mechanism}/${row.id}`, row.title, table, row] as const),
    );
    test.each(rows)('%s: %s', async (_id, _title, table, row) => {
      const result = await runRow(engine!, table, row, state);
      results.push(result);
      expect({ row: `${result.mechanism}/${result.id}`, got: result.got, problems: result.problems }).toEqual({
        row: `${result.mechanism}/${result.id}`,
        got: result.got,
        problems: [],
      });
    });
  });
});
