import { EdgeDeploymentConfig, REFERENCE_DEPLOYMENT } from '../../lib/reference/config';

/** The public edge of the two-edges tests: the reference deployment as instance `public`. */
export const PUBLIC_EDGE: EdgeDeploymentConfig = { ...REFERENCE_DEPLOYMENT, instance: 'public' };

/** The internal edge: its own instance, namespaces, IngressClass, hosts, CA and clients. */
export const INTERNAL_EDGE: EdgeDeploymentConfig = {
  ...REFERENCE_DEPLOYMENT,
  name: 'internal-edge',
  instance: 'internal',
  controller: {
    ...REFERENCE_DEPLOYMENT.controller,
    namespace: 'ingress-nginx-internal',
    ingressClassName: 'nginx-internal',
  },
  waf: { ...REFERENCE_DEPLOYMENT.waf, allowPaths: [], exclusions: [] },
  app: { namespace: 'echo-internal', name: 'echo', hosts: [{ name: 'echo', host: 'echo.internal.example.com' }] },
  // trust-manager has one trust namespace per cluster: the internal edge's client PKI lives there too.
  mtls: {
    ...REFERENCE_DEPLOYMENT.mtls,
    caName: 'internal-client-ca',
    clients: ['lab-a'],
    allowedClients: ['lab-a'],
    createClientNamespace: false,
  },
  monitoring: { ...REFERENCE_DEPLOYMENT.monitoring, slack: undefined },
};
