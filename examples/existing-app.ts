/**
 * Example 1: an existing cdk8s app puts an mTLS-protected, WAF-guarded ingress in front of its service.
 *
 * The team already has a chart with its Deployment and Service (`orders-api` below). It adds four things:
 * the edge controller with a WAF policy, a client CA with one certificate per partner, and an `MtlsIngress`.
 *
 * Run it: `npx tsx examples/existing-app.ts [outdir]` (writes `<outdir>/orders.k8s.yaml`, default `dist.examples`).
 * In your own app, import from 'aks-waf-mtls-edge' instead of '../lib'.
 */
import { App, Chart } from 'cdk8s';
import { IntOrString, KubeDeployment, KubeNamespace, KubeService } from 'cdk8s-plus-27/lib/imports/k8s';
import { ManagedClientCa, ModSecurityController, MtlsIngress, WafPolicy } from '../lib';

/** Builds the example app; `outdir` is where `app.synth()` writes. */
export function buildExistingApp(outdir = 'dist.examples'): App {
  const app = new App({ outdir });
  const chart = new Chart(app, 'orders');

  // What the team already had: a namespace, a Deployment and a Service.
  const labels = { app: 'orders-api' };
  new KubeNamespace(chart, 'namespace', { metadata: { name: 'orders' } });
  new KubeDeployment(chart, 'deployment', {
    metadata: { name: 'orders-api', namespace: 'orders' },
    spec: {
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          containers: [
            {
              name: 'api',
              image: 'registry.example.com/orders-api:1.4.2',
              ports: [{ name: 'http', containerPort: 8080 }],
            },
          ],
        },
      },
    },
  });
  new KubeService(chart, 'service', {
    metadata: { name: 'orders-api', namespace: 'orders' },
    spec: { selector: labels, ports: [{ name: 'http', port: 80, targetPort: IntOrString.fromString('http') }] },
  });

  // 1. The WAF policy: CRS blocking, plus two rules of our own.
  const waf = new WafPolicy({
    mode: 'On',
    servedHosts: ['orders.example.com'],
    denySourceIps: [{ sources: ['34.242.209.15'], description: 'known scanner' }],
    denyRequestHeaders: [{ header: 'user', match: { exact: 'admin' }, description: 'no admin impersonation' }],
  });
  // 2. The edge: ingress-nginx v1.15.1 with ModSecurity, the policy in its ConfigMap.
  const edge = new ModSecurityController(chart, 'edge', { waf });
  // 3. Who may call: a client CA run by cert-manager, one certificate per partner.
  const partners = new ManagedClientCa(chart, 'partners', { name: 'partner-ca', namespace: 'partner-pki' });
  partners.addClient('hospital-a');
  // 4. The ingress: server TLS from a secret you already have, client certificate required, allow-list of partners.
  new MtlsIngress(chart, 'ingress', {
    namespace: 'orders',
    name: 'orders-api',
    ingressClassName: edge.ingressClassName,
    hosts: [{ host: 'orders.example.com' }],
    backend: { serviceName: 'orders-api', servicePort: 'http' },
    serverTls: { secretName: 'orders-tls' },
    clientAuth: { ca: partners, allowedClients: ['hospital-a'] },
  });
  return app;
}

if (require.main === module) buildExistingApp(process.argv[2]).synth();
