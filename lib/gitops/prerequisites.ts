import { checkDnsLabel, checkNoTemplate, checkUnique, checkUrl, invalid } from '../core/validation';

/**
 * A Helm chart the stack depends on, installed before the layers of `dist/` (as an Argo CD Application or a Flux
 * HelmRelease), pinned to one chart version so that a new cluster converges to a known state.
 */
export interface HelmPrerequisite {
  /** Helm release name (also the Argo CD Application and Flux HelmRelease name). */
  readonly name: string;
  /** Chart name in the repository. */
  readonly chart: string;
  /** Name of the Flux HelmRepository of `repoUrl`. */
  readonly repoName: string;
  /** HTTPS Helm repository URL. */
  readonly repoUrl: string;
  /** Exact chart version. */
  readonly version: string;
  /** Namespace the release is installed into (created when missing). */
  readonly namespace: string;
  /** Helm values. */
  readonly values: Readonly<Record<string, unknown>>;
  /** Names of prerequisites that must be ready first. */
  readonly dependsOn: readonly string[];
  /** Apply with server-side apply (charts whose CRDs exceed the client-side `last-applied` annotation limit). */
  readonly serverSideApply: boolean;
  /** One line: what the stack needs it for. */
  readonly doc: string;
}

/** Versions pinned for the prerequisites (checked against the upstream repositories, August 2026). */
export const PREREQUISITE_VERSIONS = {
  /** cert-manager v1.21 line (CRDs in ../shared/crds are from it). */
  certManager: 'v1.21.1',
  /** trust-manager, latest release. */
  trustManager: 'v0.24.0',
  /**
   * kube-prometheus-stack bundling prometheus-operator v0.93.1 (the CRD version the monitoring layer is validated
   * against).
   */
  kubePrometheusStack: '88.5.3',
} as const;

const JETSTACK = { repoName: 'jetstack', repoUrl: 'https://charts.jetstack.io' } as const;
const PROMETHEUS_COMMUNITY = {
  repoName: 'prometheus-community',
  repoUrl: 'https://prometheus-community.github.io/helm-charts',
} as const;

/** Props of {@link certManagerPrerequisite}. */
export interface CertManagerPrerequisiteProps {
  /**
   * Enable cert-manager's Gateway API support (`ControllerConfiguration.enableGatewayAPI`): certificates for Gateway
   * listeners from the `cert-manager.io/cluster-issuer` annotation, and the `gatewayHTTPRoute` HTTP-01 solver.
   * cert-manager looks for the Gateway API CRDs when it starts: install them (Envoy Gateway's chart) first.
   * @default false
   */
  readonly gatewayApi?: boolean;
}

/** cert-manager with its CRDs (issues the server certificates and the client CA chain). */
export function certManagerPrerequisite(props: CertManagerPrerequisiteProps = {}): HelmPrerequisite {
  const gatewayApi = props.gatewayApi
    ? {
        config: {
          apiVersion: 'controller.config.cert-manager.io/v1alpha1',
          kind: 'ControllerConfiguration',
          enableGatewayAPI: true,
        },
      }
    : {};
  return {
    name: 'cert-manager',
    chart: 'cert-manager',
    ...JETSTACK,
    version: PREREQUISITE_VERSIONS.certManager,
    namespace: 'cert-manager',
    values: { crds: { enabled: true, keep: true }, ...gatewayApi },
    dependsOn: [],
    serverSideApply: false,
    doc: "issues the Let's Encrypt server certificates and the client CA and client certificates",
  };
}

/** Props of {@link trustManagerPrerequisite}. */
export interface TrustManagerPrerequisiteProps {
  /**
   * Names of the Secrets trust-manager may write Bundles to (a Bundle's target Secret has the Bundle's name).
   * @default []
   */
  readonly authorizedSecrets?: readonly string[];
  /**
   * Namespace trust-manager reads Bundle sources from.
   * @default 'cert-manager'
   */
  readonly trustNamespace?: string;
}

/**
 * trust-manager with Secret targets enabled (publishes the client CA certificate, without its key, to the controller).
 */
export function trustManagerPrerequisite(props: TrustManagerPrerequisiteProps = {}): HelmPrerequisite {
  // Fields name the call and its props as the caller wrote them (indexes before sorting).
  (props.authorizedSecrets ?? []).forEach((s, i) =>
    checkDnsLabel(`trustManagerPrerequisite.authorizedSecrets[${i}]`, s),
  );
  const authorizedSecrets = [...(props.authorizedSecrets ?? [])].sort();
  const trustNamespace = checkDnsLabel(
    'trustManagerPrerequisite.trustNamespace',
    props.trustNamespace ?? 'cert-manager',
  );
  return {
    name: 'trust-manager',
    chart: 'trust-manager',
    ...JETSTACK,
    version: PREREQUISITE_VERSIONS.trustManager,
    namespace: 'cert-manager',
    values: { app: { trust: { namespace: trustNamespace } }, secretTargets: { enabled: true, authorizedSecrets } },
    dependsOn: ['cert-manager'],
    serverSideApply: false,
    doc: 'publishes the client CA certificate (never its key) into a Secret the controller reads as auth-tls-secret',
  };
}

