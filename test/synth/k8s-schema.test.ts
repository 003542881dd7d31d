/**
 * The schema check every dist/ test relies on (test/support/schema.ts) reads the Kubernetes v1.36.3 API server's own
 * definitions for built-in kinds (test/support/k8s-schema.ts). Adversarial objects as data: each must be rejected
 * with the reason given, and the valid shapes next to them must pass, so the check cannot silently go blind.
 */
import { validateManifest } from '../support/schema';
import { kubernetesSchemaVersion, servesKind } from '../support/k8s-schema';

const service = (spec: object): object => ({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'a' }, spec });
const pod = (container: object): object => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'a' },
  spec: { containers: [container] },
});

/** [what, object, the rejection (regex)] */
const REJECTED: readonly [string, object, RegExp][] = [
  [
    'an unknown field (strict field validation)',
    service({ bogus: 1, ports: [{ port: 80 }] }),
    /\/spec has unknown field "bogus"/,
  ],
  [
    'an unknown top-level field',
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' }, datta: {} },
    /\/ has unknown field "datta"/,
  ],
  [
    'a misspelt field in a nested list',
    pod({ name: 'c', image: 'x', port: [{ containerPort: 80 }] }),
    /unknown field "port"/,
  ],
  [
    'a value outside an enum',
    service({ type: 'Bogus', ports: [{ port: 80 }] }),
    /\/spec\/type must be equal to one of the allowed values/,
  ],
  [
    'a protocol in lower case',
    service({ ports: [{ port: 80, protocol: 'tcp' }] }),
    /protocol must be equal to one of the allowed values/,
  ],
  ['a missing required field', pod({ image: 'x' }), /must have required property 'name'/],
  ['a port given as a string', service({ ports: [{ port: '80' }] }), /\/spec\/ports\/0\/port must be integer/],
  [
    'a kind the server does not serve (beta API off)',
    { apiVersion: 'flowcontrol.apiserver.k8s.io/v1beta3', kind: 'FlowSchema', metadata: { name: 'a' }, spec: {} },
    /not served by Kubernetes v1\.36\.3/,
  ],
  [
    'an API version removed long ago',
    { apiVersion: 'extensions/v1beta1', kind: 'Ingress', metadata: { name: 'a' }, spec: {} },
    /not served/,
  ],
  [
    'a PodDisruptionBudget of policy/v1beta1 (removed in 1.25)',
    { apiVersion: 'policy/v1beta1', kind: 'PodDisruptionBudget', metadata: { name: 'a' }, spec: {} },
    /not served/,
  ],
];

/** [what, object] */
const ACCEPTED: readonly [string, object][] = [
  [
    'a targetPort by name and by number (IntOrString)',
    service({
      ports: [
        { port: 80, targetPort: 'http' },
        { port: 81, targetPort: 8080 },
      ],
    }),
  ],
  [
    'resource quantities as string and number',
    pod({ name: 'c', image: 'x', resources: { limits: { cpu: 1, memory: '1Gi' }, requests: { cpu: '100m' } } }),
  ],
  [
    'free-form annotation and data maps',
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'a', annotations: { 'x.io/y': 'z' } },
      data: { 'policy.conf': 'x' },
    },
  ],
];

describe('schema check of built-in kinds (Kubernetes v1.36.3)', () => {
  test('reads the definitions of kube-apiserver v1.36.3, which serves the GA APIs dist/ uses', () => {
    expect(kubernetesSchemaVersion()).toBe('v1.36.3');
    for (const [apiVersion, kind] of [
      ['apps/v1', 'Deployment'],
      ['networking.k8s.io/v1', 'Ingress'],
      ['policy/v1', 'PodDisruptionBudget'],
      ['admissionregistration.k8s.io/v1', 'ValidatingWebhookConfiguration'],
    ]) {
      expect(servesKind(apiVersion, kind)).toBe(true);
    }
  });

  test.each(REJECTED)('rejects %s', (_what, manifest, reason) => {
    expect(() => validateManifest(manifest as never)).toThrow(reason);
  });

  test.each(ACCEPTED)('accepts %s', (_what, manifest) => {
    expect(() => validateManifest(manifest as never)).not.toThrow();
  });
});
