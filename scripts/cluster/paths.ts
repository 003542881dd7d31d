import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/** The repository root (this file is scripts/cluster/paths.ts). */
export const REPO_ROOT = resolve(dirname(__filename), '..', '..');

/** The cache folder for everything built or downloaded for tests: `$EDGE_CACHE_DIR`, default `<repo>/.cache`. */
export function cacheDir(): string {
  return resolve(process.env.EDGE_CACHE_DIR || join(REPO_ROOT, '.cache'));
}

/** Environment for `go` commands that use the project's module and build caches. */
export function goEnv(): NodeJS.ProcessEnv {
  return {
    ...process.env,
    GOMODCACHE: join(cacheDir(), 'go', 'mod'),
    GOCACHE: join(cacheDir(), 'go', 'build'),
    GOFLAGS: '-mod=readonly',
  };
}

/** The control-plane binaries scripts/test-deps/20-go-tools.sh builds into `<cache>/bin`. */
export type ClusterBinary = 'kube-apiserver' | 'kubectl' | 'kine' | 'trust-manager' | 'controller-gen';

/** Path of a binary built by scripts/test-deps/20-go-tools.sh; throws with the command that builds it when missing. */
export function binary(name: ClusterBinary): string {
  const path = join(cacheDir(), 'bin', name);
  if (!existsSync(path)) {
    throw new Error(`${name} not found at ${path}: run \`bash scripts/test-deps/install.sh\` (npm test does it first)`);
  }
  return path;
}

/** The shared data folder beside the checkout (`../shared`), or undefined when absent. */
export function sharedDir(): string | undefined {
  const dir = resolve(REPO_ROOT, '..', 'shared');
  return existsSync(join(dir, 'crds')) ? dir : undefined;
}
