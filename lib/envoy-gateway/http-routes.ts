import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { standardLabels } from '../core/labels';
import type { EdgeHostIntent } from '../intent/edge-intent';
import type { HeaderModifier } from './mtls';
import { backendRouteName, HTTP_LISTENER, httpsListenerName, redirectRouteName, NamespacedObjectRef } from './names';
import { GATEWAY_API_GROUP, GATEWAY_API_GROUP_VERSION } from './versions';

/** Props of an {@link EdgeHostRoutes}. */
export interface EdgeHostRoutesProps {
  /** The host and its backend. */
  readonly host: EdgeHostIntent;
  /** Namespace of the routes (the backend's). */
  readonly namespace: string;
  /** The Gateway the routes attach to. */
  readonly gateway: NamespacedObjectRef;
  /** Headers set and removed on the way to the backend (the client-certificate contract, see mtls.ts). */
  readonly backendHeaders: HeaderModifier;
  /** Emit the plain-HTTP → HTTPS redirect route. */
  readonly httpsRedirect: boolean;
}

/**
 * The routes of one host: the HTTPS route to the backend (on the host's own listener, so a request whose Host names
 * another host on this TLS connection finds no route: Envoy Gateway gives each HTTPS listener its own route
 * configuration) and, on the plain-HTTP listener, a redirect of every path to `https://` with 308, as ingress-nginx
 * (method and body kept; Envoy Gateway v1.9.0 accepts 301, 302, 303, 307 and 308: internal/utils/http/http.go line
 * 10, internal/xds/translator/route.go lines 531-543). cert-manager's
 * HTTP-01 solver adds its own HTTPRoute with an `Exact` match on `/.well-known/acme-challenge/<token>` to the same
 * listener; Gateway API gives an Exact path precedence over this PathPrefix `/` (HTTPRoute spec, "Rule
 * precedence"), so challenges are answered while everything else is redirected.
 */
export class EdgeHostRoutes extends Construct {
  /** The HTTPS route to the backend. */
  public readonly backendRoute: ApiObject;
  /** The redirect route on the plain-HTTP listener. @default none when httpsRedirect is false */
  public readonly redirectRoute?: ApiObject;

  constructor(scope: Construct, id: string, props: EdgeHostRoutesProps) {
    super(scope, id);
    const { host, gateway } = props;
    const parent = (sectionName: string) => ({
      group: GATEWAY_API_GROUP,
      kind: 'Gateway',
      name: gateway.name,
      namespace: gateway.namespace,
      sectionName,
    });
    this.backendRoute = new ApiObject(this, 'backend', {
      apiVersion: GATEWAY_API_GROUP_VERSION,
      kind: 'HTTPRoute',
      metadata: {
        name: backendRouteName(host),
        namespace: props.namespace,
        labels: standardLabels(backendRouteName(host), 'http-route'),
      },
      spec: {
        parentRefs: [parent(httpsListenerName(host))],
        hostnames: [host.host],
        rules: [
          {
            matches: [{ path: { type: 'PathPrefix', value: '/' } }],
            filters: [
              {
                type: 'RequestHeaderModifier',
                requestHeaderModifier: {
                  set: props.backendHeaders.set,
                  ...(props.backendHeaders.remove.length ? { remove: props.backendHeaders.remove } : {}),
                },
              },
            ],
            backendRefs: [{ name: host.backend.serviceName, port: host.backend.servicePort.number }],
          },
        ],
      },
    });
    if (props.httpsRedirect) {
      this.redirectRoute = new ApiObject(this, 'redirect', {
        apiVersion: GATEWAY_API_GROUP_VERSION,
        kind: 'HTTPRoute',
        metadata: {
          name: redirectRouteName(host),
          namespace: props.namespace,
          labels: standardLabels(redirectRouteName(host), 'http-route'),
        },
        spec: {
          parentRefs: [parent(HTTP_LISTENER)],
          hostnames: [host.host],
          rules: [
            {
              matches: [{ path: { type: 'PathPrefix', value: '/' } }],
              filters: [{ type: 'RequestRedirect', requestRedirect: { scheme: 'https', statusCode: 308 } }],
            },
          ],
        },
      });
    }
  }
}
