import { Construct } from 'constructs';
import {
  IntOrString,
  KubeNetworkPolicy,
  KubePodDisruptionBudget,
  NetworkPolicyEgressRule,
  NetworkPolicyPeer,
  NetworkPolicyPort,
} from '../core/kube';
import { controllerLabels } from './labels';
import { CONTROLLER_SELECTOR_LABELS, NAMES, PORTS } from './upstream';

/** Pods allowed to scrape the controller's metrics port. */
export interface MetricsScraper {
  /** Namespace of the scraping pods (e.g. where kube-prometheus-stack runs Prometheus). */
  readonly namespace: string;
  /**
   * Labels of the scraping pods in that namespace.
   * @default every pod of the namespace
   */
  readonly podLabels?: Readonly<Record<string, string>>;
}

/** Namespace label every Namespace carries (set by the API server since Kubernetes 1.22). */
const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

/** Props of {@link ControllerPolicies}. */
export interface ControllerPoliciesProps {
  readonly namespace: string;
  /** Whether the admission webhook port must be reachable. */
  readonly admissionWebhook: boolean;
  /** Who may scrape metrics (checked by the controller construct). */
  readonly metricsScrapers: readonly MetricsScraper[];
  /** IPv4/IPv6 CIDRs of the Kubernetes API server endpoints (checked by the controller construct). */
  readonly apiServerCidrs: readonly string[];
  /**
   * The one namespace the controller watches, or undefined for every namespace.
   * @default every namespace
   */
  readonly watchNamespace?: string;
}

/** Ports of the API server endpoints behind `kubernetes.default.svc` (AKS: 443; kubeadm and kind: 6443). */
export const API_SERVER_PORTS = [443, 6443] as const;

/**
 * PodDisruptionBudget (at most one controller pod down for voluntary disruptions such as node upgrades) and a
 * NetworkPolicy narrower than chart 4.15.1's (which admits any source on every controller port and leaves egress open):
 *
 * - ingress: http/https from anywhere (it is the edge); metrics only from the {@link MetricsScraper}s; the webhook port
 *   from anywhere, because the API server is not a pod and its source address differs per platform (AKS reaches
 * webhooks through its konnectivity tunnel) — a wrong guess with `failurePolicy: Fail` would block every Ingress
 * change;
 * - egress: DNS to kube-system's kube-dns pods; TCP to pods of the watched namespace (every namespace when unscoped):
 *   the backends and cert-manager's HTTP-01 solvers; TCP 443/6443 to the API server CIDRs. Nothing else: no internet.
 *
 * NetworkPolicy selects backends after Service DNAT (pod IPs), and the API server by its endpoint address, which is
 * why `apiServerCidrs` is an ipBlock (see docs/security.md for the CNI caveats).
 */
export class ControllerPolicies extends Construct {
  constructor(scope: Construct, id: string, props: ControllerPoliciesProps) {
    super(scope, id);
    const labels = controllerLabels();
    const podSelector = { matchLabels: { ...CONTROLLER_SELECTOR_LABELS } };
    new KubePodDisruptionBudget(this, 'disruption-budget', {
      metadata: { name: NAMES.deployment, namespace: props.namespace, labels },
      spec: {
        selector: podSelector,
        maxUnavailable: IntOrString.fromNumber(1),
        unhealthyPodEvictionPolicy: 'AlwaysAllow',
      },
    });
    const tcp = (port: number): NetworkPolicyPort => ({ protocol: 'TCP', port: IntOrString.fromNumber(port) });
    const inNamespace = (namespace: string): NetworkPolicyPeer['namespaceSelector'] => ({
      matchLabels: { [NAMESPACE_NAME_LABEL]: namespace },
    });
    const scrapers: NetworkPolicyPeer[] = props.metricsScrapers.map((s) => ({
      namespaceSelector: inNamespace(s.namespace),
      ...(s.podLabels ? { podSelector: { matchLabels: { ...s.podLabels } } } : {}),
    }));
    const backends: NetworkPolicyPeer =
      props.watchNamespace !== undefined
        ? { namespaceSelector: inNamespace(props.watchNamespace) }
        : { namespaceSelector: {} };
    const egress: NetworkPolicyEgressRule[] = [
      {
        to: [
          { namespaceSelector: inNamespace('kube-system'), podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } },
        ],
        ports: [{ protocol: 'UDP', port: IntOrString.fromNumber(53) }, tcp(53)],
      },
      { to: [backends], ports: [{ protocol: 'TCP' }] },
      // Never empty (the controller construct rejects []): an empty `to` would allow every destination.
      { to: props.apiServerCidrs.map((cidr) => ({ ipBlock: { cidr } })), ports: API_SERVER_PORTS.map(tcp) },
    ];
    new KubeNetworkPolicy(this, 'network-policy', {
      metadata: { name: NAMES.deployment, namespace: props.namespace, labels },
      spec: {
        podSelector,
        policyTypes: ['Ingress', 'Egress'],
        ingress: [
          { ports: [tcp(PORTS.http), tcp(PORTS.https)] },
          // An empty `from` would admit every source: no scrapers means no rule for the metrics port at all.
          ...(scrapers.length > 0 ? [{ from: scrapers, ports: [tcp(PORTS.metrics)] }] : []),
          ...(props.admissionWebhook ? [{ ports: [tcp(PORTS.webhook)] }] : []),
        ],
        egress,
      },
    });
  }
}
