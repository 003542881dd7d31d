import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Testing } from 'cdk8s';
import { parseAllDocuments } from 'yaml';
import { ModSecurityController, ModSecurityControllerProps } from '../../lib/controller/controller';
import {
  CONTROLLER_CLUSTER_ROLE_RULES,
  CONTROLLER_ROLE_RULES,
  INGRESS_NGINX_IMAGE,
} from '../../lib/controller/upstream';
import {
  checkWafPolicyFile,
  WAF_POLICY_CONFIG_MAP,
  WAF_POLICY_FILE_MAX_BYTES,
  WAF_POLICY_KEY,
  WAF_POLICY_SHA256_ANNOTATION,
} from '../../lib/controller/waf-policy';
import { MODSECURITY_SNIPPET, MODSECURITY_SNIPPET_MAX_BYTES } from '../../lib/ingress-nginx/configmap-keys';
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
const find = (objs: Obj[], kind: string, name: string): Obj => {
  const o = objs.find((x) => x.kind === kind && x.metadata.name === name);
  if (!o) throw new Error(`no ${kind} ${name}`);
  return o;
};

function referenceObjects(): Obj[] {
  const chart = Testing.chart();
  addController(chart, REFERENCE_DEPLOYMENT);
  return Testing.synth(chart);
}

/** Upstream deploy.yaml (../shared) when present, else the same rules copied inline from v1.15.1. */
const UPSTREAM_DEPLOY = join(
  __dirname,
  '..',
  '..',
  '..',
  'shared',
  'upstream',
  'ingress-nginx-v1.15.1-cloud-deploy.yaml',
);
function upstreamObjects(): Obj[] {
  if (existsSync(UPSTREAM_DEPLOY)) return parseAllDocuments(readFileSync(UPSTREAM_DEPLOY, 'utf8')).map((d) => d.toJS());
  return [
    {
      kind: 'Role',
      metadata: { name: 'ingress-nginx' },
      rules: [
        { apiGroups: [''], resources: ['namespaces'], verbs: ['get'] },
        { apiGroups: [''], resources: ['configmaps', 'pods', 'secrets', 'endpoints'], verbs: ['get', 'list', 'watch'] },
        { apiGroups: [''], resources: ['services'], verbs: ['get', 'list', 'watch'] },
        { apiGroups: ['networking.k8s.io'], resources: ['ingresses'], verbs: ['get', 'list', 'watch'] },
        { apiGroups: ['networking.k8s.io'], resources: ['ingresses/status'], verbs: ['update'] },
        { apiGroups: ['networking.k8s.io'], resources: ['ingressclasses'], verbs: ['get', 'list', 'watch'] },
        {
          apiGroups: ['coordination.k8s.io'],
          resourceNames: ['ingress-nginx-leader'],
          resources: ['leases'],
          verbs: ['get', 'update'],
        },
        { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['create'] },
        { apiGroups: [''], resources: ['events'], verbs: ['create', 'patch'] },
        { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: ['list', 'watch', 'get'] },
      ],
    },
    {
      kind: 'ClusterRole',
      metadata: { name: 'ingress-nginx' },
      rules: [
        {
          apiGroups: [''],
          resources: ['configmaps', 'endpoints', 'nodes', 'pods', 'secrets', 'namespaces'],
          verbs: ['list', 'watch'],
        },
        { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['list', 'watch'] },
        { apiGroups: [''], resources: ['nodes'], verbs: ['get'] },
        { apiGroups: [''], resources: ['services'], verbs: ['get', 'list', 'watch'] },
        { apiGroups: ['networking.k8s.io'], resources: ['ingresses'], verbs: ['get', 'list', 'watch'] },
        { apiGroups: [''], resources: ['events'], verbs: ['create', 'patch'] },
        { apiGroups: ['networking.k8s.io'], resources: ['ingresses/status'], verbs: ['update'] },
        { apiGroups: ['networking.k8s.io'], resources: ['ingressclasses'], verbs: ['get', 'list', 'watch'] },
        { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: ['list', 'watch', 'get'] },
      ],
    },
    {
      kind: 'Deployment',
      metadata: { name: 'ingress-nginx-controller' },
      spec: {
        template: {
          spec: {
            terminationGracePeriodSeconds: 300,
            containers: [
              {
                image: INGRESS_NGINX_IMAGE,
                args: [
                  '/nginx-ingress-controller',
                  '--publish-service=$(POD_NAMESPACE)/ingress-nginx-controller',
                  '--election-id=ingress-nginx-leader',
                  '--controller-class=k8s.io/ingress-nginx',
                  '--ingress-class=nginx',
                  '--configmap=$(POD_NAMESPACE)/ingress-nginx-controller',
                  '--validating-webhook=:8443',
                  '--validating-webhook-certificate=/usr/local/certificates/cert',
                  '--validating-webhook-key=/usr/local/certificates/key',
                ],
                livenessProbe: {
                  failureThreshold: 5,
                  httpGet: { path: '/healthz', port: 10254, scheme: 'HTTP' },
                  initialDelaySeconds: 10,
                  periodSeconds: 10,
                  successThreshold: 1,
                  timeoutSeconds: 1,
                },
                readinessProbe: {
                  failureThreshold: 3,
                  httpGet: { path: '/healthz', port: 10254, scheme: 'HTTP' },
                  initialDelaySeconds: 10,
                  periodSeconds: 10,
                  successThreshold: 1,
                  timeoutSeconds: 1,
                },
                securityContext: {
                  allowPrivilegeEscalation: false,
                  capabilities: { add: ['NET_BIND_SERVICE'], drop: ['ALL'] },
                  readOnlyRootFilesystem: false,
                  runAsGroup: 82,
                  runAsNonRoot: true,
                  runAsUser: 101,
                  seccompProfile: { type: 'RuntimeDefault' },
                },
                lifecycle: { preStop: { exec: { command: ['/wait-shutdown'] } } },
              },
            ],
          },
        },
      },
    },
  ];
}

