import type { AksStackProps } from '../azure/props';
import type { WafPolicyOptions } from '../waf/policy';
import { REFERENCE_ENVOY_GATEWAY } from './envoy-gateway/config';
import type { EnvoyGatewaySection } from './envoy-gateway/config';

/**
 * One configuration of the reference deployment. It feeds both the cdk8s app (dist/) and the CDKTF app
 * (cdktf.out/): the ingress IP name and resource group reach the controller Service annotations, the hosts reach
 * the Ingresses and the DNS records. The defaults work with no changes (example hosts, Let's Encrypt staging).
 *
 * Each section is owned by the module that renders it; see lib/reference/<layer>.ts.
 */
export interface EdgeDeploymentConfig {
  /** Short name of the deployment; prefixes Azure resource names and labels. */
  readonly name: string;
  /**
   * The data plane that serves this deployment's edge: it picks the renderer of the one edge intent
   * (`edgeIntentOf`). `ingress-nginx`: ingress-nginx v1.15.1 + ModSecurity (`buildEdgeApp`, dist/);
   * `envoy-gateway`: Envoy Gateway + Coraza (lib/envoy-gateway). The `controller` section configures ingress-nginx
   * only.
   * @default 'ingress-nginx'
   */
  readonly dataPlane?: DataPlane;
  /**
   * Name of this edge among the edges of one cluster (e.g. `internal` beside a `public` one): prefixes the names of
   * its cluster-scoped objects, which two edges would otherwise share — the Let's Encrypt ClusterIssuers
   * (`<instance>-letsencrypt-<environment>`), the controller's ClusterRole/ClusterRoleBinding and admission webhook,
   * and its controller class (see `ModSecurityControllerProps.instanceName`). Give that edge its own namespaces,
   * IngressClass, CA name and `name` too; synth refuses any two objects with the same kind, namespace and name.
   * @default none: unprefixed names (one edge per cluster, as the reference deployment)
   */
  readonly instance?: string;
  /** The ingress-nginx controller (controller layer, dist/10-controller). */
  readonly controller: ControllerSection;
  /** The WAF policy the controller loads (ModSecurity + OWASP CRS, in the controller ConfigMap). */
  readonly waf: WafSection;
  /** The echo app behind the edge and its mTLS-protected Ingress (apps layer, dist/30-apps). */
  readonly app: AppSection;
  /** Server certificates from Let's Encrypt (certificates layer, dist/20-certificates). */
  readonly tls: TlsSection;
  /** The client CA and who may connect (certificates layer; the Ingress's `auth-tls-*` annotations). */
  readonly mtls: MtlsSection;
  /** Prometheus, alerting, dashboard and Slack routing (monitoring layer, dist/40-monitoring). */
  readonly monitoring: MonitoringSection;
  /** GitOps delivery of dist/ with Argo CD and/or Flux, and the pinned prerequisites (dist/delivery). */
  readonly gitops: GitOpsSection;
  /** The AKS cluster and its Azure resources (the CDKTF app, cdktf.out/). */
  readonly azure: AzureSection;
  /**
   * The Envoy Gateway data plane: used when the edge is rendered for Envoy Gateway (`buildEnvoyGatewayApp`,
   * examples/envoy-gateway/dist), and by the Azure side, which creates its own static IP (`publicIpName`) when it
   * differs from `azure.ingressPublicIpName`, so both data planes can run side by side (docs/migration.md).
   * @default no Envoy Gateway data plane
   */
  readonly envoyGateway?: EnvoyGatewaySection;
}

/** A data plane the edge intent can be rendered for (see `EdgeDeploymentConfig.dataPlane`). */
export type DataPlane = 'ingress-nginx' | 'envoy-gateway';

