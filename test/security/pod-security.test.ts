import { distObjects } from '../support/dist';
import {
  applyExceptions,
  hardeningViolations,
  isWorkload,
  PodSecurityException,
  restrictedViolations,
} from './pod-security';

/**
 * Exceptions, all for the ingress-nginx controller and all needed by the upstream v1.15.1 controller itself
 * (deploy.yaml): it binds ports 80/443 as UID 101 (NET_BIND_SERVICE, which "restricted" allows but we report so
 * every use is explicit), writes its generated nginx.conf, Lua cache and temp files into the image filesystem (no
 * read-only root filesystem upstream), and watches Ingresses, Services, Secrets... through the API server (needs its
 * service-account token). None of them is a Pod Security "restricted" violation; they are exceptions to the
 * product's stricter hardening rules.
 */
const CONTROLLER = { kind: 'Deployment', namespace: 'ingress-nginx', name: 'ingress-nginx-controller' } as const;
const EXCEPTIONS: readonly PodSecurityException[] = [
  { ...CONTROLLER, rule: 'capability-net-bind-service', reason: 'binds 80/443 as non-root' },
  { ...CONTROLLER, rule: 'read-only-root-filesystem', reason: 'nginx writes its generated config and temp files' },
  { ...CONTROLLER, rule: 'service-account-token', reason: 'the controller watches the Kubernetes API' },
];

const base = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'w', namespace: 'ns' },
};
function deployment(podSpec: Record<string, unknown>): Record<string, unknown> {
  return { ...base, spec: { template: { spec: podSpec } } };
}
const goodContainer = {
  name: 'c',
  image: `repo/img@sha256:${'a'.repeat(64)}`,
  securityContext: {
    allowPrivilegeEscalation: false,
    runAsNonRoot: true,
    readOnlyRootFilesystem: true,
    capabilities: { drop: ['ALL'] },
    seccompProfile: { type: 'RuntimeDefault' },
  },
  resources: { requests: { cpu: '10m', memory: '10Mi' }, limits: { memory: '10Mi' } },
  readinessProbe: { httpGet: { path: '/', port: 80 } },
  livenessProbe: { httpGet: { path: '/', port: 80 } },
};

describe('Pod Security "restricted" checker', () => {
  test('accepts a hardened pod', () => {
    const d = deployment({ automountServiceAccountToken: false, containers: [goodContainer] });
    expect(restrictedViolations(d)).toEqual([]);
    expect(hardeningViolations(d)).toEqual([]);
  });

  test.each([
    ['privileged', { securityContext: { ...goodContainer.securityContext, privileged: true } }],
    [
      'allow-privilege-escalation',
      { securityContext: { ...goodContainer.securityContext, allowPrivilegeEscalation: undefined } },
    ],
    ['run-as-non-root', { securityContext: { ...goodContainer.securityContext, runAsNonRoot: undefined } }],
    ['run-as-user', { securityContext: { ...goodContainer.securityContext, runAsUser: 0 } }],
    ['seccomp', { securityContext: { ...goodContainer.securityContext, seccompProfile: { type: 'Unconfined' } } }],
    [
      'capabilities-drop-all',
      { securityContext: { ...goodContainer.securityContext, capabilities: { drop: ['NET_RAW'] } } },
    ],
    [
      'capabilities-add',
      { securityContext: { ...goodContainer.securityContext, capabilities: { drop: ['ALL'], add: ['SYS_ADMIN'] } } },
    ],
    ['host-ports', { ports: [{ containerPort: 80, hostPort: 80 }] }],
    ['proc-mount', { securityContext: { ...goodContainer.securityContext, procMount: 'Unmasked' } }],
  ])('flags a container violating %s', (rule, override) => {
    const d = deployment({ containers: [{ ...goodContainer, ...override }] });
    expect(restrictedViolations(d).map((v) => v.rule)).toContain(rule);
  });

  test.each([
    ['host-namespaces', { hostNetwork: true }],
    ['host-path-volumes', { volumes: [{ name: 'h', hostPath: { path: '/' } }] }],
    ['volume-types', { volumes: [{ name: 'n', nfs: { server: 'x', path: '/' } }] }],
    ['sysctls', { securityContext: { sysctls: [{ name: 'kernel.msgmax', value: '1' }] } }],
  ])('flags a pod violating %s', (rule, podOverride) => {
    const d = deployment({ containers: [goodContainer], ...podOverride });
    expect(restrictedViolations(d).map((v) => v.rule)).toContain(rule);
  });

  test('accepts runAsNonRoot and seccomp set at pod level only', () => {
    const { runAsNonRoot: _r, seccompProfile: _s, ...sc } = goodContainer.securityContext;
    void _r;
    void _s;
    const d = deployment({
      securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
      containers: [{ ...goodContainer, securityContext: sc }],
    });
    expect(restrictedViolations(d)).toEqual([]);
  });

  test('reports NET_BIND_SERVICE, a writable root filesystem and a mounted token as hardening findings', () => {
    const d = deployment({
      containers: [
        {
          ...goodContainer,
          securityContext: {
            ...goodContainer.securityContext,
            readOnlyRootFilesystem: false,
            capabilities: { drop: ['ALL'], add: ['NET_BIND_SERVICE'] },
          },
        },
      ],
    });
    expect(restrictedViolations(d)).toEqual([]);
    expect(
      hardeningViolations(d)
        .map((v) => v.rule)
        .sort(),
    ).toEqual(['capability-net-bind-service', 'read-only-root-filesystem', 'service-account-token']);
  });

  test('an exception removes only its own rule on its own workload', () => {
    const d = deployment({
      containers: [
        { ...goodContainer, securityContext: { ...goodContainer.securityContext, readOnlyRootFilesystem: false } },
      ],
    });
    const ex: PodSecurityException = {
      kind: 'Deployment',
      namespace: 'ns',
      name: 'w',
      rule: 'read-only-root-filesystem',
      reason: 'test',
    };
    expect(applyExceptions(d, hardeningViolations(d), [ex]).left.map((v) => v.rule)).toEqual(['service-account-token']);
    expect(
      applyExceptions({ ...d, metadata: { name: 'other', namespace: 'ns' } }, hardeningViolations(d), [ex]).left,
    ).toHaveLength(2);
  });
});

describe('every workload in dist/', () => {
  const workloads = distObjects().filter(({ manifest }) => isWorkload(manifest));

  test('includes the echo app (the check is not vacuous)', () => {
    expect(
      workloads.map(({ manifest }) => `${manifest.kind} ${manifest.metadata.namespace}/${manifest.metadata.name}`),
    ).toContain('Deployment echo/echo');
  });

  test('meets Pod Security "restricted" with no exception at all', () => {
    const found = workloads.flatMap(({ file, manifest }) =>
      restrictedViolations(manifest).map((v) => ({ file, ...v })),
    );
    expect(found).toEqual([]);
  });

  test('meets the product hardening rules, except the documented controller exceptions', () => {
    const found = workloads.flatMap(({ file, manifest }) =>
      applyExceptions(manifest, hardeningViolations(manifest), EXCEPTIONS).left.map((v) => ({ file, ...v })),
    );
    expect(found).toEqual([]);
  });

  test('namespaces of our workloads enforce the "restricted" profile where no exception is needed', () => {
    const namespaces = distObjects().filter(({ manifest }) => manifest.kind === 'Namespace');
    const echo = namespaces.find(({ manifest }) => manifest.metadata.name === 'echo');
    expect(echo?.manifest.metadata.labels?.['pod-security.kubernetes.io/enforce']).toBe('restricted');
  });
});
