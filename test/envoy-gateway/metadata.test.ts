/**
 * The single-object Envoy Gateway constructs take the same `metadata` prop as the ingress-nginx ones: the user's
 * labels and annotations land on their objects (already exposed as `apiObject`), never over the construct's labels.
 */
import { Chart, Testing } from 'cdk8s';
import { ObjectMetadataOptions } from '../../lib/core/metadata';
import { EdgeClientTrafficPolicy } from '../../lib/envoy-gateway/client-traffic-policy';
import { EdgeEnvoyProxy } from '../../lib/envoy-gateway/envoy-proxy';
import { EdgeGatewayClass } from '../../lib/envoy-gateway/gateway';
import { EdgeSecurityPolicy } from '../../lib/envoy-gateway/security-policy';
import { CorazaExtensionPolicy } from '../../lib/envoy-gateway/waf-extension-policy';
import { REFERENCE_DEPLOYMENT } from '../../lib/reference/config';
import { REFERENCE_ENVOY_GATEWAY } from '../../lib/reference/envoy-gateway/config';
import { edgeIntentOf } from '../../lib/reference/intent';
import { validationErrorOf } from '../waf/support';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Obj = any;
const USER = { labels: { team: 'edge' }, annotations: { 'example.com/owner': 'team-a' } };

const BUILD: Record<string, (c: Chart, metadata?: ObjectMetadataOptions) => unknown> = {
  EdgeGatewayClass: (c, metadata) =>
    new EdgeGatewayClass(c, 'gateway-class', { name: 'edge', envoyProxy: { name: 'p', namespace: 'eg' }, metadata }),
  EdgeEnvoyProxy: (c, metadata) =>
    new EdgeEnvoyProxy(c, 'envoy-proxy', {
      name: 'edge-proxy',
      namespace: 'eg',
      corazaModule: REFERENCE_ENVOY_GATEWAY.corazaModule,
      metadata,
    }),
  EdgeClientTrafficPolicy: (c, metadata) =>
    new EdgeClientTrafficPolicy(c, 'client-traffic-policy', {
      name: 'edge-client-tls',
      gateway: { name: 'edge', namespace: 'eg' },
      hosts: edgeIntentOf(REFERENCE_DEPLOYMENT).hosts,
      caSecretName: 'client-ca',
      metadata,
    }),
  EdgeSecurityPolicy: (c, metadata) =>
    new EdgeSecurityPolicy(c, 'security-policy', {
      name: 'edge-security',
      namespace: 'echo',
      routeNames: ['echo'],
      allowCel: 'true',
      deniedSources: [],
      metadata,
    }),
  CorazaExtensionPolicy: (c, metadata) =>
    new CorazaExtensionPolicy(c, 'waf', {
      name: 'edge-waf',
      namespace: 'echo',
      routeName: 'echo',
      config: { mode: 'REQUEST_ONLY', directives: ['SecRuleEngine On'] },
      metadata,
    }),
};

describe.each(Object.keys(BUILD))('%s metadata', (name) => {
  test("adds the user's labels and annotations to its object(s), beside its own labels", () => {
    const chart = Testing.chart();
    BUILD[name](chart, USER);
    const objects: Obj[] = Testing.synth(chart);
    expect(objects.length).toBeGreaterThan(0);
    for (const o of objects) {
      expect(o.metadata.labels).toMatchObject({ team: 'edge', 'app.kubernetes.io/name': o.metadata.name });
      expect(o.metadata.annotations).toEqual({ 'example.com/owner': 'team-a' });
    }
  });

  test('is its own default child (node.defaultChild finds the object, as on the ingress-nginx constructs)', () => {
    const construct = BUILD[name](Testing.chart()) as { node: { defaultChild?: unknown }; apiObject: unknown };
    expect(construct.node.defaultChild).toBe(construct.apiObject);
  });

  test("rejects overriding one of the construct's own labels, naming it", () => {
    const err = validationErrorOf(() => BUILD[name](Testing.chart(), { labels: { 'app.kubernetes.io/name': 'x' } }));
    expect(err.field.endsWith('metadata.labels["app.kubernetes.io/name"]')).toBe(true);
  });
});
