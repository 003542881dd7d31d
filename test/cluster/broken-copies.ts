import { KubeObject } from '../../scripts/cluster/verify';

/**
 * Copies of dist/ objects broken in ways a JSON-schema check accepts but the API server refuses. Each case names
 * the object (layer, kind, name), how to break it and the server message expected. Add cases here.
 */
export interface BrokenCopy {
  /** What the case shows (the test is named "rejects <title>"). */
  readonly title: string;
  /** Layer folder of dist/ holding the object. */
  readonly layer: string;
  /** Kind of the object. */
  readonly kind: string;
  /** metadata.name of the object. */
  readonly name: string;
  /** Mutates a deep copy of the object. */
  readonly breakIt: (o: Record<string, any>) => void;
  /** The server's message. */
  readonly expect: RegExp;
}

/** The broken copies (they run after dist/ was applied, so immutable-field cases change live objects). */
export const BROKEN_COPIES: readonly BrokenCopy[] = [
  {
    title: 'a Bundle source with both secret and configMap (CRD CEL rule, x-kubernetes-validations)',
    layer: '20-certificates',
    kind: 'Bundle',
    name: 'hospital-client-ca',
    breakIt: (o) => {
      o.spec.sources[0].configMap = { name: 'other', key: 'ca.crt' };
    },
    expect: /exactly one of the fields in \[configMap secret inLine useDefaultCAs\] must be set/,
  },
  {
    title: 'a GitRepository with serviceAccountName but no azure provider (CRD CEL rule)',
    layer: 'delivery/flux',
    kind: 'GitRepository',
    name: 'hospital-edge',
    breakIt: (o) => {
      o.spec.serviceAccountName = 'flux-reader';
    },
    expect: /serviceAccountName can only be set when provider is 'azure'/,
  },
  {
    title: 'a Service with a duplicate port name',
    layer: '10-controller',
    kind: 'Service',
    name: 'ingress-nginx-controller',
    breakIt: (o) => {
      o.spec.ports.push({ ...o.spec.ports[0], port: 8080 });
    },
    expect: /spec\.ports\[2\]\.name: Duplicate value: "http"/,
  },
  {
    title: 'a changed Deployment selector (immutable field)',
    layer: '10-controller',
    kind: 'Deployment',
    name: 'ingress-nginx-controller',
    breakIt: (o) => {
      o.spec.selector.matchLabels['app.kubernetes.io/version'] = 'next';
      o.spec.template.metadata.labels['app.kubernetes.io/version'] = 'next';
    },
    expect: /spec\.selector: Invalid value: .*field is immutable/,
  },
  {
    title: 'an unknown field (strict field validation)',
    layer: '30-apps',
    kind: 'Ingress',
    name: 'echo',
    breakIt: (o) => {
      o.spec.tlsMode = 'strict';
    },
    expect: /\.spec\.tlsMode: field not declared in schema/, // server-side apply's wording of a strict-validation failure
  },
];

/** An object the server accepts with a deprecation warning: verify:cluster must count it as rejected. */
export const DEPRECATED_OBJECT: KubeObject = {
  apiVersion: 'v1',
  kind: 'Endpoints',
  metadata: { name: 'deprecated-endpoints', namespace: 'echo' },
  subsets: [{ addresses: [{ ip: '10.0.0.10' }], ports: [{ name: 'http', port: 8080 }] }],
};
