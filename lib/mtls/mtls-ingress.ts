import { ApiObject } from 'cdk8s';
import { KubeIngress } from '../core/kube';
import { Construct, IConstruct } from 'constructs';
import {
  Certificate,
  CertificateSpecPrivateKeyAlgorithm,
  CertificateSpecPrivateKeyRotationPolicy,
} from '../../imports/cert-manager.io';
import { standardLabels } from '../core/labels';
import { mergeMetadata, ObjectMetadataOptions } from '../core/metadata';
import {
  checkDnsLabel,
  checkDnsSubdomain,
  checkHostname,
  checkIntegerInRange,
  checkUnique,
  invalid,
  PropsValidator,
  propsValidator,
} from '../core/validation';
import {
  AUTH_TLS_MATCH_CN,
  AUTH_TLS_PASS_CERTIFICATE_TO_UPSTREAM,
  AUTH_TLS_SECRET,
  AUTH_TLS_VERIFY_CLIENT,
  AUTH_TLS_VERIFY_DEPTH,
  renderAnnotation,
  SSL_REDIRECT,
  MODSECURITY_TRANSACTION_ID,
  VERIFY_DEPTH_MAX,
  VERIFY_DEPTH_MIN,
} from '../ingress-nginx/annotations';
import { transactionIdTemplate } from '../waf/transaction-facts';
import { IClientCa } from './client-ca';
import { subjectAllowListPattern } from './subject-allow-list';

/** Backend Service of an Ingress path. */
export interface MtlsIngressBackend {
  /** Service name (same namespace as the Ingress). */
  readonly serviceName: string;
  /** Service port: number or port name. */
  readonly servicePort: number | string;
}

/** One path of a host. */
export interface MtlsIngressPath {
  /** URL path; with the controller's strict path validation only `/`, letters, digits and `._-` are allowed. */
  readonly path: string;
  /**
   * Path matching.
   * @default 'Prefix'
   */
  readonly pathType?: 'Prefix' | 'Exact';
  /**
   * Backend of this path.
   * @default the Ingress's `backend`
   */
  readonly backend?: MtlsIngressBackend;
}

/** One host of an {@link MtlsIngress}. */
export interface MtlsIngressHost {
  /**
   * Fully qualified host name. A wildcard (`*.example.com`) only with a given TLS secret (HTTP-01 cannot issue one).
   */
  readonly host: string;
  /**
   * Paths served on this host.
   * @default [{ path: '/', pathType: 'Prefix' }]
   */
  readonly paths?: readonly MtlsIngressPath[];
}

/**
 * Where the server certificate comes from. With `clusterIssuer`, an explicit cert-manager Certificate for all hosts is
 * emitted next to the Ingress (stored in `secretName`); with only `secretName`, that TLS secret must already exist.
 */
export interface ServerTls {
  /**
   * Name of the cert-manager ClusterIssuer (e.g. an {@link AcmeClusterIssuer}'s `issuerName`) that issues the server
   * certificate.
   * @default none: `secretName` must name an existing TLS secret
   */
  readonly clusterIssuer?: string;
  /**
   * TLS secret of the server certificate (in the Ingress namespace).
   * @default `<ingress name>-tls` (only with `clusterIssuer`)
   */
  readonly secretName?: string;
}

