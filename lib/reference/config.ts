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
  readonly controller: ControllerSection;
  readonly waf: WafSection;
  readonly app: AppSection;
  readonly tls: TlsSection;
  readonly mtls: MtlsSection;
  readonly monitoring: MonitoringSection;
  readonly gitops: GitOpsSection;
  readonly azure: AzureSection;
}

export interface ControllerSection {
  /** Namespace of the ingress-nginx controller. */
  readonly namespace: string;
  /** IngressClass name the controller serves. */
  readonly ingressClassName: string;
  /** Controller replicas (at least 2 for availability). */
  readonly replicas: number;
}

/** WAF policy of the edge (rendered into the controller ConfigMap `modsecurity-snippet`). */
export interface WafSection {
  readonly mode: 'On' | 'DetectionOnly' | 'Off';
  readonly paranoiaLevel: number;
  readonly denySourceIps: readonly string[];
  readonly denyHeaders: readonly { readonly name: string; readonly values: readonly string[] }[];
}

export interface AppSection {
  /** Namespace of the echo app. */
  readonly namespace: string;
  /** Name of the echo app's Deployment and Service. */
  readonly name: string;
  /** Public host of the echo app behind mutual TLS. */
  readonly host: string;
}

export interface TlsSection {
  /** Which Let's Encrypt environment issues the server certificates. */
  readonly acmeEnvironment: 'staging' | 'production';
  /** Contact e-mail for the ACME account; none by default (Let's Encrypt needs none). */
  readonly acmeEmail?: string;
}

export interface MtlsSection {
  /** Name of the client CA (a cert-manager CA chain). */
  readonly caName: string;
  /** Clients that get a certificate from the client CA and may call the app. */
  readonly clients: readonly string[];
}

export interface MonitoringSection {
  /** Emit ServiceMonitor, PrometheusRule, dashboard and alert routing (needs prometheus-operator). */
  readonly enabled: boolean;
}

export interface GitOpsSection {
  /** Git repository Argo CD / Flux read `dist/` from. */
  readonly repoUrl: string;
  /** Branch or tag to follow. */
  readonly revision: string;
  /** Path of `dist/` inside the repository. */
  readonly path: string;
}

export interface AzureSection {
  /** Azure region. */
  readonly location: string;
  /** Resource group of the cluster and its Azure side. */
  readonly resourceGroupName: string;
  /** AKS cluster name. */
  readonly clusterName: string;
  /** Name of the static public IP of the ingress (also the Service's `azure-pip-name`). */
  readonly ingressPublicIpName: string;
  /** DNS zone holding the ingress hosts; no DNS records when undefined. */
  readonly dnsZoneName?: string;
}

/** The reference deployment: the scenario of the original write-up with example hosts. */
export const REFERENCE_DEPLOYMENT: EdgeDeploymentConfig = {
  name: 'hospital-edge',
  controller: {
    namespace: 'ingress-nginx',
    ingressClassName: 'nginx',
    replicas: 2,
  },
  waf: {
    mode: 'On',
    paranoiaLevel: 1,
    denySourceIps: ['34.242.209.15'],
    denyHeaders: [{ name: 'user', values: ['admin'] }],
  },
  app: {
    namespace: 'echo',
    name: 'echo',
    host: 'echo.example.com',
  },
  tls: {
    acmeEnvironment: 'staging',
  },
  mtls: {
    caName: 'hospital-client-ca',
    clients: ['hospital-a', 'hospital-b'],
  },
  monitoring: {
    enabled: true,
  },
  gitops: {
    repoUrl: 'https://github.com/example/hospital-edge.git',
    revision: 'main',
    path: 'dist',
  },
  azure: {
    location: 'westeurope',
    resourceGroupName: 'rg-hospital-edge',
    clusterName: 'aks-hospital-edge',
    ingressPublicIpName: 'pip-hospital-edge-ingress',
    dnsZoneName: 'example.com',
  },
};
