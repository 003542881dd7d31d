/**
 * Three outputs (two cdk8s, one CDKTF) under SIGKILL: a synth killed in the middle of its publish leaves each folder
 * its previous or its new tree, and the next run finishes that publish for all three (roll forward) and says which
 * outputs it published, leaving nothing behind. Real child processes (test/synth/fixtures/three-outputs.ts).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { REPO_ROOT } from '../support/dist';
import { fingerprint, leftovers, startSynth, SynthRun } from './support';

const COMMAND = [
  process.execPath,
  '--import',
  pathToFileURL(join(REPO_ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href,
  join(__dirname, 'fixtures', 'three-outputs.ts'),
];
const SECOND = 'examples/envoy-gateway/dist';

/** Kill points of the publish and which outputs the next run must still publish. */
const KILL_POINTS: readonly { step: string; swapped: readonly string[]; left: readonly string[] }[] = [
  { step: 'published:dist', swapped: ['dist'], left: [SECOND, 'cdktf.out'] },
  { step: `published:${SECOND}`, swapped: ['dist', SECOND], left: ['cdktf.out'] },
];

describe('three outputs under SIGKILL (real child processes)', () => {
  let work: string;
  beforeEach(() => {
    work = mkdtempSync(join(tmpdir(), 'several-kill-'));
    mkdirSync(join(work, 'examples', 'envoy-gateway'), { recursive: true });
  });
  afterEach(() => rmSync(work, { recursive: true, force: true }));

  const run = (name: string): SynthRun => {
    const r = spawnSync(COMMAND[0], [...COMMAND.slice(1), work, name], { cwd: REPO_ROOT, encoding: 'utf8' });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  };
  const folders = { dist: 'dist', [SECOND]: SECOND, 'cdktf.out': 'cdktf.out' } as Record<string, string>;
  const state = (): Record<string, unknown> =>
    Object.fromEntries(Object.entries(folders).map(([label, f]) => [label, fingerprint(join(work, f))]));

  test.each(KILL_POINTS.map((k) => [k.step, k] as const))(
    'killed at %s: each folder old or new, the next run publishes the rest',
    async (_step, point) => {
      expect(run('fresh')).toMatchObject({ status: 0 });
      const fresh = state();
      expect(run('old')).toMatchObject({ status: 0 });
      const old = state();
      expect(old).not.toEqual(fresh);

      const killed = startSynth([work, 'fresh'], { EDGE_SYNTH_TEST_HOOK: `pause:${point.step}` }, COMMAND);
      await killed.waitFor(`synth paused at ${point.step}`);
      killed.child.kill('SIGKILL');
      await killed.done;
      const now = state();
      for (const label of Object.keys(folders))
        expect({ label, tree: now[label] }).toEqual({
          label,
          tree: (point.swapped.includes(label) ? fresh : old)[label],
        });

      const next = run('fresh');
      expect(next).toMatchObject({ status: 0 });
      expect(next.stdout).toContain(
        `note: finished a publish a killed synth left half done (${point.left.map((l) => `${l} published`).join(', ')}; journal `,
      );
      expect(state()).toEqual(fresh);
      expect([...leftovers(work), ...leftovers(join(work, 'examples', 'envoy-gateway'))]).toEqual([]);
    },
  );
});
