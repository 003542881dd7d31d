import { Construct } from 'constructs';
import { KubeClusterRole, KubeClusterRoleBinding, KubeRole, KubeRoleBinding, KubeServiceAccount } from 'cdk8s-plus-27/lib/imports/k8s';
import { controllerLabels } from './labels';
import { CONTROLLER_CLUSTER_ROLE_RULES, CONTROLLER_ROLE_RULES, NAMES, PolicyRule } from './upstream';

/** Props of {@link ControllerRbac}. */
export interface ControllerRbacProps {
  /** Namespace of the controller. */
  readonly namespace: string;
}

/**
 * The controller's identity and permissions: ServiceAccount, Role + RoleBinding and ClusterRole +
 * ClusterRoleBinding with exactly the upstream v1.15.1 rules. The upstream `ingress-nginx-admission` account and
 * its RBAC exist only for the certgen Jobs, which cert-manager replaces here, so they are not rendered.
 */
export class ControllerRbac extends Construct {
  /** Name of the controller's ServiceAccount. */
  public readonly serviceAccountName: string = NAMES.serviceAccount;

  constructor(scope: Construct, id: string, props: ControllerRbacProps) {
    super(scope, id);
    const labels = controllerLabels();
    const subject = { kind: 'ServiceAccount', name: NAMES.serviceAccount, namespace: props.namespace };
    new KubeServiceAccount(this, 'ServiceAccount', {
      metadata: { name: NAMES.serviceAccount, namespace: props.namespace, labels },
      automountServiceAccountToken: true,
    });
    new KubeRole(this, 'Role', { metadata: { name: NAMES.role, namespace: props.namespace, labels }, rules: copyRules(CONTROLLER_ROLE_RULES) });
    new KubeRoleBinding(this, 'RoleBinding', {
      metadata: { name: NAMES.role, namespace: props.namespace, labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: NAMES.role },
      subjects: [subject],
    });
    new KubeClusterRole(this, 'ClusterRole', { metadata: { name: NAMES.clusterRole, labels }, rules: copyRules(CONTROLLER_CLUSTER_ROLE_RULES) });
    new KubeClusterRoleBinding(this, 'ClusterRoleBinding', {
      metadata: { name: NAMES.clusterRole, labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: NAMES.clusterRole },
      subjects: [subject],
    });
  }
}

function copyRules(rules: readonly PolicyRule[]): { apiGroups: string[]; resources: string[]; verbs: string[]; resourceNames?: string[] }[] {
  return rules.map((r) => ({
    apiGroups: [...r.apiGroups],
    resources: [...r.resources],
    verbs: [...r.verbs],
    ...(r.resourceNames ? { resourceNames: [...r.resourceNames] } : {}),
  }));
}
