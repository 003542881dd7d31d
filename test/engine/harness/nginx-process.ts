import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { connect, createServer } from 'node:net';
import { currentEngine, engineCommand, nginxBinary } from './engine-root';
import { findCrs } from './modsecurity-tree';

/** The Debian nginx binary of the host (the 3.0.9 fallback engine). */
export const NGINX_BINARY = ['/usr/sbin/nginx', '/usr/bin/nginx'].find(existsSync) ?? 'nginx';

/**
 * nginx of the selected engine ({@link currentEngine}) with `args`. Folders bind-mounted into the trixie root: the
 * parent of the prefix (the harness's temporary folder, with the rendered configuration, PKI, ModSecurity tree and
 * mounted ConfigMaps) and the CRS checkout its rule symlinks point at.
 */
function nginxCommand(args: readonly string[], prefix: string): { file: string; args: string[] } {
  const crs = findCrs();
  return engineCommand(currentEngine(), args, [dirname(prefix), ...(crs ? [crs.dir] : [])]);
}

/** `nginx -t` rejected the rendered configuration; the message quotes the offending line(s). */
export class NginxConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NginxConfigError';
  }
}

/**
 * Runs `nginx -t` on the rendered configuration. On failure throws {@link NginxConfigError} with nginx's message,
 * the offending line of the rendered file with context, and, for ModSecurity rule errors inside
 * `modsecurity_rules '…'`, the offending line of the snippet or of the included file (e.g. the mounted WAF policy).
 */
export function testConfig(confPath: string, prefix: string): { output: string } {
  const cmd = nginxCommand(['-t', '-q', '-p', prefix, '-c', confPath, '-e', 'stderr'], prefix);
  const r = spawnSync(cmd.file, cmd.args, { encoding: 'utf8' });
  const output = `${r.stdout ?? ''}${r.stderr ?? ''}`.trim();
  if (r.error)
    throw new NginxConfigError(`cannot run ${nginxBinary(currentEngine())} (${cmd.file}): ${r.error.message}`);
  if (r.status !== 0) throw new NginxConfigError(explainConfigError(output, confPath));
  return { output };
}

/** Formats nginx's error with the lines of the rendered configuration it points at. */
export function explainConfigError(output: string, confPath: string): string {
  const lines = existsSync(confPath) ? readFileSync(confPath, 'utf8').split('\n') : [];
  const parts = [`nginx -t rejected the rendered configuration ${confPath}:`, output];
  const at = new RegExp(`in ${escapeRegExp(confPath)}:(\\d+)`).exec(output);
  if (at) {
    const n = Number(at[1]);
    parts.push(`offending line ${n} of the rendered configuration:`, ...context(lines, n));
    // A ModSecurity error inside `modsecurity_rules '…'`: libmodsecurity counts lines from the opening quote.
    const msc = /Rules error\. File: <<reference missing or not informed>>\. Line: (\d+)/.exec(output);
    if (msc) {
      const start = findDirectiveStart(lines, n, "modsecurity_rules '");
      if (start !== undefined) {
        const snippetLine = start + Number(msc[1]) - 1;
        parts.push(
          `offending line of the modsecurity-snippet (rendered line ${snippetLine}):`,
          ...context(lines, snippetLine),
        );
      }
    }
  }
  // A ModSecurity error in an included file (the WAF policy mounted from its ConfigMap, or an image file).
  const file = /Rules error\. File: (\/\S+?)\. Line: (\d+)\./.exec(output);
  if (file && existsSync(file[1])) {
    const mounted = /\/mounts\/([^/_]+)_([^/]+)\/([^/]+)$/.exec(file[1]);
    const what = mounted
      ? `key ${mounted[3]} of ConfigMap ${mounted[1]}/${mounted[2]} (mounted into the controller)`
      : file[1];
    parts.push(
      `offending line ${file[2]} of ${what}:`,
      ...context(readFileSync(file[1], 'utf8').split('\n'), Number(file[2])),
    );
  }
  return parts.join('\n');
}

function context(lines: readonly string[], n: number): string[] {
  const out: string[] = [];
  for (let i = Math.max(1, n - 2); i <= Math.min(lines.length, n + 2); i++)
    out.push(`${i === n ? '>' : ' '} ${String(i).padStart(4)} | ${lines[i - 1]}`);
  return out;
}

function findDirectiveStart(lines: readonly string[], end: number, prefix: string): number | undefined {
  for (let i = end; i >= 1; i--) if (lines[i - 1].trim().startsWith(prefix)) return i;
  return undefined;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A running nginx master started by the harness. */
export interface NginxProcess {
  readonly pid: number;
  /** Everything nginx wrote to stdout so far (the JSON audit log when the policy logs to /dev/stdout). */
  stdout(): string;
  /** Everything nginx wrote to stderr so far (error log: ModSecurity's "Access denied" lines). */
  stderr(): string;
  stop(): Promise<void>;
}

const running = new Set<ChildProcess>();
let exitHookInstalled = false;

/** Kills every nginx this process started (synchronous; used on process exit). */
function killAll(): void {
  for (const child of running) {
    try {
      child.kill('SIGKILL');
    } catch {
      // already gone
    }
  }
  running.clear();
}

/** Starts `nginx -g 'daemon off;'` and waits until the given port accepts connections. */
export async function startNginx(confPath: string, prefix: string, readyPort: number): Promise<NginxProcess> {
  if (!exitHookInstalled) {
    process.once('exit', killAll);
    exitHookInstalled = true;
  }
  // nginx's stdout is a regular file, not a pipe from Node: Node's stdio "pipes" are UNIX socket pairs, and
  // libmodsecurity's fopen("/dev/stdout") fails on a socket (ENXIO), silently dropping the audit log. In a pod,
  // stdout is a FIFO, which libmodsecurity opens fine; a file behaves the same way.
  const stdoutPath = join(prefix, 'stdout.log');
  const stdoutFd = openSync(stdoutPath, 'a');
  // On trixie the command is `unshare … sh -c '…; exec chroot …'`: every step execs, so the child is the nginx master.
  const cmd = nginxCommand(['-p', prefix, '-c', confPath, '-e', 'stderr', '-g', 'daemon off;'], prefix);
  const child = spawn(cmd.file, cmd.args, { stdio: ['ignore', stdoutFd, 'pipe'] });
  closeSync(stdoutFd);
  running.add(child);
  const out = (): string => (existsSync(stdoutPath) ? readFileSync(stdoutPath, 'utf8') : '');
  let err = '';
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d));
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      running.delete(child);
      resolve(code);
    }),
  );
  const deadline = Date.now() + 15000;
  for (;;) {
    if (child.exitCode !== null)
      throw new NginxConfigError(`nginx exited with code ${child.exitCode} at start:\n${err}`);
    if (await canConnect(readyPort)) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`nginx did not listen on 127.0.0.1:${readyPort} within 15 s:\n${err}`);
    }
    await sleep(50);
  }
  return {
    pid: child.pid!,
    stdout: out,
    stderr: () => err,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGQUIT');
      const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(timer);
    },
  };
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host: '127.0.0.1', port }, () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

/** A free TCP port on 127.0.0.1 (bound and released; the harness uses it right away). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
