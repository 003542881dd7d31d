/**
 * scripts/synth-launcher.mjs (what `npm run synth` runs) never runs stale code: in a copy of the sources, every edit
 * — to main.ts, to a library file, one that keeps the file's size — shows up in the very next run, and an unchanged
 * tree reuses the bundle. V8's code cache beside the bundle is written once, reused, and replaced when V8 rejects it.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const REPO = join(__dirname, '..', '..');
let root: string;

function launch(): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(
    process.execPath,
    [join(root, 'scripts', 'synth-launcher.mjs'), '--only', 'cdk8s', '--dist', join(root, 'out')],
    { cwd: root, encoding: 'utf8' },
  );
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Whether ensureBundle() had to build (run in its own process, as the launcher is an ES module). */
function builds(): boolean {
  const url = pathToFileURL(join(root, 'scripts', 'synth-launcher.mjs')).href;
  const r = spawnSync(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      `const m = await import(${JSON.stringify(url)}); console.log((await m.ensureBundle()).built);`,
    ],
    { encoding: 'utf8' },
  );
  return JSON.parse(r.stdout) as boolean;
}

function edit(file: string, from: string, to: string): void {
  const path = join(root, file);
  const text = readFileSync(path, 'utf8');
  if (!text.includes(from)) throw new Error(`${file} does not contain ${from}`);
  writeFileSync(path, text.replace(from, to));
}

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'synth-launcher-'));
  for (const entry of ['main.ts', 'tsconfig.json', 'lib', 'imports', 'scripts'])
    cpSync(join(REPO, entry), join(root, entry), { recursive: true });
  symlinkSync(join(REPO, 'node_modules'), join(root, 'node_modules'));
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('synth launcher', () => {
  test('builds on the first run, then reuses the bundle while nothing changed', () => {
    const first = launch();
    expect(first.stderr).toBe('');
    expect(first.status).toBe(0);
    expect(first.stdout).toMatch(/synthesized in/);
    expect(builds()).toBe(false);
    expect(readdirSync(join(root, '.cache', 'synth')).filter((f) => f.endsWith('.cjs'))).toHaveLength(1);
  });

  test('runs an edit of main.ts at once, also one that keeps the size of the file', () => {
    edit('main.ts', '    console.log(formatSummary(', '    console.log("MARKER-1"); console.log(formatSummary(');
    expect(launch().stdout).toMatch(/^MARKER-1$/m);
    edit('main.ts', 'MARKER-1', 'MARKER-2');
    expect(launch().stdout).toMatch(/^MARKER-2$/m);
    expect(launch().stdout).not.toMatch(/MARKER-1/);
  });

  test('runs an edit of a library file at once', () => {
    const file = 'lib/synth/pipeline.ts';
    writeFileSync(join(root, file), `${readFileSync(join(root, file), 'utf8')}\nconsole.log('LIB-MARKER');\n`);
    expect(builds()).toBe(true);
    expect(launch().stdout).toMatch(/^LIB-MARKER$/m);
  });

  test('rebuilds when a new file appears beside an input (it could shadow an import)', () => {
    expect(builds()).toBe(false);
    writeFileSync(join(root, 'lib', 'synth', 'unused-new-file.ts'), 'export {};\n');
    expect(builds()).toBe(true);
  });

  test("writes V8's code cache beside the bundle and runs from it", () => {
    const dir = join(root, '.cache', 'synth');
    const caches = (): string[] => readdirSync(dir).filter((f) => f.endsWith('.v8cache'));
    rmSync(dir, { recursive: true, force: true });
    expect(launch().status).toBe(0);
    expect(caches()).toHaveLength(1);
    const [bundle] = readdirSync(dir).filter((f) => f.endsWith('.cjs'));
    expect(caches()[0]).toBe(bundle.replace(/\.cjs$/, '.v8cache'));
    const before = statSync(join(dir, caches()[0])).mtimeMs;
    const second = launch();
    expect(second.status).toBe(0);
    expect(second.stdout).toMatch(/synthesized in/);
    expect(statSync(join(dir, caches()[0])).mtimeMs).toBe(before); // accepted, not rewritten
  });

  test('rejects a damaged code cache (V8 checks it), synthesizes the same and writes a good one', () => {
    const dir = join(root, '.cache', 'synth');
    const [cache] = readdirSync(dir).filter((f) => f.endsWith('.v8cache'));
    const good = readFileSync(join(dir, cache));
    writeFileSync(join(dir, cache), Buffer.from('not a V8 code cache'.repeat(100)));
    const r = launch();
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/synthesized in/);
    const rewritten = readFileSync(join(dir, cache));
    expect(rewritten.subarray(0, 19).toString()).not.toBe('not a V8 code cache');
    expect(rewritten.length).toBeGreaterThan(good.length / 2);
  });

  test('runs without the code cache when EDGE_SYNTH_NO_CODE_CACHE is set', () => {
    const dir = join(root, '.cache', 'synth');
    for (const f of readdirSync(dir)) if (f.endsWith('.v8cache')) rmSync(join(dir, f));
    const r = spawnSync(
      process.execPath,
      [join(root, 'scripts', 'synth-launcher.mjs'), '--only', 'cdk8s', '--dist', join(root, 'out')],
      { cwd: root, encoding: 'utf8', env: { ...process.env, EDGE_SYNTH_NO_CODE_CACHE: '1' } },
    );
    expect(r.status).toBe(0);
    expect(readdirSync(dir).filter((f) => f.endsWith('.v8cache'))).toHaveLength(0);
  });

  test('rejects a source that does not compile, and runs nothing', () => {
    edit('main.ts', 'function main(): number {', 'function main(): number { (((');
    const r = launch();
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^synth failed: could not compile main\.ts/);
    expect(r.stdout).not.toMatch(/synthesized in/);
  });
});
