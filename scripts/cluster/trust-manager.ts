import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ControlPlane } from './control-plane';
import { binary } from './paths';
import { ManagedProcess } from './processes';
import { applyObject, ApplyResult, KubeObject } from './verify';

/** The Helm values of the trust-manager release that matter here (dist/delivery HelmRelease `spec.values`). */
export interface TrustManagerValues {
  /** `app.trust.namespace`: where Bundle sources are read. */
  readonly trustNamespace: string;
  /** `secretTargets.enabled`. */
  readonly secretTargetsEnabled: boolean;
  /** `secretTargets.authorizedSecrets`: the only Secret names trust-manager may write. */
  readonly authorizedSecrets: readonly string[];
  /** The release namespace (leader-election Lease). */
  readonly releaseNamespace: string;
}

/** Reads {@link TrustManagerValues} from the Flux HelmRelease of trust-manager in dist/delivery/flux. */
export function trustManagerValues(helmRelease: KubeObject): TrustManagerValues {
  const spec = helmRelease.spec as {
    targetNamespace: string;
    values: { app: { trust: { namespace: string } }; secretTargets: { enabled: boolean; authorizedSecrets: string[] } };
  };
  return {
    trustNamespace: spec.values.app.trust.namespace,
    secretTargetsEnabled: spec.values.secretTargets.enabled,
    authorizedSecrets: spec.values.secretTargets.authorizedSecrets,
    releaseNamespace: spec.targetNamespace,
  };
}

/**
 * The RBAC objects the trust-manager v0.24.0 chart creates for these values, bound to the control plane's
 * `trust-manager` client identity instead of the chart's ServiceAccount (no pods run here). Mirrors
 * deploy/charts/trust-manager/templates/clusterrole.yaml, role.yaml and _helpers.tpl
 * (`trust-manager.rbac.namespacedResourcesRules`, secretTargets.authorizedSecrets branch).
 */
export function trustManagerRbac(values: TrustManagerValues, user = 'trust-manager'): KubeObject[] {
  const rbac = 'rbac.authorization.k8s.io/v1';
  const subjects = [{ kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: user }];
  const clusterRules: unknown[] = [
    { apiGroups: ['trust.cert-manager.io'], resources: ['bundles'], verbs: ['get', 'list', 'watch'] },
    { apiGroups: ['trust.cert-manager.io'], resources: ['bundles/finalizers'], verbs: ['update'] },
    { apiGroups: ['trust.cert-manager.io'], resources: ['bundles/status'], verbs: ['patch'] },
    { apiGroups: [''], resources: ['namespaces'], verbs: ['get', 'list', 'watch'] },
    { apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list', 'create', 'patch', 'watch', 'delete'] },
    { apiGroups: ['', 'events.k8s.io'], resources: ['events'], verbs: ['create', 'patch'] },
  ];
  if (values.secretTargetsEnabled && values.authorizedSecrets.length) {
    clusterRules.push({ apiGroups: [''], resources: ['secrets'], verbs: ['get', 'list', 'watch'] });
    clusterRules.push({
      apiGroups: [''],
      resources: ['secrets'],
      verbs: ['create', 'patch', 'delete'],
      resourceNames: [...values.authorizedSecrets],
    });
  }
  const role = (name: string, namespace: string, rules: unknown[]): KubeObject[] => [
    { apiVersion: rbac, kind: 'Role', metadata: { name, namespace }, rules },
    {
      apiVersion: rbac,
      kind: 'RoleBinding',
      metadata: { name, namespace },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name },
      subjects,
    },
  ];
  return [
    { apiVersion: rbac, kind: 'ClusterRole', metadata: { name: 'trust-manager' }, rules: clusterRules },
    {
      apiVersion: rbac,
      kind: 'ClusterRoleBinding',
      metadata: { name: 'trust-manager' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'trust-manager' },
      subjects,
    },
    ...role('trust-manager', values.trustNamespace, [
      { apiGroups: [''], resources: ['secrets'], verbs: ['get', 'list', 'watch'] },
    ]),
    ...role('trust-manager:leaderelection', values.releaseNamespace, [
      {
        apiGroups: ['coordination.k8s.io'],
        resources: ['leases'],
        verbs: ['get', 'create', 'update', 'watch', 'list'],
      },
    ]),
  ];
}

/** A running trust-manager. */
export interface RunningTrustManager {
  /** The process. */
  readonly process: ManagedProcess;
  /** Results of applying its RBAC and release namespace. */
  readonly setup: readonly ApplyResult[];
}

/**
 * Starts the trust-manager built from the Go module proxy against the control plane, with the flags its chart's
 * deployment.yaml sets for these values, as the `trust-manager` user (RBAC above). Listen addresses: webhook on
 * 127.0.0.1; probe and metrics ports are bound on 0.0.0.0 by trust-manager itself (app.go), which is why the
 * control plane prefers a private network namespace.
 */
export async function startTrustManager(cp: ControlPlane, values: TrustManagerValues): Promise<RunningTrustManager> {
  const setup = [
    applyObject(cp, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: values.releaseNamespace } }),
    ...trustManagerRbac(values).map((o) => applyObject(cp, o)),
  ];
  const tls = join(cp.dir, 'trust-manager-tls');
  mkdirSync(tls, { recursive: true });
  copyFileSync(cp.pki.servingCert, join(tls, 'tls.crt'));
  copyFileSync(cp.pki.servingKey, join(tls, 'tls.key'));
  const port = async (p: number): Promise<number> => cp.network.freePort(p);
  const args = [
    `--kubeconfig=${cp.kubeconfig('trust-manager')}`,
    '--log-format=text',
    '--log-level=2',
    `--metrics-port=${await port(9402)}`,
    `--readiness-probe-port=${await port(6060)}`,
    '--readiness-probe-path=/readyz',
    // The chart runs with --leader-elect=true; trust-manager takes the Lease namespace from the in-cluster
    // service-account mount only (no flag, app.go of v0.24.0), so a single instance out of a pod runs without it.
    '--leader-elect=false',
    `--trust-namespace=${values.trustNamespace}`,
    '--webhook-host=127.0.0.1',
    `--webhook-port=${await port(16443)}`,
    `--webhook-certificate-dir=${tls}`,
    ...(values.secretTargetsEnabled ? ['--secret-targets-enabled=true'] : []),
  ];
  return { process: cp.start('trust-manager', binary('trust-manager'), args), setup };
}
