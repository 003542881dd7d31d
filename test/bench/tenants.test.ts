import {
  checkWafPolicyFile,
  WAF_POLICY_CONFIG_MAP,
  WAF_POLICY_FILE_MAX_BYTES,
  WAF_POLICY_KEY,
} from '../../lib/controller/waf-policy';
import { REFERENCE_DEPLOYMENT } from '../../lib/reference/config';
import { renderObjects, renderTree } from '../../lib/synth/render';
import { validateManifest } from '../support/schema';
import { buildFleetApp, tenantFleet, tenantWafPolicy } from '../../bench/tenants';

const ANN = 'nginx.ingress.kubernetes.io/';

describe('tenant fleet of the synth-scale benchmark', () => {
  const tenants = tenantFleet({ tenants: 3 });
  const objects = renderObjects(buildFleetApp(REFERENCE_DEPLOYMENT, tenants));
  const find = (kind: string, name: string, namespace?: string) =>
    objects.find(
      (o) =>
        o.manifest.kind === kind && o.manifest.metadata.name === name && o.manifest.metadata.namespace === namespace,
    )?.manifest as any;

  test('tenants are deterministic, with unique names, hosts and clients', () => {
    expect(tenantFleet({ tenants: 3 })).toEqual(tenants);
    expect(tenants.map((t) => t.name)).toEqual(['tenant-00001', 'tenant-00002', 'tenant-00003']);
    expect(tenants[0]).toMatchObject({
      host: 'tenant-00001.tenants.example.com',
      clients: ['tenant-00001-client-1', 'tenant-00001-client-2'],
    });
    const big = tenantFleet({ tenants: 500, clientsPerTenant: 3 });
    expect(new Set(big.map((t) => t.host)).size).toBe(500);
    expect(new Set(big.flatMap((t) => t.clients)).size).toBe(1500);
  });

  test('rejects a tenant count that is not a whole number from 0 to 99999', () => {
    for (const n of [-1, 1.5, 100000, Number.NaN])
      expect(() => tenantFleet({ tenants: n })).toThrow(/tenants: .* is not a whole number/);
  });

  test('each tenant: restricted namespace, backend Service, mTLS Ingress admitting only its own clients, server Certificate', () => {
    for (const t of tenants) {
      expect(find('Namespace', t.name)?.metadata.labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
      expect(find('Service', t.name, t.name)?.spec.ports[0]).toMatchObject({ name: 'http', port: 80 });
      const ingress = find('Ingress', t.name, t.name);
      expect(ingress.spec.rules[0].host).toBe(t.host);
      expect(ingress.spec.tls[0]).toEqual({ hosts: [t.host], secretName: `${t.name}-tls` });
      const matchCn: string = ingress.metadata.annotations[`${ANN}auth-tls-match-cn`];
      for (const c of t.clients) expect(new RegExp(matchCn).test(`CN=${c}`)).toBe(true);
      for (const other of tenants.filter((o) => o !== t))
        expect(new RegExp(matchCn).test(`CN=${other.clients[0]}`)).toBe(false);
      expect(ingress.metadata.annotations[`${ANN}auth-tls-secret`]).toBe(
        `${t.name}/${REFERENCE_DEPLOYMENT.mtls.caName}`,
      );
      expect(find('Certificate', `${t.name}-tls`, t.name)?.spec.dnsNames).toEqual([t.host]);
    }
  });

  test('the shared client CA issues every tenant client and publishes its CA into every tenant namespace', () => {
    for (const c of tenants.flatMap((t) => t.clients))
      expect(find('Certificate', c, REFERENCE_DEPLOYMENT.mtls.clientNamespace)?.spec.commonName).toBe(c);
    const bundle = find('Bundle', REFERENCE_DEPLOYMENT.mtls.caName);
    expect(bundle.spec.target.namespaceSelector.matchExpressions[0].values).toEqual(
      expect.arrayContaining(tenants.map((t) => t.name)),
    );
  });

  test('the reference deployment is still all there, and tenants reach the GitOps delivery', () => {
    expect(find('Ingress', REFERENCE_DEPLOYMENT.app.name, REFERENCE_DEPLOYMENT.app.namespace)).toBeDefined();
    expect(find('ConfigMap', 'ingress-nginx-controller', REFERENCE_DEPLOYMENT.controller.namespace)).toBeDefined();
    const apps = objects.filter((o) => o.manifest.kind === 'Application').map((o) => o.manifest as any);
    const appsLayer = apps.find((a) => a.spec.source?.path?.endsWith('30-apps'));
    expect(appsLayer).toBeDefined();
  });

  test('every object matches its Kubernetes or CRD schema', () => {
    for (const o of objects.filter(
      (x) =>
        ['tenant-00001', 'tenant-00002', 'tenant-00003', REFERENCE_DEPLOYMENT.mtls.clientNamespace].includes(
          x.manifest.metadata.namespace ?? x.manifest.metadata.name,
        ) || x.manifest.kind === 'Bundle',
    )) {
      validateManifest(o.manifest);
    }
  });

  test('one tenant as written to dist/ (snapshot)', () => {
    const tree = renderTree(objects);
    const files = [...tree.keys()].filter((p) => p.includes('tenant-00001') && !p.includes('client-'));
    expect(Object.fromEntries(files.map((f) => [f, tree.get(f)]))).toMatchSnapshot();
  });
});

describe('fleet WAF policy', () => {
  test('one exclusion per tenant, scoped to its host and path, in the policy file the controller mounts', () => {
    const tenants = tenantFleet({ tenants: 4 });
    const policy = tenantWafPolicy(REFERENCE_DEPLOYMENT, tenants);
    expect(policy.allocatedRules().filter((r) => r.kind === 'exclusions')).toHaveLength(
      4 + (REFERENCE_DEPLOYMENT.waf.exclusions?.length ?? 0),
    );
    const objects = renderObjects(buildFleetApp(REFERENCE_DEPLOYMENT, tenants));
    const file = (
      objects.find((o) => o.manifest.kind === 'ConfigMap' && o.manifest.metadata.name === WAF_POLICY_CONFIG_MAP)!
        .manifest as any
    ).data[WAF_POLICY_KEY] as string;
    expect(file).toBe(policy.renderPolicyFile());
    for (const t of tenants) expect(file).toContain(`/${t.host}/`);
    expect(file).toContain('ruleRemoveTargetById=942200;ARGS:note');
  });

  test("5 000 tenants' exclusions fit the policy file (exclusions for the same false positive merge)", () => {
    const text = tenantWafPolicy(REFERENCE_DEPLOYMENT, tenantFleet({ tenants: 5000 })).renderPolicyFile();
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(WAF_POLICY_FILE_MAX_BYTES);
    expect(() => checkWafPolicyFile('controller.wafPolicy', text)).not.toThrow();
  });
});
