import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Testing } from 'cdk8s';
import { parseAllDocuments } from 'yaml';
import { ModSecurityController, ModSecurityControllerProps } from '../../lib/controller/controller';
import { CONTROLLER_CLUSTER_ROLE_RULES, CONTROLLER_ROLE_RULES, INGRESS_NGINX_IMAGE } from '../../lib/controller/upstream';
import { REFERENCE_DEPLOYMENT } from '../../lib/reference/config';
import { addController } from '../../lib/reference/controller';
import { WafPolicy } from '../../lib/waf/policy';
import { validateManifest } from '../support/schema';
import { validationErrorOf } from '../waf/support';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Obj = any;

function synth(props: Partial<ModSecurityControllerProps> = {}): Obj[] {
  const chart = Testing.chart();
  new ModSecurityController(chart, 'IngressNginx', { waf: new WafPolicy({ mode: 'On' }), ...props });
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
const UPSTREAM_DEPLOY = join(__dirname, '..', '..', '..', 'shared', 'upstream', 'ingress-nginx-v1.15.1-cloud-deploy.yaml');
function upstreamObjects(): Obj[] {
  if (existsSync(UPSTREAM_DEPLOY)) return parseAllDocuments(readFileSync(UPSTREAM_DEPLOY, 'utf8')).map((d) => d.toJS());
  return [
    { kind: 'Role', metadata: { name: 'ingress-nginx' }, rules: [
      { apiGroups: [''], resources: ['namespaces'], verbs: ['get'] },
      { apiGroups: [''], resources: ['configmaps', 'pods', 'secrets', 'endpoints'], verbs: ['get', 'list', 'watch'] },
      { apiGroups: [''], resources: ['services'], verbs: ['get', 'list', 'watch'] },
      { apiGroups: ['networking.k8s.io'], resources: ['ingresses'], verbs: ['get', 'list', 'watch'] },
      { apiGroups: ['networking.k8s.io'], resources: ['ingresses/status'], verbs: ['update'] },
      { apiGroups: ['networking.k8s.io'], resources: ['ingressclasses'], verbs: ['get', 'list', 'watch'] },
      { apiGroups: ['coordination.k8s.io'], resourceNames: ['ingress-nginx-leader'], resources: ['leases'], verbs: ['get', 'update'] },
      { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['create'] },
      { apiGroups: [''], resources: ['events'], verbs: ['create', 'patch'] },
      { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: ['list', 'watch', 'get'] },
    ] },
    { kind: 'ClusterRole', metadata: { name: 'ingress-nginx' }, rules: [
      { apiGroups: [''], resources: ['configmaps', 'endpoints', 'nodes', 'pods', 'secrets', 'namespaces'], verbs: ['list', 'watch'] },
      { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['list', 'watch'] },
      { apiGroups: [''], resources: ['nodes'], verbs: ['get'] },
      { apiGroups: [''], resources: ['services'], verbs: ['get', 'list', 'watch'] },
      { apiGroups: ['networking.k8s.io'], resources: ['ingresses'], verbs: ['get', 'list', 'watch'] },
      { apiGroups: [''], resources: ['events'], verbs: ['create', 'patch'] },
      { apiGroups: ['networking.k8s.io'], resources: ['ingresses/status'], verbs: ['update'] },
      { apiGroups: ['networking.k8s.io'], resources: ['ingressclasses'], verbs: ['get', 'list', 'watch'] },
      { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: ['list', 'watch', 'get'] },
    ] },
    { kind: 'Deployment', metadata: { name: 'ingress-nginx-controller' }, spec: { template: { spec: { terminationGracePeriodSeconds: 300, containers: [{
      image: INGRESS_NGINX_IMAGE,
      args: ['/nginx-ingress-controller', '--publish-service=$(POD_NAMESPACE)/ingress-nginx-controller', '--election-id=ingress-nginx-leader', '--controller-class=k8s.io/ingress-nginx', '--ingress-class=nginx', '--configmap=$(POD_NAMESPACE)/ingress-nginx-controller', '--validating-webhook=:8443', '--validating-webhook-certificate=/usr/local/certificates/cert', '--validating-webhook-key=/usr/local/certificates/key'],
      livenessProbe: { failureThreshold: 5, httpGet: { path: '/healthz', port: 10254, scheme: 'HTTP' }, initialDelaySeconds: 10, periodSeconds: 10, successThreshold: 1, timeoutSeconds: 1 },
      readinessProbe: { failureThreshold: 3, httpGet: { path: '/healthz', port: 10254, scheme: 'HTTP' }, initialDelaySeconds: 10, periodSeconds: 10, successThreshold: 1, timeoutSeconds: 1 },
      securityContext: { allowPrivilegeEscalation: false, capabilities: { add: ['NET_BIND_SERVICE'], drop: ['ALL'] }, readOnlyRootFilesystem: false, runAsGroup: 82, runAsNonRoot: true, runAsUser: 101, seccompProfile: { type: 'RuntimeDefault' } },
      lifecycle: { preStop: { exec: { command: ['/wait-shutdown'] } } },
    }] } } } },
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
    expect(find(objs, 'ClusterRole', 'ingress-nginx').rules).toEqual(find(upstream, 'ClusterRole', 'ingress-nginx').rules);
    expect(CONTROLLER_ROLE_RULES.length + CONTROLLER_CLUSTER_ROLE_RULES.length).toBe(19);
    expect(find(objs, 'ClusterRoleBinding', 'ingress-nginx').subjects).toEqual([{ kind: 'ServiceAccount', name: 'ingress-nginx', namespace: 'ingress-nginx' }]);
    expect(objs.filter((o) => o.kind === 'Job' || o.metadata.name === 'ingress-nginx-admission' && o.kind === 'ServiceAccount')).toEqual([]);
  });

  test('the Deployment keeps upstream image, flags, probes, hardening and graceful shutdown, and enables metrics', () => {
    const upstream = find(upstreamObjects(), 'Deployment', 'ingress-nginx-controller').spec.template.spec;
    const ours = find(synth(), 'Deployment', 'ingress-nginx-controller').spec.template.spec;
    const [u, c] = [upstream.containers[0], ours.containers[0]];
    expect(c.image).toBe(u.image);
    expect(c.image).toMatch(/@sha256:[0-9a-f]{64}$/);
    expect(c.args).toEqual([...u.args, '--enable-metrics=true']);
    for (const key of ['livenessProbe', 'readinessProbe', 'securityContext', 'lifecycle']) expect(c[key]).toEqual(u[key]);
    expect(ours.terminationGracePeriodSeconds).toBe(upstream.terminationGracePeriodSeconds);
    expect(c.ports).toContainEqual({ name: 'metrics', containerPort: 10254, protocol: 'TCP' });
  });

  test('replicas spread over nodes and zones, with a PodDisruptionBudget', () => {
    const objs = synth({ replicas: 3 });
    const spec = find(objs, 'Deployment', 'ingress-nginx-controller').spec;
    expect(spec.replicas).toBe(3);
    expect(spec.template.spec.topologySpreadConstraints.map((t: Obj) => t.topologyKey)).toEqual(['kubernetes.io/hostname', 'topology.kubernetes.io/zone']);
    expect(spec.template.spec.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm.topologyKey).toBe('kubernetes.io/hostname');
    expect(find(objs, 'PodDisruptionBudget', 'ingress-nginx-controller').spec).toMatchObject({ maxUnavailable: 1, selector: { matchLabels: spec.selector.matchLabels } });
  });

  test('pods and the metrics Service carry the selector labels other modules rely on', () => {
    const objs = synth();
    const labels = { 'app.kubernetes.io/name': 'ingress-nginx', 'app.kubernetes.io/instance': 'ingress-nginx', 'app.kubernetes.io/component': 'controller' };
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
    expect(Object.keys(find(synth(), 'Service', 'ingress-nginx-controller').metadata.annotations)).toEqual(['service.beta.kubernetes.io/azure-load-balancer-health-probe-request-path']);
  });

  test('ConfigMap: ModSecurity on with the policy snippet, CRS once, snippet annotations off, default risk level', () => {
    const objs = referenceObjects();
    const data = find(objs, 'ConfigMap', 'ingress-nginx-controller').data;
    expect(data).toMatchObject({
      'allow-snippet-annotations': 'false',
      'enable-modsecurity': 'true',
      'enable-owasp-modsecurity-crs': 'false',
      'proxy-set-headers': 'ingress-nginx/ingress-nginx-proxy-headers',
    });
    expect(data['annotations-risk-level']).toBeUndefined();
    const snippet: string = data['modsecurity-snippet'];
    expect(snippet.split('\n').filter((l) => l.includes('owasp-modsecurity-crs/rules'))).toHaveLength(1);
    expect(snippet).toContain('"@ipMatch 34.242.209.15"');
    expect(snippet).toContain('REQUEST_HEADERS:user "@streq admin"');
    expect(snippet).toContain("msg:\\'Denied source address");
    expect(snippet).not.toMatch(/(^|[^\\])'/);
    expect(find(objs, 'ConfigMap', 'ingress-nginx-proxy-headers').data).toEqual({ 'ssl-client-fingerprint': '$ssl_client_fingerprint' });
  });

  test('mode Off takes ModSecurity out of the controller', () => {
    const data = find(synth({ waf: new WafPolicy({ mode: 'Off' }) }), 'ConfigMap', 'ingress-nginx-controller').data;
    expect(data['enable-modsecurity']).toBe('false');
    expect(data['modsecurity-snippet']).toBeUndefined();
  });

  test('the admission webhook gets its certificate from cert-manager with CA injection', () => {
    const objs = synth();
    const vwc = find(objs, 'ValidatingWebhookConfiguration', 'ingress-nginx-admission');
    expect(vwc.metadata.annotations['cert-manager.io/inject-ca-from']).toBe('ingress-nginx/ingress-nginx-admission');
    expect(vwc.webhooks[0].clientConfig.service).toEqual({ name: 'ingress-nginx-controller-admission', namespace: 'ingress-nginx', path: '/networking/v1/ingresses', port: 443 });
    const cert = find(objs, 'Certificate', 'ingress-nginx-admission');
    expect(cert.spec.secretName).toBe('ingress-nginx-admission');
    expect(cert.spec.dnsNames).toEqual(['ingress-nginx-controller-admission', 'ingress-nginx-controller-admission.ingress-nginx', 'ingress-nginx-controller-admission.ingress-nginx.svc']);
    expect(cert.spec.issuerRef.name).toBe('ingress-nginx-root-issuer');
    expect(find(objs, 'Certificate', 'ingress-nginx-root-cert').spec.isCA).toBe(true);
    const pod = find(objs, 'Deployment', 'ingress-nginx-controller').spec.template.spec;
    expect(pod.volumes).toEqual([{ name: 'webhook-cert', secret: { secretName: 'ingress-nginx-admission', items: [{ key: 'tls.crt', path: 'cert' }, { key: 'tls.key', path: 'key' }] } }]);
    expect(find(objs, 'NetworkPolicy', 'ingress-nginx-controller').spec.ingress[0].ports.map((p: Obj) => p.port)).toEqual([80, 443, 10254, 8443]);
  });

  test('admissionWebhook: false renders no webhook, certificates, port or volume', () => {
    const objs = synth({ admissionWebhook: false });
    expect(objs.filter((o) => ['ValidatingWebhookConfiguration', 'Certificate', 'Issuer'].includes(o.kind))).toEqual([]);
    expect(objs.find((o) => o.metadata.name === 'ingress-nginx-controller-admission')).toBeUndefined();
    const pod = find(objs, 'Deployment', 'ingress-nginx-controller').spec.template.spec;
    expect(pod.containers[0].args.filter((a: string) => a.includes('webhook'))).toEqual([]);
    expect(pod.containers[0].ports.map((p: Obj) => p.name)).toEqual(['http', 'https', 'metrics']);
    expect(pod.volumes ?? []).toEqual([]);
    expect(find(objs, 'NetworkPolicy', 'ingress-nginx-controller').spec.ingress[0].ports.map((p: Obj) => p.port)).toEqual([80, 443, 10254]);
  });

  test('the namespace meets the restricted Pod Security Standard; IngressClass names the controller', () => {
    const objs = synth({ ingressClassName: 'waf', defaultIngressClass: true });
    expect(find(objs, 'Namespace', 'ingress-nginx').metadata.labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
    const cls = find(objs, 'IngressClass', 'waf');
    expect(cls.spec.controller).toBe('k8s.io/ingress-nginx');
    expect(cls.metadata.annotations['ingressclass.kubernetes.io/is-default-class']).toBe('true');
    expect(find(objs, 'Deployment', 'ingress-nginx-controller').spec.template.spec.containers[0].args).toContain('--ingress-class=waf');
    expect(synth({ createNamespace: false }).filter((o) => o.kind === 'Namespace')).toEqual([]);
  });

  const rejections: [string, Partial<ModSecurityControllerProps>, string][] = [
    ['one replica', { replicas: 1 }, 'controller.replicas'],
    ['an image without digest', { image: 'registry.k8s.io/ingress-nginx/controller:v1.15.1' }, 'controller.image'],
    ['an invalid namespace', { namespace: 'Ingress_Nginx' }, 'controller.namespace'],
    ['an invalid IngressClass name', { ingressClassName: 'Nginx!' }, 'controller.ingressClassName'],
    ['an invalid public IP name', { service: { azurePublicIpName: 'pip name' } }, 'controller.service.azurePublicIpName'],
    ['a resource group without public IP', { service: { azureResourceGroupName: 'rg' } }, 'controller.service.azureResourceGroupName'],
    ['a proxy header value with a quote', { proxySetHeaders: { 'x-a': 'a"b' } }, 'controller.proxySetHeaders.x-a.value'],
    ['a proxy header name with a space', { proxySetHeaders: { 'x a': '$host' } }, 'controller.proxySetHeaders.x a.name'],
    ['a WAF policy longer than nginx accepts', { waf: new WafPolicy({ denySourceIps: Array.from({ length: 40 }, (_, i) => ({ sources: [`192.0.2.${i + 1}`], description: 'a long description to fill the snippet quickly' })) }) }, 'controller.config["modsecurity-snippet"]'],
  ];
  test.each(rejections)('rejects %s', (...row) => {
    const [, props, field] = row;
    expect(validationErrorOf(() => synth(props)).field).toBe(field);
  });
});
