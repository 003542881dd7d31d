import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { enforcesMatchLimit, engineCommand, selectEngine, trixieRootDir } from './harness/engine-root';

/** A cache folder with a (fake) complete trixie root: the stamp and an nginx file. */
function fakeCache(complete: boolean): string {
  const cache = mkdtempSync(join(tmpdir(), 'edge-cache-'));
  mkdirSync(join(cache, 'trixie', 'root', 'usr', 'sbin'), { recursive: true });
  writeFileSync(join(cache, 'trixie', 'root', 'usr', 'sbin', 'nginx'), '');
  if (complete) writeFileSync(join(cache, 'trixie', 'stamp'), 'libmodsecurity3t64 3.0.14-1+deb13u2\n');
  return cache;
}

describe('engine selection (ENGINE_ROOT, the trixie root, the uid)', () => {
  const caches: string[] = [];
  afterAll(() => caches.forEach((c) => rmSync(c, { recursive: true, force: true })));
  const cache = (complete: boolean): string => {
    const c = fakeCache(complete);
    caches.push(c);
    return c;
  };

  test('defaults to the trixie root in EDGE_CACHE_DIR when it is complete and we are root', () => {
    const c = cache(true);
    expect(selectEngine({ EDGE_CACHE_DIR: c }, 0)).toEqual({ kind: 'trixie', root: join(c, 'trixie', 'root') });
    expect(trixieRootDir({ EDGE_CACHE_DIR: c })).toBe(join(c, 'trixie', 'root'));
  });

  test('falls back to the host, with a reason naming 3.0.9, when the root has no stamp (interrupted build) or we are not root', () => {
    const noStamp = selectEngine({ EDGE_CACHE_DIR: cache(false) }, 0);
    expect(noStamp.kind).toBe('host');
    expect(noStamp.fallbackReason).toMatch(
      /is not built \(run scripts\/test-deps\/30-trixie\.sh as root\).*3\.0\.9 ignores SecPcreMatchLimit/,
    );
    const notRoot = selectEngine({ EDGE_CACHE_DIR: cache(true) }, 1000);
    expect(notRoot.kind).toBe('host');
    expect(notRoot.fallbackReason).toMatch(/needs root \(uid is 1000\)/);
  });

  test('ENGINE_ROOT=host uses the host without a fallback banner', () => {
    expect(selectEngine({ EDGE_CACHE_DIR: cache(true), ENGINE_ROOT: 'host' }, 0)).toEqual({ kind: 'host', root: '/' });
  });

  test('rejects ENGINE_ROOT=trixie when the root is missing, and an unknown ENGINE_ROOT', () => {
    expect(() => selectEngine({ EDGE_CACHE_DIR: cache(false), ENGINE_ROOT: 'trixie' }, 0)).toThrow(
      /ENGINE_ROOT=trixie, but the Debian 13 root .* is not built/,
    );
    expect(() => selectEngine({ ENGINE_ROOT: 'bookworm' }, 0)).toThrow(
      /ENGINE_ROOT=bookworm is not an engine: use "trixie" .* or "host"/,
    );
  });

  test('on trixie, nginx runs chrooted in a private mount namespace with the given folders bind-mounted at their own paths', () => {
    const c = cache(true);
    const root = join(c, 'trixie', 'root');
    const cmd = engineCommand({ kind: 'trixie', root }, ['-t'], [c]);
    expect(cmd.file).toBe('unshare');
    expect(cmd.args.slice(0, 4)).toEqual(['--mount', '--propagation', 'private', 'sh']);
    expect(cmd.args[5]).toContain('exec chroot');
    expect(cmd.args.slice(6)).toEqual(['sh', root, c, '--', '/usr/sbin/nginx', '-t']);
    expect(engineCommand({ kind: 'host', root: '/' }, ['-t'], [c]).args).toEqual(['-t']);
  });

  test.each([
    ['3.0.9', false],
    ['3.0.10', true],
    ['3.0.14', true],
    ['3.1.0', true],
    ['unknown', false],
  ])('libmodsecurity %s enforces SecPcreMatchLimit: %s', (v, expected) => {
    expect(enforcesMatchLimit(v)).toBe(expected);
  });
});
