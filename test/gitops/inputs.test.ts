import { Chart, Testing } from 'cdk8s';
import { ArgoCdDelivery, ArgoCdDeliveryProps } from '../../lib/gitops/argocd';
import { FluxDelivery } from '../../lib/gitops/flux';
import { DeliveredLayer } from '../../lib/gitops/layers';
import { certManagerPrerequisite, HelmPrerequisite } from '../../lib/gitops/prerequisites';
import { checkGitSource } from '../../lib/gitops/source';
import { validationErrorOf } from '../waf/support';

const LAYERS: DeliveredLayer[] = [
  { id: 'controller', folder: '10-controller', syncWave: 10, namespaces: ['ingress-nginx'], customResources: false },
];
const SOURCE = { repoUrl: 'https://github.com/example/edge.git', revision: 'main', path: 'dist' };
const TOKEN = 'ghp_0123456789abcdefghijklmnopqrstuvwxyzAB';

function argo(props: Partial<ArgoCdDeliveryProps> = {}): unknown[] {
  const chart = new Chart(Testing.app(), 'test');
  new ArgoCdDelivery(chart, 'argo', { name: 'edge', ...SOURCE, layers: LAYERS, ...props });
  return Testing.synth(chart);
}
function flux(props: Partial<ArgoCdDeliveryProps> = {}): unknown[] {
  const chart = new Chart(Testing.app(), 'test');
  new FluxDelivery(chart, 'flux', { name: 'edge', ...SOURCE, layers: LAYERS, ...props });
  return Testing.synth(chart);
}

/** Repository URLs as someone would paste them from a CI log or a clone command: each must fail synth. */
const BAD_REPO_URLS: readonly [string, string][] = [
  ['a token as user info', `https://${TOKEN}@github.com/example/edge.git`],
  ['a token as user:password', `https://x-access-token:${TOKEN}@github.com/example/edge.git`],
  ['an oauth2 user with a token', `https://oauth2:${TOKEN}@gitlab.com/example/edge.git`],
  ['an empty password', 'https://user:@github.com/example/edge.git'],
  ['a user name only (https has no SSH user)', 'https://deploy@github.com/example/edge.git'],
  ['a query access_token', `https://github.com/example/edge.git?access_token=${TOKEN}`],
  ['an empty query', 'https://github.com/example/edge.git?'],
  ['a fragment', 'https://github.com/example/edge.git#main'],
  ['an ssh password', `ssh://git:${TOKEN}@github.com/example/edge.git`],
  ['an ssh user other than git', 'ssh://deploy@github.com/example/edge.git'],
  ['an scp-like address with a query', `git@github.com:example/edge.git?token=${TOKEN}`],
  ['an scp-like address with a space', 'git@github.com:example/my edge.git'],
  ['a line break', 'https://github.com/example/edge.git\nhttps://evil.example/'],
  ['Terraform-style template text', 'https://github.com/${org}/edge.git'],
  ['an http URL', 'http://github.com/example/edge.git'],
  ['a file URL', 'file:///srv/git/edge.git'],
];

describe('GitOps inputs that land in dist/delivery', () => {
  test.each(BAD_REPO_URLS)(
    'rejects a repoUrl with %s, in Argo CD and Flux, without echoing a credential',
    (_, repoUrl) => {
      for (const render of [argo, flux]) {
        const err = validationErrorOf(() => render({ repoUrl }));
        expect(err.field).toBe('repoUrl');
        expect(err.message).not.toContain(TOKEN);
      }
    },
  );

  test.each([
    'https://github.com/example/edge.git',
    'https://dev.azure.com/org/project/_git/edge',
    'ssh://git@github.com/example/edge.git',
    'git@github.com:example/edge.git',
  ])('accepts the repository URL %s', (repoUrl) => {
    expect(checkGitSource({ ...SOURCE, repoUrl }).repoUrl).toBe(repoUrl);
  });

  test.each<[string, string]>([
    ['user info', `https://admin:${TOKEN}@aks.example.com:443`],
    ['a query', `https://aks.example.com?token=${TOKEN}`],
    ['a fragment', 'https://kubernetes.default.svc#x'],
    ['a space', 'https://kubernetes.default.svc extra'],
    ['http', 'http://kubernetes.default.svc'],
  ])('rejects an Argo CD destinationServer with %s', (_, destinationServer) => {
    const err = validationErrorOf(() => argo({ destinationServer }));
    expect(err.field).toBe('destinationServer');
    expect(err.message).not.toContain(TOKEN);
  });

  test('accepts the API server URL of a registered cluster', () => {
    expect(() => argo({ destinationServer: 'https://aks-prod-dns-1234.hcp.westeurope.azmk8s.io:443' })).not.toThrow();
  });

  test.each(['../../etc', '/abs', 'delivery/../x', 'delivery argo'])(
    'rejects a deliveryFolder %j in Argo CD and Flux',
    (deliveryFolder) => {
      expect(validationErrorOf(() => argo({ deliveryFolder })).field).toBe('deliveryFolder');
      expect(validationErrorOf(() => flux({ deliveryFolder })).field).toBe('deliveryFolder');
    },
  );

  const prerequisite = (change: Partial<HelmPrerequisite>): HelmPrerequisite => ({
    ...certManagerPrerequisite(),
    ...change,
  });
  test.each<[string, Partial<HelmPrerequisite>, string]>([
    [
      'rejects a prerequisite repoUrl with a token',
      { repoUrl: `https://user:${TOKEN}@charts.example.com` },
      'prerequisites[0].repoUrl',
    ],
    ['rejects a prerequisite repoUrl over http', { repoUrl: 'http://charts.jetstack.io' }, 'prerequisites[0].repoUrl'],
    ['rejects a prerequisite chart name with a slash', { chart: 'jetstack/cert-manager' }, 'prerequisites[0].chart'],
    ['rejects a prerequisite version range', { version: '^1.21.0' }, 'prerequisites[0].version'],
    [
      'rejects a prerequisite namespace that is not a namespace name',
      { namespace: 'Cert Manager' },
      'prerequisites[0].namespace',
    ],
    [
      'rejects a prerequisite repoName that is not an object name',
      { repoName: 'jet_stack' },
      'prerequisites[0].repoName',
    ],
  ])('%s', (_, change, field) => {
    for (const render of [argo, flux]) {
      const err = validationErrorOf(() => render({ prerequisites: [prerequisite(change)] }));
      expect(err.field).toBe(field);
      expect(err.message).not.toContain(TOKEN);
    }
  });
});
