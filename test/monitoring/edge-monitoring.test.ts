import { Chart, Testing } from 'cdk8s';
import { EdgeMonitoring, EdgeMonitoringProps, SKIP_DRY_RUN_ANNOTATION } from '../../lib/monitoring/edge-monitoring';
import { REFERENCE_DEPLOYMENT, EdgeDeploymentConfig } from '../../lib/reference/config';
import { buildEdgeApp } from '../../lib/reference/cdk8s-app';
import { renderObjects, renderTree } from '../../lib/synth/render';
import { ValidationError } from '../../lib/core/validation';
import { validateManifest } from '../support/schema';

const PROPS: EdgeMonitoringProps = {
  name: 'hospital-edge',
  namespace: 'ingress-nginx',
  controllerNamespace: 'ingress-nginx',
  metricsService: {
    name: 'ingress-nginx-controller-metrics',
    labels: { 'app.kubernetes.io/name': 'ingress-nginx', 'app.kubernetes.io/component': 'controller' },
  },
  mtlsHosts: ['echo.example.com'],
  slack: { webhookSecretName: 'edge-alerts-slack', channel: '#waf-alerts' },
};

function synth(props: Partial<EdgeMonitoringProps> = {}): any[] {
  const chart = new Chart(Testing.app(), 'test');
  new EdgeMonitoring(chart, 'monitoring', { ...PROPS, ...props });
  return Testing.synth(chart);
}

describe('EdgeMonitoring', () => {
  test('emits ServiceMonitor, PrometheusRule, dashboard and Slack routing, all valid against their schemas', () => {
    const manifests = synth();
    expect(manifests.map((m) => `${m.kind}/${m.metadata.name}`)).toEqual([
      'ServiceMonitor/hospital-edge-controller',
      'PrometheusRule/hospital-edge-alerts',
      'ConfigMap/hospital-edge-dashboard',
      'AlertmanagerConfig/hospital-edge-slack',
    ]);
    for (const m of manifests) validateManifest(m);
  });

  test('every object carries SkipDryRunOnMissingResource for Argo CD', () => {
    for (const m of synth()) expect(m.metadata.annotations).toEqual(expect.objectContaining(SKIP_DRY_RUN_ANNOTATION));
  });

  test('Prometheus selector labels go on the ServiceMonitor and PrometheusRule (kube-prometheus-stack release label by default)', () => {
    const [sm, rule] = synth();
    expect(sm.metadata.labels).toEqual({ release: 'kube-prometheus-stack' });
    expect(rule.metadata.labels).toEqual({ release: 'kube-prometheus-stack' });
    const [sm2] = synth({ prometheusSelectorLabels: { prometheus: 'edge' } });
    expect(sm2.metadata.labels).toEqual({ prometheus: 'edge' });
  });

  test('the ServiceMonitor scrapes the metrics port of the controller Service in its namespace', () => {
    const [sm] = synth();
    expect(sm.spec).toEqual({
      selector: { matchLabels: PROPS.metricsService.labels },
      namespaceSelector: { matchNames: ['ingress-nginx'] },
      endpoints: [{ port: 'metrics', path: '/metrics', interval: '30s', honorLabels: false }],
    });
  });

  test('alerts route to Slack by the edge label the rules add', () => {
    const manifests = synth();
    const rule = manifests.find((m) => m.kind === 'PrometheusRule');
    const amc = manifests.find((m) => m.kind === 'AlertmanagerConfig');
    for (const r of rule.spec.groups[0].rules) expect(r.labels.edge).toBe('hospital-edge');
    expect(amc.spec.route.matchers).toEqual([{ name: 'edge', value: 'hospital-edge', matchType: '=' }]);
  });

  test('without Slack no AlertmanagerConfig is emitted', () => {
    expect(synth({ slack: undefined }).map((m) => m.kind)).not.toContain('AlertmanagerConfig');
  });

  test.each<[string, Partial<EdgeMonitoringProps>, RegExp]>([
    ['a name that is not a DNS label', { name: 'Hospital Edge' }, /EdgeMonitoring "test\/monitoring": name: /],
    [
      'a selector label value with spaces',
      { prometheusSelectorLabels: { release: 'kube prometheus' } },
      /prometheusSelectorLabels\.release/,
    ],
    [
      'a metrics Service without labels',
      { metricsService: { name: 'm', labels: {} } },
      /EdgeMonitoring "test\/monitoring": metricsService\.labels: /,
    ],
    [
      'a metrics port name longer than 15 characters',
      { metricsService: { ...PROPS.metricsService, portName: 'prometheus-metrics-port' } },
      /portName/,
    ],
  ])('rejects %s', (_, props, field) => {
    expect(() => synth(props)).toThrow(ValidationError);
    expect(() => synth(props)).toThrow(field);
  });
});

describe('reference monitoring layer', () => {
  const render = (config: EdgeDeploymentConfig) => renderObjects(buildEdgeApp(config));

  test('goes to 40-monitoring with sync wave 40', () => {
    const monitoring = render(REFERENCE_DEPLOYMENT).filter((o) => o.layer.id === 'monitoring');
    expect(monitoring.map((o) => o.manifest.kind).sort()).toEqual([
      'AlertmanagerConfig',
      'ConfigMap',
      'PrometheusRule',
      'ServiceMonitor',
    ]);
    for (const o of monitoring) expect(o.manifest.metadata.annotations?.['argocd.argoproj.io/sync-wave']).toBe('40');
  });

  test('is left out entirely when monitoring is disabled (no layer, no monitoring CRs, no kube-prometheus-stack)', () => {
    const config: EdgeDeploymentConfig = {
      ...REFERENCE_DEPLOYMENT,
      monitoring: { ...REFERENCE_DEPLOYMENT.monitoring, enabled: false },
    };
    const objects = render(config);
    expect(objects.filter((o) => o.manifest.apiVersion.startsWith('monitoring.coreos.com/'))).toEqual([]);
    const tree = renderTree(objects);
    expect([...tree.keys()].filter((k) => k.startsWith('40-monitoring/'))).toEqual([]);
    expect(tree.get('kustomization.yaml')).not.toContain('40-monitoring');
    expect([...tree.values()].join('\n')).not.toContain('kube-prometheus-stack');
  });
});
