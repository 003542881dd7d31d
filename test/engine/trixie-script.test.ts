/**
 * scripts/test-deps/30-trixie.sh without the network: as a non-root user it builds nothing and says why (exit 0, so
 * an installer goes on and the suite falls back); with a complete root it is a no-op that prints the stamp.
 * (A cold build needs root and deb.debian.org; docs/engine.md gives its measured time.)
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../support/dist';
import { trixieRootDir, trixieRootReady } from './harness/engine-root';

const SCRIPT = join(REPO_ROOT, 'scripts', 'test-deps', '30-trixie.sh');
const isRoot = process.getuid?.() === 0;

describe('scripts/test-deps/30-trixie.sh', () => {
  test('as a non-root user it prints why, exits 0 and builds nothing', () => {
    const cache = mkdtempSync(join(tmpdir(), 'edge-cache-'));
    try {
      // As root, drop to nobody for this run; otherwise we already are a non-root user.
      const r = isRoot
        ? spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', 'sh', SCRIPT], {
            encoding: 'utf8',
            env: { ...process.env, EDGE_CACHE_DIR: cache },
          })
        : spawnSync('sh', [SCRIPT], { encoding: 'utf8', env: { ...process.env, EDGE_CACHE_DIR: cache } });
      expect(r.status).toBe(0);
      expect(r.stdout).toMatch(/\[30-trixie\] not root \(uid \d+\): debootstrap and chroot need root/);
      expect(r.stdout).toMatch(/falls back to the host's libmodsecurity \(Debian 12: 3\.0\.9\)/);
      expect(readdirSync(cache)).toEqual([]);
    } finally {
      rmSync(cache, { recursive: true, force: true });
    }
  });

  (isRoot && trixieRootReady() ? test : test.skip)(
    'with a complete root it only reports the cached package versions',
    () => {
      const stamp = readFileSync(join(trixieRootDir(), '..', 'stamp'), 'utf8');
      const r = spawnSync('sh', [SCRIPT], { encoding: 'utf8' });
      expect(r.status).toBe(0);
      expect(r.stdout).toContain(`[30-trixie] cached: ${trixieRootDir()}`);
      expect(r.stdout).toMatch(/libmodsecurity3t64 3\.0\.14/);
      expect(r.stdout).not.toContain('debootstrap');
      expect(readFileSync(join(trixieRootDir(), '..', 'stamp'), 'utf8')).toBe(stamp);
      expect(existsSync(join(trixieRootDir(), 'usr', 'sbin', 'nginx'))).toBe(true);
    },
  );
});