/** The ingress-nginx v1.15.1 controller of the reference deployment (see `ModSecurityController`). */
export interface ControllerSection {
  /** Namespace of the ingress-nginx controller. */
  readonly namespace: string;
  /** IngressClass name the controller serves. */
  readonly ingressClassName: string;
  /** Controller replicas (at least 2 for availability). */
  readonly replicas: number;
  /** Run the validating admission webhook (certificate from cert-manager); false on clusters without cert-manager. */
  readonly admissionWebhook: boolean;
}

/**
 * WAF policy of the edge (on ingress-nginx: the ConfigMap `ingress-nginx-waf-policy`, included from
 * `modsecurity-snippet`): the props of `WafPolicy` except the served hosts, which are the host names of `app.hosts`.
 */
export type WafSection = WafPolicyOptions;

/**
 * The echo app behind the edge (see `EchoApp`) and the public hosts in front of it. Every host is declared here
 * once: the WAF's served hosts, the routes of the data plane (Ingresses or HTTPRoutes), monitoring and the Azure DNS
 * records all read it through `edgeIntentOf` (lib/reference/intent.ts).
 */
export interface AppSection {
  /** Namespace of the echo app (emitted, labelled for Pod Security "restricted"). */
  readonly namespace: string;
  /** Name of the echo app's Deployment and Service. */
  readonly name: string;
  /**
   * The public hosts behind mutual TLS, each with its own route object (an Ingress on ingress-nginx) and server
   * certificate. Names and hosts are unique; at least one host.
   */
  readonly hosts: readonly AppHost[];
  /** Echo replicas (at least 2). @default 2 */
  readonly replicas?: number;
  /**
   * Redirect plain HTTP to HTTPS on the app's hosts (see `MtlsIngressProps.httpsRedirect`).
   * @default true
   */
  readonly httpsRedirect?: boolean;
}

/** One public host of the edge (an entry of `app.hosts`). */
export interface AppHost {
  /**
   * Name of the host's route object (Ingress) and prefix of its server certificate Secret (`<name>-tls`); a DNS label.
   */
  readonly name: string;
  /** Public DNS name, lower case, no trailing dot, e.g. `echo.example.com`. */
  readonly host: string;
  /**
   * The Service in `app.namespace` this host's requests go to.
   * @default the echo app's Service (`app.name`, port `http` = 80)
   */
  readonly backend?: AppHostBackend;
}

/** A Service port in the app namespace that a host forwards to. */
export interface AppHostBackend {
  /** Service name. */
  readonly serviceName: string;
  /** Service port: its name and its number (Gateway API routes by number, ingress-nginx by name). */
  readonly servicePort: {
    /** The Service port's name, e.g. `http`. */
    readonly name: string;
    /** The Service port's number, e.g. 80. */
    readonly number: number;
  };
}

/**
 * Server certificates: the Let's Encrypt ClusterIssuers (see `AcmeClusterIssuer`) that issue the hosts' certificates.
 */
export interface TlsSection {
  /** Which Let's Encrypt environment issues the server certificates (both ClusterIssuers are always emitted). */
  readonly acmeEnvironment: 'staging' | 'production';
  /**
   * Contact e-mail for the ACME account (Let's Encrypt needs none and refuses reserved domains such as example.com).
   * @default none (the ACME account has no contact address)
   */
  readonly acmeEmail?: string;
}

/**
 * Mutual TLS: the client CA (managed by cert-manager, see `ManagedClientCa`, or brought as PEM, see
 * `ProvidedClientCa`) and the client allow-list of the app's Ingress.
 */
