import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readlinkSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../../support/dist';

/**
 * Which nginx + libmodsecurity the real-engine suite runs.
 *
 * - `trixie`: a Debian 13 root built by `scripts/test-deps/30-trixie.sh` (nginx 1.26, libmodsecurity 3.0.14 — the
 *   libmodsecurity release the ingress-nginx v1.15.1 image bundles). nginx runs chrooted into it, in a private mount
 *   namespace (`unshare --mount`) where the harness's temporary folder and the CRS are bind-mounted at their own
 *   paths (over a tmpfs on the root's `/tmp`) and `/proc` is mounted (for `/dev/stdout`); the namespace and its
 *   mounts end with the nginx master.
 *   Loopback is shared with the tests. Needs root.
 * - `host`: the Debian 12 host packages (nginx 1.22, libmodsecurity 3.0.9), which ignore `SecPcreMatchLimit`: the
 *   fallback, announced loudly.
 */
export type EngineKind = 'trixie' | 'host';

/** Environment variable that forces an engine: `trixie` or `host`. Default: `trixie` when its root is built and we are root. */
export const ENGINE_ROOT_ENV = 'ENGINE_ROOT';

/** The script that builds the trixie root (idempotent, cached). */
export const TRIXIE_SCRIPT = 'scripts/test-deps/30-trixie.sh';

/** The engine a run uses. */
export interface EngineRoot {
  readonly kind: EngineKind;
  /** `/` for the host, else the Debian 13 root. */
  readonly root: string;
  /** Why the suite runs on the host although the image's libmodsecurity is 3.0.14 (undefined when on trixie or forced). */
  readonly fallbackReason?: string;
}

/** `${EDGE_CACHE_DIR:-<repo>/.cache}/trixie/root`. */
export function trixieRootDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.EDGE_CACHE_DIR || join(REPO_ROOT, '.cache'), 'trixie', 'root');
}

/** The trixie root is complete: 30-trixie.sh wrote its stamp after a successful build. */
export function trixieRootReady(env: NodeJS.ProcessEnv = process.env): boolean {
  const root = trixieRootDir(env);
  return existsSync(join(root, '..', 'stamp')) && existsSync(join(root, 'usr/sbin/nginx'));
}

/** Chooses the engine from `$ENGINE_ROOT`, the trixie root and the uid. Throws when a forced engine cannot run. */
export function selectEngine(env: NodeJS.ProcessEnv = process.env, uid: number = process.getuid?.() ?? -1): EngineRoot {
  const wanted = env[ENGINE_ROOT_ENV];
  const root = trixieRootDir(env);
  if (wanted !== undefined && wanted !== '' && wanted !== 'trixie' && wanted !== 'host') {
    throw new Error(
      `${ENGINE_ROOT_ENV}=${wanted} is not an engine: use "trixie" (Debian 13, libmodsecurity 3.0.14) or "host" (Debian 12 packages, 3.0.9)`,
    );
  }
  if (wanted === 'host') return { kind: 'host', root: '/' };
  const problem = !trixieRootReady(env)
    ? `the Debian 13 root ${root} is not built (run ${TRIXIE_SCRIPT} as root)`
    : uid !== 0
      ? `running nginx chrooted into ${root} needs root (uid is ${uid})`
      : undefined;
  if (problem === undefined) return { kind: 'trixie', root };
  if (wanted === 'trixie') throw new Error(`${ENGINE_ROOT_ENV}=trixie, but ${problem}`);
  return {
    kind: 'host',
    root: '/',
    fallbackReason:
      `real-engine suite FALLS BACK to the host's libmodsecurity (Debian 12, 3.0.9), NOT the 3.0.14 of the ingress-nginx v1.15.1 image: ` +
      `${problem}. 3.0.9 ignores SecPcreMatchLimit, so regex match limits are not exercised.`,
  };
}

let selected: EngineRoot | undefined;

/** The engine of this process (selected once from the environment). */
export function currentEngine(): EngineRoot {
  selected ??= selectEngine();
  return selected;
}

/**
 * Makes `engine` the engine of this process until the next call (`undefined`: select from the environment again).
 * For tests that run the same scenarios on both engines.
 */
export function useEngine(engine: EngineRoot | undefined): void {
  selected = engine;
}

/** A path of the engine's file system, as seen from the host. */
export function enginePath(engine: EngineRoot, path: string): string {
  return engine.kind === 'host' ? path : join(engine.root, path);
}

/** The nginx binary inside the engine's file system. */
export function nginxBinary(engine: EngineRoot): string {
  const found = ['/usr/sbin/nginx', '/usr/bin/nginx'].find((p) => existsSync(enginePath(engine, p)));
  return found ?? 'nginx';
}

/**
 * The command that runs nginx of the engine with `args`. On trixie, `binds` (host folders: the temporary tree, the CRS)
 * are bind-mounted at the same path inside the root, so every path of the rendered configuration means the same
 * file in and out of the chroot. The shell `exec`s, so the returned process is the nginx master itself.
 */
