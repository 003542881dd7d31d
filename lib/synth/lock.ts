import { linkSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { SynthError, isErrno } from './errors';
import { sleep } from './hooks';

/** What a lock file holds: who took it, where, and when. */
interface Holder {
  readonly pid: number;
  readonly hostname: string;
  readonly since: string;
}

/** A held lock. */
export interface Lock {
  /** The lock file. */
  readonly path: string;
  /** Removes the lock file. */
  release(): void;
}

/**
 * Takes the lock file `path` (one per output folder, beside it: `.synth-<name>.lock`).
 *
 * The file is written complete under a unique name and then hard-linked to `path`: `link(2)` fails with EEXIST when
 * the lock exists, so exactly one process wins and a lock file is never seen half-written. A lock whose holder is a
 * dead process on this host (`kill(pid, 0)` → ESRCH) is stale: it is moved aside (rename, then the moved file's inode
 * is compared with the stale one, so a lock freshly taken by a third process is put back) and the race starts again.
 * A live holder is waited for (one line on stderr says so), polling every 50 ms, up to `waitSeconds`; then synth
 * refuses with who holds it.
 * `notes` collects what happened (a stale lock removed) for the summary.
 */
export function acquireLock(path: string, label: string, waitSeconds: number, notes: string[]): Lock {
  const me: Holder = { pid: process.pid, hostname: hostname(), since: new Date().toISOString() };
  const candidate = `${path.replace(/\.lock$/, '')}-lock-${process.pid}-${randomBytes(4).toString('hex')}`;
  const deadline = Date.now() + waitSeconds * 1000;
  let waiting = false;
  for (;;) {
    try {
      writeFileSync(candidate, `${JSON.stringify(me)}\n`);
    } catch (err) {
      // name the lock, not its temporary twin (e.g. EACCES: the parent folder is not writable)
      if (isErrno(err)) Object.assign(err, { path });
      throw err;
    }
    try {
      linkSync(candidate, path);
      unlinkSync(candidate);
      return { path, release: () => unlinkSync(path) };
    } catch (err) {
      unlinkQuietly(candidate);
      if (!isErrno(err) || err.code !== 'EEXIST') throw err;
    }
    const holder = readHolder(path);
    if (holder === 'gone') continue;
    if (holder.stale) {
      if (removeStale(path, holder.ino))
        notes.push(`removed the stale lock ${path} of pid ${holder.pid} on ${holder.hostname} (that process is gone)`);
      continue;
    }
    if (Date.now() >= deadline) {
      throw new SynthError(
        `${label} is being synthesized by another process (pid ${holder.pid} on ${holder.hostname} since ${holder.since}, lock ${path}); nothing was changed. Fix: wait for it to finish, or delete the lock file if that process no longer exists`,
      );
    }
    if (!waiting) {
      waiting = true;
      process.stderr.write(
        `synth: waiting up to ${waitSeconds} s for ${label}: another synth holds ${path} (pid ${holder.pid} on ${holder.hostname} since ${holder.since})\n`,
      );
    }
    sleep(50);
  }
}

function readHolder(path: string): 'gone' | (Holder & { ino: number; stale: boolean }) {
  try {
    const ino = statSync(path).ino;
    const holder = JSON.parse(readFileSync(path, 'utf8')) as Holder;
    const stale = holder.hostname === hostname() && !isAlive(holder.pid);
    return { ...holder, ino, stale };
  } catch (err) {
    if (isErrno(err) && err.code === 'ENOENT') return 'gone';
    if (err instanceof SyntaxError)
      throw new SynthError(
        `the lock file ${path} is not one synth wrote; nothing was changed. Fix: delete it if no synth is running`,
      );
    throw err;
  }
}

/** Whether process `pid` exists on this host. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return !(isErrno(err) && err.code === 'ESRCH');
  }
}

/** Moves a stale lock aside; true when the file moved was the stale one (and is now deleted). */
function removeStale(path: string, staleIno: number): boolean {
  const aside = `${path.replace(/\.lock$/, '')}-lock-stale-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    renameSync(path, aside);
  } catch (err) {
    if (isErrno(err) && err.code === 'ENOENT') return false;
    throw err;
  }
  if (statSync(aside).ino === staleIno) {
    unlinkSync(aside);
    return true;
  }
  // A third process took the lock between our read and the rename: put its lock back.
  try {
    linkSync(aside, path);
  } finally {
    unlinkQuietly(aside);
  }
  return false;
}

function unlinkQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // already gone
  }
}
