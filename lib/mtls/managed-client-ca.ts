import { ApiObject, Lazy } from 'cdk8s';
import { KubeNamespace } from '../core/kube';
import { Construct } from 'constructs';
import {
  Certificate,
  CertificateSpecIssuerRef,
  CertificateSpecPrivateKeyAlgorithm,
  CertificateSpecPrivateKeyRotationPolicy,
  CertificateSpecUsages,
  Issuer,
} from '../../imports/cert-manager.io';
import { standardLabels } from '../core/labels';
import { mergeMetadata, ObjectMetadataOptions } from '../core/metadata';
import { checkDnsLabel, PropsValidator, propsValidator } from '../core/validation';
import { ClientIdentity, IClientCa, normalizeClient } from './client-ca';
import { checkGoDuration } from './duration';
import { TrustBundle } from './trust-bundle';

/** Props of a {@link ManagedClientCa}. */
export interface ManagedClientCaProps {
  /** Name of the CA: names its Issuer, CA Certificate, trust Bundle and the CA-only Secret in trusting namespaces. */
  readonly name: string;
  /**
   * Namespace of the whole client PKI: the self-signed Issuer, the CA Certificate and its key, the CA Issuer and every
   * client Certificate with its key. It must also be trust-manager's trust namespace (Helm value
   * `app.trust.namespace`), because trust-manager reads Bundle sources only there. Keeping the CA Issuer namespaced
   * (not a ClusterIssuer) means only who may create Certificates here can mint client certificates.
   */
  readonly namespace: string;
  /**
   * Emit the Namespace object (labelled for the Pod Security "restricted" profile).
   * @default true
   */
  readonly createNamespace?: boolean;
  /**
   * Validity of the CA certificate (Go duration).
   * @default '87600h' (10 years)
   */
  readonly caDuration?: string;
  /**
   * Validity of each client certificate (Go duration). Every renewal must be handed to the client again.
   * @default '8760h' (1 year)
   */
  readonly clientDuration?: string;
  /**
   * How long before expiry cert-manager renews a client certificate (Go duration).
   * @default '720h' (30 days)
   */
  readonly clientRenewBefore?: string;
  /**
   * Labels and annotations added to the CA objects: the self-signed Issuer, the CA Certificate, the CA Issuer and
   * the trust-manager Bundle (not the Namespace, nor the client Certificates, which {@link ManagedClientCa.addClient}
   * returns). The construct's own `app.kubernetes.io/*` labels cannot be overridden here.
   * @default none
   */
  readonly metadata?: ObjectMetadataOptions;
}

/** Options of {@link ManagedClientCa.addClient}. */
export interface ClientCertificateOptions {
  /**
   * Common name of the client certificate's subject (the subject is exactly `CN=<commonName>`).
   * @default the client name
   */
  readonly commonName?: string;
}

/**
 * A client CA managed by cert-manager: self-signed Issuer → CA Certificate (isCA) → CA Issuer → one Certificate per
 * client (usage `client auth`), all in one namespace of their own. The CA certificate (without its key) reaches each
 * trusting namespace through a trust-manager Bundle whose target is Secret `<name>` with key `ca.crt`.
 *
 * Prerequisites (documented in docs/mtls.md): cert-manager; trust-manager with `app.trust.namespace=<namespace>`,
 * `secretTargets.enabled=true` and `secretTargets.authorizedSecrets=[<name>]`.
 */
export class ManagedClientCa extends Construct implements IClientCa {
  /** Name of the CA (and of the CA-only Secret in trusting namespaces). */
  public readonly caName: string;
  /** Namespace of the client PKI (CA key and client keys). */
  public readonly namespace: string;
  /** Name of the Secret holding the CA certificate and key (in {@link namespace}; never referenced by an Ingress). */
  public readonly caKeyPairSecretName: string;
  /** Reference to the namespaced CA Issuer that signs client certificates. */
  public readonly issuerRef: CertificateSpecIssuerRef;
  /** The CA Certificate `<name>` (escape hatch: `caCertificate.addJsonPatch(...)`). */
  public readonly caCertificate: ApiObject;
  /** The CA Issuer `<name>` that signs client certificates (escape hatch). */
  public readonly issuer: ApiObject;
  /** The trust-manager Bundle `<name>` that publishes the CA certificate into trusting namespaces (escape hatch). */
  public readonly bundle: ApiObject;

  private readonly clients = new Map<string, ClientIdentity & { readonly commonName: string }>();
  /** Common names of {@link clients}, so that adding a client stays O(1) with thousands of clients. */
  private readonly commonNames = new Set<string>();
  private readonly trustingNamespaces = new Set<string>();
  private readonly clientDuration: string;
  private readonly clientRenewBefore: string;
  private readonly validator: PropsValidator;

