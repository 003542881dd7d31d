import { Construct } from 'constructs';
import { ClusterIssuer } from '../../imports/cert-manager.io';
import { standardLabels } from '../core/labels';
import { checkDnsLabel, checkDnsSubdomain, PropsValidator, propsValidator } from '../core/validation';
import { AcmeEnvironment, LETS_ENCRYPT_SERVERS } from '../mtls/acme-cluster-issuer';
import { HTTP_LISTENER, NamespacedObjectRef } from './names';

/** Props of a {@link GatewayAcmeClusterIssuer}. */
export interface GatewayAcmeClusterIssuerProps {
  /** Let's Encrypt environment. */
  readonly environment: AcmeEnvironment;
  /** Name of the ClusterIssuer. */
  readonly name: string;
  /** The Gateway whose plain-HTTP listener serves the HTTP-01 challenge. */
  readonly gateway: NamespacedObjectRef;
  /**
   * Contact e-mail of the ACME account.
   * @default no contact address
   */
  readonly email?: string;
}

/**
 * A Let's Encrypt ClusterIssuer whose HTTP-01 solver is a Gateway API HTTPRoute on the Gateway's plain-HTTP
 * listener (cert-manager `http01.gatewayHTTPRoute.parentRefs`; needs cert-manager with Gateway API support enabled,
 * see lib/gitops/prerequisites.ts `certManagerPrerequisite({ gatewayApi: true })`).
 */
export class GatewayAcmeClusterIssuer extends Construct {
  /** Name of the ClusterIssuer (the Gateway's `cert-manager.io/cluster-issuer` annotation). */
  public readonly issuerName: string;
  /** The ClusterIssuer object. */
  public readonly apiObject: ClusterIssuer;

  constructor(scope: Construct, id: string, props: GatewayAcmeClusterIssuerProps) {
    super(scope, id);
    const v: PropsValidator = propsValidator(this, 'GatewayAcmeClusterIssuer');
    this.issuerName = v.check(() => checkDnsSubdomain('name', props.name));
    v.check(() => checkDnsLabel('gateway.namespace', props.gateway.namespace));
    this.apiObject = new ClusterIssuer(this, 'issuer', {
      metadata: { name: this.issuerName, labels: standardLabels(this.issuerName, 'acme-issuer') },
      spec: {
        acme: {
          server: LETS_ENCRYPT_SERVERS[props.environment],
          ...(props.email ? { email: props.email } : {}),
          privateKeySecretRef: { name: `${this.issuerName}-account-key` },
          solvers: [
            {
              http01: {
                gatewayHttpRoute: {
                  parentRefs: [
                    {
                      group: 'gateway.networking.k8s.io',
                      kind: 'Gateway',
                      name: props.gateway.name,
                      namespace: props.gateway.namespace,
                      sectionName: HTTP_LISTENER,
                    },
                  ],
                },
              },
            },
          ],
        },
      },
    });
  }
}
