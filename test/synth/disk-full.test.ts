/**
 * Disk full while staging: a real small file system (tmpfs, 300 KiB) that holds one output but not a second copy.
 * Needs root to mount it (.ci/run runs as root); elsewhere the test is skipped and says why.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'cdk8s';
import { KubeConfigMap } from 'cdk8s-plus-27/lib/imports/k8s';
import { synthesize } from '../../lib/synth/pipeline';
import { LayerChart } from '../../lib/synth/layers';
import { fingerprint, leftovers } from './support';

const disk = mkdtempSync(join(tmpdir(), 'synth-disk-full-'));
const mount = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=300k', 'tmpfs', disk], { encoding: 'utf8' });
const mounted = mount.status === 0;
if (!mounted)
  console.warn(
    `disk-full test skipped: cannot mount a tmpfs here (${(mount.stderr || mount.error?.message || '').trim()})`,
  );

/** An app whose YAML is ~180 KiB: one copy fits on the 300 KiB file system, two do not. */
function bigApp(version: string): () => App {
  return () => {
    const app = new App();
    new KubeConfigMap(new LayerChart(app, 'apps', { layer: 'apps' }), 'big', {
      metadata: { name: 'big', namespace: 'demo' },
      data: { version, blob: 'x'.repeat(180 * 1024) },
    });
    return app;
  };
}

describe('synth on a full disk', () => {
  afterAll(() => {
    if (mounted) spawnSync('umount', [disk]);
    rmSync(disk, { recursive: true, force: true });
  });

  (mounted ? test : test.skip)(
    'rejects a synth that runs out of space while staging: one line naming the file, both outputs byte-identical, nothing left behind',
    () => {
      const dist = join(disk, 'dist');
      const cdktfOut = join(disk, 'cdktf.out');
      const stacks = (outdir: string) => ({
        synth: () => {
          mkdirSync(join(outdir, 'stacks', 'edge'), { recursive: true });
        },
      });
      synthesize({ cdk8s: { build: bigApp('1'), outdir: dist }, cdktf: { build: stacks, outdir: cdktfOut } });
      const before = { dist: fingerprint(dist), cdktf: fingerprint(cdktfOut) };
      expect(() =>
        synthesize({ cdk8s: { build: bigApp('2'), outdir: dist }, cdktf: { build: stacks, outdir: cdktfOut } }),
      ).toThrow(
        new RegExp(
          `^cannot write ${dist}/30-apps/demo_configmap_big\\.yaml: no space left on the device \\(disk full\\) \\(ENOSPC\\); ${dist} and ${cdktfOut} were not changed$`,
        ),
      );
      expect({ dist: fingerprint(dist), cdktf: fingerprint(cdktfOut) }).toEqual(before);
      expect(leftovers(disk)).toEqual([]);
    },
  );
});