export interface MtlsSection {
  /** Name of the client CA; also the CA-only Secret the Ingress reads (`auth-tls-secret: <app ns>/<caName>`). */
  readonly caName: string;
  /** Clients of the CA: managed mode issues one Certificate each; in both modes they are the allow-list vocabulary. */
  readonly clients: readonly string[];
  /**
   * Namespace of the client PKI (CA key, client certificates and keys). Must be trust-manager's trust namespace
   * (managed mode only).
   */
  readonly clientNamespace: string;
  /**
   * Emit the Namespace object of `clientNamespace` (managed mode). trust-manager has one trust namespace per cluster,
   * so the client PKI of every edge in a cluster lives there: set false on all but one of them.
   * @default true
   */
  readonly createClientNamespace?: boolean;
  /** Clients admitted by the Ingress (`auth-tls-match-cn`); others get 403. @default every client */
  readonly allowedClients?: readonly string[];
  /** Client chain depth (1-10). @default 1 */
  readonly verifyDepth?: number;
  /**
   * Pass the client certificate PEM to the backend (`ssl-client-cert`); the older name of
   * `clientCertificateHeaders.passCertificate`, which wins when both are set.
   * @default false
   */
  readonly passCertificateToUpstream?: boolean;
  /**
   * What the backend is told about the verified client certificate. Copies of these headers a client sends are
   * replaced, never passed on.
   * @default fingerprint in `ssl-client-fingerprint` (SHA-1, lower-case hex), PEM as `passCertificateToUpstream` says
   */
  readonly clientCertificateHeaders?: ClientCertificateHeadersSection;
  /**
   * Bring your own CA instead of the managed one: CA certificate PEM (no key) and optional CRL PEM. @default managed CA
   */
  readonly providedCa?: {
    /**
     * PEM of the CA certificate(s) that issue client certificates: CA certificates only, valid now, never a private
     * key.
     */
    readonly caPem: string;
    /**
     * PEM of the CA's certificate revocation list (`X509 CRL` blocks); nginx then rejects revoked client certificates.
     * Keep it fresh: an expired CRL makes nginx reject every client.
     * @default no CRL
     */
    readonly crlPem?: string;
  };
}

/** The headers the edge sets from the verified client certificate (`mtls.clientCertificateHeaders`). */
export interface ClientCertificateHeadersSection {
  /**
   * Header carrying the certificate fingerprint (letters, digits and single dashes).
   * @default 'ssl-client-fingerprint'
   */
  readonly fingerprintHeader?: string;
  /**
   * Fingerprint algorithm: lower-case hex without colons of the SHA-1 (`sha1`) or SHA-256 (`sha256`) of the DER
   * certificate. ingress-nginx v1.15.1 offers only SHA-1 (`$ssl_client_fingerprint`); `sha256` needs Envoy Gateway.
   * @default 'sha1'
   */
  readonly fingerprintAlgorithm?: 'sha1' | 'sha256';
  /**
   * Pass the client certificate PEM (URL-encoded) to the backend (`ssl-client-cert` on ingress-nginx).
   * @default `mtls.passCertificateToUpstream` (false)
   */
  readonly passCertificate?: boolean;
}

/**
 * Observability of the edge: Prometheus scraping, alert rules, Grafana dashboard and Slack routing (see
 * `monitoring.EdgeMonitoring`).
 */
export interface MonitoringSection {
  /** Emit ServiceMonitor, PrometheusRule, dashboard and alert routing (needs prometheus-operator). */
  readonly enabled: boolean;
  /**
   * Labels Prometheus selects ServiceMonitors and PrometheusRules by (kube-prometheus-stack: `release: <helm
   * release>`).
   */
  readonly prometheusSelectorLabels: Readonly<Record<string, string>>;
  /**
   * Route alerts to Slack; the webhook URL lives in a Secret the operator creates (docs/monitoring.md), never in dist/.
   * @default no Slack routing (alerts go only where your Alertmanager's own configuration routes them)
   */
  readonly slack?: {
    /** Secret in the controller namespace holding the webhook URL. */
    readonly webhookSecretName: string;
    /**
     * Key of the URL in the Secret.
     * @default 'url'
     */
    readonly webhookSecretKey?: string;
    /** Channel, e.g. `#waf-alerts`. */
    readonly channel: string;
  };
  /**
   * Add dashboard panels over the ModSecurity audit log in Loki (controller logs labelled `namespace`, `container`).
   */
  readonly lokiLogs: boolean;
  /**
   * http(s) URL of docs/monitoring.md in the repository; each alert links to its runbook section (`runbook_url`).
   * @default no runbook links on the alerts
   */
  readonly runbookUrl?: string;
}

