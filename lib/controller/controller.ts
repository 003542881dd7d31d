import { Construct } from 'constructs';
import { KubeIngressClass, KubeNamespace, ResourceRequirements } from 'cdk8s-plus-27/lib/imports/k8s';
import { checkDnsLabel, checkDnsSubdomain, checkIntegerInRange, invalid } from '../core/validation';
import { WafPolicy } from '../waf/policy';
import { AdmissionWebhook } from './admission-webhook';
import { ControllerPolicies } from './availability';
import { ControllerConfigMaps, DEFAULT_PROXY_SET_HEADERS } from './config-maps';
import { ControllerDeployment, DEFAULT_CONTROLLER_RESOURCES } from './deployment';
import { controllerLabels } from './labels';
import { ControllerRbac } from './rbac';
import { ControllerServiceOptions, ControllerServices } from './services';
import { CONTROLLER_CLASS, INGRESS_NGINX_IMAGE, NAMES } from './upstream';
import { WafPolicyFile } from './waf-policy';

/** Props of {@link ModSecurityController}. */
export interface ModSecurityControllerProps {
  /**
   * The WAF policy, rendered into the ConfigMap `ingress-nginx-waf-policy` (key `policy.conf`), mounted into the
   * controller and included from its `modsecurity-snippet`. Every change rolls the controller pods.
   */
  readonly waf: WafPolicy;
  /**
   * Namespace of the controller.
   * @default 'ingress-nginx'
   */
  readonly namespace?: string;
  /**
   * Create the Namespace (labelled for the `restricted` Pod Security Standard, which the controller meets).
   * @default true
   */
  readonly createNamespace?: boolean;
  /**
   * Name of the IngressClass the controller serves (controller value `k8s.io/ingress-nginx`).
   * @default 'nginx'
   */
  readonly ingressClassName?: string;
  /**
   * Mark the IngressClass as the cluster default (Ingresses without `ingressClassName` use it).
   * @default false
   */
  readonly defaultIngressClass?: boolean;
  /**
   * Controller replicas; at least 2 so the edge survives a node drain (the PodDisruptionBudget keeps one up).
   * @default 2
   */
  readonly replicas?: number;
  /**
   * Run the validating admission webhook (rejects Ingresses nginx would fail to load, before they break a reload).
   * Needs cert-manager in the cluster: it issues the webhook certificate and injects the CA. Set false on clusters
   * without cert-manager; invalid Ingresses are then only rejected by the controller at reload time (logged as
   * events; the previous configuration stays active).
   * @default true
   */
  readonly admissionWebhook?: boolean;
  /**
   * AKS options of the LoadBalancer Service (static public IP).
   * @default a dynamic public IP
   */
  readonly service?: ControllerServiceOptions;
  /**
   * Extra headers sent to every backend (`proxy-set-headers`), merged over the default
   * `ssl-client-fingerprint: $ssl_client_fingerprint`.
   * @default only the client-certificate fingerprint
   */
  readonly proxySetHeaders?: Readonly<Record<string, string>>;
  /**
   * Container resources.
   * @default requests cpu 100m, memory 256Mi; limit memory 1Gi; no CPU limit
   */
  readonly resources?: ResourceRequirements;
  /**
   * Controller image; must be pinned by digest.
   * @default the upstream v1.15.1 image, pinned by digest
   */
  readonly image?: string;
}

/**
 * ingress-nginx v1.15.1 with ModSecurity + OWASP CRS v4 as plain Kubernetes objects (no Helm), equivalent to the
 * upstream cloud deploy.yaml / chart 4.15.1 in permissions and behaviour, driven by a typed {@link WafPolicy}:
 * Namespace, ServiceAccount and RBAC, controller and proxy-headers ConfigMaps, IngressClass, LoadBalancer and
 * metrics Services, Deployment, PodDisruptionBudget, NetworkPolicy and (optionally) the admission webhook with a
 * cert-manager certificate.
 */
