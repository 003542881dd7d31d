import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { standardLabels } from '../core/labels';
import { PropsValidator, propsValidator } from '../core/validation';
import { mergeMetadata, ObjectMetadataOptions } from '../core/metadata';
import type { EdgeHostIntent } from '../intent/edge-intent';
import { clientValidation, forwardClientCert } from './mtls';
import { HTTP_LISTENER, httpsListenerName, NamespacedObjectRef } from './names';
import { ENVOY_GATEWAY_GROUP_VERSION, GATEWAY_API_GROUP } from './versions';

/**
 * Route on the host without a trailing dot, as nginx does (`ngx_http_validate_host` drops it): Envoy otherwise finds
 * no virtual host for `echo.example.com.` (api/v1alpha1/hostsettings_types.go `StripTrailingHostDot`).
 */
const HOST_SETTINGS = { host: { stripTrailingHostDot: true } } as const;

/** Props of an {@link EdgeClientTrafficPolicy}. */
export interface EdgeClientTrafficPolicyProps {
  /** Name of the policy. */
  readonly name: string;
  /** The Gateway (the policy lives in its namespace). */
  readonly gateway: NamespacedObjectRef;
  /** The hosts whose HTTPS listeners require client certificates. */
  readonly hosts: readonly EdgeHostIntent[];
  /** CA-only Secret (key `ca.crt`) in the Gateway namespace. */
  readonly caSecretName: string;
  /**
   * The CA Secret also holds a revocation list (key `ca.crl`); Envoy then rejects revoked client certificates.
   * @default false
   */
  readonly crl?: boolean;
  /**
   * Labels and annotations added to the two ClientTrafficPolicies (HTTPS listeners and plain HTTP). The construct's own
   * `app.kubernetes.io/*` labels cannot be
   * overridden here.
   * @default none
   */
  readonly metadata?: ObjectMetadataOptions;
}

/**
 * ClientTrafficPolicy on the HTTPS listeners: client certificates required and verified against the client CA,
 * `x-forwarded-client-cert` sanitized and set by Envoy (see mtls.ts). A second policy `<name>-plain-http` on the
 * plain-HTTP listener (which only redirects and serves the ACME HTTP-01 challenge) sets only the host
 * normalization. Both strip a trailing dot from the Host before routing.
 */
export class EdgeClientTrafficPolicy extends Construct {
  /** The ClientTrafficPolicy of the HTTPS listeners. */
  public readonly apiObject: ApiObject;
  /** The ClientTrafficPolicy of the plain-HTTP listener. */
  public readonly plainHttpPolicy: ApiObject;

  constructor(scope: Construct, id: string, props: EdgeClientTrafficPolicyProps) {
    super(scope, id);
    const v: PropsValidator = propsValidator(this, 'EdgeClientTrafficPolicy');
    this.apiObject = new ApiObject(this, 'Resource', {
      apiVersion: ENVOY_GATEWAY_GROUP_VERSION,
      kind: 'ClientTrafficPolicy',
      metadata: {
        name: props.name,
        namespace: props.gateway.namespace,
        ...v.check(() =>
          mergeMetadata('metadata', props.metadata, {
            labels: standardLabels(props.name, 'client-traffic-policy'),
          }),
        ),
      },
      spec: {
        targetRefs: props.hosts.map((host) => ({
          group: GATEWAY_API_GROUP,
          kind: 'Gateway',
          name: props.gateway.name,
          sectionName: httpsListenerName(host),
        })),
        tls: clientValidation(props.caSecretName, props.crl ?? false),
        headers: { ...forwardClientCert(), ...HOST_SETTINGS },
      },
    });
    const plain = `${props.name}-plain-http`;
    this.plainHttpPolicy = new ApiObject(this, 'plain-http', {
      apiVersion: ENVOY_GATEWAY_GROUP_VERSION,
      kind: 'ClientTrafficPolicy',
      metadata: {
        name: plain,
        namespace: props.gateway.namespace,
        ...v.check(() =>
          mergeMetadata('metadata', props.metadata, {
            labels: standardLabels(plain, 'client-traffic-policy'),
          }),
        ),
      },
      spec: {
        targetRefs: [
          { group: GATEWAY_API_GROUP, kind: 'Gateway', name: props.gateway.name, sectionName: HTTP_LISTENER },
        ],
        headers: HOST_SETTINGS,
      },
    });
  }
}