/** GitOps delivery of dist/: Argo CD Applications and/or Flux objects, and the pinned Helm prerequisites. */
export interface GitOpsSection {
  /** Git repository Argo CD / Flux read `dist/` from. */
  readonly repoUrl: string;
  /** Branch or tag to follow. */
  readonly revision: string;
  /** Path of `dist/` inside the repository. */
  readonly path: string;
  /** Emit Argo CD Applications (dist/delivery/argocd). */
  readonly argoCd: {
    /** Emit the Argo CD Applications (a root Application, one per layer and one per prerequisite). */
    readonly enabled: boolean;
    /** Namespace Argo CD runs in (its Applications live there). */
    readonly namespace: string;
    /** Argo CD project of the Applications. */
    readonly project: string;
  };
  /** Emit Flux GitRepository, Kustomizations and HelmReleases (dist/delivery/flux). */
  readonly flux: {
    /**
     * Emit the Flux GitRepository, the `<name>-delivery` Kustomization, one Kustomization per layer and the
     * prerequisites' HelmRepositories and HelmReleases.
     */
    readonly enabled: boolean;
    /** Namespace of the Flux controllers (`flux-system`). */
    readonly namespace: string;
  };
  /** Install what the stack depends on, pinned (kube-prometheus-stack only when monitoring is enabled). */
  readonly prerequisites: {
    /** Install cert-manager with its CRDs (issues the server certificates and the client CA chain). */
    readonly certManager: boolean;
    /**
     * Install trust-manager with Secret targets, its trust namespace set to `mtls.clientNamespace` and write access
     * to the Secrets the Bundles of dist/ target (publishes the client CA certificate to the app namespace).
     */
    readonly trustManager: boolean;
    /**
     * Install kube-prometheus-stack (prometheus-operator CRDs, Prometheus, Alertmanager, Grafana) when monitoring is
     * enabled; `monitoring.prometheusSelectorLabels.release` must then be `kube-prometheus-stack`.
     */
    readonly kubePrometheusStack: boolean;
  };
}

/**
 * The Azure side (CDKTF stack in cdktf.out/, see lib/azure). Settings not listed here take the secure defaults of
 * `AksStackProps`; `stack` overrides any of them.
 */
export interface AzureSection {
  /** Azure region. */
  readonly location: string;
  /** Resource group of the cluster and its Azure side. */
  readonly resourceGroupName: string;
  /** AKS cluster name. */
  readonly clusterName: string;
  /** Name of the static public IP of the ingress (also the Service's `azure-pip-name`). */
  readonly ingressPublicIpName: string;
  /**
   * Public Azure DNS zone the stack creates in the resource group, with one A record per ingress host pointing at the
   * static ingress IP (delegate the domain to the zone's name servers).
   * @default no DNS zone and no DNS records
   */
  readonly dnsZoneName?: string;
  /** Public IPv4 ranges allowed to reach the Kubernetes API server (admins, CI runners). */
  readonly apiServerAuthorizedIpRanges: readonly string[];
  /**
   * E-mail addresses that receive the attack alert (besides the webhook from the sensitive `alert_webhook_url`).
   * @default []
   */
  readonly alertEmails?: readonly string[];
  /**
   * Which data plane's IP the DNS records point at while both run side by side: switching it to `envoy-gateway` is
   * the DNS cut-over of docs/migration.md, switching back the rollback. `envoy-gateway` needs
   * `envoyGateway.publicIpName` to name an IP of its own.
   * @default 'ingress-nginx'
   */
  readonly dnsTarget?: DataPlane;
  /**
   * Any other AksStackProps (node pools, network, upgrades, Entra admin groups...). `alerting` and `tags` are merged
   * with the values derived from this config (controller namespace, `alertEmails`, the `deployment: <name>` tag);
   * where both set a value, `stack` wins.
   * @default {} (the secure defaults of `AksStackProps`)
   */
  readonly stack?: Partial<
    Omit<AksStackProps, 'location' | 'resourceGroupName' | 'clusterName' | 'apiServerAuthorizedIpRanges' | 'ingress'>
  >;
}