describe('ModSecurityController', () => {
  test('reference controller layer matches its snapshot', () => {
    expect(referenceObjects()).toMatchSnapshot();
  });

  test('every object validates against its schema (with and without the webhook)', () => {
    const objs = [...referenceObjects(), ...synth({ admissionWebhook: false })];
    expect(objs.length).toBeGreaterThan(15);
    for (const o of objs) expect(() => validateManifest(o)).not.toThrow();
  });

  test('RBAC rules equal the upstream v1.15.1 rules', () => {
    const upstream = upstreamObjects();
    const objs = synth();
    expect(find(objs, 'Role', 'ingress-nginx').rules).toEqual(find(upstream, 'Role', 'ingress-nginx').rules);
    expect(find(objs, 'ClusterRole', 'ingress-nginx').rules).toEqual(
      find(upstream, 'ClusterRole', 'ingress-nginx').rules,
    );
    expect(CONTROLLER_ROLE_RULES.length + CONTROLLER_CLUSTER_ROLE_RULES.length).toBe(19);
    expect(find(objs, 'ClusterRoleBinding', 'ingress-nginx').subjects).toEqual([
      { kind: 'ServiceAccount', name: 'ingress-nginx', namespace: 'ingress-nginx' },
    ]);
    expect(
      objs.filter(
        (o) => o.kind === 'Job' || (o.metadata.name === 'ingress-nginx-admission' && o.kind === 'ServiceAccount'),
      ),
    ).toEqual([]);
  });

  test('the Deployment keeps upstream image, flags, probes, hardening and graceful shutdown, and enables metrics', () => {
    const upstream = find(upstreamObjects(), 'Deployment', 'ingress-nginx-controller').spec.template.spec;
    const ours = find(synth(), 'Deployment', 'ingress-nginx-controller').spec.template.spec;
    const [u, c] = [upstream.containers[0], ours.containers[0]];
    expect(c.image).toBe(u.image);
    expect(c.image).toMatch(/@sha256:[0-9a-f]{64}$/);
    expect(c.args).toEqual([...u.args, '--enable-metrics=true']);
    for (const key of ['livenessProbe', 'readinessProbe', 'securityContext', 'lifecycle'])
      expect(c[key]).toEqual(u[key]);
    expect(ours.terminationGracePeriodSeconds).toBe(upstream.terminationGracePeriodSeconds);
    expect(c.ports).toContainEqual({ name: 'metrics', containerPort: 10254, protocol: 'TCP' });
  });

  test('replicas spread over nodes and zones, with a PodDisruptionBudget', () => {
    const objs = synth({ replicas: 3 });
    const spec = find(objs, 'Deployment', 'ingress-nginx-controller').spec;
    expect(spec.replicas).toBe(3);
    expect(spec.template.spec.topologySpreadConstraints.map((t: Obj) => t.topologyKey)).toEqual([
      'kubernetes.io/hostname',
      'topology.kubernetes.io/zone',
    ]);
    expect(
      spec.template.spec.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm
        .topologyKey,
    ).toBe('kubernetes.io/hostname');
    expect(find(objs, 'PodDisruptionBudget', 'ingress-nginx-controller').spec).toMatchObject({
      maxUnavailable: 1,
      selector: { matchLabels: spec.selector.matchLabels },
    });
  });

  test('pods and the metrics Service carry the selector labels other modules rely on', () => {
    const objs = synth();
    const labels = {
      'app.kubernetes.io/name': 'ingress-nginx',
      'app.kubernetes.io/instance': 'ingress-nginx',
      'app.kubernetes.io/component': 'controller',
    };
    expect(find(objs, 'Deployment', 'ingress-nginx-controller').spec.template.metadata.labels).toMatchObject(labels);
    const metrics = find(objs, 'Service', 'ingress-nginx-controller-metrics');
    expect(metrics.metadata.labels).toMatchObject(labels);
    expect(metrics.spec.selector).toEqual(labels);
    expect(metrics.spec.ports).toEqual([{ name: 'metrics', port: 10254, protocol: 'TCP', targetPort: 'metrics' }]);
  });

  test('the AKS LoadBalancer keeps client IPs, probes /healthz and uses the static IP of the reference config', () => {
    const svc = find(referenceObjects(), 'Service', 'ingress-nginx-controller');
    expect(svc.spec.type).toBe('LoadBalancer');
    expect(svc.spec.externalTrafficPolicy).toBe('Local');
    expect(svc.metadata.annotations).toMatchObject({
      'service.beta.kubernetes.io/azure-load-balancer-health-probe-request-path': '/healthz',
      'service.beta.kubernetes.io/azure-pip-name': REFERENCE_DEPLOYMENT.azure.ingressPublicIpName,
      'service.beta.kubernetes.io/azure-load-balancer-resource-group': REFERENCE_DEPLOYMENT.azure.resourceGroupName,
    });
    expect(Object.keys(find(synth(), 'Service', 'ingress-nginx-controller').metadata.annotations)).toEqual([
      'service.beta.kubernetes.io/azure-load-balancer-health-probe-request-path',
    ]);
  });

  test('ConfigMap: ModSecurity on with a constant snippet that includes the policy file, CRS once, snippet annotations off, default risk level', () => {
    const objs = referenceObjects();
    const data = find(objs, 'ConfigMap', 'ingress-nginx-controller').data;
    expect(data).toMatchObject({
      'allow-snippet-annotations': 'false',
      'enable-modsecurity': 'true',
      'enable-owasp-modsecurity-crs': 'false',
      'proxy-set-headers': 'echo/ingress-nginx-proxy-headers',
    });
    expect(data['annotations-risk-level']).toBeUndefined();
    const policy: string = find(objs, 'ConfigMap', WAF_POLICY_CONFIG_MAP).data[WAF_POLICY_KEY];
    const sha = createHash('sha256').update(policy).digest('hex');
    expect(data['modsecurity-snippet']).toBe(
      [
        `# WAF policy: ConfigMap ingress-nginx-waf-policy key policy.conf, sha256 ${sha}`,
        'Include /etc/nginx/modsecurity/modsecurity.conf',
        'Include /etc/nginx/edge-waf/policy.conf',
        '',
      ].join('\n'),
    );
    expect(policy.split('\n').filter((l) => l.includes('owasp-modsecurity-crs/rules'))).toHaveLength(1);
    expect(policy).not.toContain('Include /etc/nginx/modsecurity/');
    expect(policy).toContain('"@ipMatch 34.242.209.15"');
    expect(policy).toContain('REQUEST_HEADERS:user "@rx (?:^|,)[\\t ]*(?:admin)[\\t ]*(?:,|$)"');
    // A file is read by libmodsecurity as is: no nginx escaping of quotes.
    expect(policy).toContain("msg:'Denied source address");
    expect(policy).not.toContain("\\'");
    expect(find(objs, 'ConfigMap', 'ingress-nginx-proxy-headers').data).toEqual({
      'ssl-client-fingerprint': '$ssl_client_fingerprint',
    });
  });

  test('the policy ConfigMap is mounted read-only into the controller, and its sha256 on the pod template rolls the pods', () => {
    const objs = referenceObjects();
    const cm = find(objs, 'ConfigMap', 'ingress-nginx-waf-policy');
    expect(cm.metadata.namespace).toBe('ingress-nginx');
    expect(cm.metadata.annotations).toEqual({ 'argocd.argoproj.io/sync-options': 'ServerSideApply=true' });
    expect(Object.keys(cm.data)).toEqual(['policy.conf']);
    const deployment = find(objs, 'Deployment', 'ingress-nginx-controller');
    const pod = deployment.spec.template;
    expect(pod.metadata.annotations).toMatchObject({
      [WAF_POLICY_SHA256_ANNOTATION]: createHash('sha256').update(cm.data['policy.conf']).digest('hex'),
    });
    expect(pod.spec.volumes).toContainEqual({ name: 'waf-policy', configMap: { name: 'ingress-nginx-waf-policy' } });
    expect(pod.spec.containers[0].volumeMounts).toContainEqual({
      name: 'waf-policy',
      mountPath: '/etc/nginx/edge-waf/',
      readOnly: true,
    });
    expect(deployment.spec.strategy.rollingUpdate.maxUnavailable).toBe(1);

    const sha = (props: Partial<ModSecurityControllerProps>): string =>
      find(synth(props), 'Deployment', 'ingress-nginx-controller').spec.template.metadata.annotations[
        WAF_POLICY_SHA256_ANNOTATION
      ];
    const base = sha({ waf: new WafPolicy({ mode: 'On' }) });
    expect(sha({ waf: new WafPolicy({ mode: 'On' }) })).toBe(base);
    expect(sha({ waf: new WafPolicy({ mode: 'On', denySourceIps: [{ sources: ['192.0.2.1'] }] }) })).not.toBe(base);
    expect(sha({ waf: new WafPolicy({ mode: 'DetectionOnly' }) })).not.toBe(base);
  });

  test('the snippet stays the same size however large the policy grows', () => {
    const servedHosts = Array.from({ length: 300 }, (_, i) => `tenant-${i}.example.com`);
    const waf = new WafPolicy({
      mode: 'On',
      servedHosts,
      exclusions: servedHosts.map((host, i) => ({ host, path: '/api', ruleIds: [942000 + i] })),
    });
    const objs = synth({ waf });
    const snippet: string = find(objs, 'ConfigMap', 'ingress-nginx-controller').data['modsecurity-snippet'];
    expect(Buffer.byteLength(snippet)).toBeLessThan(250);
    expect(Buffer.byteLength(find(objs, 'ConfigMap', WAF_POLICY_CONFIG_MAP).data[WAF_POLICY_KEY])).toBeGreaterThan(
      50 * 1024,
    );
    for (const o of objs) expect(() => validateManifest(o)).not.toThrow();
  });

  test('mode Off takes ModSecurity out of the controller', () => {
    const objs = synth({ waf: new WafPolicy({ mode: 'Off' }) });
    const data = find(objs, 'ConfigMap', 'ingress-nginx-controller').data;
    expect(data['enable-modsecurity']).toBe('false');
    expect(data['modsecurity-snippet']).toBeUndefined();
    expect(objs.find((o) => o.metadata.name === WAF_POLICY_CONFIG_MAP)).toBeUndefined();
    const pod = find(objs, 'Deployment', 'ingress-nginx-controller').spec.template;
    expect(pod.metadata.annotations).toBeUndefined();
    expect(pod.spec.volumes.map((v: Obj) => v.name)).toEqual(['webhook-cert']);
  });

  test('the admission webhook gets its certificate from cert-manager with CA injection', () => {
    const objs = synth();
    const vwc = find(objs, 'ValidatingWebhookConfiguration', 'ingress-nginx-admission');
    expect(vwc.metadata.annotations['cert-manager.io/inject-ca-from']).toBe('ingress-nginx/ingress-nginx-admission');
    expect(vwc.webhooks[0].clientConfig.service).toEqual({
      name: 'ingress-nginx-controller-admission',
      namespace: 'ingress-nginx',
      path: '/networking/v1/ingresses',
      port: 443,
    });
    const cert = find(objs, 'Certificate', 'ingress-nginx-admission');
    expect(cert.spec.secretName).toBe('ingress-nginx-admission');
    expect(cert.spec.dnsNames).toEqual([
      'ingress-nginx-controller-admission',
      'ingress-nginx-controller-admission.ingress-nginx',
      'ingress-nginx-controller-admission.ingress-nginx.svc',
    ]);
    expect(cert.spec.issuerRef.name).toBe('ingress-nginx-root-issuer');
    expect(find(objs, 'Certificate', 'ingress-nginx-root-cert').spec.isCA).toBe(true);
    const pod = find(objs, 'Deployment', 'ingress-nginx-controller').spec.template.spec;
    expect(pod.volumes[0]).toEqual({
      name: 'webhook-cert',
      secret: {
        secretName: 'ingress-nginx-admission',
        items: [
          { key: 'tls.crt', path: 'cert' },
          { key: 'tls.key', path: 'key' },
        ],
      },
    });
    expect(
      find(objs, 'NetworkPolicy', 'ingress-nginx-controller').spec.ingress.flatMap((r: Obj) =>
        r.ports.map((p: Obj) => p.port),
      ),
    ).toEqual([80, 443, 10254, 8443]);
  });

  test('admissionWebhook: false renders no webhook, certificates, port or volume', () => {
    const objs = synth({ admissionWebhook: false });
    expect(objs.filter((o) => ['ValidatingWebhookConfiguration', 'Certificate', 'Issuer'].includes(o.kind))).toEqual(
      [],
    );
    expect(objs.find((o) => o.metadata.name === 'ingress-nginx-controller-admission')).toBeUndefined();
    const pod = find(objs, 'Deployment', 'ingress-nginx-controller').spec.template.spec;
    expect(pod.containers[0].args.filter((a: string) => a.includes('webhook'))).toEqual([]);
    expect(pod.containers[0].ports.map((p: Obj) => p.name)).toEqual(['http', 'https', 'metrics']);
    expect(pod.volumes.map((v: Obj) => v.name)).toEqual(['waf-policy']);
    expect(pod.containers[0].volumeMounts.map((m: Obj) => m.mountPath)).toEqual(['/etc/nginx/edge-waf/']);
    expect(
      find(objs, 'NetworkPolicy', 'ingress-nginx-controller').spec.ingress.flatMap((r: Obj) =>
        r.ports.map((p: Obj) => p.port),
      ),
    ).toEqual([80, 443, 10254]);
  });

  test('the namespace meets the restricted Pod Security Standard; IngressClass names the controller', () => {
    const objs = synth({ ingressClassName: 'waf', defaultIngressClass: true });
    expect(find(objs, 'Namespace', 'ingress-nginx').metadata.labels['pod-security.kubernetes.io/enforce']).toBe(
      'restricted',
    );
    const cls = find(objs, 'IngressClass', 'waf');
    expect(cls.spec.controller).toBe('k8s.io/ingress-nginx');
    expect(cls.metadata.annotations['ingressclass.kubernetes.io/is-default-class']).toBe('true');
    expect(find(objs, 'Deployment', 'ingress-nginx-controller').spec.template.spec.containers[0].args).toContain(
      '--ingress-class=waf',
    );
    expect(synth({ createNamespace: false }).filter((o) => o.kind === 'Namespace')).toEqual([]);
  });

  const rejections: [string, Partial<ModSecurityControllerProps>, string][] = [
    ['one replica', { replicas: 1 }, 'replicas'],
    ['an image without digest', { image: 'registry.k8s.io/ingress-nginx/controller:v1.15.1' }, 'image'],
    ['an invalid namespace', { namespace: 'Ingress_Nginx' }, 'namespace'],
    ['an invalid IngressClass name', { ingressClassName: 'Nginx!' }, 'ingressClassName'],
    ['an invalid public IP name', { service: { azurePublicIpName: 'pip name' } }, 'service.azurePublicIpName'],
    [
      'a resource group without public IP',
      { service: { azureResourceGroupName: 'rg' } },
      'service.azureResourceGroupName',
    ],
    ['a proxy header value with a quote', { proxySetHeaders: { 'x-a': 'a"b' } }, 'proxySetHeaders.x-a.value'],
    ['a proxy header name with a space', { proxySetHeaders: { 'x a': '$host' } }, 'proxySetHeaders.x a.name'],
  ];
  test.each(rejections)('rejects %s', (...row) => {
    const [, props, field] = row;
    expect(validationErrorOf(() => synth(props)).field).toBe(field);
  });

  test('rejects a WAF policy larger than a ConfigMap key may hold, naming the field, the size and the fix', () => {
    // 3000 exclusions for distinct hosts and rules cannot merge: ~1 MiB of rules.
    const servedHosts = Array.from({ length: 3000 }, (_, i) => `tenant-with-a-rather-long-name-${i}.example.com`);
    const waf = new WafPolicy({
      mode: 'On',
      servedHosts,
      exclusions: servedHosts.map((host, i) => ({
        host,
        path: '/api/v1/notes',
        ruleIds: [900000 + i],
        description: 'clinical notes of the tenant',
      })),
    });
    const err = validationErrorOf(() => synth({ waf }));
    expect(err.field).toBe('waf');
    expect(err.value).toMatch(/^\d+ bytes$/);
    expect(Number(String(err.value).split(' ')[0])).toBeGreaterThan(WAF_POLICY_FILE_MAX_BYTES);
    expect(err.message).toContain(`larger than the ${WAF_POLICY_FILE_MAX_BYTES} bytes`);
    expect(err.fix).toMatch(/same rule ids, target and path/);
  });

  test("the policy file check rejects text that would change ModSecurity's syntax", () => {
    expect(validationErrorOf(() => checkWafPolicyFile('f', 'SecRuleEngine On\r\n')).message).toContain(
      'carriage return',
    );
    expect(validationErrorOf(() => checkWafPolicyFile('f', 'SecRuleEngine On\u0000')).message).toContain('NUL');
    expect(
      validationErrorOf(() => checkWafPolicyFile('f', 'SecRule ARGS "@rx a" \\\n"id:1,deny"\n')).message,
    ).toContain('line 1 ends with a backslash');
    expect(validationErrorOf(() => checkWafPolicyFile('f', '  \n')).message).toContain('is empty');
    expect(checkWafPolicyFile('f', 'SecRuleEngine On\n')).toBe('SecRuleEngine On\n');
  });

  test('the snippet declaration still refuses more than nginx accepts in one parameter', () => {
    const err = validationErrorOf(() =>
      MODSECURITY_SNIPPET.render('config["modsecurity-snippet"]', `# ${'x'.repeat(MODSECURITY_SNIPPET_MAX_BYTES)}\n`),
    );
    expect(err.field).toBe('config["modsecurity-snippet"]');
    expect(err.fix).toContain('mounted file');
  });
});
