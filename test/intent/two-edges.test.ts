/**
 * Two edges in one cluster (issue 18, construct conventions): a `public` edge and an `internal` one synthesized into
 * one app. Every object must have its own kind + namespace + name, and synth must refuse, naming both construct
 * paths, when two edges would share one.
 */
import { App } from 'cdk8s';
import { EdgeDeploymentConfig, REFERENCE_DEPLOYMENT } from '../../lib/reference/config';
import { INTERNAL_EDGE, PUBLIC_EDGE } from '../support/two-edges';
import { addEdge, buildMultiEdgeApp } from '../../lib/reference/cdk8s-app';
import { renderObjects } from '../../lib/synth/render';
import { ValidationError } from '../../lib/core/validation';

const PUBLIC = PUBLIC_EDGE;
const INTERNAL = INTERNAL_EDGE;

function identities(app: App): string[] {
  return renderObjects(app).map(
    ({ manifest: m }) => `${m.kind}.${m.apiVersion} ${m.metadata.namespace ?? ''}/${m.metadata.name}`,
  );
}

function twoEdges(second: EdgeDeploymentConfig): App {
  return buildMultiEdgeApp([PUBLIC, second]);
}

describe('two edges (public and internal) in one app', () => {
  test('no two objects share kind + namespace + name', () => {
    const ids = identities(twoEdges(INTERNAL));
    expect(ids.length).toBeGreaterThan(70);
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
  });

  test('cluster-scoped objects carry the instance name; both controllers have their own controller class', () => {
    const objects = renderObjects(twoEdges(INTERNAL)).map(
      (o) =>
        o.manifest as {
          kind: string;
          metadata: { name: string; namespace?: string };
          spec?: { controller?: string; template?: { spec?: { containers?: { args?: string[] }[] } } };
        },
    );
    const names = (kind: string): string[] =>
      objects
        .filter((o) => o.kind === kind)
        .map((o) => o.metadata.name)
        .sort();
    expect(names('ClusterRole')).toEqual(['internal-ingress-nginx', 'public-ingress-nginx']);
    expect(names('ValidatingWebhookConfiguration')).toEqual([
      'internal-ingress-nginx-admission',
      'public-ingress-nginx-admission',
    ]);
    expect(names('ClusterIssuer')).toEqual([
      'internal-letsencrypt-production',
      'internal-letsencrypt-staging',
      'public-letsencrypt-production',
      'public-letsencrypt-staging',
    ]);
    expect(
      objects
        .filter((o) => o.kind === 'IngressClass')
        .map((o) => [o.metadata.name, o.spec?.controller])
        .sort(),
    ).toEqual([
      ['nginx', 'k8s.io/public-ingress-nginx'],
      ['nginx-internal', 'k8s.io/internal-ingress-nginx'],
    ]);
    const args = objects
      .filter((o) => o.kind === 'Deployment' && o.metadata.name === 'ingress-nginx-controller')
      .map((o) => o.spec?.template?.spec?.containers?.[0].args ?? []);
    expect(
      args.map((a) =>
        a
          .filter(
            (x) =>
              x.startsWith('--controller-class=') ||
              x.startsWith('--ingress-class=') ||
              x.startsWith('--watch-namespace='),
          )
          .sort(),
      ),
    ).toEqual([
      ['--controller-class=k8s.io/public-ingress-nginx', '--ingress-class=nginx', '--watch-namespace=echo'],
      [
        '--controller-class=k8s.io/internal-ingress-nginx',
        '--ingress-class=nginx-internal',
        '--watch-namespace=echo-internal',
      ],
    ]);
    const internalIngress = JSON.stringify(
      objects.find((o) => o.kind === 'Certificate' && o.metadata.namespace === 'echo-internal'),
    );
    expect(internalIngress).toContain('"internal-letsencrypt-staging"');
  });

  test.each<[string, Partial<EdgeDeploymentConfig>, RegExp]>([
    [
      'the same controller namespace',
      { controller: { ...INTERNAL.controller, namespace: 'ingress-nginx' } },
      /^[a-z-]+\/.*: "(ServiceAccount|Namespace|[A-Za-z]+)[^"]* .*" is also the object of /,
    ],
    ['the same app namespace', { app: { ...INTERNAL.app, namespace: 'echo' } }, /is also the object of /],
    [
      'the same CA name',
      { mtls: { ...INTERNAL.mtls, caName: REFERENCE_DEPLOYMENT.mtls.caName } },
      /is also the object of /,
    ],
  ])('rejects a second edge with %s, naming both construct paths', (_what, change, message) => {
    let error: unknown;
    try {
      renderObjects(twoEdges({ ...INTERNAL, ...change }));
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ValidationError);
    const { field, message: text } = error as ValidationError;
    expect(text).toMatch(message);
    expect(field).toMatch(/^internal-/);
    expect(text).toMatch(/is also the object of public-/);
  });

  test('rejects two edges with the same instance name, naming configs[1].instance', () => {
    let error: unknown;
    try {
      buildMultiEdgeApp([PUBLIC, { ...INTERNAL, instance: 'public' }]);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).field).toBe('configs[1].instance');
  });

  test("the GitOps delivery covers both edges' layers once", () => {
    const objects = renderObjects(twoEdges(INTERNAL)).map((o) => o.manifest);
    const applications = objects.filter((o) => o.kind === 'Application').map((o) => o.metadata.name);
    expect(new Set(applications).size).toBe(applications.length);
    const trustManager = JSON.stringify(
      objects.find((o) => o.kind === 'Application' && o.metadata.name.includes('trust-manager')),
    );
    expect(trustManager).toContain('internal-client-ca');
    expect(trustManager).toContain('hospital-client-ca');
  });

  test('the single reference edge keeps upstream names (dist/ unchanged)', () => {
    const app = new App();
    addEdge(app, REFERENCE_DEPLOYMENT);
    const objects = renderObjects(app).map((o) => o.manifest);
    expect(objects.filter((o) => o.kind === 'ClusterRole').map((o) => o.metadata.name)).toEqual(['ingress-nginx']);
    expect(
      objects
        .filter((o) => o.kind === 'ClusterIssuer')
        .map((o) => o.metadata.name)
        .sort(),
    ).toEqual(['letsencrypt-production', 'letsencrypt-staging']);
  });
});
