import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Chart, Testing } from 'cdk8s';
import { EDGE_ALERTS, EdgeAlertRules, EdgeAlertRulesProps } from '../../lib/monitoring/alerts';
import { series, eq } from '../../lib/monitoring/promql';
import { ValidationError } from '../../lib/core/validation';
import { validateManifest } from '../support/schema';
import { checkPromQL } from './promql-checker';
import { ModSecurityController } from '../../lib/controller/controller';
import { WafPolicy } from '../../lib/waf/policy';

const PROPS: EdgeAlertRulesProps = {
  name: 'edge-alerts',
  namespace: 'ingress-nginx',
  labels: { release: 'kube-prometheus-stack' },
  controllerNamespace: 'ingress-nginx',
  scrapeJob: 'ingress-nginx-controller-metrics',
  mtlsHosts: ['echo.example.com'],
  alertLabels: { edge: 'hospital-edge' },
  runbookUrl: 'https://github.com/example/hospital-edge/blob/main/docs/monitoring.md',
};

function synth(props: Partial<EdgeAlertRulesProps> = {}): { manifests: any[]; rules: EdgeAlertRules } {
  const chart = new Chart(Testing.app(), 'test');
  const rules = new EdgeAlertRules(chart, 'alerts', { ...PROPS, ...props });
  return { manifests: Testing.synth(chart), rules };
}

function rulesOf(manifest: any): any[] {
  return manifest.spec.groups.flatMap((g: any) => g.rules);
}

