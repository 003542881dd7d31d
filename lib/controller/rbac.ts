import { Construct } from 'constructs';
import { KubeClusterRole, KubeClusterRoleBinding, KubeRole, KubeRoleBinding, KubeServiceAccount } from '../core/kube';
import { controllerLabels } from './labels';
import { CONTROLLER_CLUSTER_ROLE_RULES, CONTROLLER_ROLE_RULES, NAMES, PolicyRule } from './upstream';

/** Props of {@link ControllerRbac}. */
export interface ControllerRbacProps {
  /** Namespace of the controller. */
  readonly namespace: string;
  /**
   * The one namespace the controller watches (`--watch-namespace`); undefined: every namespace, as upstream.
   * @default every namespace
   */
  readonly watchNamespace?: string;
  /**
   * Name of the ClusterRole and ClusterRoleBinding.
   * @default upstream's `ingress-nginx`
   */
  readonly clusterRoleName?: string;
}

/*
 * Scoped RBAC: what controller-v1.15.1 calls when started with `--watch-namespace=<ns>` (read in
 * kubernetes/ingress-nginx
 * at tag controller-v1.15.1). Every informer is created with `informers.WithNamespace(namespace)`
 * (internal/ingress/controller/store/store.go:319-333): Ingresses (:335), EndpointSlices (:343), Secrets (:346),
 * ConfigMaps (:349) and Services (:352) are then listed and watched in <ns> only; IngressClasses (:339) are
 * cluster-scoped. The namespace informer exists only with `--watch-namespace-selector` (:356-363), which keeps the
 * other
 * informers cluster-wide and so still needs cluster-wide Secret list/watch: it cannot protect a Secret.
 */

/** Cluster-wide rules of the scoped controller (`watchNamespace` set). */
export function scopedClusterRules(watchNamespace: string): PolicyRule[] {
  return [
    // cmd/nginx/main.go:107 lists IngressClasses at start; store.go:339 watches them (cluster-scoped objects).
    { apiGroups: ['networking.k8s.io'], resources: ['ingressclasses'], verbs: ['get', 'list', 'watch'] },
    // cmd/nginx/main.go:94: `Namespaces().Get(conf.Namespace)` or the controller exits (chart 4.15.1 clusterrole.yaml
    // grants the same, by name, when controller.scope is enabled).
    { apiGroups: [''], resources: ['namespaces'], resourceNames: [watchNamespace], verbs: ['get'] },
    // internal/k8s/main.go:117: the node of the controller pod, for its topology-zone label (only a warning without
    // it).
    { apiGroups: [''], resources: ['nodes'], verbs: ['get'] },
  ];
}

/** Rules in the watched namespace (Ingresses, their Secrets and backends). */
export const WATCHED_NAMESPACE_RULES: readonly PolicyRule[] = [
  // store.go:335, :343, :346, :349, :352: the informers, namespaced to the watched namespace.
  { apiGroups: [''], resources: ['configmaps', 'secrets', 'services'], verbs: ['get', 'list', 'watch'] },
  { apiGroups: ['networking.k8s.io'], resources: ['ingresses'], verbs: ['get', 'list', 'watch'] },
  { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: ['get', 'list', 'watch'] },
  // internal/ingress/status/status.go:305: writes the load-balancer address into each Ingress status.
  { apiGroups: ['networking.k8s.io'], resources: ['ingresses/status'], verbs: ['update'] },
  // store.go:278 and controller/nginx.go:80 record events in `namespace` (the watched one).
  { apiGroups: [''], resources: ['events'], verbs: ['create', 'patch'] },
];