export class ModSecurityController extends Construct {
  /** Namespace of the controller. */
  public readonly namespace: string;
  /** IngressClass name to use in Ingresses. */
  public readonly ingressClassName: string;
  /** Whether the admission webhook is rendered. */
  public readonly admissionWebhook: boolean;
  /** The controller ConfigMap data, as rendered. */
  public readonly config: Readonly<Record<string, string>>;
  /** sha256 (hex) of the rendered WAF policy file; undefined when the policy's mode is Off (ModSecurity not loaded). */
  public readonly wafPolicySha256?: string;

  constructor(scope: Construct, id: string, props: ModSecurityControllerProps) {
    super(scope, id);
    if (!(props.waf instanceof WafPolicy)) invalid('controller.waf', props.waf, 'is not a WafPolicy', 'pass new WafPolicy({ ... })');
    this.namespace = checkDnsLabel('controller.namespace', props.namespace ?? 'ingress-nginx');
    this.ingressClassName = checkDnsSubdomain('controller.ingressClassName', props.ingressClassName ?? 'nginx');
    const replicas = checkIntegerInRange('controller.replicas', props.replicas ?? 2, 2, 100, 'run at least 2 replicas (an edge with one replica goes down on every node drain); at most 100');
    this.admissionWebhook = props.admissionWebhook ?? true;
    const image = props.image ?? INGRESS_NGINX_IMAGE;
    if (!/^[^\s@]+@sha256:[0-9a-f]{64}$/.test(image)) invalid('controller.image', image, 'is not pinned by digest', 'use "<repository>:<tag>@sha256:<digest>" so every node runs the same, reviewed image');

    if (props.createNamespace ?? true) {
      new KubeNamespace(this, 'Namespace', {
        metadata: {
          name: this.namespace,
          labels: {
            'app.kubernetes.io/name': 'ingress-nginx',
            'app.kubernetes.io/instance': 'ingress-nginx',
            'pod-security.kubernetes.io/enforce': 'restricted',
            'pod-security.kubernetes.io/enforce-version': 'latest',
          },
        },
      });
    }
    new ControllerRbac(this, 'Rbac', { namespace: this.namespace });
    const wafPolicy = props.waf.mode !== 'Off' ? new WafPolicyFile(this, 'WafPolicy', { namespace: this.namespace, waf: props.waf }) : undefined;
    this.wafPolicySha256 = wafPolicy?.sha256;
    const configMaps = new ControllerConfigMaps(this, 'Config', {
      namespace: this.namespace,
      wafPolicy,
      proxySetHeaders: { ...DEFAULT_PROXY_SET_HEADERS, ...(props.proxySetHeaders ?? {}) },
    });
    this.config = configMaps.data;
    new KubeIngressClass(this, 'IngressClass', {
      metadata: {
        name: this.ingressClassName,
        labels: controllerLabels(),
        ...(props.defaultIngressClass ? { annotations: { 'ingressclass.kubernetes.io/is-default-class': 'true' } } : {}),
      },
      spec: { controller: CONTROLLER_CLASS },
    });
    new ControllerServices(this, 'Services', { namespace: this.namespace, ...(props.service ?? {}) });
    const webhook = this.admissionWebhook ? new AdmissionWebhook(this, 'AdmissionWebhook', { namespace: this.namespace }) : undefined;
    new ControllerDeployment(this, 'Deployment', {
      namespace: this.namespace,
      ingressClassName: this.ingressClassName,
      replicas,
      image,
      resources: props.resources ?? DEFAULT_CONTROLLER_RESOURCES,
      webhookSecretName: webhook?.secretName,
      wafPolicy,
    });
    new ControllerPolicies(this, 'Policies', { namespace: this.namespace, admissionWebhook: this.admissionWebhook });
  }

  /** `namespace/name` of the controller's LoadBalancer Service. */
  public get serviceRef(): string {
    return `${this.namespace}/${NAMES.service}`;
  }
}
