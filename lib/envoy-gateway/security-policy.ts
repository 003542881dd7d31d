import type { DeniedSource } from './names';
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { checkIpOrCidr } from '../core/ip';
import { standardLabels } from '../core/labels';
import { PropsValidator, propsValidator } from '../core/validation';
import { mergeMetadata, ObjectMetadataOptions } from '../core/metadata';
import { ENVOY_GATEWAY_GROUP_VERSION, GATEWAY_API_GROUP } from './versions';

/** Props of an {@link EdgeSecurityPolicy}. */
export interface EdgeSecurityPolicyProps {
  /** Name of the policy. */
  readonly name: string;
  /** Namespace of the policy and of the routes it targets. */
  readonly namespace: string;
  /** HTTPRoutes (HTTPS, to the backends) the policy applies to. */
  readonly routeNames: readonly string[];
  /** CEL expression admitting the allowed client certificates (see cel.ts). */
  readonly allowCel: string;
  /** Source addresses/CIDRs denied with 403 (the WAF policy's `denySourceIps`), each with its field path. */
  readonly deniedSources: readonly DeniedSource[];
  /**
   * Labels and annotations added to the SecurityPolicy. The construct's own `app.kubernetes.io/*` labels cannot be
   * overridden here.
   * @default none
   */
  readonly metadata?: ObjectMetadataOptions;
}

/**
 * SecurityPolicy `authorization` on the HTTPS routes. Rules are evaluated in order and the first match wins
 * (api/v1alpha1/authorization_types.go), so the source-IP deny comes first, then the CEL allow-list; anything else
 * gets the default action Deny (403). `clientCIDRs` wants CIDR notation: a bare address becomes /32 or /128.
 */
export class EdgeSecurityPolicy extends Construct {
  /** The SecurityPolicy object. */
  public readonly apiObject: ApiObject;

  constructor(scope: Construct, id: string, props: EdgeSecurityPolicyProps) {
    super(scope, id);
    const v: PropsValidator = propsValidator(this, 'EdgeSecurityPolicy');
    const cidrs = props.deniedSources.map(({ field, source }) => {
      const checked = v.check(() => checkIpOrCidr(field, source));
      return checked.includes('/') ? checked : `${checked}/${checked.includes(':') ? 128 : 32}`;
    });
    const rules = [
      ...(cidrs.length
        ? [{ name: 'deny-source-ips', action: 'Deny', principal: { clientCIDRs: [...new Set(cidrs)] } }]
        : []),
      { name: 'allowed-client-certificates', action: 'Allow', cel: props.allowCel },
    ];
    this.apiObject = new ApiObject(this, 'Resource', {
      apiVersion: ENVOY_GATEWAY_GROUP_VERSION,
      kind: 'SecurityPolicy',
      metadata: {
        name: props.name,
        namespace: props.namespace,
        ...v.check(() =>
          mergeMetadata('metadata', props.metadata, {
            labels: standardLabels(props.name, 'security-policy'),
          }),
        ),
      },
      spec: {
        targetRefs: props.routeNames.map((name) => ({ group: GATEWAY_API_GROUP, kind: 'HTTPRoute', name })),
        authorization: { defaultAction: 'Deny', rules },
      },
    });
  }
}
