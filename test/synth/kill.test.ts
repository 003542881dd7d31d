/**
 * The real `npm run synth` (main.ts) killed with SIGKILL at every step of its publish, then run again: each output
 * folder is at every instant the previous tree or the new tree (with renameat2(RENAME_EXCHANGE)), or — in the fallback
 * without it, only between the two renames of that folder, the window docs/synth.md names — absent; never a mix
 * inside one folder. The next run finishes the publish (roll
 * forward) or, if it had not started, keeps the previous trees, and leaves nothing behind.
 * Also: two synths at once, a lock held by a live process, a stale lock of a dead one.
 */
import { appendFileSync, cpSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Fingerprint, fingerprint, leftovers, runSynth, startSynth, SYNTH_COMMAND } from './support';

type State = 'old' | 'new' | 'absent';

type KillPoint = { step: string; dist: State; cdktf: State; recovered: 'old' | 'new' };

/** Kill points, in publish order: where the process is stopped, what each folder must then be, what the next run makes of it. */
const KILL_POINTS: readonly KillPoint[] = [
  { step: 'locked', dist: 'old', cdktf: 'old', recovered: 'old' },
  { step: 'recovered', dist: 'old', cdktf: 'old', recovered: 'old' },
  { step: 'staged', dist: 'old', cdktf: 'old', recovered: 'old' },
  { step: 'journal-written', dist: 'old', cdktf: 'old', recovered: 'new' },
  { step: 'swap:dist', dist: 'old', cdktf: 'old', recovered: 'new' },
  { step: 'published:dist', dist: 'new', cdktf: 'old', recovered: 'new' },
  { step: 'swap:cdktf.out', dist: 'new', cdktf: 'old', recovered: 'new' },
  { step: 'published:cdktf.out', dist: 'new', cdktf: 'new', recovered: 'new' },
  { step: 'journal-removed', dist: 'new', cdktf: 'new', recovered: 'new' },
];

/**
 * With renameat2(RENAME_EXCHANGE) (exchange.ts) no step leaves a folder absent. Where it cannot be called, the
 * fallback renames the folder aside first: these extra kill points are the one window docs/synth.md names. Both modes
 * run here, the fallback forced with EDGE_SYNTH_TEST_NO_EXCHANGE.
 */
const FALLBACK_KILL_POINTS: readonly KillPoint[] = [
  ...KILL_POINTS,
  { step: 'moved-aside:dist', dist: 'absent', cdktf: 'old', recovered: 'new' },
  { step: 'moved-aside:cdktf.out', dist: 'new', cdktf: 'absent', recovered: 'new' },
];
const MODES = [
  ...KILL_POINTS.map((p) => ({ mode: 'exchange', env: {} as Record<string, string>, ...p })),
  ...FALLBACK_KILL_POINTS.map((p) => ({
    mode: 'fallback',
    env: { EDGE_SYNTH_TEST_NO_EXCHANGE: '1' } as Record<string, string>,
    ...p,
  })),
];

