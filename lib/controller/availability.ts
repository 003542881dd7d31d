import { Construct } from 'constructs';
import { IntOrString, KubeNetworkPolicy, KubePodDisruptionBudget, NetworkPolicyPort } from 'cdk8s-plus-27/lib/imports/k8s';
import { controllerLabels } from './labels';
import { CONTROLLER_SELECTOR_LABELS, NAMES, PORTS } from './upstream';

/** Props of {@link ControllerPolicies}. */
export interface ControllerPoliciesProps {
  readonly namespace: string;
  /** Whether the admission webhook port must be reachable. */
  readonly admissionWebhook: boolean;
}

/**
 * PodDisruptionBudget (at most one controller pod down for voluntary disruptions such as node upgrades) and the
 * chart's NetworkPolicy: ingress only on the controller's ports (http, https, metrics, webhook), egress open (the
 * controller talks to the API server and to backends in any namespace).
 */
export class ControllerPolicies extends Construct {
  constructor(scope: Construct, id: string, props: ControllerPoliciesProps) {
    super(scope, id);
    const labels = controllerLabels();
    const podSelector = { matchLabels: { ...CONTROLLER_SELECTOR_LABELS } };
    new KubePodDisruptionBudget(this, 'DisruptionBudget', {
      metadata: { name: NAMES.deployment, namespace: props.namespace, labels },
      spec: { selector: podSelector, maxUnavailable: IntOrString.fromNumber(1), unhealthyPodEvictionPolicy: 'AlwaysAllow' },
    });
    const ports: NetworkPolicyPort[] = [PORTS.http, PORTS.https, PORTS.metrics, ...(props.admissionWebhook ? [PORTS.webhook] : [])]
      .map((port) => ({ protocol: 'TCP', port: IntOrString.fromNumber(port) }));
    new KubeNetworkPolicy(this, 'NetworkPolicy', {
      metadata: { name: NAMES.deployment, namespace: props.namespace, labels },
      spec: { podSelector, policyTypes: ['Ingress', 'Egress'], ingress: [{ ports }], egress: [{}] },
    });
  }
}