  constructor(scope: Construct, id: string, props: ManagedClientCaProps) {
    super(scope, id);
    const v: PropsValidator = propsValidator(this, 'ManagedClientCa');
    this.validator = v;
    this.caName = v.check(() => checkDnsLabel('name', props.name));
    this.namespace = v.check(() => checkDnsLabel('namespace', props.namespace));
    const caDuration = v.check(() => checkGoDuration('caDuration', props.caDuration ?? '87600h'));
    this.clientDuration = v.check(() => checkGoDuration('clientDuration', props.clientDuration ?? '8760h'));
    this.clientRenewBefore = v.check(() => checkGoDuration('clientRenewBefore', props.clientRenewBefore ?? '720h'));
    // Known only after the constructor: MtlsIngress (or the user) calls trustIn later.
    v.late(() => {
      if (this.trustingNamespaces.size === 0) {
        v.invalid(
          'trustIn',
          this.caName,
          'was never called: the CA is trusted by no namespace, so its trust Bundle has no target',
          'use the CA in an MtlsIngress (or call trustIn) so its Bundle has a target',
        );
      }
    });
    this.caKeyPairSecretName = `${this.caName}-keypair`;
    const labels = standardLabels(this.caName, 'client-ca');
    const metadata = v.check(() => mergeMetadata('metadata', props.metadata, { labels }));

    if (props.createNamespace ?? true) {
      new KubeNamespace(this, 'namespace', {
        metadata: {
          name: this.namespace,
          labels: {
            ...standardLabels(this.namespace, 'client-ca'),
            'pod-security.kubernetes.io/enforce': 'restricted',
          },
        },
      });
    }

    const selfSigned = new Issuer(this, 'selfsigned', {
      metadata: { name: `${this.caName}-selfsigned`, namespace: this.namespace, ...metadata },
      spec: { selfSigned: {} },
    });

    this.caCertificate = new Certificate(this, 'ca', {
      metadata: { name: this.caName, namespace: this.namespace, ...metadata },
      spec: {
        isCa: true,
        commonName: this.caName,
        secretName: this.caKeyPairSecretName,
        duration: caDuration,
        privateKey: {
          algorithm: CertificateSpecPrivateKeyAlgorithm.ECDSA,
          size: 384,
          rotationPolicy: CertificateSpecPrivateKeyRotationPolicy.NEVER,
        },
        usages: [
          CertificateSpecUsages.CERT_SIGN,
          CertificateSpecUsages.CRL_SIGN,
          CertificateSpecUsages.DIGITAL_SIGNATURE,
        ],
        issuerRef: { name: selfSigned.name, kind: 'Issuer', group: 'cert-manager.io' },
      },
    });

    const caIssuer = new Issuer(this, 'issuer', {
      metadata: { name: this.caName, namespace: this.namespace, ...metadata },
      spec: { ca: { secretName: this.caKeyPairSecretName } },
    });
    this.issuerRef = { name: caIssuer.name, kind: 'Issuer', group: 'cert-manager.io' };
    this.issuer = caIssuer;

    this.bundle = new TrustBundle(this, 'bundle', {
      metadata: { name: this.caName, ...metadata },
      sources: [{ secret: { name: this.caKeyPairSecretName, key: 'ca.crt' } }],
      target: {
        secret: { key: 'ca.crt' },
        namespaceSelector: {
          matchExpressions: [
            {
              key: 'kubernetes.io/metadata.name',
              operator: 'In',
              values: Lazy.any({ produce: () => this.bundleNamespaces() }),
            },
          ],
        },
      },
    });
  }

  /**
   * Issues a client certificate: Certificate `<name>` in the PKI namespace, Secret `<name>-client-tls` (tls.crt,
   * tls.key, ca.crt) for the operator to hand to the client out of band. Returns the Certificate (escape hatch; its
   * labels and annotations are the client's own, not {@link ManagedClientCaProps.metadata}).
   */
  public addClient(name: string, options: ClientCertificateOptions = {}): ApiObject {
    const v = this.validator;
    // The prop path is the call the user wrote: addClient("bob", { commonName }).
    const field = `addClient(${JSON.stringify(name)})`;
    const client = v.check(() => normalizeClient(field, { name, commonName: options.commonName }));
    if (this.clients.has(client.name))
      v.invalid(`${field}.name`, client.name, 'is already a client of this CA', 'list each client once');
    if (this.commonNames.has(client.commonName)) {
      v.invalid(
        `${field}.commonName`,
        client.commonName,
        'is already the common name of another client',
        'give every client its own common name, or the allow-list cannot tell them apart',
      );
    }
    if (client.name === this.caName)
      v.invalid(`${field}.name`, client.name, 'equals the CA name', 'give the client a name of its own');
    this.clients.set(client.name, client);
    this.commonNames.add(client.commonName);
    return new Certificate(this, `client-${client.name}`, {
      metadata: {
        name: client.name,
        namespace: this.namespace,
        labels: standardLabels(client.name, 'client-certificate'),
      },
      spec: {
        commonName: client.commonName,
        secretName: `${client.name}-client-tls`,
        duration: this.clientDuration,
        renewBefore: this.clientRenewBefore,
        privateKey: {
          algorithm: CertificateSpecPrivateKeyAlgorithm.ECDSA,
          size: 256,
          rotationPolicy: CertificateSpecPrivateKeyRotationPolicy.ALWAYS,
        },
        usages: [CertificateSpecUsages.CLIENT_AUTH, CertificateSpecUsages.DIGITAL_SIGNATURE],
        issuerRef: this.issuerRef,
      },
    });
  }

  public trustIn(namespace: string): string {
    const v = this.validator;
    v.check(() => checkDnsLabel('trustIn', namespace));
    if (namespace === this.namespace) {
      v.invalid(
        'trustIn',
        namespace,
        'is the PKI namespace itself, where the CA key lives',
        'serve the Ingress from an application namespace',
      );
    }
    this.trustingNamespaces.add(namespace);
    return this.caName;
  }

  public knownClients(): ReadonlyMap<string, ClientIdentity & { readonly commonName: string }> {
    return this.clients;
  }

  /** The trusting namespaces; none fails synth earlier, in the late check of the constructor. */
  private bundleNamespaces(): string[] {
    return [...this.trustingNamespaces].sort();
  }
}
