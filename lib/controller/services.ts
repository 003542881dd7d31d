import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { IntOrString, KubeService } from '../core/kube';
import { invalid } from '../core/validation';
import { mergeMetadata, ObjectMetadataOptions } from '../core/metadata';
import { controllerLabels } from './labels';
import { CONTROLLER_SELECTOR_LABELS, NAMES, PORTS } from './upstream';

/** AKS options of the controller's LoadBalancer Service. */
export interface ControllerServiceOptions {
  /**
   * Name of an existing Azure public IP to use as the ingress address (`service.beta.kubernetes.io/azure-pip-name`).
   * @default a dynamic public IP allocated by AKS
   */
  readonly azurePublicIpName?: string;
  /**
   * Resource group of that public IP when it is not the cluster's node resource group
   * (`service.beta.kubernetes.io/azure-load-balancer-resource-group`). Only with `azurePublicIpName`.
   * @default the node resource group
   */
  readonly azureResourceGroupName?: string;
}

/** Props of {@link ControllerServices}. */
export interface ControllerServicesProps extends ControllerServiceOptions {
  /** Namespace of the controller. */
  readonly namespace: string;
  /**
   * The user's labels and annotations for the LoadBalancer Service (not the metrics Service).
   * @default none
   */
  readonly metadata?: ObjectMetadataOptions;
}

export const AZURE_PIP_NAME_ANNOTATION = 'service.beta.kubernetes.io/azure-pip-name';
export const AZURE_LB_RESOURCE_GROUP_ANNOTATION = 'service.beta.kubernetes.io/azure-load-balancer-resource-group';
export const AZURE_HEALTH_PROBE_PATH_ANNOTATION =
  'service.beta.kubernetes.io/azure-load-balancer-health-probe-request-path';

const PIP_NAME = /^[A-Za-z0-9]([A-Za-z0-9_.-]{0,78}[A-Za-z0-9_])?$/;
const RESOURCE_GROUP = /^[-\w.()]{0,89}[-\w()]$/;

/**
 * The controller's Services: the public LoadBalancer `ingress-nginx-controller` (AKS: `externalTrafficPolicy: Local`
 * so nginx — and the WAF's IP rules — see the real client address; Azure's health probe on `/healthz`; optional
 * static public IP) and the ClusterIP `ingress-nginx-controller-metrics` (port `metrics`, 10254) for Prometheus.
 */
export class ControllerServices extends Construct {
  /** The LoadBalancer Service `ingress-nginx-controller`. */
  public readonly loadBalancer: ApiObject;
  /** The ClusterIP Service `ingress-nginx-controller-metrics`. */
  public readonly metrics: ApiObject;

  constructor(scope: Construct, id: string, props: ControllerServicesProps) {
    super(scope, id);
    const annotations: Record<string, string> = { [AZURE_HEALTH_PROBE_PATH_ANNOTATION]: '/healthz' };
    if (props.azurePublicIpName !== undefined) {
      if (!PIP_NAME.test(props.azurePublicIpName))
        invalid(
          'service.azurePublicIpName',
          props.azurePublicIpName,
          'is not an Azure public IP name',
          'use 1–80 letters, digits, "_", "." or "-", starting with a letter or digit',
        );
      annotations[AZURE_PIP_NAME_ANNOTATION] = props.azurePublicIpName;
    }
    if (props.azureResourceGroupName !== undefined) {
      if (props.azurePublicIpName === undefined)
        invalid(
          'service.azureResourceGroupName',
          props.azureResourceGroupName,
          'is set without azurePublicIpName',
          'set azurePublicIpName too, or leave the resource group out',
        );
      if (!RESOURCE_GROUP.test(props.azureResourceGroupName))
        invalid(
          'service.azureResourceGroupName',
          props.azureResourceGroupName,
          'is not an Azure resource group name',
          'use 1–90 letters, digits, "_", "-", ".", "(" or ")", not ending with "."',
        );
      annotations[AZURE_LB_RESOURCE_GROUP_ANNOTATION] = props.azureResourceGroupName;
    }
    const labels = controllerLabels();
    this.loadBalancer = new KubeService(this, 'load-balancer', {
      metadata: {
        name: NAMES.service,
        namespace: props.namespace,
        ...mergeMetadata('metadata', props.metadata, { labels, annotations }),
      },
      spec: {
        type: 'LoadBalancer',
        externalTrafficPolicy: 'Local',
        ipFamilyPolicy: 'SingleStack',
        ipFamilies: ['IPv4'],
        ports: [
          {
            name: 'http',
            port: PORTS.http,
            protocol: 'TCP',
            targetPort: IntOrString.fromString('http'),
            appProtocol: 'http',
          },
          {
            name: 'https',
            port: PORTS.https,
            protocol: 'TCP',
            targetPort: IntOrString.fromString('https'),
            appProtocol: 'https',
          },
        ],
        selector: { ...CONTROLLER_SELECTOR_LABELS },
      },
    });
    this.metrics = new KubeService(this, 'metrics', {
      metadata: { name: NAMES.metricsService, namespace: props.namespace, labels },
      spec: {
        type: 'ClusterIP',
        ports: [
          { name: 'metrics', port: PORTS.metrics, protocol: 'TCP', targetPort: IntOrString.fromString('metrics') },
        ],
        selector: { ...CONTROLLER_SELECTOR_LABELS },
      },
    });
  }
}
