import { existsSync, lstatSync, readdirSync, readlinkSync, realpathSync, Stats } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { SynthError, isErrno } from './errors';
import { MANIFEST, readManifest } from './manifest';

/** An output folder as the user named it and the real folder synth replaces. */
export interface OutputPath {
  /** `dist`, `cdktf.out`: the label in messages (the option the user gave, e.g. `--dist`). */
  readonly label: string;
  /** The path as given (relative to the working directory or absolute). */
  readonly given: string;
  /** The folder written: symlinks resolved, so a symlinked output is written through to its target. */
  readonly real: string;
}

/**
 * Resolves the output folders and refuses, before anything is touched, a folder that is the working directory, an
 * ancestor of it, the repository root, or overlaps another output.
 */
export function resolveOutputs(outputs: readonly { label: string; given: string }[]): OutputPath[] {
  const cwd = realpathSync(process.cwd());
  const repoRoot = findRepoRoot(cwd);
  const resolved = outputs.map(({ label, given }) => ({ label, given, real: resolveLinks(resolve(given)) }));
  for (const out of resolved) {
    const refuse = (problem: string): never => {
      throw new SynthError(
        `${out.label} "${out.given}" ${problem}; synth replaces its output folder whole, so it refuses this one and nothing was changed. Fix: pass a dedicated folder such as ${out.label === 'dist' ? '--dist dist' : out.label === 'cdktf.out' ? '--cdktf-out cdktf.out' : 'a folder of its own'}`,
      );
    };
    if (out.real === cwd) refuse(`is the working directory (${cwd})`);
    if (out.real === repoRoot) refuse(`is the root of the git repository ${repoRoot}`);
    if (isInside(cwd, out.real)) refuse(`is an ancestor of the working directory (${cwd})`);
  }
  for (const a of resolved) {
    for (const b of resolved) {
      if (a !== b && (a.real === b.real || isInside(b.real, a.real))) {
        throw new SynthError(
          `${a.label} "${a.given}" and ${b.label} "${b.given}" overlap (${a.real}, ${b.real}); nothing was changed. Fix: give them separate folders`,
        );
      }
    }
  }
  return resolved;
}

/**
 * Refuses an existing output folder that synth does not own: a file in its place, a read-only folder, a `.git`
 * anywhere inside, or a file that is neither in the manifest of the previous synth nor one this synth writes (a
 * folder without manifest, from before manifests, is accepted when it holds only files this synth writes).
 * Nothing is deleted: the message lists what is in the way.
 */
export function checkOwnership(out: OutputPath, writes: ReadonlySet<string>): void {
  const stats = lstatOrUndefined(out.real);
  if (!stats) return;
  const refuse = (problem: string, fix: string): never => {
    throw new SynthError(`${out.label} "${out.given}" ${problem}; nothing was changed. Fix: ${fix}`);
  };
  if (!stats.isDirectory())
    refuse(
      `is ${stats.isFile() ? 'a file' : 'not a folder'} (${out.real})`,
      `move it away or choose another ${out.label} folder`,
    );
  const owned = new Set([MANIFEST, ...(readManifest(out.real) ?? []), ...writes]);
  const foreign: string[] = [];
  const walk = (dir: string, mode: number): void => {
    if ((mode & 0o200) === 0) {
      const rel = relative(out.real, dir) || '.';
      refuse(
        `is read-only (${rel === '.' ? out.real : rel}: mode ${(mode & 0o777).toString(8).padStart(4, '0')})`,
        `make it writable (chmod -R u+w ${out.given}) if synth may replace it, or choose another folder`,
      );
    }
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      const rel = relative(out.real, path).split(sep).join('/');
      if (entry.name === '.git')
        refuse(
          `contains a git repository (${rel})`,
          `synth never replaces a repository; choose another ${out.label} folder`,
        );
      if (entry.isDirectory()) walk(path, lstatSync(path).mode);
      else if (!owned.has(rel)) foreign.push(rel);
    }
  };
  walk(out.real, stats.mode);
  if (foreign.length > 0) {
    const shown = foreign.slice(0, 5).join(', ') + (foreign.length > 5 ? ` and ${foreign.length - 5} more` : '');
    refuse(
      `holds ${foreign.length} file${foreign.length > 1 ? 's' : ''} synth did not write: ${shown} (not in ${out.given}/${MANIFEST})`,
      `move ${foreign.length > 1 ? 'them' : 'it'} out of ${out.given} (synth deletes nothing it did not write), or choose another folder`,
    );
  }
}

function lstatOrUndefined(path: string): Stats | undefined {
  try {
    return lstatSync(path);
  } catch (err) {
    if (isErrno(err) && err.code === 'ENOENT') return undefined;
    throw err;
  }
}

/** `realpath` that also follows a dangling symlink (synth creates its target) and tolerates a missing folder. */
function resolveLinks(path: string, depth = 0): string {
  try {
    return realpathSync(path);
  } catch (err) {
    if (!isErrno(err) || err.code !== 'ENOENT' || depth > 32) throw err;
  }
  const stats = lstatOrUndefined(path);
  if (stats?.isSymbolicLink()) return resolveLinks(resolve(dirname(path), readlinkSync(path)), depth + 1);
  const parent = dirname(path);
  return parent === path ? path : join(resolveLinks(parent, depth + 1), basename(path));
}

function isInside(path: string, folder: string): boolean {
  return folder === sep || path.startsWith(folder + sep);
}

function findRepoRoot(from: string): string | undefined {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, '.git'))) return dir;
    if (dirname(dir) === dir) return undefined;
  }
}