/** Rules in the controller's own namespace when scoped. */
export const SCOPED_CONTROLLER_NAMESPACE_RULES: readonly PolicyRule[] = [
  // store.go:886 reads --configmap once with a direct Get (the ConfigMap informer watches the watched namespace only).
  { apiGroups: [''], resources: ['configmaps'], resourceNames: [NAMES.configMap], verbs: ['get'] },
  // internal/k8s/main.go:101 gets the controller's own pod; status/status.go:199 and :252 list its sibling pods.
  { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] },
  // cmd/nginx/main.go:276 and status/status.go:356 get the --publish-service Service.
  { apiGroups: [''], resources: ['services'], resourceNames: [NAMES.service], verbs: ['get'] },
  // controller/status.go:99-108: the leader-election Lease lives in the pod's namespace (same rules as upstream).
  {
    apiGroups: ['coordination.k8s.io'],
    resourceNames: [NAMES.electionId],
    resources: ['leases'],
    verbs: ['get', 'update'],
  },
  { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['create'] },
  { apiGroups: [''], resources: ['events'], verbs: ['create', 'patch'] },
];

/**
 * The controller's identity and permissions: ServiceAccount, Role + RoleBinding and ClusterRole +
 * ClusterRoleBinding. The upstream `ingress-nginx-admission` account and its RBAC exist only for the certgen Jobs,
 * which cert-manager replaces here, so they are not rendered.
 *
 * Without `watchNamespace` the rules are exactly upstream v1.15.1's: the controller lists and watches every Secret in
 * the cluster (including a client CA's key pair). With `watchNamespace` it reads Secrets, ConfigMaps, Services,
 * EndpointSlices and Ingresses of that namespace only (Role `ingress-nginx` there), its own ConfigMap, pods, Service
 * and Lease in its namespace, and cluster-wide only IngressClasses, its node and the watched Namespace object (see
 * docs/security.md for the source lines behind each rule).
 */
export class ControllerRbac extends Construct {
  /** Name of the controller's ServiceAccount. */
  public readonly serviceAccountName: string = NAMES.serviceAccount;

  constructor(scope: Construct, id: string, props: ControllerRbacProps) {
    super(scope, id);
    const labels = controllerLabels();
    const subject = { kind: 'ServiceAccount', name: NAMES.serviceAccount, namespace: props.namespace };
    new KubeServiceAccount(this, 'service-account', {
      metadata: { name: NAMES.serviceAccount, namespace: props.namespace, labels },
      automountServiceAccountToken: true,
    });
    const watched = props.watchNamespace;
    const bindRole = (roleId: string, namespace: string, rules: readonly PolicyRule[]): void => {
      new KubeRole(this, roleId, { metadata: { name: NAMES.role, namespace, labels }, rules: copyRules(rules) });
      new KubeRoleBinding(this, `${roleId}-binding`, {
        metadata: { name: NAMES.role, namespace, labels },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: NAMES.role },
        subjects: [subject],
      });
    };
    if (watched === undefined) {
      bindRole('role', props.namespace, CONTROLLER_ROLE_RULES);
    } else if (watched === props.namespace) {
      bindRole('role', props.namespace, [...SCOPED_CONTROLLER_NAMESPACE_RULES, ...WATCHED_NAMESPACE_RULES]);
    } else {
      bindRole('role', props.namespace, SCOPED_CONTROLLER_NAMESPACE_RULES);
      bindRole('watched-role', watched, WATCHED_NAMESPACE_RULES);
    }
    const clusterRole = props.clusterRoleName ?? NAMES.clusterRole;
    new KubeClusterRole(this, 'cluster-role', {
      metadata: { name: clusterRole, labels },
      rules: copyRules(watched === undefined ? CONTROLLER_CLUSTER_ROLE_RULES : scopedClusterRules(watched)),
    });
    new KubeClusterRoleBinding(this, 'cluster-role-binding', {
      metadata: { name: clusterRole, labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: clusterRole },
      subjects: [subject],
    });
  }
}

function copyRules(
  rules: readonly PolicyRule[],
): { apiGroups: string[]; resources: string[]; verbs: string[]; resourceNames?: string[] }[] {
  return rules.map((r) => ({
    apiGroups: [...r.apiGroups],
    resources: [...r.resources],
    verbs: [...r.verbs],
    ...(r.resourceNames ? { resourceNames: [...r.resourceNames] } : {}),
  }));
}
