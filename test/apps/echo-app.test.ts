import { Testing } from 'cdk8s';
import { ECHO_IMAGE, EchoApp, EchoAppProps } from '../../lib/apps/echo-app';
import { validateManifest } from '../support/schema';
import { hardeningViolations, restrictedViolations } from '../security/pod-security';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function synth(props: Partial<EchoAppProps> = {}): any[] {
  const chart = Testing.chart();
  new EchoApp(chart, 'echo', { namespace: 'echo', ingressController: { namespace: 'ingress-nginx' }, ...props });
  return Testing.synth(chart);
}

describe('EchoApp', () => {
  test('renders ServiceAccount, Deployment, Service, PodDisruptionBudget, NetworkPolicy (snapshot, schema)', () => {
    const objects = synth();
    expect(objects.map((o) => o.kind)).toEqual([
      'ServiceAccount',
      'Deployment',
      'Service',
      'PodDisruptionBudget',
      'NetworkPolicy',
    ]);
    for (const o of objects) validateManifest(o);
    expect(objects).toMatchSnapshot();
  });

  test('runs a digest-pinned image and meets Pod Security "restricted" and the product hardening with no exception', () => {
    const deployment = synth().find((o) => o.kind === 'Deployment');
    expect(deployment.spec.template.spec.containers[0].image).toBe(ECHO_IMAGE);
    expect(ECHO_IMAGE).toMatch(/@sha256:[0-9a-f]{64}$/);
    expect(restrictedViolations(deployment)).toEqual([]);
    expect(hardeningViolations(deployment)).toEqual([]);
    const pod = deployment.spec.template.spec;
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.containers[0].securityContext).toMatchObject({
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
    });
    expect(pod.volumes).toEqual([{ name: 'tmp', emptyDir: { medium: 'Memory', sizeLimit: '16Mi' } }]);
  });

  test('admits traffic only from the controller pods of the controller namespace, and allows no egress', () => {
    const policy = synth().find((o) => o.kind === 'NetworkPolicy');
    expect(policy.spec.policyTypes).toEqual(['Ingress', 'Egress']);
    expect(policy.spec.ingress).toEqual([
      {
        from: [
          {
            namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } },
            podSelector: {
              matchLabels: {
                'app.kubernetes.io/name': 'ingress-nginx',
                'app.kubernetes.io/instance': 'ingress-nginx',
                'app.kubernetes.io/component': 'controller',
              },
            },
          },
        ],
        ports: [{ protocol: 'TCP', port: 8080 }],
      },
    ]);
    expect(policy.spec.egress ?? []).toEqual([]);
  });

  test('the Service, PDB and policy select the Deployment pods', () => {
    const objects = synth();
    const podLabels = objects.find((o) => o.kind === 'Deployment').spec.template.metadata.labels;
    for (const selector of [
      objects.find((o) => o.kind === 'Service').spec.selector,
      objects.find((o) => o.kind === 'PodDisruptionBudget').spec.selector.matchLabels,
    ]) {
      for (const [k, v] of Object.entries(selector)) expect(podLabels[k]).toBe(v);
    }
  });

  test.each([
    ['one replica', { replicas: 1 }, /replicas/],
    ['an image without digest', { image: 'mendhak/http-https-echo:37' }, /image.*not pinned by digest/],
    ['a bad quantity', { resources: { cpuRequest: 'lots', cpuLimit: '1', memory: '1Gi' } }, /resources\.cpuRequest/],
    [
      'empty controller pod labels',
      { ingressController: { namespace: 'ingress-nginx', podLabels: {} } },
      /podLabels.*admit every pod/,
    ],
    [
      'a bad controller namespace',
      { ingressController: { namespace: 'Ingress_Nginx' } },
      /ingressController\.namespace/,
    ],
    [
      'controller pod labels that are not labels',
      { ingressController: { namespace: 'ingress-nginx', podLabels: { 'app name': 'x' } } },
      /podLabels\.app name.*not a Kubernetes label key/,
    ],
    [
      'an image reference with a line break',
      { image: 'evil\nimage: x@sha256:f55000d9196bd3c853d384af7315f509d21ffb85de315c26e9874033b9f83e15' },
      /image.*not pinned by digest/,
    ],
  ])('rejects %s', (_what, props, message) => {
    expect(() => synth(props as Partial<EchoAppProps>)).toThrow(message);
  });
});
