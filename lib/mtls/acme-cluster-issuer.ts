import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { ClusterIssuer } from '../../imports/cert-manager.io';
import { standardLabels } from '../core/labels';
import { mergeMetadata, ObjectMetadataOptions } from '../core/metadata';
import { checkDnsLabel, checkDnsSubdomain, invalid, PropsValidator, propsValidator } from '../core/validation';

/** Let's Encrypt environments. Staging issues untrusted certificates with generous rate limits: use it first. */
export type AcmeEnvironment = 'staging' | 'production';

/** ACME directory URLs of Let's Encrypt. */
export const LETS_ENCRYPT_SERVERS: Readonly<Record<AcmeEnvironment, string>> = {
  staging: 'https://acme-staging-v02.api.letsencrypt.org/directory',
  production: 'https://acme-v02.api.letsencrypt.org/directory',
};

/** Props of an {@link AcmeClusterIssuer}. */
export interface AcmeClusterIssuerProps {
  /** Let's Encrypt environment. */
  readonly environment: AcmeEnvironment;
  /** IngressClass the HTTP-01 solver Ingress uses (the edge's class, so the challenge is served by our controller). */
  readonly ingressClassName: string;
  /**
   * Contact e-mail of the ACME account (expiry notices). Let's Encrypt needs none and refuses example.com addresses.
   * @default no contact address
   */
  readonly email?: string;
  /**
   * Name of the ClusterIssuer.
   * @default `letsencrypt-<environment>`
   */
  readonly name?: string;
  /**
   * Labels and annotations added to the ClusterIssuer. The construct's own `app.kubernetes.io/*` labels cannot be
   * overridden here.
   * @default none
   */
  readonly metadata?: ObjectMetadataOptions;
}

/**
 * A cert-manager ClusterIssuer for Let's Encrypt with the HTTP-01 solver on the edge's IngressClass. The ACME
 * account key lives in Secret `<name>-account-key` in cert-manager's cluster resource namespace (created by
 * cert-manager, never in dist/).
 */
export class AcmeClusterIssuer extends Construct {
  /** Name of the ClusterIssuer (what an Ingress or Certificate references). */
  public readonly issuerName: string;
  /** The environment it issues from. */
  public readonly environment: AcmeEnvironment;
  /** The ClusterIssuer (escape hatch: `apiObject.addJsonPatch(...)`). */
  public readonly apiObject: ApiObject;

  constructor(scope: Construct, id: string, props: AcmeClusterIssuerProps) {
    super(scope, id);
    const v: PropsValidator = propsValidator(this, 'AcmeClusterIssuer');
    if (!(props.environment in LETS_ENCRYPT_SERVERS)) {
      v.invalid(
        'environment',
        props.environment,
        "is not a Let's Encrypt environment",
        'use "staging" (default for trials) or "production"',
      );
    }
    this.environment = props.environment;
    this.issuerName = v.check(() => checkDnsSubdomain('name', props.name ?? `letsencrypt-${props.environment}`));
    v.check(() => checkDnsLabel('ingressClassName', props.ingressClassName));
    const email = props.email;
    if (email !== undefined) v.check(() => checkAcmeEmail('email', email));
    this.apiObject = new ClusterIssuer(this, 'issuer', {
      metadata: {
        name: this.issuerName,
        ...v.check(() =>
          mergeMetadata('metadata', props.metadata, { labels: standardLabels(this.issuerName, 'acme-issuer') }),
        ),
      },
      spec: {
        acme: {
          server: LETS_ENCRYPT_SERVERS[props.environment],
          ...(props.email ? { email: props.email } : {}),
          privateKeySecretRef: { name: `${this.issuerName}-account-key` },
          solvers: [{ http01: { ingress: { ingressClassName: props.ingressClassName } } }],
        },
      },
    });
  }
}

/** Let's Encrypt rejects contact addresses on reserved domains; catch the common mistakes at synth time. */
function checkAcmeEmail(field: string, email: string): void {
  const m = /^[^\s@]+@([a-z0-9-]+(\.[a-z0-9-]+)+)$/i.exec(email);
  if (!m)
    invalid(
      field,
      email,
      'is not an e-mail address',
      'use an address such as "pki-team@your-domain.org", or leave it out',
    );
  const domain = m[1].toLowerCase();
  if (/(^|\.)example\.(com|org|net)$/.test(domain) || /\.(example|invalid|test|localhost)$/.test(domain)) {
    invalid(
      field,
      email,
      "is on a reserved domain that Let's Encrypt refuses",
      "use a real mailbox, or leave the e-mail out (Let's Encrypt needs none)",
    );
  }
}
