/**
 * EdgeMonitoring and its parts (ControllerServiceMonitor, EdgeAlertRules, EdgeDashboard, SlackAlertRouting): the
 * user's `metadata` lands on their objects (never overriding the selector labels or the construct's annotations), and
 * the exposed objects are the ones in the output.
 */
import { Chart, JsonPatch, Testing } from 'cdk8s';
import { EdgeMonitoring, EdgeMonitoringProps } from '../../lib/monitoring/edge-monitoring';
import { ControllerServiceMonitor } from '../../lib/monitoring/service-monitor';
import { EdgeAlertRules } from '../../lib/monitoring/alerts';
import { EdgeDashboard } from '../../lib/monitoring/dashboard/edge-dashboard';
import { SlackAlertRouting } from '../../lib/monitoring/slack-routing';
import { ObjectMetadataOptions } from '../../lib/core/metadata';
import { validationErrorOf } from '../waf/support';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Obj = any;
const USER = { labels: { team: 'sre' }, annotations: { 'example.com/owner': 'team-a' } };
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
const chart = () => new Chart(Testing.app(), 'test');

const BUILD = {
  serviceMonitor: (c: Chart, metadata?: ObjectMetadataOptions) =>
    new ControllerServiceMonitor(c, 'service-monitor', {
      name: 'edge-controller',
      namespace: 'ingress-nginx',
      labels: { release: 'kube-prometheus-stack' },
      serviceNamespace: 'ingress-nginx',
      serviceSelector: { 'app.kubernetes.io/name': 'ingress-nginx' },
      metadata,
    }),
  alerts: (c: Chart, metadata?: ObjectMetadataOptions) =>
    new EdgeAlertRules(c, 'alerts', {
      name: 'edge-alerts',
      namespace: 'ingress-nginx',
      labels: { release: 'kube-prometheus-stack' },
      controllerNamespace: 'ingress-nginx',
      scrapeJob: 'ingress-nginx-controller-metrics',
      mtlsHosts: ['echo.example.com'],
      metadata,
    }),
  dashboard: (c: Chart, metadata?: ObjectMetadataOptions) =>
    new EdgeDashboard(c, 'dashboard', {
      name: 'edge-dashboard',
      namespace: 'ingress-nginx',
      controllerNamespace: 'ingress-nginx',
      metadata,
    }),
  slack: (c: Chart, metadata?: ObjectMetadataOptions) =>
    new SlackAlertRouting(c, 'slack', {
      name: 'edge-slack',
      namespace: 'ingress-nginx',
      labels: { alertmanagerConfig: 'edge' },
      webhookSecretName: 'edge-alerts-slack',
      channel: '#waf-alerts',
      matchLabels: { edge: 'hospital-edge' },
      metadata,
    }),
};

function parts(metadata?: ObjectMetadataOptions) {
  const c = chart();
  return {
    chart: c,
    serviceMonitor: BUILD.serviceMonitor(c, metadata),
    alerts: BUILD.alerts(c, metadata),
    dashboard: BUILD.dashboard(c, metadata),
    slack: BUILD.slack(c, metadata),
  };
}

describe('monitoring constructs: metadata and underlying objects', () => {
  test("each adds the user's labels and annotations to its object, beside its own", () => {
    const objects: Obj[] = Testing.synth(parts(USER).chart);
    expect(objects.map((o) => o.kind)).toEqual(['ServiceMonitor', 'PrometheusRule', 'ConfigMap', 'AlertmanagerConfig']);
    for (const o of objects) {
      expect(o.metadata.labels.team).toBe('sre');
      expect(o.metadata.annotations['example.com/owner']).toBe('team-a');
    }
    expect(objects[0].metadata.labels.release).toBe('kube-prometheus-stack');
    expect(objects[2].metadata.labels.grafana_dashboard).toBe('1');
    expect(objects[2].metadata.annotations['kustomize.toolkit.fluxcd.io/substitute']).toBe('disabled');
  });

  test.each<[keyof typeof BUILD, Record<string, string>]>([
    ['serviceMonitor', { release: 'other' }],
    ['alerts', { release: 'other' }],
    ['dashboard', { grafana_dashboard: '0' }],
    ['slack', { alertmanagerConfig: 'other' }],
  ])('rejects overriding a label that %s sets, naming it', (which, labels) => {
    const err = validationErrorOf(() => BUILD[which](chart(), { labels }));
    // The end of the field only: the part before it names the construct (its format is not this test's concern).
    expect(err.field.endsWith(`metadata.labels["${Object.keys(labels)[0]}"]`)).toBe(true);
  });

  test("rejects overriding the dashboard's Flux substitution annotation", () => {
    const err = validationErrorOf(() =>
      BUILD.dashboard(chart(), { annotations: { 'kustomize.toolkit.fluxcd.io/substitute': 'enabled' } }),
    );
    expect(err.field).toMatch(/metadata\.annotations\["kustomize\.toolkit\.fluxcd\.io\/substitute"\]$/);
  });

  test('exposes the objects that are in the output', () => {
    const { chart: c, serviceMonitor, alerts, dashboard, slack } = parts();
    serviceMonitor.serviceMonitor.addJsonPatch(JsonPatch.add('/spec/jobLabel', 'app'));
    alerts.rule.metadata.addAnnotation('example.com/patched', 'rule');
    dashboard.configMap.metadata.addLabel('example.com/patched', 'dashboard');
    slack.config.metadata.addAnnotation('example.com/patched', 'slack');
    const [sm, rule, cm, amc]: Obj[] = Testing.synth(c);
    expect(sm.spec.jobLabel).toBe('app');
    expect(rule.metadata.annotations).toEqual({ 'example.com/patched': 'rule' });
    expect(cm.metadata.labels['example.com/patched']).toBe('dashboard');
    expect(amc.metadata.annotations).toEqual({ 'example.com/patched': 'slack' });
  });
});

describe('EdgeMonitoring metadata', () => {
  function synth(metadata?: ObjectMetadataOptions): Obj[] {
    const c = chart();
    new EdgeMonitoring(c, 'monitoring', { ...PROPS, metadata });
    return Testing.synth(c);
  }

  test("adds the user's labels and annotations to every object of the layer", () => {
    const objects = synth(USER);
    expect(objects).toHaveLength(4);
    for (const o of objects) {
      expect(o.metadata.labels.team).toBe('sre');
      expect(o.metadata.annotations['example.com/owner']).toBe('team-a');
      expect(o.metadata.annotations['argocd.argoproj.io/sync-options']).toBe('SkipDryRunOnMissingResource=true');
    }
  });

  test('without metadata the output is what it was', () => {
    expect(synth({})).toEqual(synth());
  });

  test('rejects the Argo CD sync-options annotation it adds to every object, naming it', () => {
    const err = validationErrorOf(() => synth({ annotations: { 'argocd.argoproj.io/sync-options': 'Prune=false' } }));
    expect(err.field).toMatch(/metadata\.annotations\["argocd\.argoproj\.io\/sync-options"\]$/);
  });

  test('rejects overriding the Prometheus selector label', () => {
    const err = validationErrorOf(() => synth({ labels: { release: 'other' } }));
    expect(err.field).toMatch(/metadata\.labels\["release"\]$/);
  });
});
