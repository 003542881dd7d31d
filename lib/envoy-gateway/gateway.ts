import { ApiObject, ApiObjectMetadata } from 'cdk8s';
import { Construct } from 'constructs';
import { standardLabels } from '../core/labels';
import { PropsValidator, propsValidator } from '../core/validation';
import { mergeMetadata, ObjectMetadataOptions } from '../core/metadata';
import type { EdgeHostIntent } from '../intent/edge-intent';
import { HTTP_LISTENER, httpsListenerName, serverCertificateSecretName, NamespacedObjectRef } from './names';
import { ENVOY_GATEWAY_CONTROLLER_NAME, ENVOY_GATEWAY_GROUP, GATEWAY_API_GROUP_VERSION } from './versions';

/** Props of an {@link EdgeGatewayClass}. */
export interface EdgeGatewayClassProps {
  /** Name of the GatewayClass (cluster-scoped). */
  readonly name: string;
  /** The EnvoyProxy every Gateway of the class uses (name and namespace). */
  readonly envoyProxy: NamespacedObjectRef;
  /**
   * Labels and annotations added to the GatewayClass. The construct's own `app.kubernetes.io/*` labels cannot be
   * overridden here.
   * @default none
   */
  readonly metadata?: ObjectMetadataOptions;
}

/** A Gateway API GatewayClass served by Envoy Gateway, parametrised by an EnvoyProxy. */
export class EdgeGatewayClass extends Construct {
  /** The GatewayClass object. */
  public readonly apiObject: ApiObject;

  constructor(scope: Construct, id: string, props: EdgeGatewayClassProps) {
    super(scope, id);
    const v: PropsValidator = propsValidator(this, 'EdgeGatewayClass');
    this.apiObject = new ApiObject(this, 'Resource', {
      apiVersion: GATEWAY_API_GROUP_VERSION,
      kind: 'GatewayClass',
      metadata: {
        name: props.name,
        ...v.check(() =>
          mergeMetadata('metadata', props.metadata, {
            labels: standardLabels(props.name, 'gateway-class'),
          }),
        ),
      },
      spec: {
        controllerName: ENVOY_GATEWAY_CONTROLLER_NAME,
        parametersRef: {
          group: ENVOY_GATEWAY_GROUP,
          kind: 'EnvoyProxy',
          name: props.envoyProxy.name,
          namespace: props.envoyProxy.namespace,
        },
      },
    });
  }
}

/** Props of an {@link EdgeGateway}. */
export interface EdgeGatewayProps {
  /** Gateway metadata (name, namespace). Annotations are merged with cert-manager's issuer annotation. */
  readonly metadata: ApiObjectMetadata & NamespacedObjectRef;
  /** The GatewayClass. */
  readonly gatewayClassName: string;
  /** The hosts: one HTTPS listener each, with its own server certificate Secret. */
  readonly hosts: readonly EdgeHostIntent[];
  /** Namespace whose HTTPRoutes may attach (the backends' namespace). */
  readonly routeNamespace: string;
  /**
   * cert-manager ClusterIssuer that issues the listeners' certificates (annotation `cert-manager.io/cluster-issuer`).
   */
  readonly clusterIssuer: string;
}

/**
 * The Gateway: a plain-HTTP listener `http` (port 80: the HTTPS redirect and cert-manager's HTTP-01 solver route)
 * and one HTTPS listener per host (port 443, hostname = the host, TLS terminated with the Secret cert-manager
 * issues for it: cert-manager's Gateway support reads the `cert-manager.io/cluster-issuer` annotation and creates a
 * Certificate per listener `tls.certificateRefs`). Routes attach only from {@link EdgeGatewayProps.routeNamespace}.
 */
export class EdgeGateway extends Construct {
  /** The Gateway object. */
  public readonly apiObject: ApiObject;
  /** Gateway name. */
  public readonly name: string;
  /** Gateway namespace. */
  public readonly namespace: string;

  constructor(scope: Construct, id: string, props: EdgeGatewayProps) {
    super(scope, id);
    this.name = props.metadata.name;
    this.namespace = props.metadata.namespace;
    // Same namespace: `from: Same`. Otherwise a selector on the namespace name label Kubernetes sets. (egctl's offline
    // translator keeps only a Namespace's name, internal/gatewayapi/resource/load.go lines 277-288, so only `Same`
    // can be proven by translation here.)
    const allowedRoutes =
      props.routeNamespace === this.namespace
        ? { namespaces: { from: 'Same' } }
        : {
            namespaces: {
              from: 'Selector',
              selector: { matchLabels: { 'kubernetes.io/metadata.name': props.routeNamespace } },
            },
          };
    this.apiObject = new ApiObject(this, 'Resource', {
      apiVersion: GATEWAY_API_GROUP_VERSION,
      kind: 'Gateway',
      metadata: {
        ...props.metadata,
        labels: { ...standardLabels(this.name, 'gateway'), ...props.metadata.labels },
        annotations: { ...props.metadata.annotations, 'cert-manager.io/cluster-issuer': props.clusterIssuer },
      },
      spec: {
        gatewayClassName: props.gatewayClassName,
        listeners: [
          { name: HTTP_LISTENER, protocol: 'HTTP', port: 80, allowedRoutes },
          ...props.hosts.map((host) => ({
            name: httpsListenerName(host),
            protocol: 'HTTPS',
            port: 443,
            hostname: host.host,
            tls: {
              mode: 'Terminate',
              certificateRefs: [{ kind: 'Secret', group: '', name: serverCertificateSecretName(host) }],
            },
            allowedRoutes,
          })),
        ],
      },
    });
  }
}
