/**
 * Helpers of the synth safety tests: a fingerprint of a folder (sha256 of every file plus the mode of every entry),
 * and the real `npm run synth` (main.ts) as a child process.
 */
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { REPO_ROOT } from '../support/dist';

/** Relative path → `d 0755`, `f 0644 <sha256>` or `l -> <target>`, for the folder and everything under it. */
export type Fingerprint = Record<string, string>;

/** Fingerprint of `root` (`undefined` when it does not exist). Symlinks are recorded, not followed. */
export function fingerprint(root: string): Fingerprint | undefined {
  if (!existsSync(root)) return undefined;
  const out: Fingerprint = {};
  const visit = (path: string, rel: string): void => {
    const stats = lstatSync(path);
    const mode = (stats.mode & 0o7777).toString(8).padStart(4, '0');
    if (stats.isSymbolicLink()) out[rel] = `l -> ${readlinkSync(path)}`;
    else if (stats.isDirectory()) {
      out[rel] = `d ${mode}`;
      for (const entry of readdirSync(path).sort()) visit(join(path, entry), rel === '.' ? entry : `${rel}/${entry}`);
    } else out[rel] = `f ${mode} ${createHash('sha256').update(readFileSync(path)).digest('hex')}`;
  };
  visit(root, '.');
  return out;
}

/** `node --import tsx main.ts` by absolute paths, so that it runs from any working directory. */
export const SYNTH_COMMAND = [
  process.execPath,
  '--import',
  pathToFileURL(join(REPO_ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href,
  join(REPO_ROOT, 'main.ts'),
];

/** Result of a synth child process. */
export interface SynthRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the real synth to completion. */
export function runSynth(
  args: readonly string[],
  options: { cwd?: string; env?: Record<string, string> } = {},
): SynthRun {
  const r = spawnSync(SYNTH_COMMAND[0], [...SYNTH_COMMAND.slice(1), ...args], {
    cwd: options.cwd ?? REPO_ROOT,
    env: { ...process.env, ...options.env },
    encoding: 'utf8',
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A synth child process that runs in the background; `paused` resolves when it prints `synth paused at <step>`. */
export interface BackgroundSynth {
  readonly child: ChildProcess;
  /** Resolves when stderr holds `text`. */
  waitFor(text: string): Promise<void>;
  /** Resolves with the exit status and output. */
  readonly done: Promise<SynthRun>;
}

/** Starts the real synth (or `command`, e.g. a user's script after `node --import tsx`) in the background. */
export function startSynth(
  args: readonly string[],
  env: Record<string, string> = {},
  command: readonly string[] = SYNTH_COMMAND,
): BackgroundSynth {
  const child = spawn(command[0], [...command.slice(1), ...args], { cwd: REPO_ROOT, env: { ...process.env, ...env } });
  let stdout = '';
  let stderr = '';
  const waiters: { text: string; resolve: () => void }[] = [];
  child.stdout.on('data', (d: Buffer) => {
    stdout += d.toString();
  });
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
    for (const w of waiters.filter((x) => stderr.includes(x.text))) w.resolve();
  });
  const done = new Promise<SynthRun>((resolve) => child.on('close', (status) => resolve({ status, stdout, stderr })));
  return {
    child,
    done,
    waitFor: (text) =>
      new Promise<void>((resolve, reject) => {
        if (stderr.includes(text)) return resolve();
        waiters.push({ text, resolve });
        void done.then((r) => reject(new Error(`synth exited (${r.status}) before printing "${text}": ${r.stderr}`)));
      }),
  };
}

/** Names in `folder` that synth created for its own bookkeeping (`.synth-*`): must be none after any run. */
export function leftovers(folder: string): string[] {
  return readdirSync(folder).filter((n) => n.startsWith('.synth-'));
}
