/**
 * What we take verbatim from ingress-nginx v1.15.1 (deploy/static/provider/cloud/deploy.yaml and chart 4.15.1):
 * image, names, RBAC rules. Kept in one file so an upgrade is a reviewable diff of this file.
 */

/** Controller version we render (final upstream release; ingress-nginx is retired, see docs/waf.md). */
export const INGRESS_NGINX_VERSION = '1.15.1';

/** The controller image, pinned by digest as in the upstream deploy.yaml. */
export const INGRESS_NGINX_IMAGE =
  'registry.k8s.io/ingress-nginx/controller:v1.15.1@sha256:594ceea76b01c592858f803f9ff4d2cb40542cae2060410b2c95f75907d659e1';

/** The controller value of the IngressClass (`--controller-class`). */
export const CONTROLLER_CLASS = 'k8s.io/ingress-nginx';

/** Object names, as upstream (other modules and dashboards rely on them). */
export const NAMES = {
  serviceAccount: 'ingress-nginx',
  role: 'ingress-nginx',
  clusterRole: 'ingress-nginx',
  deployment: 'ingress-nginx-controller',
  service: 'ingress-nginx-controller',
  admissionService: 'ingress-nginx-controller-admission',
  metricsService: 'ingress-nginx-controller-metrics',
  configMap: 'ingress-nginx-controller',
  proxyHeadersConfigMap: 'ingress-nginx-proxy-headers',
  admissionSecret: 'ingress-nginx-admission',
  admissionCertificate: 'ingress-nginx-admission',
  webhook: 'ingress-nginx-admission',
  selfSignedIssuer: 'ingress-nginx-self-signed-issuer',
  rootCertificate: 'ingress-nginx-root-cert',
  rootIssuer: 'ingress-nginx-root-issuer',
  electionId: 'ingress-nginx-leader',
} as const;

/**
 * Names an edge's controller must not share with another ingress-nginx in the same cluster: the cluster-scoped
 * objects (ClusterRole and ClusterRoleBinding, ValidatingWebhookConfiguration) and the controller class. Upstream's
 * docs/user-guide/multiple-ingress.md:13-25 (controller-v1.15.1) asks for a distinct `--controller-class` (e.g.
 * `k8s.io/internal-ingress-nginx`) and `--ingress-class` per controller, and a distinct `--election-id` only when two
 * share a namespace (here each instance has its own namespace, which the duplicate-object check of synth enforces).
 * Without an instance name these are upstream's names.
 */
export interface ClusterScopedNames {
  /** ClusterRole and ClusterRoleBinding. */
  readonly clusterRole: string;
  /** ValidatingWebhookConfiguration. */
  readonly webhook: string;
  /** The IngressClass `spec.controller` and `--controller-class`. */
  readonly controllerClass: string;
}

/** {@link ClusterScopedNames} of an instance: upstream's, or each prefixed with `<instance>-`. */
export function clusterScopedNamesOf(instance?: string): ClusterScopedNames {
  if (instance === undefined)
    return { clusterRole: NAMES.clusterRole, webhook: NAMES.webhook, controllerClass: CONTROLLER_CLASS };
  return {
    clusterRole: `${instance}-${NAMES.clusterRole}`,
    webhook: `${instance}-${NAMES.webhook}`,
    controllerClass: `k8s.io/${instance}-ingress-nginx`,
  };
}

/**
 * Selector labels of the controller pods (also on the metrics Service; monitoring and app NetworkPolicies select them).
 */
export const CONTROLLER_SELECTOR_LABELS: Readonly<Record<string, string>> = {
  'app.kubernetes.io/name': 'ingress-nginx',
  'app.kubernetes.io/instance': 'ingress-nginx',
  'app.kubernetes.io/component': 'controller',
};

/** Ports. */
export const PORTS = { http: 80, https: 443, webhook: 8443, metrics: 10254 } as const;

/** An RBAC policy rule (the subset of fields upstream uses). */
export interface PolicyRule {
  readonly apiGroups: readonly string[];
  readonly resources: readonly string[];
  readonly verbs: readonly string[];
  readonly resourceNames?: readonly string[];
}

/** Rules of the namespaced Role `ingress-nginx`, exactly as upstream (the lease name is the election id). */
export const CONTROLLER_ROLE_RULES: readonly PolicyRule[] = [
  { apiGroups: [''], resources: ['namespaces'], verbs: ['get'] },
  { apiGroups: [''], resources: ['configmaps', 'pods', 'secrets', 'endpoints'], verbs: ['get', 'list', 'watch'] },
  { apiGroups: [''], resources: ['services'], verbs: ['get', 'list', 'watch'] },
  { apiGroups: ['networking.k8s.io'], resources: ['ingresses'], verbs: ['get', 'list', 'watch'] },
  { apiGroups: ['networking.k8s.io'], resources: ['ingresses/status'], verbs: ['update'] },
  { apiGroups: ['networking.k8s.io'], resources: ['ingressclasses'], verbs: ['get', 'list', 'watch'] },
  {
    apiGroups: ['coordination.k8s.io'],
    resourceNames: [NAMES.electionId],
    resources: ['leases'],
    verbs: ['get', 'update'],
  },
  { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['create'] },
  { apiGroups: [''], resources: ['events'], verbs: ['create', 'patch'] },
  { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: ['list', 'watch', 'get'] },
];

/** Rules of the ClusterRole `ingress-nginx`, exactly as upstream. */
export const CONTROLLER_CLUSTER_ROLE_RULES: readonly PolicyRule[] = [
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
];
