import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Chart, Testing } from 'cdk8s';
import {
  AUDIT_HOST_PATTERN,
  AUDIT_LOG_FIELDS,
  EdgeDashboard,
  EdgeDashboardProps,
  lokiSelector,
} from '../../lib/monitoring/dashboard/edge-dashboard';
import { GrafanaDashboardModel } from '../../lib/monitoring/dashboard/model';
import { ValidationError } from '../../lib/core/validation';
import { validateManifest } from '../support/schema';
import { checkPromQL } from './promql-checker';

const PROPS: EdgeDashboardProps = {
  name: 'edge-dashboard',
  namespace: 'ingress-nginx',
  controllerNamespace: 'ingress-nginx',
  logs: { labels: { namespace: 'ingress-nginx', container: 'controller' } },
};

function synth(props: Partial<EdgeDashboardProps> = {}): { configMap: any; dashboard: any } {
  const chart = new Chart(Testing.app(), 'test');
  new EdgeDashboard(chart, 'dashboard', { ...PROPS, ...props });
  const [configMap] = Testing.synth(chart);
  const [key] = Object.keys(configMap.data);
  return { configMap, dashboard: JSON.parse(configMap.data[key]) };
}

const panelsOf = (d: any): any[] => d.panels.filter((p: any) => p.type !== 'row');

