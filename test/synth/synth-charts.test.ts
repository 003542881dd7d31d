import { App, Chart } from 'cdk8s';
import { KubeConfigMap, KubeDeployment, KubeService } from 'cdk8s-plus-27/lib/imports/k8s';
import { parseAllDocuments } from 'yaml';
import { propsValidator, ValidationError } from '../../lib/core/validation';
import { synthesizeCharts } from '../../lib/synth/synth-charts';

/** An app with explicit object dependencies, cross-chart dependencies and a nested chart. */
function sampleApp(): App {
  const app = new App();
  const base = new Chart(app, 'base');
  const ns = new KubeConfigMap(base, 'settings', { metadata: { name: 'settings' } });
  const apps = new Chart(app, 'apps');
  const deploy = new KubeDeployment(apps, 'deploy', {
    metadata: { name: 'web' },
    spec: { selector: {}, template: {} },
  });
  const svc = new KubeService(apps, 'svc', { metadata: { name: 'web' } });
  svc.addDependency(deploy);
  deploy.addDependency(ns);
  const nested = new Chart(apps, 'nested');
  new KubeConfigMap(nested, 'inner', { metadata: { name: 'inner' } });
  return app;
}

describe('synthesizeCharts', () => {
  test('gives the same objects in the same order as cdk8s App.synthYaml()', () => {
    const ours = synthesizeCharts(sampleApp());
    const stock = parseAllDocuments(sampleApp().synthYaml()).map((d) => d.toJS());
    expect(ours.flatMap((c) => c.manifests)).toEqual(stock);
    expect(ours.find((c) => c.chart.node.path === 'apps')?.manifests.map((m) => (m as { kind: string }).kind)).toEqual([
      'Deployment',
      'Service',
    ]);
  });

  test("rejects with a late check's ValidationError as is, naming the construct path (no manifest rendered)", () => {
    const app = sampleApp();
    const settings = app.charts[0].node.findChild('settings');
    const rendered = jest.spyOn(settings as unknown as { toJson(): unknown }, 'toJson');
    propsValidator(settings, 'Settings').late(() => {
      throw new ValidationError('data', {}, 'is empty', 'give data');
    });
    let err: unknown;
    try {
      synthesizeCharts(app);
    } catch (e) {
      err = e;
    }
    expect(ValidationError.isValidationError(err)).toBe(true);
    expect((err as ValidationError).construct).toEqual({ kind: 'Settings', path: 'base/settings' });
    expect((err as Error).message).toBe('Settings "base/settings": data: {} is empty. Fix: give data');
    expect(rendered).not.toHaveBeenCalled();
  });

  test('fails like cdk8s when a construct does not validate', () => {
    const app = sampleApp();
    app.charts[0].node.addValidation({ validate: () => ['broken on purpose'] });
    expect(() => synthesizeCharts(app)).toThrow(
      /Validation failed with the following errors:\n {2}\[base\] broken on purpose/,
    );
  });
});
