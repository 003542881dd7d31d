import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import {
  AZURE_HEALTH_PROBE_PATH_ANNOTATION,
  AZURE_LB_RESOURCE_GROUP_ANNOTATION,
  AZURE_PIP_NAME_ANNOTATION,
} from '../controller/services';
import { standardLabels } from '../core/labels';
import { mergeMetadata, ObjectMetadataOptions } from '../core/metadata';
import { checkIntegerInRange, PropsValidator, propsValidator } from '../core/validation';
import { CorazaModuleSource, renderModuleSource } from './coraza-module';
import { CORAZA_MODULE_NAME } from './names';
import { ENVOY_GATEWAY_GROUP_VERSION } from './versions';

const PIP_NAME = /^[A-Za-z0-9]([A-Za-z0-9_.-]{0,78}[A-Za-z0-9_])?$/;
const RESOURCE_GROUP = /^[-\w.()]{0,89}[-\w()]$/;

/** Props of an {@link EdgeEnvoyProxy}. */
export interface EdgeEnvoyProxyProps {
  /** Name of the EnvoyProxy. */
  readonly name: string;
  /** Namespace of the EnvoyProxy (the Gateway's). */
  readonly namespace: string;
  /** Where Envoy loads the Coraza composer module from. */
  readonly corazaModule: CorazaModuleSource;
  /**
   * Envoy replicas.
   * @default 2
   */
  readonly replicas?: number;
  /**
   * Name of an existing Azure public IP for the Envoy LoadBalancer Service
   * (`service.beta.kubernetes.io/azure-pip-name`).
   * @default a dynamic public IP
   */
  readonly azurePublicIpName?: string;
  /**
   * Resource group of that public IP (`service.beta.kubernetes.io/azure-load-balancer-resource-group`).
   * @default the cluster's node resource group
   */
  readonly azureResourceGroupName?: string;
  /**
   * Labels and annotations added to the EnvoyProxy. The construct's own `app.kubernetes.io/*` labels cannot be
   * overridden here.
   * @default none
   */
  readonly metadata?: ObjectMetadataOptions;
}

/**
 * The EnvoyProxy every Gateway of the class runs with: the LoadBalancer Service keeps the client address
 * (`externalTrafficPolicy: Local`, as the ingress-nginx Service: the SecurityPolicy's `clientCIDRs` and the WAF see
 * the real client) with the AKS static-IP annotations, and the Coraza composer module is registered under
 * {@link CORAZA_MODULE_NAME} (EnvoyExtensionPolicies may use only registered modules).
 */
export class EdgeEnvoyProxy extends Construct {
  /** The EnvoyProxy object. */
  public readonly apiObject: ApiObject;
  /** Name of the EnvoyProxy. */
  public readonly name: string;
  /** Namespace of the EnvoyProxy. */
  public readonly namespace: string;

  constructor(scope: Construct, id: string, props: EdgeEnvoyProxyProps) {
    super(scope, id);
    const v: PropsValidator = propsValidator(this, 'EdgeEnvoyProxy');
    this.name = props.name;
    this.namespace = props.namespace;
    const replicas = v.check(() =>
      checkIntegerInRange(
        'replicas',
        props.replicas ?? 2,
        1,
        100,
        'use 1 to 100 replicas (2 or more keep the edge up while a node drains)',
      ),
    );
    const annotations: Record<string, string> = { [AZURE_HEALTH_PROBE_PATH_ANNOTATION]: '/healthz' };
    if (props.azurePublicIpName !== undefined) {
      if (!PIP_NAME.test(props.azurePublicIpName))
        v.invalid(
          'azurePublicIpName',
          props.azurePublicIpName,
          'is not an Azure public IP name',
          'use 1–80 letters, digits, "_", "." or "-", starting with a letter or digit',
        );
      annotations[AZURE_PIP_NAME_ANNOTATION] = props.azurePublicIpName;
    }
    if (props.azureResourceGroupName !== undefined) {
      if (props.azurePublicIpName === undefined)
        v.invalid(
          'azureResourceGroupName',
          props.azureResourceGroupName,
          'is set without a public IP name',
          'set the public IP name too, or leave the resource group out',
        );
      if (!RESOURCE_GROUP.test(props.azureResourceGroupName))
        v.invalid(
          'azureResourceGroupName',
          props.azureResourceGroupName,
          'is not an Azure resource group name',
          'use 1–90 letters, digits, "_", "-", ".", "(" or ")", not ending with "."',
        );
      annotations[AZURE_LB_RESOURCE_GROUP_ANNOTATION] = props.azureResourceGroupName;
    }
    const module = v.check(() => renderModuleSource('corazaModule', props.corazaModule));
    this.apiObject = new ApiObject(this, 'Resource', {
      apiVersion: ENVOY_GATEWAY_GROUP_VERSION,
      kind: 'EnvoyProxy',
      metadata: {
        name: props.name,
        namespace: props.namespace,
        ...v.check(() =>
          mergeMetadata('metadata', props.metadata, { labels: standardLabels(props.name, 'envoy-proxy') }),
        ),
      },
      spec: {
        provider: {
          type: 'Kubernetes',
          kubernetes: {
            envoyService: { type: 'LoadBalancer', externalTrafficPolicy: 'Local', annotations },
            envoyDeployment: {
              replicas,
              ...(module.volume
                ? { pod: { volumes: [module.volume] }, container: { volumeMounts: [module.volumeMount] } }
                : {}),
            },
          },
        },
        dynamicModules: [{ name: CORAZA_MODULE_NAME, source: module.source }],
      },
    });
  }
}
