/**
 * `synthesize()` as a library user calls it from their own app: both outputs replaced together or not at all, only
 * folders synth owns, modes as `git checkout` gives them, symlinked outputs written through. Every case that must
 * change nothing compares fingerprints (sha256 of every file plus the mode of every entry) before and after.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import {
  chmodSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readlinkSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'cdk8s';
import { KubeConfigMap } from 'cdk8s-plus-27/lib/imports/k8s';
import { synthesize, SynthTargets } from '../../lib/synth/pipeline';
import { LayerChart } from '../../lib/synth/layers';
import { ValidationError } from '../../lib/core/validation';
import { SynthError } from '../../lib/synth/errors';
import { fingerprint, leftovers } from './support';

/** A user's cdk8s app: one ConfigMap per name. */
function userApp(...names: string[]): () => App {
  return () => {
    const app = new App();
    const chart = new LayerChart(app, 'apps', { layer: 'apps' });
    for (const name of names)
      new KubeConfigMap(chart, name, { metadata: { name, namespace: 'demo' }, data: { a: 'b' } });
    return app;
  };
}

/** A user's CDKTF app stand-in: writes the files cdktf writes (the real CDKTF app runs in kill.test.ts). */
function userStacks(stack = 'edge', extra?: string): (outdir: string) => { synth(): void } {
  return (outdir) => ({
    synth: () => {
      mkdirSync(join(outdir, 'stacks', stack), { recursive: true });
      writeFileSync(join(outdir, 'manifest.json'), `{"stacks":["${stack}"]}\n`);
      writeFileSync(join(outdir, 'stacks', stack, 'cdk.tf.json'), '{}\n');
      if (extra) writeFileSync(join(outdir, 'stacks', stack, extra), '{}\n');
    },
  });
}

