/**
 * renderObjects refuses two objects that would be one object in the cluster (same kind, API group, namespace and
 * name), wherever they are declared, and names both construct paths; same-named objects of other kinds, groups or
 * namespaces are fine.
 */
import { App } from 'cdk8s';
import { KubeConfigMap, KubeSecret } from 'cdk8s-plus-27/lib/imports/k8s';
import { LayerChart } from '../../lib/synth/layers';
import { renderObjects } from '../../lib/synth/render';
import { ValidationError } from '../../lib/core/validation';

function app(build: (charts: { controller: LayerChart; apps: LayerChart }) => void): App {
  const a = new App();
  build({
    controller: new LayerChart(a, 'controller', { layer: 'controller' }),
    apps: new LayerChart(a, 'apps', { layer: 'apps' }),
  });
  return a;
}

describe('renderObjects: one object per kind + namespace + name', () => {
  test('rejects the same ConfigMap declared in two layers (two files, one object in the cluster), naming both paths', () => {
    const twice = app(({ controller, apps }) => {
      new KubeConfigMap(controller, 'settings', { metadata: { name: 'settings', namespace: 'edge' } });
      new KubeConfigMap(apps, 'copy', { metadata: { name: 'settings', namespace: 'edge' } });
    });
    let error: unknown;
    try {
      renderObjects(twice);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).field).toBe('apps/copy');
    expect((error as Error).message).toMatch(
      /^apps\/copy: "ConfigMap edge\/settings" is also the object of controller\/settings; one cluster would hold only one of them/,
    );
  });

  test('accepts the same name for another kind or another namespace', () => {
    const fine = app(({ controller, apps }) => {
      new KubeConfigMap(controller, 'settings', { metadata: { name: 'settings', namespace: 'edge' } });
      new KubeSecret(apps, 'secret', { metadata: { name: 'settings', namespace: 'edge' } });
      new KubeConfigMap(apps, 'other-namespace', { metadata: { name: 'settings', namespace: 'apps' } });
    });
    expect(renderObjects(fine)).toHaveLength(3);
  });
});
