import { Testing } from 'cdk8s';
import { ModSecurityController, ModSecurityControllerProps } from '../../lib/controller/controller';
import { CONFIG_SHA256_ANNOTATION } from '../../lib/controller/deployment';
import { REFERENCE_DEPLOYMENT } from '../../lib/reference/config';
import { addController } from '../../lib/reference/controller';
import { WafPolicy } from '../../lib/waf/policy';
import { validateManifest } from '../support/schema';
import { validationErrorOf } from '../waf/support';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Obj = any;

function synth(props: Partial<ModSecurityControllerProps> = {}): Obj[] {
  const chart = Testing.chart();
  new ModSecurityController(chart, 'ingress-nginx', { waf: new WafPolicy({ mode: 'On' }), ...props });
  return Testing.synth(chart);
}
function referenceObjects(): Obj[] {
  const chart = Testing.chart();
  addController(chart, REFERENCE_DEPLOYMENT);
  return Testing.synth(chart);
}
const one = (objs: Obj[], kind: string): Obj => {
  const found = objs.filter((o) => o.kind === kind);
  if (found.length !== 1) throw new Error(`expected one ${kind}, found ${found.length}`);
  return found[0];
};

/** A request the controller makes: verb on resource (group/resource), in a namespace ('' = cluster-scoped), optionally by name. */
interface ApiCall {
  readonly why: string;
  readonly verb: string;
  readonly group: string;
  readonly resource: string;
  readonly namespace: string;
  readonly name?: string;
}

/** Does the emitted RBAC (Roles/ClusterRoles bound to the controller's ServiceAccount) allow the call? */
function allowed(objs: Obj[], call: ApiCall): boolean {
  const ruleAllows = (r: Obj): boolean =>
    r.apiGroups.includes(call.group) &&
    r.resources.includes(call.resource) &&
    r.verbs.includes(call.verb) &&
    (r.resourceNames === undefined || (call.name !== undefined && r.resourceNames.includes(call.name)));
  const bound = (kind: 'Role' | 'ClusterRole', namespace?: string): Obj[] =>
    objs
      .filter((b) => b.kind === `${kind}Binding` && (namespace === undefined || b.metadata.namespace === namespace))
      .filter((b) =>
        b.subjects.some(
          (s: Obj) => s.kind === 'ServiceAccount' && s.name === 'ingress-nginx' && s.namespace === 'ingress-nginx',
        ),
      )
      .map((b) =>
        objs.find(
          (r) =>
            r.kind === kind &&
            r.metadata.name === b.roleRef.name &&
            (kind === 'ClusterRole' || r.metadata.namespace === b.metadata.namespace),
        ),
      );
  const rules = [...bound('ClusterRole'), ...(call.namespace ? bound('Role', call.namespace) : [])].flatMap(
    (r) => r.rules,
  );
  return rules.some(ruleAllows);
}

/**
 * Every API request controller-v1.15.1 makes when scoped to `watched` (kubernetes/ingress-nginx at tag controller-v1.15.1;
 * docs/security.md explains each). Extend this table when upgrading the controller.
 */
function controllerCalls(watched: string): ApiCall[] {
  const informer = (resource: string, group: string, why: string): ApiCall[] =>
    ['list', 'watch'].map((verb) => ({ why, verb, group, resource, namespace: watched }));
  return [
    ...informer('ingresses', 'networking.k8s.io', 'store.go:335'),
    ...informer('endpointslices', 'discovery.k8s.io', 'store.go:343'),
    ...informer('secrets', '', 'store.go:346'),
    ...informer('configmaps', '', 'store.go:349'),
    ...informer('services', '', 'store.go:352'),
    ...['list', 'watch'].map((verb) => ({
      why: 'main.go:107, store.go:339',
      verb,
      group: 'networking.k8s.io',
      resource: 'ingressclasses',
      namespace: '',
    })),
    { why: 'main.go:94', verb: 'get', group: '', resource: 'namespaces', namespace: '', name: watched },
    {
      why: 'k8s/main.go:117',
      verb: 'get',
      group: '',
      resource: 'nodes',
      namespace: '',
      name: 'aks-system-12345-vmss000000',
    },
    {
      why: 'store.go:886',
      verb: 'get',
      group: '',
      resource: 'configmaps',
      namespace: 'ingress-nginx',
      name: 'ingress-nginx-controller',
    },
    {
      why: 'k8s/main.go:101',
      verb: 'get',
      group: '',
      resource: 'pods',
      namespace: 'ingress-nginx',
      name: 'ingress-nginx-controller-abc',
    },
    { why: 'status/status.go:199,252', verb: 'list', group: '', resource: 'pods', namespace: 'ingress-nginx' },
    {
      why: 'main.go:276, status/status.go:356',
      verb: 'get',
      group: '',
      resource: 'services',
      namespace: 'ingress-nginx',
      name: 'ingress-nginx-controller',
    },
    {
      why: 'status/status.go:305',
      verb: 'get',
      group: 'networking.k8s.io',
      resource: 'ingresses',
      namespace: watched,
      name: 'api',
    },
    {
      why: 'status/status.go:305',
      verb: 'update',
      group: 'networking.k8s.io',
      resource: 'ingresses/status',
      namespace: watched,
      name: 'api',
    },
    ...['get', 'update'].map((verb) => ({
      why: 'controller/status.go:99-108',
      verb,
      group: 'coordination.k8s.io',
      resource: 'leases',
      namespace: 'ingress-nginx',
      name: 'ingress-nginx-leader',
    })),
    {
      why: 'leader election creates the Lease',
      verb: 'create',
      group: 'coordination.k8s.io',
      resource: 'leases',
      namespace: 'ingress-nginx',
    },
    ...['create', 'patch'].map((verb) => ({
      why: 'store.go:278, nginx.go:80',
      verb,
      group: '',
      resource: 'events',
      namespace: watched,
    })),
    ...['create', 'patch'].map((verb) => ({
      why: 'leader-election events',
      verb,
      group: '',
      resource: 'events',
      namespace: 'ingress-nginx',
    })),
  ];
}