describe('synth under SIGKILL and concurrency (real main.ts in child processes)', () => {
  let work: string;
  let template: string;
  const fresh: { dist?: Fingerprint; cdktf?: Fingerprint } = {};
  const previous: { dist?: Fingerprint; cdktf?: Fingerprint } = {};
  const args = (dir: string): string[] => ['--dist', join(dir, 'dist'), '--cdktf-out', join(dir, 'cdktf.out')];

  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'synth-kill-'));
    template = join(work, 'template');
    const run = runSynth(args(template));
    expect(run).toMatchObject({ status: 0 });
    fresh.dist = fingerprint(join(template, 'dist'));
    fresh.cdktf = fingerprint(join(template, 'cdktf.out'));
    // The "previous" output: the same files with other content (one file fewer), as an older commit would have them.
    appendFileSync(join(template, 'dist', 'kustomization.yaml'), '# previous synth\n');
    unlinkSync(join(template, 'dist', '30-apps', 'kustomization.yaml'));
    appendFileSync(join(template, 'cdktf.out', 'manifest.json'), '\n');
    previous.dist = fingerprint(join(template, 'dist'));
    previous.cdktf = fingerprint(join(template, 'cdktf.out'));
    expect(previous.dist).not.toEqual(fresh.dist);
  }, 120_000);
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  function previousOutputs(name: string): string {
    const dir = join(work, name);
    cpSync(template, dir, { recursive: true });
    expect({ dist: fingerprint(join(dir, 'dist')), cdktf: fingerprint(join(dir, 'cdktf.out')) }).toEqual(previous);
    return dir;
  }
  const expected = (state: State, which: 'dist' | 'cdktf'): Fingerprint | undefined =>
    state === 'absent' ? undefined : state === 'old' ? previous[which] : fresh[which];

  test.each(MODES)(
    '$mode: SIGKILL at $step: dist is $dist, cdktf.out is $cdktf; the next run makes both $recovered and leaves nothing behind',
    async ({ mode, env, step, dist, cdktf, recovered }) => {
      const dir = previousOutputs(`kill-${mode}-${step.replace(/\W/g, '-')}`);
      const synth = startSynth(args(dir), { ...env, EDGE_SYNTH_TEST_HOOK: `pause:${step}` });
      await synth.waitFor(`synth paused at ${step}`);
      synth.child.kill('SIGKILL');
      expect((await synth.done).status).toBeNull();
      expect({ dist: fingerprint(join(dir, 'dist')), cdktf: fingerprint(join(dir, 'cdktf.out')) }).toEqual({
        dist: expected(dist, 'dist'),
        cdktf: expected(cdktf, 'cdktf'),
      });

      // The next run, stopped by an injected failure right after its recovery step: what recovery alone did.
      const next = runSynth(args(dir), { env: { ...env, EDGE_SYNTH_TEST_HOOK: 'fail:recovered' } });
      expect(next.status).toBe(1);
      expect(next.stderr).toMatch(
        /^synth failed: cannot rename recovered: input\/output error \(EIO\); .* were not changed\n$/,
      );
      expect({ dist: fingerprint(join(dir, 'dist')), cdktf: fingerprint(join(dir, 'cdktf.out')) }).toEqual({
        dist: expected(recovered, 'dist'),
        cdktf: expected(recovered, 'cdktf'),
      });
      expect(leftovers(dir)).toEqual([]);
    },
    120_000,
  );

  test('fallback: after a SIGKILL between the renames of dist, a plain next run restores it, says so, and writes the new output', async () => {
    const dir = previousOutputs('kill-then-run');
    const synth = startSynth(args(dir), {
      EDGE_SYNTH_TEST_NO_EXCHANGE: '1',
      EDGE_SYNTH_TEST_HOOK: 'pause:moved-aside:dist',
    });
    await synth.waitFor('synth paused at moved-aside:dist');
    synth.child.kill('SIGKILL');
    await synth.done;
    const next = runSynth(args(dir));
    expect(next.status).toBe(0);
    expect(next.stdout).toMatch(/^note: removed the stale lock .*\.synth-(dist|cdktf\.out)\.lock of pid \d+/m);
    expect(next.stdout).toMatch(
      /^note: finished a publish a killed synth left half done \(dist published, cdktf\.out published; journal /m,
    );
    expect({ dist: fingerprint(join(dir, 'dist')), cdktf: fingerprint(join(dir, 'cdktf.out')) }).toEqual(fresh);
    expect(leftovers(dir)).toEqual([]);
  }, 120_000);

  test('a run with only one of the outputs (--only cdk8s) still finishes a publish of both that a SIGKILL interrupted', async () => {
    const dir = previousOutputs('kill-then-only');
    const synth = startSynth(args(dir), { EDGE_SYNTH_TEST_HOOK: 'pause:published:dist' });
    await synth.waitFor('synth paused at published:dist');
    synth.child.kill('SIGKILL');
    await synth.done;
    expect({ dist: fingerprint(join(dir, 'dist')), cdktf: fingerprint(join(dir, 'cdktf.out')) }).toEqual({
      dist: fresh.dist,
      cdktf: previous.cdktf,
    });
    const next = runSynth(['--only', 'cdk8s', ...args(dir)]);
    expect(next.status).toBe(0);
    expect(next.stdout).toMatch(
      /^note: finished a publish a killed synth left half done \(cdktf\.out published; journal /m,
    );
    expect({ dist: fingerprint(join(dir, 'dist')), cdktf: fingerprint(join(dir, 'cdktf.out')) }).toEqual(fresh);
    expect(leftovers(dir)).toEqual([]);
  }, 120_000);

  test("a library user's own synth script gets the same: killed mid-publish, its next run finishes the publish", async () => {
    const dir = join(work, 'user-app');
    const user = (name: string, env: Record<string, string> = {}) =>
      startSynth(
        [join(__dirname, 'fixtures', 'user-app.ts'), join(dir, 'out', 'dist'), join(dir, 'out', 'tf'), name],
        env,
        SYNTH_COMMAND.slice(0, 3),
      );
    expect((await user('first').done).status).toBe(0);
    const before = { dist: fingerprint(join(dir, 'out', 'dist')), tf: fingerprint(join(dir, 'out', 'tf')) };
    const killed = user('second', {
      EDGE_SYNTH_TEST_NO_EXCHANGE: '1',
      EDGE_SYNTH_TEST_HOOK: 'pause:moved-aside:cdktf.out',
    });
    await killed.waitFor('synth paused at moved-aside:cdktf.out');
    killed.child.kill('SIGKILL');
    await killed.done;
    expect(fingerprint(join(dir, 'out', 'tf'))).toBeUndefined();
    const next = await user('second').done;
    expect(next).toMatchObject({ status: 0, stderr: '' });
    expect(next.stdout).toMatch(
      /^note: finished a publish a killed synth left half done \(cdktf\.out published; journal /m,
    );
    expect(Object.keys(fingerprint(join(dir, 'out', 'tf')) ?? {})).toEqual([
      '.',
      '.synth-manifest',
      'stacks',
      'stacks/second',
      'stacks/second/cdk.tf.json',
    ]);
    expect(fingerprint(join(dir, 'out', 'dist'))).not.toEqual(before.dist);
    expect(leftovers(join(dir, 'out'))).toEqual([]);

    // and its hand-added file is reported, not deleted
    writeFileSync(join(dir, 'out', 'dist', 'README.md'), 'mine\n');
    const after = { dist: fingerprint(join(dir, 'out', 'dist')), tf: fingerprint(join(dir, 'out', 'tf')) };
    const refused = await user('third').done;
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(
      /^user synth failed: dist ".*\/out\/dist" holds 1 file synth did not write: README\.md /,
    );
    expect({ dist: fingerprint(join(dir, 'out', 'dist')), tf: fingerprint(join(dir, 'out', 'tf')) }).toEqual(after);
  }, 120_000);

  test('two synths at once: the second waits for the first, both succeed, the outputs are whole, nothing is left behind', async () => {
    const dir = previousOutputs('concurrent');
    const release = join(dir, 'release');
    const first = startSynth(args(dir), { EDGE_SYNTH_TEST_HOOK: 'hold:staged', EDGE_SYNTH_TEST_RELEASE: release });
    await first.waitFor('synth paused at staged');
    const second = startSynth(args(dir));
    await second.waitFor('synth: waiting up to 60 s for cdktf.out: another synth holds');
    writeFileSync(release, '');
    const [a, b] = await Promise.all([first.done, second.done]);
    unlinkSync(release);
    expect([a.status, b.status]).toEqual([0, 0]);
    expect({ dist: fingerprint(join(dir, 'dist')), cdktf: fingerprint(join(dir, 'cdktf.out')) }).toEqual(fresh);
    expect(leftovers(dir)).toEqual([]);
  }, 120_000);

  test('two synths started together (no hook) both succeed and leave whole outputs', async () => {
    const dir = previousOutputs('concurrent-plain');
    const runs = await Promise.all([startSynth(args(dir)).done, startSynth(args(dir)).done]);
    expect(runs.map((r) => [r.status, r.stderr.replace(/^synth: waiting .*\n/m, '')])).toEqual([
      [0, ''],
      [0, ''],
    ]);
    expect({ dist: fingerprint(join(dir, 'dist')), cdktf: fingerprint(join(dir, 'cdktf.out')) }).toEqual(fresh);
    expect(leftovers(dir)).toEqual([]);
  }, 120_000);

  test('rejects a second synth while a live one holds the lock (--lock-wait 0): one line, who holds it, nothing changed', async () => {
    const dir = previousOutputs('locked');
    const release = join(dir, 'release');
    const first = startSynth(args(dir), { EDGE_SYNTH_TEST_HOOK: 'hold:locked', EDGE_SYNTH_TEST_RELEASE: release });
    await first.waitFor('synth paused at locked');
    const second = runSynth([...args(dir), '--lock-wait', '0']);
    expect(second.status).toBe(1);
    expect(second.stderr).toMatch(
      /^synth failed: (cdktf\.out|dist) is being synthesized by another process \(pid \d+ on .+ since .+, lock .+\.lock\); nothing was changed\. Fix: wait for it to finish, or delete the lock file if that process no longer exists\n$/,
    );
    expect({ dist: fingerprint(join(dir, 'dist')), cdktf: fingerprint(join(dir, 'cdktf.out')) }).toEqual(previous);
    writeFileSync(release, '');
    expect((await first.done).status).toBe(0);
    expect(leftovers(dir).filter((n) => n !== 'release')).toEqual([]);
  }, 120_000);
});