/** Props of {@link kubePrometheusStackPrerequisite}. */
export interface KubePrometheusStackPrerequisiteProps {
  /**
   * Namespace of the monitoring stack.
   * @default 'monitoring'
   */
  readonly namespace?: string;
}

/**
 * Helm release name of kube-prometheus-stack; its Prometheus selects ServiceMonitors and PrometheusRules labelled
 * `release: <this>`.
 */
export const KUBE_PROMETHEUS_STACK_RELEASE = 'kube-prometheus-stack';

/** kube-prometheus-stack: prometheus-operator CRDs, Prometheus, Alertmanager and Grafana with the dashboard sidecar. */
export function kubePrometheusStackPrerequisite(props: KubePrometheusStackPrerequisiteProps = {}): HelmPrerequisite {
  const namespace = checkDnsLabel('kubePrometheusStackPrerequisite.namespace', props.namespace ?? 'monitoring');
  return {
    name: KUBE_PROMETHEUS_STACK_RELEASE,
    chart: 'kube-prometheus-stack',
    ...PROMETHEUS_COMMUNITY,
    version: PREREQUISITE_VERSIONS.kubePrometheusStack,
    namespace,
    values: {
      crds: { enabled: true },
      prometheus: {
        prometheusSpec: { serviceMonitorSelectorNilUsesHelmValues: true, ruleSelectorNilUsesHelmValues: true },
      },
      grafana: {
        sidecar: { dashboards: { enabled: true, label: 'grafana_dashboard', labelValue: '1', searchNamespace: 'ALL' } },
      },
    },
    dependsOn: [],
    serverSideApply: true,
    doc: 'prometheus-operator (ServiceMonitor, PrometheusRule, AlertmanagerConfig), Prometheus, Alertmanager, Grafana',
  };
}

/**
 * Checks a set of prerequisites (unique names, known and acyclic dependencies) and returns the Argo CD sync wave of
 * each: negative, before the first layer (wave 0), deeper dependencies later, so waves follow `dependsOn`.
 */
export function prerequisiteWaves(prerequisites: readonly HelmPrerequisite[]): Map<string, number> {
  prerequisites.forEach(checkPrerequisite);
  checkUnique('prerequisites', prerequisites, (p) => p.name);
  const byName = new Map(prerequisites.map((p) => [p.name, p]));
  const depth = new Map<string, number>();
  const visit = (p: HelmPrerequisite, path: string[]): number => {
    const known = depth.get(p.name);
    if (known !== undefined) return known;
    if (path.includes(p.name))
      invalid(
        'prerequisites',
        [...path, p.name].join(' -> '),
        'is a dependency cycle',
        'remove one of the dependsOn entries',
      );
    let d = 0;
    for (const dep of p.dependsOn) {
      const target = byName.get(dep);
      if (!target)
        invalid(
          `prerequisites[${prerequisites.indexOf(p)}].dependsOn`,
          dep,
          'is not one of the installed prerequisites',
          `install ${dep} too, or drop the dependency`,
        );
      d = Math.max(d, visit(target, [...path, p.name]) + 1);
    }
    depth.set(p.name, d);
    return d;
  };
  prerequisites.forEach((p) => visit(p, []));
  const levels = Math.max(-1, ...depth.values()) + 1;
  return new Map([...depth].map(([name, d]) => [name, -10 * (levels - d)]));
}

/** Checks the fields of a prerequisite that land in Application / HelmRelease specs. */
function checkPrerequisite(p: HelmPrerequisite, i: number): void {
  const field = `prerequisites[${i}]`;
  checkDnsLabel(`${field}.name`, p.name);
  checkDnsLabel(`${field}.repoName`, p.repoName);
  checkDnsLabel(`${field}.namespace`, p.namespace);
  checkUrl(`${field}.repoUrl`, p.repoUrl, { schemes: ['https'], example: 'https://charts.jetstack.io' });
  if (typeof p.chart !== 'string' || !/^[a-z0-9]([-a-z0-9._]*[a-z0-9])?$/.test(p.chart))
    invalid(
      `${field}.chart`,
      p.chart,
      'is not a Helm chart name',
      'use the chart\'s name in its repository, e.g. "cert-manager"',
    );
  if (typeof p.version !== 'string' || !/^v?[0-9]+\.[0-9]+\.[0-9]+([-+][0-9A-Za-z.-]+)?$/.test(p.version)) {
    invalid(
      `${field}.version`,
      p.version,
      'is not an exact chart version',
      'pin one SemVer version such as "1.21.1" (ranges would let a new cluster converge to another state)',
    );
  }
  checkNoTemplate(`${field}.doc`, p.doc);
}
