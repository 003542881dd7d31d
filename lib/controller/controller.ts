import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { KubeIngressClass, KubeNamespace, ResourceRequirements } from '../core/kube';
import { ObjectMetadataOptions } from '../core/metadata';
import {
  checkDnsLabel,
  checkDnsSubdomain,
  checkIntegerInRange,
  invalid,
  PropsValidator,
  propsValidator,
} from '../core/validation';
import { WafPolicy } from '../waf/policy';
import { checkIpv4Cidr } from '../core/ip';
import { AdmissionWebhook, DEFAULT_WEBHOOK_TIMEOUT_SECONDS } from './admission-webhook';
import { ControllerPolicies, MetricsScraper } from './availability';
import { ControllerConfigMaps, DEFAULT_PROXY_SET_HEADERS } from './config-maps';
import { ControllerDeployment } from './deployment';
import { checkControllerMemoryLimit, controllerResourcesFor } from './sizing';
import { controllerLabels } from './labels';
import { ControllerRbac } from './rbac';
import { ControllerServiceOptions, ControllerServices } from './services';
import { clusterScopedNamesOf, INGRESS_NGINX_IMAGE, NAMES } from './upstream';
import { policySha256, WafPolicyFile } from './waf-policy';

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
   * Extra headers sent to every backend (`proxy-set-headers`), merged over the client-certificate fingerprint header
   * (`<clientCertificateFingerprintHeader>: $ssl_client_fingerprint`).
   * @default only the client-certificate fingerprint
   */
  readonly proxySetHeaders?: Readonly<Record<string, string>>;
  /**
   * Header that carries nginx's `$ssl_client_fingerprint` (SHA-1 of the client certificate, lower-case hex) to every
   * backend, replacing any copy the client sent.
   * @default 'ssl-client-fingerprint' (the header of {@link DEFAULT_PROXY_SET_HEADERS})
   */
  readonly clientCertificateFingerprintHeader?: string;
  /**
   * Container resources. A memory limit below the sizing rule for {@link ModSecurityControllerProps.expectedHosts}
   * fails synth (see {@link CONTROLLER_MEMORY_SIZING} and docs/controller-sizing.md).
   * @default requests cpu 100m and memory max(256Mi, nginx(hosts)); limit memory max(1Gi, 2 × nginx(hosts) + 256Mi),
   * where nginx(hosts) = 100 MiB + 0.35 MiB × expectedHosts; no CPU limit
   */
  readonly resources?: ResourceRequirements;
  /**
   * Number of hosts (nginx servers, each with its own TLS context) the controller will serve; sizes the memory
   * request and limit. Set it when Ingresses beyond the WAF policy's served hosts use this controller.
   * @default the number of `servedHosts` of the WAF policy (at least 1)
   */
  readonly expectedHosts?: number;
  /**
   * The one namespace whose Ingresses the controller serves (`--watch-namespace`). Set it to keep every other
   * namespace's Secrets — above all a client CA's key pair — out of the controller's reach: the controller then lists
   * and watches Secrets, ConfigMaps, Services, EndpointSlices and Ingresses of this namespace only (a Role there),
   * instead of every Secret in the cluster (upstream's ClusterRole). Ingresses of other namespaces are ignored, and a
   * change of the controller ConfigMap rolls the pods (it is then read once at start). See docs/security.md.
   * @default every namespace (upstream's cluster-wide RBAC)
   */
  readonly watchNamespace?: string;
  /**
   * Pods allowed to reach the metrics port (10254) through the NetworkPolicy. `[]` closes the port to every pod.
   * @default [{ namespace: 'monitoring', podLabels: { 'app.kubernetes.io/name': 'prometheus' } }] (the Prometheus of
   * the kube-prometheus-stack prerequisite)
   */
  readonly metricsScrapers?: readonly MetricsScraper[];
  /**
   * IPv4 CIDRs of the Kubernetes API server endpoints: the only non-pod destinations the controller may reach (TCP 443
   * and 6443). Narrow it to your API server (AKS: the address of the cluster FQDN, or the API server subnet with VNet
   * integration).
   * @default ['0.0.0.0/0'] (any address, on the API server ports only)
   */
  readonly apiServerCidrs?: readonly string[];
  /**
   * Seconds the API server waits for the admission webhook (then `failurePolicy: Fail` rejects the Ingress change).
   * @default 10
   */
  readonly webhookTimeoutSeconds?: number;
  /**
   * Name of this edge's controller instance, so that a second edge can run in the same cluster: the cluster-scoped
   * objects become `<instanceName>-ingress-nginx` (ClusterRole, ClusterRoleBinding) and
   * `<instanceName>-ingress-nginx-admission` (ValidatingWebhookConfiguration), and the controller class
   * `k8s.io/<instanceName>-ingress-nginx` (upstream docs/user-guide/multiple-ingress.md). Give that edge its own
   * `namespace`, `ingressClassName` and `watchNamespace` too; synth refuses two objects with the same kind, namespace
   * and name, naming both construct paths.
   * @default none: upstream's names (one ingress-nginx per cluster)
   */
  readonly instanceName?: string;
  /**
   * Controller image; must be pinned by digest.
   * @default the upstream v1.15.1 image, pinned by digest
   */
  readonly image?: string;
  /**
   * Labels and annotations added to the objects a user annotates: the controller Deployment (e.g. for a reloader or a
   * policy engine; not its pods, whose labels select them) and the LoadBalancer Service (e.g. further
   * `service.beta.kubernetes.io/azure-*` annotations). A key the construct sets itself (its labels, the Service's
   * `azure-pip-name`, `azure-load-balancer-resource-group` and health-probe annotations) is refused: use the prop
   * that renders it. Other objects: use {@link ModSecurityController.configMap}, `ingressClass` or `node`.
   * @default none
   */
  readonly metadata?: ObjectMetadataOptions;
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
  /** The controller Deployment `ingress-nginx-controller` (escape hatch: `deployment.addJsonPatch(...)`). */
  public readonly deployment: ApiObject;
  /** The LoadBalancer Service `ingress-nginx-controller` (escape hatch). */
  public readonly service: ApiObject;
  /** The controller ConfigMap `ingress-nginx-controller` (escape hatch; its data is {@link config}). */
  public readonly configMap: ApiObject;
  /** The IngressClass (escape hatch). */
  public readonly ingressClass: ApiObject;

  constructor(scope: Construct, id: string, props: ModSecurityControllerProps) {
    super(scope, id);
    const v: PropsValidator = propsValidator(this, 'ModSecurityController');
    if (!(props.waf instanceof WafPolicy))
      v.invalid('waf', props.waf, 'is not a WafPolicy', 'pass new WafPolicy({ ... })');
    this.namespace = v.check(() => checkDnsLabel('namespace', props.namespace ?? 'ingress-nginx'));
    this.ingressClassName = v.check(() => checkDnsSubdomain('ingressClassName', props.ingressClassName ?? 'nginx'));
    const replicas = v.check(() =>
      checkIntegerInRange(
        'replicas',
        props.replicas ?? 2,
        2,
        100,
        'run at least 2 replicas (an edge with one replica goes down on every node drain); at most 100',
      ),
    );
    this.admissionWebhook = props.admissionWebhook ?? true;
    const image = props.image ?? INGRESS_NGINX_IMAGE;
    const { watchNamespace: givenWatchNamespace, resources, instanceName } = props;
    const watchNamespace =
      givenWatchNamespace === undefined
        ? undefined
        : v.check(() => checkDnsLabel('watchNamespace', givenWatchNamespace));
    const metricsScrapers = (props.metricsScrapers ?? DEFAULT_METRICS_SCRAPERS).map((s, i) =>
      v.check(() => checkMetricsScraper(`metricsScrapers[${i}]`, s)),
    );
    const apiServerCidrs = v.check(() => checkApiServerCidrs('apiServerCidrs', props.apiServerCidrs ?? ['0.0.0.0/0']));
    const webhookTimeoutSeconds = v.check(() =>
      checkIntegerInRange(
        'webhookTimeoutSeconds',
        props.webhookTimeoutSeconds ?? DEFAULT_WEBHOOK_TIMEOUT_SECONDS,
        1,
        30,
        "use 1 to 30 seconds (the API server's limit for webhooks); 10 is the default",
      ),
    );
    const expectedHosts = v.check(() =>
      checkIntegerInRange(
        'expectedHosts',
        props.expectedHosts ?? Math.max(1, props.waf.servedHosts.length),
        1,
        100000,
        'give the number of hosts the controller serves, from 1 to 100000',
      ),
    );
    if (resources !== undefined) v.check(() => checkControllerMemoryLimit('resources', resources, expectedHosts));
    const instance =
      instanceName === undefined ? undefined : v.check(() => checkDnsLabel('instanceName', instanceName));
    const clusterNames = clusterScopedNamesOf(instance);
    if (!/^[^\s@]+@sha256:[0-9a-f]{64}$/.test(image))
      v.invalid(
        'image',
        image,
        'is not pinned by digest',
        'use "<repository>:<tag>@sha256:<digest>" so every node runs the same, reviewed image',
      );

    if (props.createNamespace ?? true) {
      new KubeNamespace(this, 'namespace', {
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
    new ControllerRbac(this, 'rbac', {
      namespace: this.namespace,
      watchNamespace,
      clusterRoleName: clusterNames.clusterRole,
    });
    const wafPolicy =
      props.waf.mode !== 'Off'
        ? v.check(() => new WafPolicyFile(this, 'waf-policy', { namespace: this.namespace, waf: props.waf }))
        : undefined;
    this.wafPolicySha256 = wafPolicy?.sha256;
    if (wafPolicy) {
      // WafPolicy's add* methods can run after this constructor rendered the policy: catch that at synth time.
      const rendered = wafPolicy.sha256;
      v.late(() => {
        if (policySha256(props.waf.renderPolicyFile()) !== rendered)
          v.invalid(
            'waf',
            '(a WafPolicy)',
            'was changed after this controller rendered it (a rule added with addDenySourceIps, addDenyRequestHeader, addAllowPaths or addExclusion after new ModSecurityController), so the rule is missing from the ConfigMap',
            'add every rule before passing the policy to ModSecurityController, or give the rules in the WafPolicy props',
          );
      });
    }
    // The config and services children check props of this construct (proxySetHeaders, service): errors name it.
    const configMaps = v.check(
      () =>
        new ControllerConfigMaps(this, 'config', {
          namespace: this.namespace,
          wafPolicy,
          proxySetHeaders: {
            ...fingerprintHeader(props.clientCertificateFingerprintHeader),
            ...(props.proxySetHeaders ?? {}),
          },
          headersNamespace: watchNamespace,
        }),
    );
    this.config = configMaps.data;
    this.configMap = configMaps.controller;
    this.ingressClass = new KubeIngressClass(this, 'ingress-class', {
      metadata: {
        name: this.ingressClassName,
        labels: controllerLabels(),
        ...(props.defaultIngressClass
          ? { annotations: { 'ingressclass.kubernetes.io/is-default-class': 'true' } }
          : {}),
      },
      spec: { controller: clusterNames.controllerClass },
    });
    this.service = v.check(
      () =>
        new ControllerServices(this, 'services', {
          namespace: this.namespace,
          ...(props.service ?? {}),
          metadata: props.metadata,
        }),
    ).loadBalancer;
    const webhook = this.admissionWebhook
      ? new AdmissionWebhook(this, 'admission-webhook', {
          namespace: this.namespace,
          timeoutSeconds: webhookTimeoutSeconds,
          watchNamespace,
          webhookName: clusterNames.webhook,
        })
      : undefined;
    this.deployment = v.check(
      () =>
        new ControllerDeployment(this, 'deployment', {
          namespace: this.namespace,
          ingressClassName: this.ingressClassName,
          replicas,
          image,
          resources: props.resources ?? controllerResourcesFor(expectedHosts),
          webhookSecretName: webhook?.secretName,
          wafPolicy,
          watchNamespace,
          config: this.config,
          controllerClass: clusterNames.controllerClass,
          metadata: props.metadata,
        }),
    ).resource;
    new ControllerPolicies(this, 'policies', {
      namespace: this.namespace,
      admissionWebhook: this.admissionWebhook,
      metricsScrapers,
      apiServerCidrs,
      watchNamespace,
    });
  }

  /** `namespace/name` of the controller's LoadBalancer Service. */
  public get serviceRef(): string {
    return `${this.namespace}/${NAMES.service}`;
  }
}

/** The fingerprint entry of `proxy-set-headers`: the default map, or the same value under another header name. */
function fingerprintHeader(name: string | undefined): Readonly<Record<string, string>> {
  return name === undefined
    ? DEFAULT_PROXY_SET_HEADERS
    : { [name]: DEFAULT_PROXY_SET_HEADERS['ssl-client-fingerprint'] };
}

/** Default metrics scrapers: the Prometheus pods of the kube-prometheus-stack prerequisite (namespace `monitoring`). */
export const DEFAULT_METRICS_SCRAPERS: readonly MetricsScraper[] = [
  { namespace: 'monitoring', podLabels: { 'app.kubernetes.io/name': 'prometheus' } },
];

const LABEL_KEY =
  /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const LABEL_VALUE = /^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/;

function checkMetricsScraper(field: string, scraper: MetricsScraper): MetricsScraper {
  checkDnsLabel(`${field}.namespace`, scraper.namespace);
  if (scraper.podLabels !== undefined) {
    const entries = Object.entries(scraper.podLabels);
    if (entries.length === 0)
      invalid(
        `${field}.podLabels`,
        scraper.podLabels,
        'is empty',
        'leave podLabels out to admit every pod of the namespace, or give the labels of the Prometheus pods',
      );
    for (const [k, v] of entries) {
      if (!LABEL_KEY.test(k))
        invalid(`${field}.podLabels`, k, 'is not a Kubernetes label key', 'use a key such as "app.kubernetes.io/name"');
      if (typeof v !== 'string' || !LABEL_VALUE.test(v))
        invalid(
          `${field}.podLabels.${k}`,
          v,
          'is not a Kubernetes label value',
          'use at most 63 letters, digits, "-", "_" and ".", such as "prometheus"',
        );
    }
  }
  return scraper;
}

function checkApiServerCidrs(field: string, cidrs: readonly string[]): readonly string[] {
  if (!Array.isArray(cidrs) || cidrs.length === 0) {
    invalid(
      field,
      cidrs,
      'is empty, and a NetworkPolicy egress rule without destinations allows every destination',
      'give the CIDR(s) of the API server, e.g. ["20.50.0.10/32"], or leave it out',
    );
  }
  cidrs.forEach((c, i) => checkIpv4Cidr(`${field}[${i}]`, c));
  return cidrs;
}
