import { ApiObject } from 'cdk8s';
import { KubeSecret } from '../core/kube';
import { Construct } from 'constructs';
import { standardLabels } from '../core/labels';
import { mergeMetadata, ObjectMetadataOptions } from '../core/metadata';
import { checkDnsLabel, PropsValidator, propsValidator } from '../core/validation';
import { ClientIdentity, IClientCa, normalizeClient } from './client-ca';
import { checkCrl, CrlInfo } from './crl';
import { CaCertificateInfo, checkCaCertificates } from './pem';

/** Props of a {@link ProvidedClientCa}. */
export interface ProvidedClientCaProps {
  /** Name of the CA; also the name of the CA-only Secret in each trusting namespace. */
  readonly name: string;
  /**
   * PEM of the CA certificate(s) that issue client certificates (one or more `CERTIFICATE` blocks). Parsed at synth
   * time: each must be a CA and valid now. A private key anywhere in it is rejected.
   */
  readonly caPem: string;
  /**
   * PEM certificate revocation list(s) (`X509 CRL` blocks), written as `ca.crl`. nginx then rejects revoked client
   * certificates; an expired CRL makes nginx reject every client, so keep it fresh. Parsed at synth time: each block
   * must be a CRL signed by one of the CAs in `caPem` and current at `now`, and every CA needs one (nginx checks the
   * whole chain).
   * @default no CRL
   */
  readonly crlPem?: string;
  /**
   * Clients the operator's CA issues to, as they may appear in an allow-list (name and common name).
   * @default none (an Ingress trusting this CA then cannot use an allow-list)
   */
  readonly clients?: readonly ClientIdentity[];
  /**
   * The time certificates must be valid at.
   * @default the time of synthesis
   */
  readonly now?: Date;
  /**
   * Labels and annotations added to every CA Secret this construct writes (one per trusting namespace). The
   * construct's own `app.kubernetes.io/*` labels cannot be overridden here.
   * @default none
   */
  readonly metadata?: ObjectMetadataOptions;
}

/**
 * A client CA the operator brings: its certificate(s) are checked at synth time and rendered, without any key, as
 * Secret `<name>` (`ca.crt`, optional `ca.crl`) in every namespace that trusts it.
 */
export class ProvidedClientCa extends Construct implements IClientCa {
  /** Name of the CA (and of its Secret in trusting namespaces). */
  public readonly caName: string;
  /** The validated CA certificates. */
  public readonly certificates: readonly CaCertificateInfo[];
  /** The validated CRLs (empty without `crlPem`). */
  public readonly crls: readonly CrlInfo[];

  private readonly caCrt: string;
  private readonly caCrl?: string;
  private readonly clients = new Map<string, ClientIdentity & { readonly commonName: string }>();
  private readonly secrets = new Map<string, ApiObject>();
  private readonly metadata?: ObjectMetadataOptions;
  private readonly validator: PropsValidator;

  constructor(scope: Construct, id: string, props: ProvidedClientCaProps) {
    super(scope, id);
    const v: PropsValidator = propsValidator(this, 'ProvidedClientCa');
    this.validator = v;
    this.caName = v.check(() => checkDnsLabel('name', props.name));
    this.metadata = props.metadata;
    this.secretMetadata(); // refuses bad user metadata now, not at the first trustIn
    const checked = v.check(() => checkCaCertificates('caPem', props.caPem, props.now ?? new Date()));
    this.caCrt = checked.pem;
    this.certificates = checked.certificates;
    if (props.crlPem !== undefined) {
      const crlPem = props.crlPem;
      const crl = v.check(() => checkCrl('crlPem', crlPem, checked.pem, props.now ?? new Date()));
      this.caCrl = crl.pem;
      this.crls = crl.crls;
    } else {
      this.crls = [];
    }
    (props.clients ?? []).forEach((c, i) => {
      const client = v.check(() => normalizeClient(`clients[${i}]`, c));
      if (this.clients.has(client.name))
        v.invalid(`clients[${i}].name`, client.name, 'appears more than once', 'list each client once');
      this.clients.set(client.name, client);
    });
  }

  public trustIn(namespace: string): string {
    this.validator.check(() => checkDnsLabel('trustIn', namespace));
    if (!this.secrets.has(namespace)) {
      this.secrets.set(
        namespace,
        new KubeSecret(this, `secret-${namespace}`, {
          metadata: { name: this.caName, namespace, ...this.secretMetadata() },
          type: 'Opaque',
          stringData: { 'ca.crt': this.caCrt, ...(this.caCrl ? { 'ca.crl': this.caCrl } : {}) },
        }),
      );
    }
    return this.caName;
  }

  /**
   * The CA Secret per trusting namespace (namespace → Secret `<name>`), one for each {@link trustIn} so far (escape
   * hatch: `caSecrets.get('echo')?.addJsonPatch(...)`).
   */
  public get caSecrets(): ReadonlyMap<string, ApiObject> {
    return this.secrets;
  }

  public knownClients(): ReadonlyMap<string, ClientIdentity & { readonly commonName: string }> {
    return this.clients;
  }

  private secretMetadata(): { labels: Record<string, string>; annotations?: Record<string, string> } {
    return this.validator.check(() =>
      mergeMetadata('metadata', this.metadata, {
        labels: standardLabels(this.caName, 'client-ca'),
      }),
    );
  }
}
