import { Chart, Testing } from 'cdk8s';
import { buildExistingApp } from '../../examples/existing-app';
import { validateManifest } from '../support/schema';

const P = 'nginx.ingress.kubernetes.io/';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function synthExample(): any[] {
  const app = buildExistingApp();
  const chart = app.node.children.find((c): c is Chart => c instanceof Chart);
  if (!chart) throw new Error('the example has no chart');
  return Testing.synth(chart);
}

describe('example 1: an existing app adds an mTLS-protected, WAF-guarded ingress', () => {
  const objects = synthExample();
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const find = (kind: string, name: string): any => objects.find((o) => o.kind === kind && o.metadata.name === name);

  test('every object it emits is schema-valid', () => {
    expect(objects.length).toBeGreaterThan(20);
    for (const o of objects) validateManifest(o);
  });

  test('the Ingress requires a client certificate from the partner CA and admits only hospital-a', () => {
    const ingress = find('Ingress', 'orders-api');
    expect(ingress.metadata.namespace).toBe('orders');
    expect(ingress.spec.ingressClassName).toBe('nginx');
    expect(ingress.metadata.annotations).toMatchObject({
      [`${P}auth-tls-secret`]: 'orders/partner-ca',
      [`${P}auth-tls-verify-client`]: 'on',
      [`${P}auth-tls-match-cn`]: expect.stringContaining('hospital-a'),
    });
    expect(ingress.spec.rules[0]).toEqual({
      host: 'orders.example.com',
      http: {
        paths: [
          { path: '/', pathType: 'Prefix', backend: { service: { name: 'orders-api', port: { name: 'http' } } } },
        ],
      },
    });
    expect(ingress.spec.tls).toEqual([{ hosts: ['orders.example.com'], secretName: 'orders-tls' }]);
  });

  test('the controller ConfigMap carries the WAF policy: engine on, both custom rules, CRS loaded once', () => {
    const data = find('ConfigMap', 'ingress-nginx-controller').data;
    expect(data['enable-modsecurity']).toBe('true');
    expect(data['modsecurity-snippet']).toContain('Include /etc/nginx/edge-waf/policy.conf');
    const snippet: string = find('ConfigMap', 'ingress-nginx-waf-policy').data['policy.conf'];
    expect(snippet).toContain('SecRuleEngine On');
    expect(snippet).toMatch(/SecRule REMOTE_ADDR "@ipMatch 34\.242\.209\.15"/);
    expect(snippet).toContain('SecRule REQUEST_HEADERS:user "@rx (?:^|,)[\\t ]*(?:admin)[\\t ]*(?:,|$)"');
    expect(snippet.match(/Include \/etc\/nginx\/owasp-modsecurity-crs\/rules\/\*\.conf/g)).toHaveLength(1);
  });

  test('the partner gets a client certificate and the CA reaches the app namespace without its key', () => {
    expect(find('Certificate', 'hospital-a')).toMatchObject({
      metadata: { namespace: 'partner-pki' },
      spec: { commonName: 'hospital-a', usages: expect.arrayContaining(['client auth']) },
    });
    const bundle = find('Bundle', 'partner-ca');
    expect(bundle.spec.target.namespaceSelector.matchExpressions[0].values).toEqual(['orders']);
    expect(JSON.stringify(objects)).not.toMatch(/PRIVATE KEY/);
  });

  test("the team's own objects are untouched", () => {
    expect(find('Deployment', 'orders-api').spec.template.spec.containers[0].image).toBe(
      'registry.example.com/orders-api:1.4.2',
    );
    expect(find('Service', 'orders-api').spec.ports).toEqual([{ name: 'http', port: 80, targetPort: 'http' }]);
  });

  test('matches the snapshot', () => {
    expect(objects).toMatchSnapshot();
  });
});
