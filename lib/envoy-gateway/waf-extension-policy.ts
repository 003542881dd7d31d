import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { standardLabels } from '../core/labels';
import { mergeMetadata, ObjectMetadataOptions } from '../core/metadata';
import { PropsValidator, propsValidator } from '../core/validation';
import type { CorazaFilterConfig } from '../waf/coraza';
import { CORAZA_MODULE_NAME } from './names';
import { CORAZA_COMPOSER, ENVOY_GATEWAY_GROUP_VERSION, GATEWAY_API_GROUP } from './versions';

/** Props of a {@link CorazaExtensionPolicy}. */
export interface CorazaExtensionPolicyProps {
  /** Name of the policy. */
  readonly name: string;
  /** Namespace of the policy and of the route. */
  readonly namespace: string;
  /** The HTTPRoute (one host) the WAF runs on. */
  readonly routeName: string;
  /**
   * The filter configuration for this host (lib/waf/coraza.ts `corazaFilterConfig`; the composer reads JSON
   * `{"mode", "directives"}`, built-on-envoy extensions/composer/waf/coraza/config.go `NewWAFConfigFromBytes`).
   */
  readonly config: CorazaFilterConfig;
  /**
   * Labels and annotations added to the EnvoyExtensionPolicy. The construct's own `app.kubernetes.io/*` labels cannot
   * be
   * overridden here.
   * @default none
   */
  readonly metadata?: ObjectMetadataOptions;
}

/**
 * The one place where the WAF becomes Envoy Gateway configuration: an EnvoyExtensionPolicy on one host's HTTPRoute
 * that inserts the dynamic-module HTTP filter `coraza-waf` of the composer module registered in the EnvoyProxy.
 * One policy per host route, because host-scoped rules (path allow-lists, exclusions) render differently per host.
 */
export class CorazaExtensionPolicy extends Construct {
  /** The EnvoyExtensionPolicy object. */
  public readonly apiObject: ApiObject;

  constructor(scope: Construct, id: string, props: CorazaExtensionPolicyProps) {
    super(scope, id);
    const v: PropsValidator = propsValidator(this, 'CorazaExtensionPolicy');
    const { config } = props;
    if (!['REQUEST_ONLY', 'FULL'].includes(config.mode))
      v.invalid(
        'config.mode',
        config.mode,
        'is not a coraza-waf mode',
        'use "FULL" (requests and responses) or "REQUEST_ONLY"',
      );
    if (!Array.isArray(config.directives) || config.directives.length === 0)
      v.invalid(
        'config.directives',
        config.directives,
        'is empty',
        'render the WAF policy into at least one directive',
      );
    this.apiObject = new ApiObject(this, 'Resource', {
      apiVersion: ENVOY_GATEWAY_GROUP_VERSION,
      kind: 'EnvoyExtensionPolicy',
      metadata: {
        name: props.name,
        namespace: props.namespace,
        ...v.check(() =>
          mergeMetadata('metadata', props.metadata, {
            labels: standardLabels(props.name, 'waf-extension-policy'),
          }),
        ),
      },
      spec: {
        targetRefs: [{ group: GATEWAY_API_GROUP, kind: 'HTTPRoute', name: props.routeName }],
        dynamicModule: [
          {
            name: CORAZA_MODULE_NAME,
            filterName: CORAZA_COMPOSER.filterName,
            config: { mode: config.mode, directives: [...config.directives] },
          },
        ],
      },
    });
  }
}
