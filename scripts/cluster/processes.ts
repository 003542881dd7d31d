import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { closeSync, openSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';

/**
 * Where the control plane's processes run. As root with util-linux: a private network namespace (`unshare --net`)
 * that has only a loopback interface, so nothing a component binds (trust-manager binds its probe and metrics
 * ports on 0.0.0.0, cmd/trust-manager/app/app.go of v0.24.0) is reachable from outside; every process, kubectl
 * included, is started in it with `nsenter --net`. Otherwise the host's loopback, with every address flag 127.0.0.1.
 */
export interface Network {
  /** `private` (own network namespace, loopback only) or `host` (host network, loopback addresses). */
  readonly kind: 'private' | 'host';
  /** The command and arguments that run `command args` in this network. */
  wrap(command: string, args: readonly string[]): [string, string[]];
  /** A TCP port that is free on 127.0.0.1 in this network. */
  freePort(preferred: number): Promise<number>;
}

/** A started process in its own process group, with its output in a log file. */
export interface ManagedProcess {
  /** Short name for messages. */
  readonly name: string;
  /** The child process. */
  readonly child: ChildProcess;
  /** The log file (stdout and stderr). */
  readonly log: string;
}

const live = new Set<ManagedProcess>();
/** Scratch folders to remove when a signal ends a command (see {@link killOnSignals}). */
export const scratchDirs = new Set<string>();
let exitHookInstalled = false;

function killGroup(p: ManagedProcess, signal: NodeJS.Signals): void {
  if (p.child.pid === undefined || p.child.exitCode !== null || p.child.signalCode !== null) return;
  try {
    process.kill(-p.child.pid, signal);
  } catch {
    // already gone
  }
}

/** Starts `command` in its own process group (killed with its children by {@link stopProcess} or at exit). */
export function startProcess(
  network: Network,
  name: string,
  command: string,
  args: readonly string[],
  log: string,
  env?: NodeJS.ProcessEnv,
): ManagedProcess {
  if (!exitHookInstalled) {
    // Last resort when a test run ends without calling stop (an exception in setup, a jest timeout).
    process.on('exit', () => live.forEach((p) => killGroup(p, 'SIGKILL')));
    exitHookInstalled = true;
  }
  const fd = openSync(log, 'a');
  const [cmd, argv] = network.wrap(command, args);
  const child = spawn(cmd, argv, { detached: true, stdio: ['ignore', fd, fd], env: env ?? process.env });
  closeSync(fd);
  const p: ManagedProcess = { name, child, log };
  live.add(p);
  child.on('exit', () => live.delete(p));
  return p;
}

/**
 * For commands (not jest): on SIGINT/SIGTERM kill every started process group before exiting, since Node does not
 * run 'exit' handlers when a signal ends it.
 */
export function killOnSignals(): void {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      live.forEach((p) => killGroup(p, 'SIGKILL'));
      scratchDirs.forEach((d) => rmSync(d, { recursive: true, force: true }));
      process.exit(130);
    });
  }
}

/** Stops a process group: SIGTERM, then SIGKILL after `graceMs`. Resolves when the process has exited. */
export async function stopProcess(p: ManagedProcess, graceMs = 5000): Promise<void> {
  if (p.child.exitCode !== null || p.child.signalCode !== null) {
    killGroup(p, 'SIGKILL');
    live.delete(p);
    return;
  }
  const exited = new Promise<void>((res) => p.child.once('exit', () => res()));
  killGroup(p, 'SIGTERM');
  const timer = setTimeout(() => killGroup(p, 'SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
  killGroup(p, 'SIGKILL'); // children left in the group
  live.delete(p);
}

/** The last `lines` lines of a process's log, for error messages. */
export function tail(p: ManagedProcess, lines = 20): string {
  try {
    return readFileSync(p.log, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

function hostFreePort(): Promise<number> {
  return new Promise((res, rej) => {
    const server = createServer();
    server.once('error', rej);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => res(port));
    });
  });
}

const HOST: Network = {
  kind: 'host',
  wrap: (command, args) => [command, [...args]],
  freePort: () => hostFreePort(),
};

function canUsePrivateNetwork(): boolean {
  if (process.getuid?.() !== 0 || process.env.EDGE_CLUSTER_NETWORK === 'host') return false;
  return (
    spawnSync('unshare', ['--net', '--', 'true']).status === 0 &&
    spawnSync('nsenter', ['--version']).status === 0 &&
    spawnSync('ip', ['-V']).status === 0
  );
}

/**
 * Opens the network the control plane runs in (see {@link Network}); `close` ends the namespace's holder process.
 * `EDGE_CLUSTER_NETWORK=host` forces the host's loopback.
 */
export async function openNetwork(log: string): Promise<{ network: Network; close: () => Promise<void> }> {
  if (!canUsePrivateNetwork()) return { network: HOST, close: async () => undefined };
  const holder = startProcess(
    HOST,
    'netns',
    'unshare',
    ['--net', '--', 'sh', '-c', 'ip link set lo up && exec sleep infinity'],
    log,
  );
  const ns = `--net=/proc/${holder.child.pid}/ns/net`;
  for (let i = 0; i < 100; i++) {
    const r = spawnSync('nsenter', [ns, '--', 'ip', '-o', 'addr', 'show', 'lo'], { encoding: 'utf8' });
    if (r.status === 0 && r.stdout.includes('127.0.0.1')) break;
    await new Promise((res) => setTimeout(res, 50));
  }
  const network: Network = {
    kind: 'private',
    wrap: (command, args) => ['nsenter', [ns, '--', command, ...args]],
    freePort: async (preferred) => preferred, // the namespace is ours: nothing else listens in it
  };
  return { network, close: () => stopProcess(holder, 1000) };
}
