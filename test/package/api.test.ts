/**
 * The public API: what the two entry points export (reviewed through a snapshot, so that a removal or rename — a
 * breaking change under semver — is a visible diff), that internal helpers stay internal, that every exported symbol
 * carries TSDoc with `@default` on optional props, and that the generated reference in docs/api is current.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readTree } from '../support/dist';
import { ApiItem, publicApi, REPO_ROOT } from './public-api';

/**
 * Types the library hands out rather than takes in: their optional fields are absent values, not defaults.
 * Their members must still be documented.
 */
const OUTPUT_TYPES = new Set([
  'SynthSummary',
  'KubeManifest',
  'RenderedObject',
  'AllocatedRule',
  'CaCertificateInfo',
  'monitoring.PanelQuery',
  'gitops.ObjectChange',
  'gitops.FileChange',
  'gitops.TreeDiff',
  'gitops.DeliveredLayer',
  'ResolvedAksProps',
  'ResolvedNodePool',
]);

/**
 * Documentation gaps that existed when this check was introduced, in modules owned by others (see the report of
 * issue 10). The check fails on any NEW gap, and on an entry here that has been fixed (delete it): the list only shrinks.
 */
const KNOWN_GAPS = JSON.parse(readFileSync(join(__dirname, 'known-doc-gaps.json'), 'utf8')) as {
  undocumented: string[];
  noDefault: string[];
};

/** Names that are implementation details: validation helpers, renderers, internal synth steps. */
const INTERNAL = [
  'invalid',
  'checkDnsLabel',
  'checkDnsSubdomain',
  'checkHostname',
  'checkIntegerInRange',
  'propsValidator',
  'withFieldPaths',
  'lateValidationError',
  'checkUnique',
  'standardLabels',
  'declare',
  'renderAnnotation',
  'normalizeClient',
  'checkGoDuration',
  'pemBlocks',
  'checkCaCertificates',
  'subjectAllowListPattern',
  'allocateRuleIds',
  'checkExclusion',
  'renderExclusion',
  'checkDenySourceIps',
  'renderDenySourceIps',
  'escapeForNginxSingleQuotes',
  'synthesizeCharts',
  'writeTree',
  'replaceFolderAtomically',
  'assertNoPrivateKeys',
  'resolveAksProps',
  'checkIpv4Cidr',
  'ControllerDeployment',
  'ControllerConfigMaps',
  'ControllerRbac',
  'ControllerServices',
  'AdmissionWebhook',
];

const api = publicApi();
const topLevel = api.filter((i) => !i.member);
const typeName = (path: string): string => path.split(':')[1].replace(/^((?:monitoring|gitops)\.)?([^.]+).*$/, '$1$2');

describe('public API', () => {
  test('exports exactly the reviewed symbols of both entry points (snapshot: a removal is a breaking change)', () => {
    expect(topLevel.map((i) => `${i.path} (${i.kind})`).sort()).toMatchSnapshot();
  });

  test('keeps internal helpers internal', () => {
    const names = new Set(topLevel.map((i) => i.path.split(':')[1]));
    expect(INTERNAL.filter((n) => names.has(n))).toEqual([]);
  });

  test('every exported symbol and every public member has TSDoc (no new gaps)', () => {
    const gaps = api.filter((i) => !i.doc).map((i) => i.path);
    expect(gaps.filter((g) => !KNOWN_GAPS.undocumented.includes(g))).toEqual([]);
    expect(KNOWN_GAPS.undocumented.filter((g) => !gaps.includes(g))).toEqual([]);
  });

  test('every optional prop of an input type documents its @default (no new gaps)', () => {
    const isInputProp = (i: ApiItem): boolean =>
      i.optional && i.kind === 'propertysignature' && !OUTPUT_TYPES.has(typeName(i.path));
    const gaps = api.filter((i) => isInputProp(i) && !i.hasDefault).map((i) => i.path);
    expect(gaps.filter((g) => !KNOWN_GAPS.noDefault.includes(g))).toEqual([]);
    expect(KNOWN_GAPS.noDefault.filter((g) => !gaps.includes(g))).toEqual([]);
  });

  test('the API reference in docs/api is generated from the current sources (run `npm run docs`)', () => {
    const out = mkdtempSync(join(tmpdir(), 'aks-edge-api-'));
    try {
      execFileSync(
        process.execPath,
        [join(REPO_ROOT, 'node_modules', 'typedoc', 'bin', 'typedoc'), '--out', out, '--logLevel', 'Warn'],
        { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
      );
      const fresh = readTree(out);
      const committed = readTree(join(REPO_ROOT, 'docs', 'api'));
      expect([...committed.keys()]).toEqual([...fresh.keys()]);
      const stale = [...fresh.keys()].filter((f) => committed.get(f) !== fresh.get(f));
      expect(stale).toEqual([]);
      expect(fresh.has('index.html')).toBe(true);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, 120_000);
});
