import { Chart, Testing } from 'cdk8s';
import { EdgeAlertRules, EdgeAlertRulesProps } from '../../lib/monitoring/alerts';
import { EdgeDashboard, EdgeDashboardProps } from '../../lib/monitoring/dashboard/edge-dashboard';
import { EdgeMonitoring, EdgeMonitoringProps } from '../../lib/monitoring/edge-monitoring';
import { ControllerServiceMonitor, ControllerServiceMonitorProps } from '../../lib/monitoring/service-monitor';
import { SlackAlertRouting, SlackAlertRoutingProps } from '../../lib/monitoring/slack-routing';
import { validationErrorOf } from '../waf/support';

const TOKEN = 'glpat-0123456789abcdefghij';
const PROPS: EdgeMonitoringProps = {
  name: 'hospital-edge',
  namespace: 'ingress-nginx',
  controllerNamespace: 'ingress-nginx',
  metricsService: { name: 'ingress-nginx-controller-metrics', labels: { 'app.kubernetes.io/name': 'ingress-nginx' } },
  mtlsHosts: ['echo.example.com'],
  slack: { webhookSecretName: 'edge-alerts-slack', channel: '#waf-alerts' },
  logs: { labels: { namespace: 'ingress-nginx', container: 'controller' } },
  runbookUrl: 'https://github.com/org/repo/blob/main/docs/monitoring.md',
};
const chart = (): Chart => new Chart(Testing.app(), 'test');
const edge = (p: Partial<EdgeMonitoringProps>): unknown => new EdgeMonitoring(chart(), 'm', { ...PROPS, ...p });
const alerts = (p: Partial<EdgeAlertRulesProps>): unknown =>
  new EdgeAlertRules(chart(), 'a', {
    name: 'edge-alerts',
    namespace: 'mon',
    controllerNamespace: 'ingress-nginx',
    scrapeJob: 'metrics',
    mtlsHosts: [],
    ...p,
  });
const dashboard = (p: Partial<EdgeDashboardProps>): unknown =>
  new EdgeDashboard(chart(), 'd', {
    name: 'edge-dashboard',
    namespace: 'mon',
    controllerNamespace: 'ingress-nginx',
    ...p,
  });
const slack = (p: Partial<SlackAlertRoutingProps>): unknown =>
  new SlackAlertRouting(chart(), 's', {
    name: 'edge-slack',
    namespace: 'mon',
    webhookSecretName: 'slack',
    channel: '#waf',
    matchLabels: { edge: 'hospital-edge' },
    ...p,
  });
const serviceMonitor = (p: Partial<ControllerServiceMonitorProps>): unknown =>
  new ControllerServiceMonitor(chart(), 'sm', {
    name: 'edge',
    namespace: 'mon',
    serviceNamespace: 'ingress-nginx',
    serviceSelector: { app: 'x' },
    ...p,
  });

/** One row per prop: the bad value a user (or an attacker with a pull request) could give, and the field the error names. */
const CASES: readonly [string, () => unknown, string][] = [
  [
    'rejects a runbookUrl with credentials',
    () => edge({ runbookUrl: `https://oauth2:${TOKEN}@gitlab.example.com/docs/monitoring.md` }),
    'runbookUrl',
  ],
  [
    'rejects a runbookUrl with a token query',
    () => edge({ runbookUrl: `https://gitlab.example.com/docs/monitoring.md?private_token=${TOKEN}` }),
    'runbookUrl',
  ],
  [
    'rejects a runbookUrl with Go template text',
    () => edge({ runbookUrl: 'https://example.com/{{.ExternalURL}}/runbook' }),
    'runbookUrl',
  ],
  [
    'rejects a runbookUrl with its own fragment',
    () => edge({ runbookUrl: 'https://example.com/docs/monitoring.md#alerts' }),
    'runbookUrl',
  ],
  ['rejects a spike factor of Infinity', () => edge({ wafBlockSpike: { factor: Infinity } }), 'wafBlockSpike.factor'],
  [
    'rejects a spike minimum of Infinity',
    () => edge({ mtlsFailureSpike: { minimumPerMinute: Infinity } }),
    'mtlsFailureSpike.minimumPerMinute',
  ],
  [
    'rejects a spike minimum of NaN',
    () => edge({ wafBlockSpike: { minimumPerMinute: NaN } }),
    'wafBlockSpike.minimumPerMinute',
  ],
  [
    'rejects a certificate expiry of Infinity days',
    () => edge({ certificateExpiryDays: Infinity }),
    'certificateExpiryDays',
  ],
  [
    'rejects a Loki label key with a brace',
    () => edge({ logs: { labels: { 'namespace}|~"': 'x' } } }),
    'logs.labels.namespace}|~"',
  ],
  [
    'rejects a Loki label key with a dot',
    () => edge({ logs: { labels: { 'app.kubernetes.io/name': 'ingress-nginx' } } }),
    'logs.labels.app.kubernetes.io/name',
  ],
  ['rejects a reserved Loki label key', () => edge({ logs: { labels: { __name__: 'x' } } }), 'logs.labels.__name__'],
  [
    'rejects a Loki label value with a Grafana variable',
    () => edge({ logs: { labels: { namespace: '${__all}' } } }),
    'logs.labels.namespace',
  ],
  ['rejects an empty Loki label value', () => edge({ logs: { labels: { namespace: '' } } }), 'logs.labels.namespace'],
  [
    'rejects metrics Service labels that are not labels',
    () => edge({ metricsService: { name: 'm', labels: { 'app name': 'x' } } }),
    'metricsService.labels.app name',
  ],
  [
    'rejects alert labels with a Go template',
    () => alerts({ alertLabels: { team: '{{ $labels.host }}' } }),
    'alertLabels.team',
  ],
  [
    'rejects PrometheusRule labels that are not labels',
    () => alerts({ labels: { release: 'kube prometheus' } }),
    'labels.release',
  ],
  [
    'rejects dashboard sidecar labels that are not labels',
    () => dashboard({ sidecarLabels: { grafana_dashboard: 'yes please' } }),
    'sidecarLabels.grafana_dashboard',
  ],
  [
    'rejects a dashboard uid longer than Grafana allows or with a slash',
    () => dashboard({ uid: '../../etc/passwd' }),
    'uid',
  ],
  [
    'rejects Slack matchLabels names that are not label names',
    () => slack({ matchLabels: { 'edge-name': 'x' } }),
    'matchLabels.edge-name',
  ],
  [
    'rejects Slack matchLabels values with a Go template',
    () => slack({ matchLabels: { edge: '{{ .Status }}' } }),
    'matchLabels.edge',
  ],
  [
    'rejects AlertmanagerConfig labels that are not labels',
    () => slack({ labels: { release: 'a b' } }),
    'labels.release',
  ],
  [
    'rejects ServiceMonitor labels that are not labels',
    () => serviceMonitor({ labels: { 'x/y/z': 'a' } }),
    'labels.x/y/z',
  ],
];

describe('monitoring inputs that reach PromQL, LogQL, Go templates and YAML', () => {
  test.each(CASES)('%s', (_, build, field) => {
    const err = validationErrorOf(build);
    expect(err.field).toBe(field);
    expect(err.message).not.toContain(TOKEN);
  });

  test('accepts the documented forms', () => {
    expect(() => edge({})).not.toThrow();
    expect(() => edge({ runbookUrl: 'http://wiki.internal/docs/monitoring.md' })).not.toThrow();
  });
});
