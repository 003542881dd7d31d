import { mkdtempSync, writeFileSync, mkdirSync, rmSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'cdk8s';
import { KubeConfigMap } from 'cdk8s-plus-27/lib/imports/k8s';
import { synthesize } from '../../lib/synth/pipeline';
import { LayerChart } from '../../lib/synth/layers';
import { readTree } from '../support/dist';
import { ValidationError } from '../../lib/core/validation';

describe('atomic synth', () => {
  let work: string;
  beforeEach(() => {
    work = mkdtempSync(join(tmpdir(), 'atomic-'));
  });
  afterEach(() => rmSync(work, { recursive: true, force: true }));

  function previousDist(): string {
    const dist = join(work, 'dist');
    mkdirSync(join(dist, '30-apps'), { recursive: true });
    writeFileSync(join(dist, 'kustomization.yaml'), 'resources:\n  - 30-apps\n');
    writeFileSync(join(dist, '30-apps', 'old.yaml'), 'kind: ConfigMap\n');
    return dist;
  }

  function goodApp(): App {
    const app = new App();
    const chart = new LayerChart(app, 'apps', { layer: 'apps' });
    new KubeConfigMap(chart, 'cm', { metadata: { name: 'settings', namespace: 'demo' }, data: { a: 'b' } });
    return app;
  }

  test('a synth that throws leaves the previous dist/ byte-identical and no scratch folder behind', () => {
    const dist = previousDist();
    const before = readTree(dist);
    expect(() => synthesize({ cdk8s: { build: () => { throw new ValidationError('waf.paranoiaLevel', 7, 'is out of range', 'use 1-4'); }, outdir: dist } })).toThrow(/paranoiaLevel/);
    expect(readTree(dist)).toEqual(before);
    expect(readdirSync(work)).toEqual(['dist']);
  });

  test('a failing CDKTF synth leaves dist/ untouched too', () => {
    const dist = previousDist();
    const before = readTree(dist);
    expect(() => synthesize({
      cdk8s: { build: goodApp, outdir: dist },
      cdktf: { build: () => { throw new Error('bad stack'); }, outdir: join(work, 'cdktf.out') },
    })).toThrow(/bad stack/);
    expect(readTree(dist)).toEqual(before);
  });

  test('a synth that would write a private key writes nothing', () => {
    const dist = previousDist();
    const before = readTree(dist);
    const leaky = (): App => {
      const app = goodApp();
      new KubeConfigMap(app.charts[0], 'leak', { metadata: { name: 'leak', namespace: 'demo' }, data: { key: `-----BEGIN ${'PRIVATE'} KEY-----\nMII...\n-----END ${'PRIVATE'} KEY-----` } });
      return app;
    };
    expect(() => synthesize({ cdk8s: { build: leaky, outdir: dist } })).toThrow(/private key/);
    expect(readTree(dist)).toEqual(before);
  });

  test('a successful synth replaces dist/ whole (stale files disappear)', () => {
    const dist = previousDist();
    const summary = synthesize({ cdk8s: { build: goodApp, outdir: dist } });
    expect([...readTree(dist).keys()].sort()).toEqual(['30-apps/demo_configmap_settings.yaml', '30-apps/kustomization.yaml', 'kustomization.yaml']);
    expect(summary.dist?.objectsByKind).toEqual({ ConfigMap: 1 });
  });
});
