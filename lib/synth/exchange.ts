import { spawnSync } from 'node:child_process';

/**
 * Swapping two folders in one step: Linux's `renameat2(2)` with `RENAME_EXCHANGE` (since Linux 3.15), so that an
 * output folder is at every instant either its previous or its new tree — never absent, also under SIGKILL.
 *
 * Node has no binding for it, so the call goes through Perl's `syscall` builtin: Perl is part of every Debian and
 * Ubuntu system (`perl-base` is an Essential package) and most other Linux distributions, and needs no compiler or
 * prebuilt native module. One `perl` process per output folder costs a few milliseconds (measured in
 * docs/synth.md). Where the call is not available (not Linux, an architecture without a known syscall number, no
 * `perl`, a file system that refuses the flag with EINVAL), {@link exchangeFolders} says so and the caller falls back
 * to two `rename(2)` calls, with the short window docs/synth.md describes.
 */

/** `renameat2` syscall numbers (Linux uapi `asm/unistd.h`: x86_64 316, arm64 and the generic table 276). */
const RENAMEAT2: Partial<Record<NodeJS.Architecture, number>> = { x64: 316, arm64: 276 };
/** `AT_FDCWD` and `RENAME_EXCHANGE` (Linux uapi `fcntl.h`, `fs.h`). */
const AT_FDCWD = -100;
const RENAME_EXCHANGE = 2;
/** errno values of a call that cannot be made here (ENOSYS 38, EINVAL 22: the file system refuses the flag). */
const UNSUPPORTED_ERRNO = new Set([22, 38]);
/** errno → code, for the failures a user can act on (Linux asm-generic/errno-base.h). */
const ERRNO_CODES: Record<number, string> = {
  1: 'EPERM',
  2: 'ENOENT',
  5: 'EIO',
  13: 'EACCES',
  16: 'EBUSY',
  18: 'EXDEV',
  20: 'ENOTDIR',
  28: 'ENOSPC',
  30: 'EROFS',
  36: 'ENAMETOOLONG',
};

// Exit 0 on success, 100 + errno on failure (errno fits: Linux errno values are below 134).
const SCRIPT =
  'exit(syscall($ARGV[0] + 0, $ARGV[1] + 0, $ARGV[2], $ARGV[1] + 0, $ARGV[3], $ARGV[4] + 0) == 0 ? 0 : 100 + $! + 0)';

let unsupported = process.platform !== 'linux' || RENAMEAT2[process.arch] === undefined;

/**
 * Exchanges the folders `a` and `b` (both must exist) atomically. Returns false, changing nothing, when the exchange
 * cannot be made on this system (see the module comment); throws an errno-style error (`code`, `syscall: 'rename'`,
 * `path`, `dest`) when it can but failed.
 */
export function exchangeFolders(a: string, b: string): boolean {
  // EDGE_SYNTH_TEST_NO_EXCHANGE: test/synth runs the fallback too (one environment lookup per output folder).
  if (unsupported || process.env.EDGE_SYNTH_TEST_NO_EXCHANGE) return false;
  const run = spawnSync(
    'perl',
    ['-e', SCRIPT, String(RENAMEAT2[process.arch]), String(AT_FDCWD), a, b, String(RENAME_EXCHANGE)],
    { stdio: 'ignore' },
  );
  if (run.error || run.status === null) {
    unsupported = true; // no perl: the fallback from now on
    return false;
  }
  if (run.status === 0) return true;
  const errno = run.status - 100;
  if (run.status < 100 || UNSUPPORTED_ERRNO.has(errno)) {
    unsupported = true;
    return false;
  }
  const code = ERRNO_CODES[errno] ?? 'EIO';
  throw Object.assign(new Error(`${code}: cannot exchange ${a} and ${b}`), {
    code,
    errno,
    syscall: 'rename',
    path: a,
    dest: b,
  });
}