/** Client-certificate authentication of an {@link MtlsIngress} (the `auth-tls-*` annotations). */
export interface ClientAuthOptions {
  /** The CA client certificates must chain to; its CA-only Secret is published into the Ingress namespace. */
  readonly ca: IClientCa;
  /**
   * Client verification mode. `on`: a valid client certificate is required (no certificate / invalid → 400).
   * `optional`: verified if presented; the backend must check `ssl-client-verify`. `optional_no_ca`: requested but not
   * verified against the CA (then an allow-list proves nothing and is rejected).
   * @default 'on'
   */
  readonly verifyClient?: 'on' | 'optional' | 'optional_no_ca';
  /**
   * Maximum chain depth between client certificate and CA (1–10).
   * @default 1 (clients issued directly by the CA)
   */
  readonly verifyDepth?: number;
  /**
   * Pass the client certificate to the backend (header `ssl-client-cert`, URL-escaped PEM).
   * @default false
   */
  readonly passCertificateToUpstream?: boolean;
  /**
   * Names of the CA's clients allowed through (rendered into `auth-tls-match-cn`; anyone else gets 403). Every name
   * must be a known client of `ca`.
   * @default no allow-list: every certificate the CA issued is admitted
   */
  readonly allowedClients?: readonly string[];
  /**
   * With an allow-list, let requests with an empty subject DN pass the controller's server-level CN check, so that
   * plain HTTP on the host still reaches the HTTPS redirect and ACME HTTP-01 challenges (in v1.15.1 the check also
   * runs on port 80 and would answer 403). Only allowed with `verifyClient: 'on'`, where every HTTPS request carries a
   * CA-verified certificate, and the WAF policy's client-certificate gate (waf/transaction-facts.ts) keeps such plain
   * HTTP requests away from the backend (redirect or 403) — so an empty subject passes this check only. See
   * docs/mtls.md for the residual risk (a subject-less certificate from the trusted CA).
   * @default true when verifyClient is 'on', else false
   */
  readonly allowPlainHttpPastSubjectCheck?: boolean;
}

/** Props of an {@link MtlsIngress}. */
export interface MtlsIngressProps {
  /** Namespace of the Ingress, its backends and its CA secret. */
  readonly namespace: string;
  /**
   * Name of the Ingress.
   * @default the construct id
   */
  readonly name?: string;
  /** IngressClass of the edge controller. */
  readonly ingressClassName: string;
  /** Hosts served (unique across all MtlsIngresses of the app). */
  readonly hosts: readonly MtlsIngressHost[];
  /** Default backend of every path. */
  readonly backend: MtlsIngressBackend;
  /** Server certificate source. */
  readonly serverTls: ServerTls;
  /** Client-certificate authentication. */
  readonly clientAuth: ClientAuthOptions;
  /**
   * Redirect plain HTTP to HTTPS. The controller redirects (308, annotation `ssl-redirect`) only while it has the
   * host's certificate in its Lua cache; with `verifyClient: 'on'` the WAF policy redirects (307) before it, in every
   * controller state, and with `false` answers plain HTTP with 403 (waf/transaction-facts.ts). HSTS is a
   * controller-wide ConfigMap setting (`hsts`, on by default in ingress-nginx), not an Ingress annotation.
   * @default true
   */
  readonly httpsRedirect?: boolean;
  /**
   * Labels and annotations added to the Ingress (not to the server Certificate). The construct's own labels and
   * `nginx.ingress.kubernetes.io/*` annotations cannot be overridden here.
   * @default none
   */
  readonly metadata?: ObjectMetadataOptions;
}

/** Hosts served by the MtlsIngresses of each app (construct tree root), see `checkHostsUniqueInApp`. */
const HOSTS_BY_APP = new WeakMap<IConstruct, Set<string>>();

/** The controller's strict path validation (`inspector/rules.go` validPathType in v1.15.1). */
const VALID_PATH = /^\/[A-Za-z0-9._\-/]*$/;

/**
 * A `networking.k8s.io/v1` Ingress with mutual TLS in front of a Service, for ingress-nginx v1.15.1: server TLS from
 * cert-manager or a given secret, HTTPS redirect, client-certificate authentication against an {@link IClientCa} and
 * an optional allow-list of client subjects (403 for anyone else).
 */
