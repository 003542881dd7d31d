import {
  existsSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { SynthError, describeErrno, isErrno, listOf } from './errors';
import { exchangeFolders } from './exchange';
import { step } from './hooks';
import { isAlive } from './lock';

/**
 * Publishing staged output folders, and the recovery of a publish a killed synth left half done.
 *
 * Every output folder `<parent>/<name>` gets its synth files beside it, in the same parent (so that `rename(2)`
 * stays on one file system): `.synth-<name>.lock` (lock.ts), `.synth-<name>.journal` (the publish in progress),
 * `.synth-<name>-<txn>` (the new tree, staged) and `.synth-<name>-<txn>.old` (the previous tree, moved aside).
 * All of them are created only while the lock is held, so whatever matches `.synth-<name>-*` when a synth holds the
 * lock is a leftover of a dead process and is removed (`sweep`).
 *
 * Publish: the journal, listing every output (folder, staged tree and its inode, old name), is written beside every
 * output (complete file renamed into place). Then, output after output: rename the folder to its `.old` name, rename
 * the staged tree to the folder. Then the journals are removed, then the `.old` trees. A failure inside the process
 * rolls back what was already swapped. A SIGKILL leaves the journal: the next synth, holding the locks, finishes the
 * publish (roll forward — the staged trees were complete and validated before the journal was written), and says so.
 *
 * Where Linux's `renameat2(RENAME_EXCHANGE)` can be called (exchange.ts), an existing folder and its staged tree
 * are exchanged in one step, so the folder is never absent, also under SIGKILL; the previous tree then sits under the
 * staged name until clean-up. Elsewhere (the fallback) the folder is renamed aside first, and between those two
 * renames (two consecutive syscalls) it is absent; a SIGKILL exactly there leaves it absent until the next synth
 * restores it. In both modes a reader can see the new cdktf.out beside the old dist for as long as one output takes to
 * swap (or, after a SIGKILL there, until the next synth finishes the publish).
 */

/** One output folder of a publish. */
export interface Staged {
  /** `dist`, `cdktf.out`, for messages and the step names of the test hook. */
  readonly label: string;
  /** The output folder (real path). */
  readonly target: string;
  /** The complete new tree, beside it. */
  readonly scratch: string;
}

interface JournalEntry {
  readonly label: string;
  readonly target: string;
  readonly scratch: string;
  readonly scratchIno: number;
  readonly old: string;
}

interface Journal {
  readonly txn: string;
  readonly entries: JournalEntry[];
}

/** Name of the staged tree of `target` for publish `txn`. */
export function scratchPath(target: string, txn: string): string {
  return join(dirname(target), `.synth-${basename(target)}-${txn}`);
}

/** Name of the lock file of `target`. */
export function lockPath(target: string): string {
  return join(dirname(target), `.synth-${basename(target)}.lock`);
}

function journalPath(target: string): string {
  return join(dirname(target), `.synth-${basename(target)}.journal`);
}

/** Swaps every staged tree in; on failure puts everything back as it was (or leaves the journal for recovery). */
export function publish(txn: string, staged: readonly Staged[]): void {
  const journal: Journal = {
    txn,
    entries: staged.map((s) => ({
      label: s.label,
      target: s.target,
      scratch: s.scratch,
      scratchIno: statSync(s.scratch).ino,
      old: `${s.scratch}.old`,
    })),
  };
  const written: string[] = [];
  try {
    for (const e of journal.entries) {
      writeJournal(journalPath(e.target), journal);
      written.push(journalPath(e.target));
    }
  } catch (err) {
    for (const path of written) rmSync(path, { force: true });
    throw err;
  }
  step('journal-written');
  const done: SwapState[] = [];
  try {
    for (const entry of journal.entries) {
      const state: SwapState = { entry, movedAside: false, swapped: false, exchanged: false };
      done.push(state);
      step(`swap:${entry.label}`, entry.target);
      const exists = existsSync(entry.target);
      if (exists && exchangeFolders(entry.scratch, entry.target)) {
        state.exchanged = true;
      } else {
        if (exists) {
          renameSync(entry.target, entry.old);
          state.movedAside = true;
          step(`moved-aside:${entry.label}`, entry.target);
        }
        renameSync(entry.scratch, entry.target);
        state.swapped = true;
      }
      step(`published:${entry.label}`, entry.target);
    }
  } catch (err) {
    rollBack(done, journal, err);
  }
  try {
    for (const e of journal.entries) unlinkSync(journalPath(e.target));
    step('journal-removed');
    // The previous trees: under the `.old` name (renamed aside) or the staged name (exchanged).
    for (const e of journal.entries) {
      rmSync(e.old, { recursive: true, force: true });
      rmSync(e.scratch, { recursive: true, force: true });
    }
  } catch (err) {
    throw new SynthError(
      `${listOf(journal.entries.map((e) => e.label))} were published, but cleaning up failed: ${isErrno(err) ? describeErrno(err) : String(err)}; the next synth removes what is left`,
    );
  }
}

/** A publish that failed half way and could not be put back: its journal and staged trees are kept for recovery. */
export class PublishInterrupted extends SynthError {}

interface SwapState {
  readonly entry: JournalEntry;
  movedAside: boolean;
  swapped: boolean;
  exchanged: boolean;
}

function rollBack(done: SwapState[], journal: Journal, cause: unknown): never {
  const why = isErrno(cause) ? describeErrno(cause) : String(cause);
  try {
    for (const { entry, movedAside, swapped, exchanged } of [...done].reverse()) {
      if (exchanged && !exchangeFolders(entry.scratch, entry.target)) {
        renameSync(entry.target, entry.old);
        renameSync(entry.scratch, entry.target);
        renameSync(entry.old, entry.scratch);
      }
      if (swapped) renameSync(entry.target, entry.scratch);
      if (movedAside) renameSync(entry.old, entry.target);
      rmSync(entry.scratch, { recursive: true, force: true });
    }
    for (const e of journal.entries) rmSync(e.scratch, { recursive: true, force: true });
    for (const e of journal.entries) rmSync(journalPath(e.target), { force: true });
  } catch (again) {
    throw new PublishInterrupted(
      `publishing failed (${why}) and so did putting the previous output back (${isErrno(again) ? describeErrno(again) : String(again)}); the journal ${journalPath(journal.entries[0].target)} is kept and the next synth finishes the publish`,
    );
  }
  throw new SynthError(
    `publishing failed: ${why}; ${listOf(journal.entries.map((e) => e.label))} were put back as they were`,
  );
}

/**
 * Finishes a publish a killed synth left half done (the caller holds the locks of `targets`); returns what it did,
 * for the summary. Then removes leftovers of dead synths beside every target.
 */
export function recover(targets: readonly string[]): string[] {
  const notes: string[] = [];
  for (const target of targets) {
    const path = journalPath(target);
    if (!existsSync(path)) continue;
    const journal = JSON.parse(readFileSync(path, 'utf8')) as Journal;
    const actions: string[] = [];
    for (const e of journal.entries) {
      if (!targets.includes(e.target)) {
        throw new SynthError(
          `an interrupted publish (journal ${path}) also covers ${e.target}, which this synth does not write; nothing was changed. Fix: run synth once with the same output folders as then`,
        );
      }
      const current = statOrUndefined(e.target);
      if (current?.ino === e.scratchIno) continue;
      if (statOrUndefined(e.scratch)?.ino === e.scratchIno) {
        if (!current || !exchangeFolders(e.scratch, e.target)) {
          if (current) renameSync(e.target, e.old);
          renameSync(e.scratch, e.target);
        }
        actions.push(`${e.label} published`);
      } else if (!current && existsSync(e.old)) {
        renameSync(e.old, e.target);
        actions.push(`${e.label} restored`);
      } else if (current && !existsSync(e.old)) {
        actions.push(`${e.label} kept as it was`);
      } else {
        throw new SynthError(
          `an interrupted publish (journal ${path}) cannot be finished: neither the staged tree ${e.scratch} nor the previous ${e.label} is where it left them; nothing was changed. Fix: check ${e.target} by hand, then delete the journal`,
        );
      }
    }
    for (const e of journal.entries) rmSync(journalPath(e.target), { force: true });
    notes.push(
      `finished a publish a killed synth left half done (${actions.join(', ') || 'every output was already in place'}; journal ${path})`,
    );
  }
  for (const target of targets) sweep(target);
  return notes;
}

/**
 * Removes leftovers of dead synths beside `target` (only called while holding its lock): staged and old trees
 * (`.synth-<name>-<txn>[.old]`), a journal being written, and lock candidates of processes that are gone
 * (`.synth-<name>-lock-[stale-]<pid>-*`; a live process's candidate is its own business).
 */
function sweep(target: string): void {
  const prefix = `.synth-${basename(target)}-`;
  const parent = dirname(target);
  for (const entry of readdirSync(parent)) {
    const candidate = /-lock-(?:stale-)?(\d+)-[0-9a-f]+$/.exec(entry);
    const leftover =
      entry === `${basename(journalPath(target))}.tmp` ||
      (entry.startsWith(prefix) && (!candidate || !isAlive(Number(candidate[1]))));
    if (leftover) rmSync(join(parent, entry), { recursive: true, force: true });
  }
}

/** Output folders an interrupted publish beside any of `targets` also covers (their locks must be held too). */
export function journalTargets(targets: readonly string[]): string[] {
  const all = new Set<string>();
  for (const target of targets) {
    try {
      for (const e of (JSON.parse(readFileSync(journalPath(target), 'utf8')) as Journal).entries) all.add(e.target);
    } catch {
      // no journal (or one being replaced): recovery reads it again under the lock
    }
  }
  return [...all];
}

function writeJournal(path: string, journal: Journal): void {
  const tmp = `${path}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(journal, null, 2)}\n`);
  renameSync(tmp, path);
}

function statOrUndefined(path: string): ReturnType<typeof statSync> | undefined {
  try {
    return statSync(path);
  } catch (err) {
    if (isErrno(err) && err.code === 'ENOENT') return undefined;
    throw err;
  }
}