describe('synthesize() keeps both outputs whole and replaces only what it owns', () => {
  let work: string;
  let dist: string;
  let cdktfOut: string;
  beforeEach(() => {
    work = mkdtempSync(join(tmpdir(), 'atomic-'));
    dist = join(work, 'dist');
    cdktfOut = join(work, 'cdktf.out');
  });
  afterEach(() => {
    delete process.env.EDGE_SYNTH_TEST_HOOK;
    delete process.env.EDGE_SYNTH_TEST_NO_EXCHANGE;
    spawnSync('chmod', ['-R', 'u+w', work]);
    rmSync(work, { recursive: true, force: true });
  });

  const both = (): SynthTargets => ({
    cdk8s: { build: userApp('settings'), outdir: dist },
    cdktf: { build: userStacks(), outdir: cdktfOut },
  });
  const state = (): unknown => ({ dist: fingerprint(dist), cdktf: fingerprint(cdktfOut), extra: leftovers(work) });
  /** Both outputs as a previous synth of another version of the app left them. */
  function previousOutputs(): unknown {
    synthesize({
      cdk8s: { build: userApp('settings', 'old'), outdir: dist },
      cdktf: { build: userStacks('old-stack'), outdir: cdktfOut },
    });
    return state();
  }

  test('a successful synth replaces both folders whole: files of the previous app version disappear, the manifest lists what it wrote', () => {
    previousOutputs();
    const summary = synthesize(both());
    expect(Object.keys(fingerprint(dist) ?? {}).sort()).toEqual([
      '.',
      '.synth-manifest',
      '30-apps',
      '30-apps/demo_configmap_settings.yaml',
      '30-apps/kustomization.yaml',
      'kustomization.yaml',
    ]);
    expect(
      readFileSync(join(dist, '.synth-manifest'), 'utf8')
        .split('\n')
        .filter((l) => l && !l.startsWith('#')),
    ).toEqual(['30-apps/demo_configmap_settings.yaml', '30-apps/kustomization.yaml', 'kustomization.yaml']);
    expect(Object.keys(fingerprint(cdktfOut) ?? {}).sort()).toEqual([
      '.',
      '.synth-manifest',
      'manifest.json',
      'stacks',
      'stacks/edge',
      'stacks/edge/cdk.tf.json',
    ]);
    expect(summary).toMatchObject({
      dist: { objectsByKind: { ConfigMap: 1 } },
      cdktf: { stacks: ['edge'] },
      notes: [],
    });
    expect(leftovers(work)).toEqual([]);
  });

  test('folder and file modes are what `git checkout` gives (the outputs committed and cloned compare equal, modes included)', () => {
    previousOutputs();
    synthesize(both());
    const git = (...args: string[]): string =>
      execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.test', ...args], {
        cwd: work,
        encoding: 'utf8',
      });
    git('init', '-q', '.');
    git('add', 'dist', 'cdktf.out');
    git('commit', '-qm', 'outputs');
    git('clone', '-q', '.', 'clone');
    expect(fingerprint(dist)).toEqual(fingerprint(join(work, 'clone', 'dist')));
    expect(fingerprint(cdktfOut)).toEqual(fingerprint(join(work, 'clone', 'cdktf.out')));
    expect(fingerprint(dist)?.['.']).toBe(fingerprint(join(work, 'clone', 'dist'))?.['.']);
  });

  /** Failures that must leave both folders exactly as they were, with the message they must give. */
  const FAILURES: readonly { name: string; targets: (t: SynthTargets) => SynthTargets; message: () => RegExp }[] = [
    {
      name: 'a validation error in the cdk8s app',
      targets: (t) => ({
        ...t,
        cdk8s: {
          build: () => {
            throw new ValidationError('waf.paranoiaLevel', 7, 'is out of range', 'use 1-4');
          },
          outdir: dist,
        },
      }),
      message: () => /^waf\.paranoiaLevel: 7 is out of range\. Fix: use 1-4$/,
    },
    {
      name: 'a failing CDKTF app after dist/ was rendered',
      targets: (t) => ({
        ...t,
        cdktf: {
          build: () => ({
            synth: () => {
              throw new ValidationError('azure.location', '', 'is empty', 'set a region');
            },
          }),
          outdir: cdktfOut,
        },
      }),
      message: () => /^azure\.location: "" is empty/,
    },
    {
      name: 'a file name too long in dist/ (a valid 240-character object name)',
      targets: (t) => ({ ...t, cdk8s: { build: userApp('settings', 'a'.repeat(240)), outdir: dist } }),
      message: () =>
        new RegExp(
          `^cannot write ${dist}/30-apps/demo_configmap_${'a'.repeat(240)}\\.yaml: file name too long \\(most file systems allow 255 bytes per name\\) \\(ENAMETOOLONG\\); ${dist} and ${cdktfOut} were not changed$`,
        ),
    },
    {
      name: 'a file name too long in cdktf.out/ after dist/ was staged',
      targets: (t) => ({ ...t, cdktf: { build: userStacks('edge', `${'s'.repeat(256)}.json`), outdir: cdktfOut } }),
      message: () =>
        new RegExp(
          `^cannot write ${cdktfOut}/stacks/edge/s{256}\\.json: file name too long .*\\(ENAMETOOLONG\\); ${dist} and ${cdktfOut} were not changed$`,
        ),
    },
    {
      name: 'a private key in the rendered YAML',
      targets: (t) => ({
        ...t,
        cdk8s: {
          build: () => {
            const app = userApp('settings')();
            new KubeConfigMap(app.charts[0], 'leak', {
              metadata: { name: 'leak', namespace: 'demo' },
              data: { key: `-----BEGIN ${'PRIVATE'} KEY-----\nMII...\n-----END ${'PRIVATE'} KEY-----` },
            });
            return app;
          },
          outdir: dist,
        },
      }),
      message: () => /private key/,
    },
  ];
  test.each(FAILURES.map((f) => [f.name, f] as const))(
    'rejects %s: both folders byte-identical, nothing left behind',
    (_, failure) => {
      const before = previousOutputs();
      expect(() => synthesize(failure.targets(both()))).toThrow(failure.message());
      expect(state()).toEqual(before);
    },
  );

  /** Output folders synth does not own: each is refused with what is in the way, and nothing is changed or deleted. */
  const NOT_OWNED: readonly { name: string; setup: (dist: string) => void; message: RegExp }[] = [
    {
      name: 'a hand-added file',
      setup: (d) => writeFileSync(join(d, '30-apps', 'notes.txt'), 'mine\n'),
      message:
        /^dist ".*\/dist" holds 1 file synth did not write: 30-apps\/notes\.txt \(not in .*\/dist\/\.synth-manifest\); nothing was changed\. Fix: move it out of .*dist \(synth deletes nothing it did not write\), or choose another folder$/,
    },
    {
      name: 'several hand-added files (all counted)',
      setup: (d) => {
        for (let i = 0; i < 7; i++) writeFileSync(join(d, `extra-${i}.yaml`), 'kind: X\n');
      },
      message:
        /holds 7 files synth did not write: extra-0\.yaml, extra-1\.yaml, extra-2\.yaml, extra-3\.yaml, extra-4\.yaml and 2 more/,
    },
    {
      name: 'a hand-added symlink',
      setup: (d) => symlinkSync('/etc/hostname', join(d, 'link.yaml')),
      message: /holds 1 file synth did not write: link\.yaml/,
    },
    {
      name: 'a .git folder at the top',
      setup: (d) => {
        mkdirSync(join(d, '.git'));
        writeFileSync(join(d, '.git', 'HEAD'), 'ref: refs/heads/main\n');
      },
      message:
        /^dist ".*" contains a git repository \(\.git\); nothing was changed\. Fix: synth never replaces a repository/,
    },
    {
      name: 'a nested .git folder',
      setup: (d) => mkdirSync(join(d, '30-apps', '.git')),
      message: /contains a git repository \(30-apps\/\.git\)/,
    },
    {
      name: 'a .git file (a worktree or submodule)',
      setup: (d) => writeFileSync(join(d, '.git'), 'gitdir: /elsewhere\n'),
      message: /contains a git repository \(\.git\)/,
    },
    {
      name: 'a read-only folder',
      setup: (d) => chmodSync(d, 0o555),
      message:
        /^dist ".*" is read-only \(.*\/dist: mode 0555\); nothing was changed\. Fix: make it writable \(chmod -R u\+w .*\/dist\)/,
    },
    {
      name: 'a read-only subfolder',
      setup: (d) => chmodSync(join(d, '30-apps'), 0o555),
      message: /is read-only \(30-apps: mode 0555\)/,
    },
    {
      name: 'a folder without manifest holding a file this synth does not write',
      setup: (d) => {
        rmSync(join(d, '.synth-manifest'));
        writeFileSync(join(d, 'mine.yaml'), 'kind: X\n');
      },
      message: /holds 2 files synth did not write: 30-apps\/demo_configmap_old\.yaml, mine\.yaml/,
    },
  ];
  test.each(NOT_OWNED.map((c) => [c.name, c] as const))(
    'rejects a dist/ holding %s: reported, nothing deleted, cdktf.out untouched',
    (_, c) => {
      previousOutputs();
      c.setup(dist);
      const before = state();
      expect(() => synthesize(both())).toThrow(c.message);
      expect(state()).toEqual(before);
    },
  );

  test('rejects a dist path that is a file (before cdktf.out is touched)', () => {
    previousOutputs();
    rmSync(dist, { recursive: true });
    writeFileSync(dist, 'not a folder\n');
    const before = state();
    expect(() => synthesize(both())).toThrow(/^dist ".*\/dist" is a file \(.*\); nothing was changed/);
    expect(state()).toEqual(before);
  });

  test('rejects overlapping outputs (the same folder, or one inside the other)', () => {
    for (const outdir of [dist, join(dist, 'tf')]) {
      expect(() => synthesize({ ...both(), cdktf: { build: userStacks(), outdir } })).toThrow(
        /^(dist|cdktf\.out) ".*" and (dist|cdktf\.out) ".*" overlap .*; nothing was changed/,
      );
    }
    expect(leftovers(work)).toEqual([]);
  });

  test('rejects the working directory and its ancestors when called with relative paths ("." and "..")', () => {
    const inner = join(work, 'app');
    mkdirSync(inner);
    writeFileSync(join(inner, 'main.ts'), '// the user app\n');
    const before = fingerprint(work);
    const cwd = process.cwd();
    process.chdir(inner);
    try {
      expect(() => synthesize({ cdk8s: { build: userApp('x'), outdir: '.' } })).toThrow(
        /^dist "\." is the working directory .*nothing was changed/,
      );
      expect(() => synthesize({ cdktf: { build: userStacks(), outdir: '..' } })).toThrow(
        /^cdktf\.out "\.\." is an ancestor of the working directory/,
      );
    } finally {
      process.chdir(cwd);
    }
    expect(fingerprint(work)).toEqual(before);
  });

  test('a symlinked output folder is written through to its target; the link stays', () => {
    const real = join(work, 'elsewhere', 'dist-real');
    mkdirSync(real, { recursive: true });
    symlinkSync('elsewhere/dist-real', dist);
    synthesize(both());
    expect(lstatSync(dist).isSymbolicLink()).toBe(true);
    expect(readlinkSync(dist)).toBe('elsewhere/dist-real');
    expect(Object.keys(fingerprint(real) ?? {})).toContain('30-apps/demo_configmap_settings.yaml');
    synthesize({ ...both(), cdk8s: { build: userApp('second'), outdir: dist } });
    expect(Object.keys(fingerprint(real) ?? {})).toContain('30-apps/demo_configmap_second.yaml');
    expect(readlinkSync(dist)).toBe('elsewhere/dist-real');
    expect([...leftovers(work), ...leftovers(join(work, 'elsewhere'))]).toEqual([]);
  });

  test('a dangling symlink is written through too (its target is created)', () => {
    symlinkSync('made-by-synth', dist);
    synthesize(both());
    expect(lstatSync(dist).isSymbolicLink()).toBe(true);
    expect(Object.keys(fingerprint(join(work, 'made-by-synth')) ?? {})).toContain('kustomization.yaml');
  });

  /** A failure inside the publish (injected I/O error at each step): what is already swapped is put back. */
  const PUBLISH_FAILURES = [
    ...['swap:dist', 'published:dist', 'swap:cdktf.out', 'published:cdktf.out'].map((at) => ({ mode: 'exchange', at })),
    ...[
      'swap:dist',
      'moved-aside:dist',
      'published:dist',
      'swap:cdktf.out',
      'moved-aside:cdktf.out',
      'published:cdktf.out',
    ].map((at) => ({ mode: 'fallback', at })),
  ];
  test.each(PUBLISH_FAILURES)(
    '$mode: an I/O error at publish step $at puts both folders back byte-identical',
    ({ mode, at }) => {
      const before = previousOutputs();
      if (mode === 'fallback') process.env.EDGE_SYNTH_TEST_NO_EXCHANGE = '1';
      process.env.EDGE_SYNTH_TEST_HOOK = `fail:${at}`;
      expect(() => synthesize(both())).toThrow(
        /^publishing failed: cannot rename .*: input\/output error \(EIO\); dist and cdktf\.out were put back as they were$/,
      );
      expect(state()).toEqual(before);
    },
  );

  // Exchanged, the previous trees sit under the staged names, which synth removes on its way out; renamed aside, they
  // sit under `.old` names for the next synth.
  test.each([
    { mode: 'exchange', left: 0 },
    { mode: 'fallback', left: 2 },
  ])(
    '$mode: an I/O error after both folders were published says so, and the next synth removes what is left',
    ({ mode, left }) => {
      previousOutputs();
      if (mode === 'fallback') process.env.EDGE_SYNTH_TEST_NO_EXCHANGE = '1';
      process.env.EDGE_SYNTH_TEST_HOOK = 'fail:journal-removed';
      expect(() => synthesize(both())).toThrow(
        /^dist and cdktf\.out were published, but cleaning up failed: .*; the next synth removes what is left$/,
      );
      delete process.env.EDGE_SYNTH_TEST_HOOK;
      const published = { dist: fingerprint(dist), cdktf: fingerprint(cdktfOut) };
      expect(leftovers(work).length).toBe(left);
      synthesize(both());
      expect(state()).toEqual({ ...published, extra: [] });
    },
  );

  test('a stale lock of a dead process is removed and reported; a lock of another host is respected', () => {
    previousOutputs();
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
      encoding: 'utf8',
    }).stdout;
    writeFileSync(
      join(work, '.synth-dist.lock'),
      JSON.stringify({ pid: Number(dead), hostname: hostname(), since: '2026-01-01T00:00:00Z' }),
    );
    expect(synthesize(both()).notes).toEqual([
      expect.stringMatching(
        new RegExp(`^removed the stale lock .*\\.synth-dist\\.lock of pid ${dead} on .* \\(that process is gone\\)$`),
      ),
    ]);
    expect(leftovers(work)).toEqual([]);

    writeFileSync(
      join(work, '.synth-dist.lock'),
      JSON.stringify({ pid: Number(dead), hostname: 'build-agent-7', since: '2026-01-01T00:00:00Z' }),
    );
    const before = state();
    expect(() => synthesize({ ...both(), lockWaitSeconds: 0 })).toThrow(
      new SynthError(
        `dist is being synthesized by another process (pid ${dead} on build-agent-7 since 2026-01-01T00:00:00Z, lock ${join(work, '.synth-dist.lock')}); nothing was changed. Fix: wait for it to finish, or delete the lock file if that process no longer exists`,
      ),
    );
    expect(state()).toEqual(before);
  });
});