describe('EdgeAlertRules', () => {
  test('emits one PrometheusRule that matches the prometheus-operator schema', () => {
    const { manifests } = synth();
    expect(manifests).toHaveLength(1);
    expect(manifests[0].kind).toBe('PrometheusRule');
    validateManifest(manifests[0]);
    expect(manifests).toMatchSnapshot();
  });

  test('has the six alerts a WAF operator needs, each with summary, description and runbook link', () => {
    const rules = rulesOf(synth().manifests[0]);
    expect(rules.map((r) => r.alert)).toEqual(Object.values(EDGE_ALERTS).map((a) => a.alert));
    for (const r of rules) {
      expect(r.annotations.summary.length).toBeGreaterThan(10);
      expect(r.annotations.description).toMatch(/Look first at/);
      expect(r.annotations.runbook_url).toBe(`${PROPS.runbookUrl}#${r.alert.toLowerCase()}`);
      expect(r.labels).toEqual(expect.objectContaining({ namespace: 'ingress-nginx', edge: 'hospital-edge' }));
      expect(['warning', 'critical']).toContain(r.labels.severity);
    }
  });

  test('every expression uses only metrics and labels ingress-nginx v1.15.1 exports when scraped', () => {
    for (const r of rulesOf(synth({ wafHosts: ['echo.example.com', '*.example.org'] }).manifests[0])) {
      expect({ alert: r.alert, problems: checkPromQL(r.expr) }).toEqual({ alert: r.alert, problems: [] });
    }
  });

  test('WAF blocks: 403s per host against their own baseline of the previous hour, with a floor', () => {
    const expr = synth().rules.expressions.get('EdgeWafBlockSpike')!;
    expect(expr).toContain('sum by (host) (rate(nginx_ingress_controller_requests{status="403"}[5m]))');
    expect(expr).toContain(
      '> 3 * (sum by (host) (rate(nginx_ingress_controller_requests{status="403"}[1h] offset 5m)))',
    );
    expect(expr).toContain('unless on (host)');
    expect(expr).toMatch(/\* 60 > 10$/);
  });

  test('WAF blocks can be limited to the WAF hosts (escaped regex)', () => {
    const expr = synth({ wafHosts: ['echo.example.com'] }).rules.expressions.get('EdgeWafBlockSpike')!;
    expect(expr).toContain('host=~"echo\\\\.example\\\\.com"');
  });

  test('mTLS failures: nginx request count minus requests that reached an Ingress (rejected before any location)', () => {
    const expr = synth().rules.expressions.get('EdgeMtlsFailureSpike')!;
    expect(expr).toContain(
      'sum(rate(nginx_ingress_controller_nginx_process_requests_total{controller_namespace="ingress-nginx"}[5m])) - (sum(rate(nginx_ingress_controller_requests{controller_namespace="ingress-nginx"}[5m])) or vector(0))',
    );
  });

  test('reload failure, certificate expiry within 14 days and controller down', () => {
    const { expressions } = synth().rules;
    expect(expressions.get('EdgeConfigReloadFailed')).toBe(
      'max by (controller_pod) (nginx_ingress_controller_config_last_reload_successful{controller_namespace="ingress-nginx"}) == 0',
    );
    expect(expressions.get('EdgeCertificateExpiringSoon')).toMatch(/- time\(\) < 14 \* 86400$/);
    expect(expressions.get('EdgeControllerDown')).toBe(
      'absent(up{job="ingress-nginx-controller-metrics", namespace="ingress-nginx"} == 1)',
    );
    expect(synth({ certificateExpiryDays: 7 }).rules.expressions.get('EdgeCertificateExpiringSoon')).toMatch(
      /< 7 \* 86400$/,
    );
  });

  test('controller memory: working set over the memory limit of the controller container, per pod', () => {
    const { expressions } = synth().rules;
    expect(expressions.get('EdgeControllerMemoryNearLimit')).toBe(
      [
        'max by (namespace, pod) (container_memory_working_set_bytes{namespace="ingress-nginx", container="controller"})',
        '/ on (namespace, pod)',
        'max by (namespace, pod) (kube_pod_container_resource_limits{namespace="ingress-nginx", container="controller", resource="memory"})',
        '> 0.6',
      ].join('\n'),
    );
    expect(synth({ controllerMemoryRatio: 0.75 }).rules.expressions.get('EdgeControllerMemoryNearLimit')).toMatch(
      /\n> 0\.75$/,
    );
  });

  test('controller memory: selects the container the controller Deployment runs', () => {
    const chart = new Chart(Testing.app(), 'c');
    new ModSecurityController(chart, 'c', { waf: new WafPolicy({}) });
    const deployment = Testing.synth(chart).find((m) => m.kind === 'Deployment');
    const names = deployment.spec.template.spec.containers.map((c: { name: string }) => c.name);
    expect(synth().rules.expressions.get('EdgeControllerMemoryNearLimit')).toContain(`container="${names[0]}"`);
    expect(names).toHaveLength(1);
  });

  test('without runbookUrl no runbook_url annotation is emitted', () => {
    for (const r of rulesOf(synth({ runbookUrl: undefined }).manifests[0]))
      expect(r.annotations.runbook_url).toBeUndefined();
  });

  test('docs/monitoring.md has a runbook section for every alert', () => {
    const doc = readFileSync(join(__dirname, '..', '..', 'docs', 'monitoring.md'), 'utf8');
    const anchors = [...doc.matchAll(/^#{2,4} (.+)$/gm)].map((m) =>
      m[1]
        .trim()
        .toLowerCase()
        .replace(/[^a-z0-9 -]/g, '')
        .replace(/ /g, '-'),
    );
    for (const a of Object.values(EDGE_ALERTS)) expect(anchors).toContain(a.anchor);
  });

  test.each<[string, Partial<EdgeAlertRulesProps>, RegExp]>([
    ['an empty wafHosts list', { wafHosts: [] }, /wafHosts/],
    ['a WAF host that is not a host name', { wafHosts: ['not a host'] }, /wafHosts\[0\]/],
    ['a duplicated WAF host', { wafHosts: ['a.example.com', 'a.example.com'] }, /wafHosts/],
    ['an mTLS host that is an IP address', { mtlsHosts: ['10.0.0.1'] }, /mtlsHosts\[0\]/],
    ['a spike factor of 1', { wafBlockSpike: { factor: 1 } }, /wafBlockSpike\.factor/],
    ['a window that is no duration', { mtlsFailureSpike: { window: '5 minutes' } }, /mtlsFailureSpike\.window/],
    [
      'a baseline shorter than twice the window',
      { wafBlockSpike: { window: '10m', baseline: '15m' } },
      /wafBlockSpike\.baseline/,
    ],
    ['a zero minimum rate', { wafBlockSpike: { minimumPerMinute: 0 } }, /minimumPerMinute/],
    ['a certificate expiry of 0 days', { certificateExpiryDays: 0 }, /certificateExpiryDays/],
    ['an alert label Prometheus cannot hold', { alertLabels: { 'edge-name': 'x' } }, /alertLabels/],
    ['an alert label that overrides severity', { alertLabels: { severity: 'info' } }, /alertLabels\.severity/],
    ['a runbook URL that is not http(s)', { runbookUrl: 'docs/monitoring.md' }, /runbookUrl/],
    ['a controller memory ratio of 1', { controllerMemoryRatio: 1 }, /controllerMemoryRatio/],
    ['a controller memory ratio of 0', { controllerMemoryRatio: 0 }, /controllerMemoryRatio/],
    [
      'a namespace that is not a DNS label',
      { namespace: 'Ingress_Nginx' },
      /EdgeAlertRules "test\/alerts": namespace: /,
    ],
  ])('rejects %s', (_, props, field) => {
    expect(() => synth(props)).toThrow(ValidationError);
    expect(() => synth(props)).toThrow(field);
  });
});

describe('PromQL helpers', () => {
  test('render a selector with quoted values', () => {
    expect(series('nginx_ingress_controller_requests', [eq('host', 'a"b')])).toBe(
      'nginx_ingress_controller_requests{host="a\\"b"}',
    );
  });

  test('rejects a series ingress-nginx does not export', () => {
    expect(() => series('nginx_ingress_controller_requests_total')).toThrow(
      /is not a series ingress-nginx v1.15.1 exports/,
    );
  });

  test('rejects a label Prometheus renamed, naming the exported_ name', () => {
    expect(() => series('nginx_ingress_controller_ssl_certificate_info', [eq('exported_host', 'x')])).toThrow(
      /exported_host/,
    );
    expect(() => series('nginx_ingress_controller_requests', [eq('rule_id', '1')])).toThrow(
      /is not a label of nginx_ingress_controller_requests/,
    );
  });
});