/** The reference deployment's second host; the WAF section's host-scoped rules name it. */
const PORTAL_HOST = 'portal.example.com';

/** The reference deployment: the scenario of the original write-up with example hosts. */
export const REFERENCE_DEPLOYMENT: EdgeDeploymentConfig = {
  name: 'hospital-edge',
  dataPlane: 'ingress-nginx',
  controller: {
    namespace: 'ingress-nginx',
    ingressClassName: 'nginx',
    replicas: 2,
    admissionWebhook: true,
  },
  waf: {
    mode: 'On',
    blockingParanoiaLevel: 1,
    // The echo app is a REST API: allow its verbs (CRS 4 allows only GET HEAD POST OPTIONS by default).
    allowedMethods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
    denySourceIps: [{ sources: ['34.242.209.15'], description: 'scenario: known bad source' }],
    denyRequestHeaders: [
      { header: 'user', match: { exact: 'admin' }, description: 'scenario: user admin is not allowed' },
    ],
    // The second host: only its API and upload paths exist; incident notes on uploads quote Unix file paths.
    allowPaths: [{ host: PORTAL_HOST, paths: ['/api', '/upload'], description: 'portal: only the API and uploads' }],
    exclusions: [
      {
        host: PORTAL_HOST,
        path: '/upload',
        target: 'ARGS:note',
        ruleIds: [930120, 932160],
        description: 'portal uploads: incident notes quote Unix file paths such as /etc/passwd',
      },
    ],
  },
  app: {
    namespace: 'echo',
    name: 'echo',
    // Every host of the edge, declared once. The second host is the one the WAF section's host- and path-scoped
    // rules (path allow-list, CRS exclusion) are written for.
    hosts: [
      { name: 'echo', host: 'echo.example.com' },
      { name: 'portal', host: PORTAL_HOST },
    ],
  },
  tls: {
    acmeEnvironment: 'staging',
  },
  mtls: {
    caName: 'hospital-client-ca',
    clients: ['hospital-a', 'hospital-b'],
    clientNamespace: 'client-certificates',
    allowedClients: ['hospital-a', 'hospital-b'],
    verifyDepth: 1,
    passCertificateToUpstream: true,
  },
  monitoring: {
    enabled: true,
    prometheusSelectorLabels: { release: 'kube-prometheus-stack' },
    slack: { webhookSecretName: 'edge-alerts-slack', channel: '#waf-alerts' },
    lokiLogs: true,
    runbookUrl: 'https://github.com/example/hospital-edge/blob/main/docs/monitoring.md',
  },
  gitops: {
    repoUrl: 'https://github.com/example/hospital-edge.git',
    revision: 'main',
    path: 'dist',
    argoCd: { enabled: true, namespace: 'argocd', project: 'default' },
    flux: { enabled: true, namespace: 'flux-system' },
    prerequisites: { certManager: true, trustManager: true, kubePrometheusStack: true },
  },
  azure: {
    location: 'westeurope',
    resourceGroupName: 'rg-hospital-edge',
    clusterName: 'aks-hospital-edge',
    ingressPublicIpName: 'pip-hospital-edge-ingress',
    dnsZoneName: 'example.com',
    // Documentation range (RFC 5737): replace with the public ranges of your admins and CI runners.
    apiServerAuthorizedIpRanges: ['203.0.113.0/24'],
    alertEmails: [],
  },
  // Rendered into examples/envoy-gateway/dist; its own static IP lets it run beside ingress-nginx (docs/migration.md).
  envoyGateway: REFERENCE_ENVOY_GATEWAY,
};
