import type { WafPolicy } from '../waf/policy';

/**
 * The edge as data, independent of the data plane that serves it: which hosts exist and where their requests go,
 * how the server side of TLS gets its certificates, which client certificates are admitted, what the backend is
 * told about the client, and the WAF policy. A renderer (lib/ingress-nginx, lib/envoy-gateway) turns one
 * `EdgeIntent` into the API objects of its data plane; nothing in this folder names a data-plane type.
 *
 * Each fact is declared once here: the host names feed the WAF's served hosts, the routes of every renderer,
 * monitoring and DNS.
 */
export interface EdgeIntent {
  /** Short name of the edge; prefixes object names that must be unique per edge in a cluster. */
  readonly name: string;
  /** Namespace of the backends and of the per-host route objects (Ingresses, HTTPRoutes). */
  readonly namespace: string;
  /** The public hosts, in declaration order; host names are unique. */
  readonly hosts: readonly EdgeHostIntent[];
  /** Server certificates of the hosts. */
  readonly serverTls: ServerTlsIntent;
  /** Client-certificate authentication (mutual TLS) on every host. */
  readonly clientAuth: ClientAuthIntent;
  /** What the backend receives about the verified client certificate. */
  readonly clientCertificateHeaders: ClientCertificateHeadersIntent;
  /** Redirect plain HTTP to HTTPS (the ACME HTTP-01 challenge path stays reachable on plain HTTP). */
  readonly httpsRedirect: boolean;
  /** The WAF policy; its served hosts are the host names of {@link EdgeIntent.hosts}. */
  readonly waf: WafPolicy;
}

/** One public host and the backend its requests go to. */
export interface EdgeHostIntent {
  /** Name of the host's route object (Ingress or HTTPRoute) and certificate Secret prefix; a DNS label. */
  readonly name: string;
  /** Public DNS name, lower case, no trailing dot. */
  readonly host: string;
  /** The backend Service in {@link EdgeIntent.namespace}. */
  readonly backend: EdgeBackendIntent;
}

/** A Kubernetes Service port requests are forwarded to. */
export interface EdgeBackendIntent {
  /** Service name. */
  readonly serviceName: string;
  /** Service port: its name (ingress-nginx) and number (Gateway API backendRefs need the number). */
  readonly servicePort: {
    /** The Service port's name, e.g. `http`. */
    readonly name: string;
    /** The Service port's number, e.g. 80. */
    readonly number: number;
  };
}

/** Where the hosts' server certificates come from. */
export interface ServerTlsIntent {
  /** cert-manager ClusterIssuer that issues every host's certificate (ACME HTTP-01). */
  readonly clusterIssuer: string;
}

/** Mutual TLS: the trusted client CA and the exact allow-list of client common names. */
export interface ClientAuthIntent {
  /** Name of the CA-only Secret (key `ca.crt`, optional `ca.crl`) in {@link EdgeIntent.namespace}. */
  readonly caSecretName: string;
  /** Common names admitted; any other certificate of the CA gets 403. Never empty. */
  readonly allowedCommonNames: readonly string[];
  /** Longest client chain accepted (1 = the client certificate is signed directly by the CA). */
  readonly verifyDepth: number;
}

/**
 * The contract with the backend: headers the edge sets from the verified client certificate. Copies a client sends
 * are always replaced or removed, never passed on.
 */
export interface ClientCertificateHeadersIntent {
  /** Header carrying the certificate fingerprint, e.g. `ssl-client-fingerprint`. */
  readonly fingerprintHeader: string;
  /**
   * Fingerprint algorithm and form: `sha1` is lower-case hex without colons (nginx `$ssl_client_fingerprint`, Envoy
   * `%DOWNSTREAM_PEER_FINGERPRINT_1%`); `sha256` is the same over SHA-256.
   */
  readonly fingerprintAlgorithm: 'sha1' | 'sha256';
  /** Pass the client certificate PEM (URL-encoded) to the backend. */
  readonly passCertificate: boolean;
}