export function engineCommand(
  engine: EngineRoot,
  args: readonly string[],
  binds: readonly string[],
): { file: string; args: string[] } {
  if (engine.kind === 'host') return { file: nginxBinary(engine), args: [...args] };
  const dirs = [...new Set(binds.map((b) => realpathSync(b)))];
  // A tmpfs over the root's /tmp first: mount points for folders under /tmp (the harness's temporary folders) are
  // created in it, inside the namespace, so none is left in the cached root; others (the CRS checkout) stay put.
  const script =
    'set -e; r=$1; shift; mount -t tmpfs tmpfs "$r/tmp"; ' +
    'while [ "$1" != -- ]; do mkdir -p "$r$1"; mount --bind "$1" "$r$1"; shift; done; shift; ' +
    'mount -t proc proc "$r/proc"; exec chroot "$r" "$@"';
  return {
    file: 'unshare',
    args: [
      '--mount',
      '--propagation',
      'private',
      'sh',
      '-c',
      script,
      'sh',
      engine.root,
      ...dirs,
      '--',
      nginxBinary(engine),
      ...args,
    ],
  };
}

/** Versions of the engine, read from its binaries and its package database. */
export interface EngineVersions {
  /** From `nginx -v`. */
  readonly nginx: string;
  /** From the file name the shared library `libmodsecurity.so.3` resolves to (e.g. 3.0.14). */
  readonly libmodsecurity: string;
  /** Debian package versions (dpkg database of the engine's root). */
  readonly packages: Readonly<Record<string, string>>;
}

/** Reads the engine's versions (never hard-coded). */
export function engineVersions(engine: EngineRoot): EngineVersions {
  const v =
    engine.kind === 'host'
      ? spawnSync(nginxBinary(engine), ['-v'], { encoding: 'utf8' })
      : spawnSync('chroot', [engine.root, nginxBinary(engine), '-v'], { encoding: 'utf8' });
  const nginx = /nginx\/(\S+)/.exec(`${v.stderr ?? ''}${v.stdout ?? ''}`)?.[1] ?? 'unknown';
  let libmodsecurity = 'unknown';
  for (const dir of ['/usr/lib/x86_64-linux-gnu', '/usr/lib/aarch64-linux-gnu', '/usr/lib']) {
    const lib = enginePath(engine, join(dir, 'libmodsecurity.so.3'));
    if (!existsSync(lib)) continue;
    libmodsecurity = /libmodsecurity\.so\.(\d+\.\d+\.\d+)/.exec(readlinkSync(lib))?.[1] ?? 'unknown';
    break;
  }
  const packages: Record<string, string> = {};
  const q = spawnSync(
    'dpkg-query',
    [
      `--admindir=${enginePath(engine, '/var/lib/dpkg')}`,
      '-W',
      '-f',
      '${Package} ${Version}\\n',
      'nginx',
      'nginx-light',
      'libnginx-mod-http-modsecurity',
      'libmodsecurity3',
      'libmodsecurity3t64',
    ],
    { encoding: 'utf8' },
  );
  for (const line of (q.stdout ?? '').split('\n')) {
    const [name, version] = line.split(' ');
    if (name && version) packages[name] = version;
  }
  return { nginx, libmodsecurity, packages };
}

/** One line for reports: "Debian 13 root …: nginx 1.26.3, libmodsecurity 3.0.14 (libmodsecurity3t64 3.0.14-1+deb13u2)". */
export function describeEngine(engine: EngineRoot): string {
  const v = engineVersions(engine);
  const pkg = v.packages.libmodsecurity3t64
    ? `libmodsecurity3t64 ${v.packages.libmodsecurity3t64}`
    : `libmodsecurity3 ${v.packages.libmodsecurity3 ?? 'unknown'}`;
  const where =
    engine.kind === 'trixie'
      ? `Debian ${debianVersion(engine)} root ${engine.root}`
      : `host (Debian ${debianVersion(engine)})`;
  return `${where}: nginx ${v.nginx}, libmodsecurity ${v.libmodsecurity} (${pkg})`;
}

function debianVersion(engine: EngineRoot): string {
  const file = enginePath(engine, '/etc/debian_version');
  return existsSync(file) ? readFileSync(file, 'utf8').trim() : 'unknown';
}

/**
 * Whether a libmodsecurity version enforces `SecPcreMatchLimit`: from 3.0.10 on (ModSecurity v3.0.10
 * src/operators/rx.cc passes the limit to PCRE2 and sets `TX:MSC_PCRE_LIMITS_EXCEEDED`; 3.0.9 has no such code).
 */
export function enforcesMatchLimit(libmodsecurity: string): boolean {
  const m = /^(\d+)\.(\d+)\.(\d+)$/.exec(libmodsecurity);
  if (!m) return false;
  const [major, minor, patch] = m.slice(1).map(Number);
  return major > 3 || (major === 3 && (minor > 0 || patch >= 10));
}
