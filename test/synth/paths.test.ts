/**
 * The real `npm run synth` (main.ts) refuses output folders it would destroy — the working directory, an ancestor of
 * it, the repository root — before touching anything: the whole scratch tree around it (a clone with its `.git`) is
 * byte-identical afterwards, and the message is one line without a stack trace. The old synth deleted the clone.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fingerprint, runSynth } from './support';

/** Adversarial output paths, from the clone (or its `sub` folder) as working directory. */
const CASES: readonly {
  name: string;
  cwd: 'clone' | 'clone/sub';
  args: string[];
  env?: Record<string, string>;
  message: RegExp;
}[] = [
  {
    name: '--dist .',
    cwd: 'clone',
    args: ['--dist', '.'],
    message:
      /^synth failed: dist "\." is the working directory \(.*\/clone\); synth replaces its output folder whole, so it refuses this one and nothing was changed\. Fix: pass a dedicated folder such as --dist dist\n$/,
  },
  {
    name: '--dist ./ (trailing slash)',
    cwd: 'clone',
    args: ['--dist', './'],
    message: /^synth failed: dist "\.\/" is the working directory/,
  },
  {
    name: '--dist ..',
    cwd: 'clone',
    args: ['--dist', '..'],
    message: /^synth failed: dist "\.\." is an ancestor of the working directory \(.*\/clone\)/,
  },
  {
    name: '--dist / (the file-system root)',
    cwd: 'clone',
    args: ['--only', 'cdk8s', '--dist', '/'],
    message: /^synth failed: dist "\/" is an ancestor of the working directory/,
  },
  {
    name: 'CDKTF_OUTDIR=. (what `cdktf synth` passes)',
    cwd: 'clone',
    args: ['--only', 'cdktf'],
    env: { CDKTF_OUTDIR: '.' },
    message:
      /^synth failed: cdktf\.out "\." is the working directory .* Fix: pass a dedicated folder such as --cdktf-out cdktf\.out\n$/,
  },
  {
    name: '--cdktf-out .. from a subfolder',
    cwd: 'clone/sub',
    args: ['--cdktf-out', '..'],
    message: /^synth failed: cdktf\.out "\.\." is the root of the git repository .*\/clone;/,
  },
  {
    name: '--dist <repository root> by absolute path',
    cwd: 'clone/sub',
    args: ['--dist', 'ROOT/clone'],
    message: /^synth failed: dist ".*\/clone" is the root of the git repository/,
  },
];

describe('synth refuses output folders it does not own (real main.ts)', () => {
  let work: string;
  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'synth-paths-'));
    mkdirSync(join(work, 'clone', '.git', 'objects'), { recursive: true });
    writeFileSync(join(work, 'clone', '.git', 'HEAD'), 'ref: refs/heads/main\n');
    writeFileSync(join(work, 'clone', 'main.ts'), '// the project\n');
    mkdirSync(join(work, 'clone', 'sub'));
    writeFileSync(join(work, 'clone', 'sub', 'notes.md'), 'notes\n');
    writeFileSync(join(work, 'beside-the-clone.txt'), 'other work\n');
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  test.each(CASES.map((c) => [c.name, c] as const))(
    'rejects %s: one line, nothing touched',
    (_, c) => {
      const before = fingerprint(work);
      const run = runSynth(
        c.args.map((a) => a.replace('ROOT', work)),
        { cwd: join(work, c.cwd), env: c.env },
      );
      expect(run.status).toBe(1);
      expect(run.stderr).toMatch(c.message);
      expect(run.stderr.split('\n')).toHaveLength(2);
      expect(fingerprint(work)).toEqual(before);
    },
    60_000,
  );
});