describe('blast radius of the edge', () => {
  test('the reference controller cannot read Secrets outside the app namespace, so not the client CA key pair', () => {
    const objs = referenceObjects();
    const pki = REFERENCE_DEPLOYMENT.mtls.clientNamespace;
    const app = REFERENCE_DEPLOYMENT.app.namespace;
    const readsSecrets = (r: Obj): boolean =>
      r.rules.some((rule: Obj) => rule.resources.includes('secrets') || rule.resources.includes('*'));
    expect(objs.filter((o) => o.kind === 'ClusterRole' && readsSecrets(o))).toEqual([]);
    expect(objs.filter((o) => o.kind === 'Role' && readsSecrets(o)).map((o) => o.metadata.namespace)).toEqual([app]);
    for (const verb of ['get', 'list', 'watch']) {
      expect(
        allowed(objs, {
          why: 'CA key',
          verb,
          group: '',
          resource: 'secrets',
          namespace: pki,
          name: `${REFERENCE_DEPLOYMENT.mtls.caName ?? 'x'}-keypair`,
        }),
      ).toBe(false);
    }
    expect(one(objs, 'Deployment').spec.template.spec.containers[0].args).toContain(`--watch-namespace=${app}`);
  });

  test.each([
    ['another namespace', 'shop'],
    ['its own namespace', 'ingress-nginx'],
  ])(
    'a controller scoped to %s may make every request v1.15.1 makes, and no cluster-wide read but IngressClasses',
    (_, watched) => {
      const objs = synth({ watchNamespace: watched });
      const missing = controllerCalls(watched).filter((c) => !allowed(objs, c));
      expect(missing).toEqual([]);
      const clusterRules = one(objs, 'ClusterRole').rules;
      expect(clusterRules.filter((r: Obj) => r.verbs.includes('list') || r.verbs.includes('watch'))).toEqual([
        { apiGroups: ['networking.k8s.io'], resources: ['ingressclasses'], verbs: ['get', 'list', 'watch'] },
      ]);
      expect(
        allowed(objs, { why: 'other ns', verb: 'list', group: '', resource: 'secrets', namespace: 'payments' }),
      ).toBe(false);
      expect(
        allowed(objs, {
          why: 'other ns',
          verb: 'get',
          group: '',
          resource: 'namespaces',
          namespace: '',
          name: 'kube-system',
        }),
      ).toBe(false);
      for (const o of objs) expect(() => validateManifest(o)).not.toThrow();
    },
  );

  test("unscoped, the controller keeps upstream's cluster-wide Secret access (documented trade-off)", () => {
    const objs = synth();
    expect(
      allowed(objs, { why: 'upstream', verb: 'list', group: '', resource: 'secrets', namespace: 'client-pki' }),
    ).toBe(true);
    expect(
      one(objs, 'Deployment').spec.template.spec.containers[0].args.filter((a: string) =>
        a.startsWith('--watch-namespace'),
      ),
    ).toEqual([]);
  });

  test("scoped, the proxy-set-headers ConfigMap lives in the watched namespace, where the controller's informer sees it", () => {
    const objs = synth({ watchNamespace: 'shop' });
    const headers = objs.find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'ingress-nginx-proxy-headers');
    expect(headers.metadata.namespace).toBe('shop');
    expect(headers.data).toEqual({ 'ssl-client-fingerprint': '$ssl_client_fingerprint' });
    const config = objs.find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'ingress-nginx-controller');
    expect(config.metadata.namespace).toBe('ingress-nginx');
    expect(config.data['proxy-set-headers']).toBe('shop/ingress-nginx-proxy-headers');
    expect(allowed(objs, { why: 'informer', verb: 'list', group: '', resource: 'configmaps', namespace: 'shop' })).toBe(
      true,
    );
  });

  test('scoped, a change of the controller ConfigMap rolls the pods (the ConfigMap is read once at start)', () => {
    const sha = (props: Partial<ModSecurityControllerProps>): string | undefined =>
      one(synth(props), 'Deployment').spec.template.metadata.annotations?.[CONFIG_SHA256_ANNOTATION];
    const base = sha({ watchNamespace: 'shop' });
    expect(base).toMatch(/^[0-9a-f]{64}$/);
    expect(sha({ watchNamespace: 'shop', waf: new WafPolicy({ mode: 'DetectionOnly' }) })).not.toBe(base);
    expect(sha({})).toBeUndefined();
  });

  test("the metrics port admits only the monitoring namespace's Prometheus; no ingress rule without sources carries it", () => {
    const policy = one(referenceObjects(), 'NetworkPolicy').spec;
    const rulesWith = (port: number): Obj[] =>
      policy.ingress.filter((r: Obj) => r.ports.some((p: Obj) => p.port === port));
    expect(rulesWith(10254)).toEqual([
      {
        from: [
          {
            namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } },
            podSelector: { matchLabels: { 'app.kubernetes.io/name': 'prometheus' } },
          },
        ],
        ports: [{ protocol: 'TCP', port: 10254 }],
      },
    ]);
    const closed = one(synth({ metricsScrapers: [] }), 'NetworkPolicy').spec;
    expect(closed.ingress.flatMap((r: Obj) => r.ports.map((p: Obj) => p.port))).not.toContain(10254);
  });

  test("egress: DNS, the watched namespace's pods and the API server only; never an empty (allow-all) rule", () => {
    const policy = one(synth({ watchNamespace: 'shop', apiServerCidrs: ['20.50.0.10/32'] }), 'NetworkPolicy').spec;
    expect(policy.policyTypes).toEqual(['Ingress', 'Egress']);
    for (const rule of policy.egress) {
      expect(rule.to?.length).toBeGreaterThan(0);
      expect(rule.ports?.length).toBeGreaterThan(0);
    }
    expect(policy.egress).toEqual([
      {
        to: [
          {
            namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } },
            podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
          },
        ],
        ports: [
          { protocol: 'UDP', port: 53 },
          { protocol: 'TCP', port: 53 },
        ],
      },
      {
        to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'shop' } } }],
        ports: [{ protocol: 'TCP' }],
      },
      {
        to: [{ ipBlock: { cidr: '20.50.0.10/32' } }],
        ports: [
          { protocol: 'TCP', port: 443 },
          { protocol: 'TCP', port: 6443 },
        ],
      },
    ]);
    const unscoped = one(synth(), 'NetworkPolicy').spec;
    expect(unscoped.egress[1].to).toEqual([{ namespaceSelector: {} }]);
    expect(unscoped.egress[2].to).toEqual([{ ipBlock: { cidr: '0.0.0.0/0' } }]);
  });

  test('the admission webhook has a timeout and, scoped, reviews only the watched namespace', () => {
    const hook = (props: Partial<ModSecurityControllerProps>): Obj =>
      one(synth(props), 'ValidatingWebhookConfiguration').webhooks[0];
    expect(hook({}).timeoutSeconds).toBe(10);
    expect(hook({}).namespaceSelector).toBeUndefined();
    expect(hook({ webhookTimeoutSeconds: 3 }).timeoutSeconds).toBe(3);
    expect(hook({ watchNamespace: 'shop' }).namespaceSelector).toEqual({
      matchLabels: { 'kubernetes.io/metadata.name': 'shop' },
    });
  });

  test.each<[string, Partial<ModSecurityControllerProps>, string]>([
    ['rejects a watchNamespace that is not a namespace name', { watchNamespace: 'Shop_1' }, 'watchNamespace'],
    [
      'rejects an empty apiServerCidrs (an egress rule without destinations allows all)',
      { apiServerCidrs: [] },
      'apiServerCidrs',
    ],
    [
      'rejects an apiServerCidrs entry that is not a CIDR',
      { apiServerCidrs: ['kubernetes.default.svc'] },
      'apiServerCidrs[0]',
    ],
    [
      'rejects a metrics scraper namespace that is not a namespace name',
      { metricsScrapers: [{ namespace: 'Monitoring!' }] },
      'metricsScrapers[0].namespace',
    ],
    [
      'rejects empty metrics scraper pod labels',
      { metricsScrapers: [{ namespace: 'monitoring', podLabels: {} }] },
      'metricsScrapers[0].podLabels',
    ],
    [
      'rejects a metrics scraper label value with a space',
      { metricsScrapers: [{ namespace: 'monitoring', podLabels: { app: 'prom etheus' } }] },
      'metricsScrapers[0].podLabels.app',
    ],
    ["rejects a webhook timeout above the API server's 30 s", { webhookTimeoutSeconds: 31 }, 'webhookTimeoutSeconds'],
    ['rejects a webhook timeout of Infinity', { webhookTimeoutSeconds: Infinity }, 'webhookTimeoutSeconds'],
  ])('%s', (_, props, field) => {
    const err = validationErrorOf(() => synth(props));
    expect(err.field).toBe(field);
    expect(err.fix.length).toBeGreaterThan(10);
  });
});