export class MtlsIngress extends Construct {
  /** Name of the Ingress object. */
  public readonly ingressName: string;
  /** Namespace of the Ingress. */
  public readonly namespace: string;
  /** Hosts served. */
  public readonly hosts: readonly string[];
  /** Name of the server TLS secret. */
  public readonly tlsSecretName: string;
  /** The `auth-tls-match-cn` value, when an allow-list is set. */
  public readonly subjectPattern?: string;
  /**
   * The `modsecurity-transaction-id` of the Ingress's locations:
   * `edge_<flags>_${request_id}_${scheme}_${ssl_client_verify}_${host}`
   * (see waf/transaction-facts.ts). The audit log's `unique_id` is this value, so it carries nginx's `$request_id`.
   */
  public readonly transactionId: string;
  /** The annotations rendered onto the Ingress. */
  public readonly annotations: Readonly<Record<string, string>>;
  /** The Ingress object (escape hatch: `apiObject.addJsonPatch(...)`, `apiObject.metadata.addAnnotation(...)`). */
  public readonly apiObject: ApiObject;

  constructor(scope: Construct, id: string, props: MtlsIngressProps) {
    super(scope, id);
    const name = props.name ?? id;
    const v: PropsValidator = propsValidator(this, 'MtlsIngress');
    this.ingressName = v.check(() => checkDnsSubdomain('name', name));
    this.namespace = v.check(() => checkDnsLabel('namespace', props.namespace));
    v.check(() => checkDnsSubdomain('ingressClassName', props.ingressClassName));
    v.check(() => checkBackend('backend', props.backend));

    // Server TLS
    const { clusterIssuer, secretName } = props.serverTls;
    if (clusterIssuer === undefined && secretName === undefined) {
      v.invalid(
        'serverTls',
        props.serverTls,
        'names neither a ClusterIssuer nor a TLS secret',
        'set serverTls.clusterIssuer (e.g. "letsencrypt-staging") or serverTls.secretName',
      );
    }
    if (clusterIssuer !== undefined) v.check(() => checkDnsSubdomain('serverTls.clusterIssuer', clusterIssuer));
    this.tlsSecretName = v.check(() =>
      checkDnsSubdomain('serverTls.secretName', secretName ?? `${this.ingressName}-tls`),
    );

    // Hosts and paths
    if (!Array.isArray(props.hosts) || props.hosts.length === 0)
      v.invalid('hosts', props.hosts, 'is empty', 'list at least one host');
    props.hosts.forEach((h, i) => {
      v.check(() => checkHostname(`hosts[${i}].host`, h.host, true));
      if (h.host.startsWith('*.') && clusterIssuer !== undefined) {
        v.invalid(
          `hosts[${i}].host`,
          h.host,
          'is a wildcard, which an ACME HTTP-01 challenge cannot validate',
          'name each host explicitly, or give a wildcard certificate in serverTls.secretName without clusterIssuer',
        );
      }
      const paths: readonly MtlsIngressPath[] = h.paths ?? [];
      paths.forEach((p, j) => {
        if (typeof p.path !== 'string' || !VALID_PATH.test(p.path)) {
          v.invalid(
            `hosts[${i}].paths[${j}].path`,
            p.path,
            'is not a path the controller accepts (strict path validation)',
            'start with "/" and use only letters, digits, "/", ".", "_" and "-"',
          );
        }
        if (p.pathType !== undefined && p.pathType !== 'Prefix' && p.pathType !== 'Exact') {
          v.invalid(
            `hosts[${i}].paths[${j}].pathType`,
            p.pathType,
            'is not a supported path type',
            'use "Prefix" or "Exact"',
          );
        }
        const backend = p.backend;
        if (backend) v.check(() => checkBackend(`hosts[${i}].paths[${j}].backend`, backend));
      });
      v.check(() => checkUnique(`hosts[${i}].paths`, paths, (p) => `${p.pathType ?? 'Prefix'} ${p.path}`));
    });
    this.hosts = props.hosts.map((h) => h.host);
    v.check(() => checkUnique('hosts', this.hosts));
    this.checkHostsUniqueInApp(v);

    // Client authentication
    const auth = props.clientAuth;
    const verifyClient = auth.verifyClient ?? 'on';
    const verifyDepth = v.check(() =>
      checkIntegerInRange(
        'clientAuth.verifyDepth',
        auth.verifyDepth ?? 1,
        VERIFY_DEPTH_MIN,
        VERIFY_DEPTH_MAX,
        'use 1 when clients are issued directly by the CA, 2–10 only with intermediate CAs',
      ),
    );
    const caSecret = auth.ca.trustIn(this.namespace);
    const annotations: Record<string, string> = {};
    const put = (entry: [string, string]): void => {
      annotations[entry[0]] = entry[1];
    };
    put(v.check(() => renderAnnotation(SSL_REDIRECT, 'httpsRedirect', props.httpsRedirect ?? true)));
    // The WAF reads nginx's routed host and client-certificate state from the transaction id
    // (waf/transaction-facts.ts):
    // its client-certificate gate keeps plain HTTP away from this backend in every controller state.
    this.transactionId = transactionIdTemplate({
      requireClientCertificate: verifyClient === 'on',
      redirectPlainHttp: props.httpsRedirect ?? true,
    });
    put(v.check(() => renderAnnotation(MODSECURITY_TRANSACTION_ID, 'transactionId', this.transactionId)));
    put(
      v.check(() => renderAnnotation(AUTH_TLS_SECRET, 'clientAuth.ca', { namespace: this.namespace, name: caSecret })),
    );
    put(v.check(() => renderAnnotation(AUTH_TLS_VERIFY_CLIENT, 'clientAuth.verifyClient', verifyClient)));
    put(v.check(() => renderAnnotation(AUTH_TLS_VERIFY_DEPTH, 'clientAuth.verifyDepth', verifyDepth)));
    put(
      renderAnnotation(
        AUTH_TLS_PASS_CERTIFICATE_TO_UPSTREAM,
        'clientAuth.passCertificateToUpstream',
        auth.passCertificateToUpstream ?? false,
      ),
    );

    if (auth.allowedClients !== undefined) {
      const allowField = 'clientAuth.allowedClients';
      if (verifyClient === 'optional_no_ca') {
        v.invalid(
          allowField,
          auth.allowedClients,
          'is set while verifyClient is "optional_no_ca", where certificates are not checked against the CA',
          'use verifyClient "on" (or "optional"), or drop the allow-list',
        );
      }
      const known = auth.ca.knownClients();
      const allowedClients = auth.allowedClients;
      v.check(() => checkUnique(allowField, allowedClients));
      const commonNames = auth.allowedClients.map((client, i) => {
        const identity = known.get(client);
        if (!identity) {
          v.invalid(
            `${allowField}[${i}]`,
            client,
            `is not a client of CA "${auth.ca.caName}"`,
            known.size > 0
              ? `use one of ${[...known.keys()].join(', ')}, or add the client to the CA first`
              : 'declare the client on the CA first',
          );
        }
        return identity.commonName;
      });
      const allowEmpty = auth.allowPlainHttpPastSubjectCheck ?? verifyClient === 'on';
      if (allowEmpty && verifyClient !== 'on') {
        v.invalid(
          'clientAuth.allowPlainHttpPastSubjectCheck',
          true,
          `is unsafe with verifyClient "${verifyClient}" (an HTTPS request without a certificate would pass the allow-list)`,
          'set it to false, or use verifyClient "on"',
        );
      }
      const subjectPattern = subjectAllowListPattern(commonNames, { allowEmptySubject: allowEmpty });
      this.subjectPattern = subjectPattern;
      put(v.check(() => renderAnnotation(AUTH_TLS_MATCH_CN, allowField, subjectPattern)));
    } else if (auth.allowPlainHttpPastSubjectCheck !== undefined) {
      v.invalid(
        'clientAuth.allowPlainHttpPastSubjectCheck',
        auth.allowPlainHttpPastSubjectCheck,
        'has no effect without allowedClients',
        'remove it, or set allowedClients',
      );
    }
    this.annotations = annotations;

    const labels = standardLabels(this.ingressName, 'ingress');
    if (clusterIssuer !== undefined) {
      new Certificate(this, 'server-certificate', {
        metadata: { name: this.tlsSecretName, namespace: this.namespace, labels },
        spec: {
          secretName: this.tlsSecretName,
          dnsNames: [...this.hosts],
          issuerRef: { name: clusterIssuer, kind: 'ClusterIssuer', group: 'cert-manager.io' },
          privateKey: {
            algorithm: CertificateSpecPrivateKeyAlgorithm.ECDSA,
            size: 256,
            rotationPolicy: CertificateSpecPrivateKeyRotationPolicy.ALWAYS,
          },
        },
      });
    }

    const metadata = v.check(() => mergeMetadata('metadata', props.metadata, { labels, annotations }));
    this.apiObject = new KubeIngress(this, 'ingress', {
      metadata: { name: this.ingressName, namespace: this.namespace, ...metadata },
      spec: {
        ingressClassName: props.ingressClassName,
        tls: [{ hosts: [...this.hosts], secretName: this.tlsSecretName }],
        rules: props.hosts.map((h) => ({
          host: h.host,
          http: {
            paths: (h.paths ?? [{ path: '/' }]).map((p: MtlsIngressPath) => {
              const backend = p.backend ?? props.backend;
              return {
                path: p.path,
                pathType: p.pathType ?? 'Prefix',
                backend: {
                  service: {
                    name: backend.serviceName,
                    port:
                      typeof backend.servicePort === 'number'
                        ? { number: backend.servicePort }
                        : { name: backend.servicePort },
                  },
                },
              };
            }),
          },
        })),
      },
    });
  }