describe('EdgeDashboard', () => {
  test('is a ConfigMap the Grafana sidecar picks up, holding valid dashboard JSON', () => {
    const { configMap, dashboard } = synth();
    validateManifest(configMap);
    expect(configMap.metadata.labels).toEqual({ grafana_dashboard: '1' });
    expect(Object.keys(configMap.data)).toEqual(['edge-waf-mtls.json']);
    expect(dashboard.uid).toBe('edge-waf-mtls');
    expect(dashboard.schemaVersion).toBe(39);
    expect(configMap.metadata.annotations).toEqual({ 'kustomize.toolkit.fluxcd.io/substitute': 'disabled' });
  });

  test('dashboard JSON snapshot', () => {
    expect(synth().dashboard).toMatchSnapshot();
  });

  test('has panels for requests, blocks by host and by rule, mTLS failures, latency percentiles and reloads', () => {
    const titles = panelsOf(synth().dashboard).map((p) => p.title);
    expect(titles).toEqual(
      expect.arrayContaining([
        'Requests per second by host and status',
        'WAF blocks (HTTP 403) by host',
        'WAF blocks by rule id',
        'Top blocked clients and rules',
        'Requests rejected before an Ingress (client-certificate failures)',
        'Request duration percentiles',
        'Configuration reloads',
      ]),
    );
    const latency = panelsOf(synth().dashboard).find((p) => p.title === 'Request duration percentiles');
    expect(latency.targets.map((t: any) => t.legendFormat)).toEqual(['p50', 'p95', 'p99']);
  });

  test('every Prometheus query uses only metrics and labels ingress-nginx v1.15.1 exports', () => {
    const { dashboard } = synth();
    const queries = [
      ...panelsOf(dashboard)
        .filter((p) => p.datasource.type === 'prometheus')
        .flatMap((p) => p.targets.map((t: any) => t.expr)),
      // Grafana's label_values(selector, label) is checked as the equivalent PromQL `group by (label) (selector)`.
      ...dashboard.templating.list
        .filter((v: any) => v.type === 'query')
        .map((v: any) => v.definition.replace(/^label_values\((.*), (\w+)\)$/, 'group by ($2) ($1)')),
    ];
    expect(queries.length).toBeGreaterThan(8);
    for (const q of queries) expect({ q, problems: checkPromQL(q) }).toEqual({ q, problems: [] });
  });

  test('panels have unique ids and do not overlap on the 24-column grid', () => {
    const { dashboard } = synth();
    const ids = dashboard.panels.map((p: any) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    const cells = new Set<string>();
    for (const p of dashboard.panels) {
      const { x, y, w, h } = p.gridPos;
      expect(x + w).toBeLessThanOrEqual(24);
      for (let i = x; i < x + w; i++)
        for (let j = y; j < y + h; j++) {
          expect(cells.has(`${i},${j}`)).toBe(false);
          cells.add(`${i},${j}`);
        }
    }
  });

  test('log panels read fields that exist in a ModSecurity v3 JSON audit record', () => {
    const record = JSON.parse(readFileSync(join(__dirname, 'fixtures', 'modsecurity-audit-record.json'), 'utf8'));
    const resolve = (path: string): unknown =>
      path.split('.').reduce<any>((o, part) => {
        const m = /^(\w+)\[(\d+)\]$/.exec(part);
        return m ? o?.[m[1]]?.[Number(m[2])] : o?.[part];
      }, record);
    // A real record of the default audit parts (AHZ), captured from the engine (`npm run verify -- --keep`, stdout.log).
    expect(resolve(AUDIT_LOG_FIELDS.ruleId)).toBe('10100');
    expect(resolve(AUDIT_LOG_FIELDS.clientIp)).toBe('34.242.209.15');
    expect(record.transaction.request.headers).toBeUndefined();
    // The host comes from the audit-context message; Loki's regexp stage is RE2, which reads (?P<name>) like JavaScript's (?<name>).
    expect(new RegExp(AUDIT_HOST_PATTERN.replace('(?P<', '(?<')).exec(JSON.stringify(record))?.groups?.host).toBe(
      'echo.example.com',
    );
    expect(resolve(AUDIT_LOG_FIELDS.status)).toBe(403);
    for (const path of Object.values(AUDIT_LOG_FIELDS))
      expect({ path, value: resolve(path) }).not.toEqual({ path, value: undefined });
    const logQueries = panelsOf(synth().dashboard)
      .filter((p) => p.datasource.type === 'loki')
      .flatMap((p) => p.targets.map((t: any) => t.expr));
    expect(logQueries).toHaveLength(2);
    for (const q of logQueries) {
      expect(q).toContain(
        '{namespace="ingress-nginx", container="controller"} |= `"transaction"` | json rule_id="transaction.messages[0].details.ruleId"',
      );
      expect(q.split('(').length).toBe(q.split(')').length);
    }
  });

  test('without a Loki stream there are no log panels and no Loki variable', () => {
    const { dashboard } = synth({ logs: undefined });
    expect(panelsOf(dashboard).filter((p) => p.datasource.type === 'loki')).toEqual([]);
    expect(dashboard.templating.list.map((v: any) => v.name)).toEqual(['datasource', 'host']);
  });

  test.each<[string, Partial<EdgeDashboardProps>, RegExp]>([
    ['a ConfigMap name with upper case', { name: 'Edge' }, /EdgeDashboard "test\/dashboard": name: /],
    ['empty sidecar labels', { sidecarLabels: {} }, /sidecarLabels/],
    ['a uid with spaces', { uid: 'edge waf' }, /: uid: /],
    ['a Loki stream without labels', { logs: { labels: {} } }, /: logs\.labels: /],
  ])('rejects %s', (_, props, field) => {
    expect(() => synth(props)).toThrow(ValidationError);
    expect(() => synth(props)).toThrow(field);
  });
});

describe('GrafanaDashboardModel', () => {
  const model = (): GrafanaDashboardModel => new GrafanaDashboardModel({ uid: 'x', title: 'X', description: 'x' });

  test('wraps panels to a new line when a row is full', () => {
    const d = model();
    for (let i = 0; i < 3; i++)
      d.addPanel({
        title: `p${i}`,
        description: '',
        kind: 'stat',
        source: 'metrics',
        queries: [{ expr: 'up' }],
        width: 10,
        height: 4,
      });
    expect((d.toJson().panels as any[]).map((p) => p.gridPos)).toEqual([
      { h: 4, w: 10, x: 0, y: 0 },
      { h: 4, w: 10, x: 10, y: 0 },
      { h: 4, w: 10, x: 0, y: 4 },
    ]);
  });

  test.each<[string, (d: GrafanaDashboardModel) => void, RegExp]>([
    [
      'a panel wider than the grid',
      (d) =>
        d.addPanel({
          title: 'w',
          description: '',
          kind: 'stat',
          source: 'metrics',
          queries: [{ expr: 'up' }],
          width: 30,
        }),
      /width/,
    ],
    [
      'a panel without queries',
      (d) => d.addPanel({ title: 'q', description: '', kind: 'stat', source: 'metrics', queries: [] }),
      /queries/,
    ],
    [
      'a log panel on a dashboard without Loki',
      (d) => d.addPanel({ title: 'l', description: '', kind: 'table', source: 'logs', queries: [{ expr: '{a="b"}' }] }),
      /source/,
    ],
  ])('rejects %s', (_, add, field) => {
    expect(() => add(model())).toThrow(field);
  });

  test('rejects a variable named like the data source variables', () => {
    expect(
      () =>
        new GrafanaDashboardModel({
          uid: 'x',
          title: 'X',
          description: '',
          variables: { datasource: 'label_values(up, job)' },
        }),
    ).toThrow(/variables\.datasource/);
  });

  test('lokiSelector quotes values', () => {
    expect(lokiSelector({ namespace: 'a"b' })).toBe('{namespace="a\\"b"}');
  });
});
