/**
 * Expected synth failures: one line that names the file and the cause and says what happened to the outputs.
 * main.ts prints the message of a {@link SynthError} without a stack trace.
 */
export class SynthError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SynthError';
  }
}

/** What an errno code means, in words a user acts on. */
const CAUSES: Record<string, string> = {
  ENOSPC: 'no space left on the device (disk full)',
  EDQUOT: 'disk quota exceeded',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'the file system is read-only',
  ENAMETOOLONG: 'file name too long (most file systems allow 255 bytes per name)',
  ENOTDIR: 'a part of the path is a file, not a folder',
  EISDIR: 'it is a folder, not a file',
  EEXIST: 'it already exists',
  ENOTEMPTY: 'the folder is not empty',
  EIO: 'input/output error',
  EMFILE: 'too many open files',
  ENOENT: 'no such file or folder',
  EXDEV: 'the scratch folder and the output are on different file systems',
};

/** Node's errno-style error (`fs` calls). */
export interface ErrnoLike {
  readonly code: string;
  readonly syscall?: string;
  readonly path?: string;
  readonly dest?: string;
}

/** Whether `err` is an errno error from `fs` (an expected failure: disk full, permissions, name too long ...). */
export function isErrno(err: unknown): err is Error & ErrnoLike {
  // Duck-typed, not `instanceof Error`: errors of Node's fs come from another realm under jest's vm sandbox.
  return (
    typeof err === 'object' &&
    err !== null &&
    typeof (err as Partial<ErrnoLike>).code === 'string' &&
    /^E[A-Z]+$/.test((err as ErrnoLike).code)
  );
}

/**
 * One line for an errno error: `cannot <syscall> <file>: <cause> (<CODE>)`. `rename` maps scratch paths back to the
 * names the user gave (`show`).
 */
export function describeErrno(err: ErrnoLike, show: (path: string) => string = (p) => p): string {
  const cause = CAUSES[err.code] ?? 'error';
  const verb =
    {
      open: 'write',
      write: 'write',
      mkdir: 'create folder',
      rename: 'rename',
      rmdir: 'remove',
      unlink: 'remove',
      link: 'create',
      lstat: 'read',
      stat: 'read',
      scandir: 'read folder',
      read: 'read',
    }[err.syscall ?? ''] ??
    err.syscall ??
    'access';
  const file = err.path ? ` ${show(err.path)}${err.dest ? ` to ${show(err.dest)}` : ''}` : '';
  return `cannot ${verb}${file}: ${cause} (${err.code})`;
}

/** `a`, `a and b`, `a, b and c`: output names in one message. */
export function listOf(names: readonly string[]): string {
  return names.length <= 1 ? names.join('') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}