  /** Rejects a host another MtlsIngress of the same app already serves (ingress-nginx would merge them silently). */
  private checkHostsUniqueInApp(v: PropsValidator): void {
    // Hosts served per app, indexed so that the check is O(hosts) instead of a walk over the whole construct tree per
    // Ingress (which made building N tenants quadratic). Only when the index reports a clash is the tree walked, so
    // the error names the same Ingress as before (the first one in tree order).
    let served = HOSTS_BY_APP.get(this.node.root);
    if (!served) {
      served = new Set<string>();
      HOSTS_BY_APP.set(this.node.root, served);
    }
    const index = served;
    if (this.hosts.some((h) => index.has(h))) this.findHostClash(v);
    for (const h of this.hosts) index.add(h);
  }

  private findHostClash(v: PropsValidator): void {
    for (const other of this.node.root.node.findAll()) {
      if (other === this || !(other instanceof MtlsIngress)) continue;
      const clash = this.hosts.find((h) => other.hosts.includes(h));
      if (clash) {
        v.invalid(
          'hosts',
          clash,
          `is already served by MtlsIngress "${other.namespace}/${other.ingressName}"`,
          'serve each host from one MtlsIngress (add paths to it instead)',
        );
      }
    }
  }
}

function checkBackend(field: string, backend: MtlsIngressBackend): void {
  if (!backend) invalid(field, backend, 'is missing', 'name a Service and port');
  checkDnsLabel(`${field}.serviceName`, backend.serviceName);
  if (typeof backend.servicePort === 'number')
    checkIntegerInRange(`${field}.servicePort`, backend.servicePort, 1, 65535);
  else if (
    !/^[a-z0-9]([-a-z0-9]{0,13}[a-z0-9])?$/.test(backend.servicePort ?? '') ||
    !/[a-z]/.test(backend.servicePort)
  ) {
    invalid(
      `${field}.servicePort`,
      backend.servicePort,
      'is not a port number or IANA port name',
      'use a number 1-65535 or the Service port name (at most 15 lower-case letters, digits, "-")',
    );
  }
}
