/**
 * The consumer test (issue 10): build and pack the library, install the tarball into an empty project with only the
 * package and its required peers, type-check and run a tiny cdk8s app there (one MtlsIngress with a WAF rule in front
 * of an EchoApp), and assert on the YAML it writes. Needs the npm registry or a warm npm cache (`--prefer-offline`).
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { objectsOf, readTree } from '../support/dist';
import { validateManifest } from '../support/schema';
import { ALLOWED_PACKAGE_PATH, buildAndPack, installedVersion, npm, PackResult, tsc } from './pack';
import { REPO_ROOT } from './public-api';

const P = 'nginx.ingress.kubernetes.io/';
const REQUIRED_PEERS = ['cdk8s', 'constructs'];
/**
 * What the consumer app itself depends on besides the package: cdk8s-plus-27, whose L1 types the app (and the
 * examples, like a team's existing app) uses. Installed after the package, without optional dependencies: its only
 * optional dependency is `backport`, which brings axios 0.27 (CVE-2023-45857) and is not needed at run time.
 */
const APP_DEPENDENCIES = ['cdk8s-plus-27'];

/** The consumer's app, as a platform team would write it against the installed package. */
const APP = `import { App } from 'cdk8s';
import { KubeNamespace } from 'cdk8s-plus-27/lib/imports/k8s';
import { EchoApp, LayerChart, ManagedClientCa, ModSecurityController, MtlsIngress, synthesize, WafPolicy } from 'aks-waf-mtls-edge';

function build(): App {
  const app = new App();
  const waf = new WafPolicy({ mode: 'On', denyRequestHeaders: [{ header: 'user', match: { exact: 'admin' } }] });
  const controller = new ModSecurityController(new LayerChart(app, 'edge', { layer: 'controller' }), 'controller', { waf });
  const ca = new ManagedClientCa(new LayerChart(app, 'pki', { layer: 'certificates' }), 'client-ca', { name: 'partner-ca', namespace: 'client-certificates' });
  ca.addClient('hospital-a');
  const apps = new LayerChart(app, 'apps', { layer: 'apps' });
  new KubeNamespace(apps, 'namespace', { metadata: { name: 'echo' } });
  const echo = new EchoApp(apps, 'echo', { namespace: 'echo', ingressController: { namespace: controller.namespace } });
  new MtlsIngress(apps, 'echo-ingress', {
    name: 'echo',
    namespace: 'echo',
    ingressClassName: controller.ingressClassName,
    hosts: [{ host: 'echo.example.com' }],
    backend: { serviceName: echo.serviceName, servicePort: echo.servicePortName },
    serverTls: { secretName: 'echo-tls' },
    clientAuth: { ca, allowedClients: ['hospital-a'] },
  });
  return app;
}

synthesize({ cdk8s: { build, outdir: 'dist' } });
`;

/** What the consumer can and cannot load, and what a bad input throws. */
const PROBE = `
const m = require('aks-waf-mtls-edge');
const out = { exports: Object.keys(m).sort() };
try { require('aks-waf-mtls-edge/azure'); out.azure = 'loaded'; } catch (e) { out.azure = e.code + ': ' + e.message.split('\\n')[0]; }
try { require('aks-waf-mtls-edge/build/package/lib/core/validation'); out.deep = 'loaded'; } catch (e) { out.deep = e.code; }
try { new m.WafPolicy({ denySourceIps: [{ sources: ['34.242.209.999'] }] }); out.error = 'none'; }
catch (e) { out.error = { isValidationError: e instanceof m.ValidationError, field: e.field, value: e.value, fix: typeof e.fix }; }
// A second installed copy (as when another library of the app depends on the package): vendor/node_modules holds a
// copy of the installed package; its dependencies resolve from the consumer's node_modules.
const other = require('./vendor/node_modules/aks-waf-mtls-edge');
try { new other.WafPolicy({ denySourceIps: [{ sources: ['34.242.209.999'] }] }); out.otherCopy = 'none'; }
catch (e) { out.otherCopy = { distinctClass: other.ValidationError !== m.ValidationError, instanceOf: e instanceof m.ValidationError, isValidationError: m.ValidationError.isValidationError(e) }; }
process.stdout.write(JSON.stringify(out));
`;

/** The part of `npm ls --json` read here. */
interface NpmTree {
  readonly dependencies?: Record<string, NpmTree>;
}

/** Every package name in an `npm ls --all --json` tree. */
function namesIn(tree: NpmTree): Set<string> {
  const names = new Set<string>();
  const walk = (t: NpmTree): void => {
    for (const [name, child] of Object.entries(t.dependencies ?? {})) {
      names.add(name);
      walk(child);
    }
  };
  walk(tree);
  return names;
}

describe('consumer: the packed library installed into an empty project', () => {
  let work: string;
  let consumer: string;
  let pack: PackResult;
  /** `npm ls --all --json` after installing the package and its required peers only. */
  let packageOnly: NpmTree;

  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'aks-edge-consumer-'));
    pack = buildAndPack(work);
    consumer = join(work, 'consumer');
    mkdirSync(consumer);
    writeFileSync(
      join(consumer, 'package.json'),
      JSON.stringify({ name: 'edge-consumer', version: '1.0.0', private: true }, null, 2),
    );
    npm(
      [
        'install',
        '--prefer-offline',
        '--no-audit',
        '--no-fund',
        pack.tarball,
        ...REQUIRED_PEERS.map((p) => `${p}@${installedVersion(p)}`),
      ],
      consumer,
    );
    packageOnly = JSON.parse(npm(['ls', '--all', '--json'], consumer)) as NpmTree;
    npm(
      [
        'install',
        '--prefer-offline',
        '--no-audit',
        '--no-fund',
        '--omit=optional',
        ...APP_DEPENDENCIES.map((p) => `${p}@${installedVersion(p)}`),
      ],
      consumer,
    );
    cpSync(
      join(consumer, 'node_modules', 'aks-waf-mtls-edge'),
      join(consumer, 'vendor', 'node_modules', 'aks-waf-mtls-edge'),
      { recursive: true },
    );
  }, 180_000);

  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  test('the tarball holds only compiled JavaScript, declarations, package.json, README, CHANGELOG and LICENSE', () => {
    expect(pack.files.filter((f) => !ALLOWED_PACKAGE_PATH.test(f))).toEqual([]);
    expect(pack.files).toEqual(
      expect.arrayContaining([
        'package.json',
        'README.md',
        'CHANGELOG.md',
        'LICENSE',
        'build/package/lib/index.js',
        'build/package/lib/index.d.ts',
        'build/package/lib/azure-entry.js',
        'build/package/lib/azure-entry.d.ts',
        'build/package/imports/cert-manager.io.js',
      ]),
    );
    expect(
      pack.files.some((f) => /(^|\/)(test|dist|examples|bench|scripts)\//.test(f) || /\.map$|(?<!\.d)\.ts$/.test(f)),
    ).toBe(false);
    expect(pack.size).toBeLessThan(1_000_000);
  });

  test('installs with only the required peers: cdktf and the Azure provider stay out, nothing is missing', () => {
    expect(existsSync(join(consumer, 'node_modules', 'aks-waf-mtls-edge', 'build', 'package', 'lib', 'index.js'))).toBe(
      true,
    );
    expect(existsSync(join(consumer, 'node_modules', 'cdktf'))).toBe(false);
    expect(existsSync(join(consumer, 'node_modules', '@cdktf'))).toBe(false);
    // `npm ls` exits non-zero on a missing or invalid dependency (an optional peer that is absent is neither).
    expect(() => npm(['ls', '--all', 'aks-waf-mtls-edge'], consumer)).not.toThrow();
  });

  test('passes on no cdk8s-plus-27, backport or axios: the package and its peers install none of them', () => {
    const names = namesIn(packageOnly);
    expect([...names]).toEqual(expect.arrayContaining(['aks-waf-mtls-edge', ...REQUIRED_PEERS]));
    expect([...names].filter((n) => ['cdk8s-plus-27', 'backport', 'axios'].includes(n))).toEqual([]);
  });

  test('an app that uses cdk8s-plus-27 itself keeps backport and axios out with --omit=optional', () => {
    expect(existsSync(join(consumer, 'node_modules', 'cdk8s-plus-27', 'package.json'))).toBe(true);
    expect(existsSync(join(consumer, 'node_modules', 'backport'))).toBe(false);
    expect(existsSync(join(consumer, 'node_modules', 'axios'))).toBe(false);
  });

  test('a strict TypeScript app type-checks against the shipped declarations (no skipLibCheck) and runs', () => {
    writeFileSync(join(consumer, 'app.ts'), APP);
    writeFileSync(
      join(consumer, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'node16',
          moduleResolution: 'node16',
          strict: true,
          skipLibCheck: false,
          types: [],
          outDir: 'out',
          rootDir: '.',
        },
        files: ['app.ts'],
      }),
    );
    tsc(['-p', consumer], consumer);
    execFileSync(process.execPath, [join('out', 'app.js')], { cwd: consumer, stdio: ['ignore', 'pipe', 'pipe'] });
    expect(existsSync(join(consumer, 'dist', 'kustomization.yaml'))).toBe(true);
  });

  test('the YAML puts the mTLS Ingress in front of the EchoApp and the WAF rule into the controller', () => {
    const tree = readTree(join(consumer, 'dist'));
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const objects = objectsOf(tree).map((o) => o.manifest as any);
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const find = (kind: string, namespace: string, name: string): any =>
      objects.find((o) => o.kind === kind && o.metadata.namespace === namespace && o.metadata.name === name);

    const ingress = find('Ingress', 'echo', 'echo');
    expect(tree.has('30-apps/echo_ingress_echo.yaml')).toBe(true);
    expect(ingress.metadata.annotations).toMatchObject({
      [`${P}auth-tls-secret`]: 'echo/partner-ca',
      [`${P}auth-tls-verify-client`]: 'on',
      [`${P}auth-tls-match-cn`]: 'CN=(?:hospital-a)(?:,|$)|^$',
      [`${P}ssl-redirect`]: 'true',
    });
    expect(ingress.spec.rules[0].http.paths[0].backend).toEqual({ service: { name: 'echo', port: { name: 'http' } } });

    const service = find('Service', 'echo', 'echo');
    expect(service.spec.ports).toEqual([expect.objectContaining({ name: 'http', port: 80 })]);
    expect(find('Deployment', 'echo', 'echo').spec.template.spec.containers[0].image).toMatch(
      /^docker\.io\/mendhak\/http-https-echo:37@sha256:[0-9a-f]{64}$/,
    );

    const config = find('ConfigMap', 'ingress-nginx', 'ingress-nginx-controller');
    expect(tree.has('10-controller/ingress-nginx_configmap_ingress-nginx-controller.yaml')).toBe(true);
    expect(config.data['enable-modsecurity']).toBe('true');
    const policy = find('ConfigMap', 'ingress-nginx', 'ingress-nginx-waf-policy').data['policy.conf'];
    expect(config.data['modsecurity-snippet']).toContain('Include /etc/nginx/edge-waf/policy.conf');
    expect(policy).toContain('SecRuleEngine On');
    expect(policy).toMatch(
      /SecRule REQUEST_HEADERS:user "@rx \(\?:\^\|,\)\[\\t \]\*\(\?:admin\)\[\\t \]\*\(\?:,\|\$\)" "id:\d+,phase:1,deny,status:403/,
    );
    expect(find('Certificate', 'client-certificates', 'hospital-a').spec.commonName).toBe('hospital-a');
    expect(objects.find((o) => o.kind === 'IngressClass' && o.metadata.name === 'nginx')?.spec.controller).toBe(
      'k8s.io/ingress-nginx',
    );
    expect(ingress.spec.ingressClassName).toBe('nginx');
  });

  test('every object it wrote is schema-valid and no private key reached the YAML', () => {
    const tree = readTree(join(consumer, 'dist'));
    const objects = objectsOf(tree);
    expect(objects.length).toBeGreaterThan(25);
    for (const { manifest } of objects) validateManifest(manifest);
    expect([...tree.values()].join('\n')).not.toMatch(/PRIVATE KEY/);
  });

  test('the example of docs/library.md (the README\'s "Use it in your app") type-checks and runs as printed', () => {
    const markdown = readFileSync(join(REPO_ROOT, 'docs', 'library.md'), 'utf8');
    const example = /```ts\n([\s\S]*?)```/.exec(markdown)?.[1];
    expect(example).toContain("from 'aks-waf-mtls-edge'");
    expect(example!.trim().split('\n').length).toBeLessThanOrEqual(16);
    const dir = join(consumer, 'readme');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'main.ts'), example!);
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'commonjs',
          moduleResolution: 'node',
          strict: true,
          skipLibCheck: false,
          types: [],
          outDir: 'out',
          rootDir: '.',
        },
        files: ['main.ts'],
      }),
    );
    tsc(['-p', dir], dir);
    execFileSync(process.execPath, [join('out', 'main.js')], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const objects = objectsOf(readTree(join(dir, 'dist'))).map((o) => o.manifest as any);
    const ingress = objects.find((o) => o.kind === 'Ingress');
    expect(ingress.metadata.annotations[`${P}auth-tls-match-cn`]).toBe('CN=(?:hospital-a)(?:,|$)|^$');
    expect(
      objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'ingress-nginx-waf-policy').data['policy.conf'],
    ).toContain('REQUEST_HEADERS:user');
    for (const o of objects) validateManifest(o);
  });

  test('the examples run as copied into an app, with only the import changed to the package', () => {
    const dir = join(consumer, 'examples');
    mkdirSync(dir, { recursive: true });
    const examples = readdirSync(join(REPO_ROOT, 'examples'))
      .filter((f) => f.endsWith('.ts'))
      .sort();
    expect(examples).toEqual(['existing-app.ts', 'new-client.ts']);
    for (const file of examples) {
      const source = readFileSync(join(REPO_ROOT, 'examples', file), 'utf8');
      expect(source).toContain("from '../lib';");
      writeFileSync(join(dir, file), source.replace("from '../lib';", "from 'aks-waf-mtls-edge';"));
    }
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'commonjs',
          moduleResolution: 'node',
          strict: true,
          skipLibCheck: false,
          outDir: 'out',
          rootDir: '.',
          // The examples use `require.main` and `process.argv`: Node's types, borrowed from the repository (not installed).
          typeRoots: [join(REPO_ROOT, 'node_modules', '@types')],
          types: ['node'],
        },
        files: examples,
      }),
    );
    tsc(['-p', dir], dir);
    execFileSync(process.execPath, [join('out', 'existing-app.js'), 'out-existing'], {
      cwd: dir,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    execFileSync(process.execPath, [join('out', 'new-client.js'), 'out-new-client'], {
      cwd: dir,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    expect(readFileSync(join(dir, 'out-existing', 'orders.k8s.yaml'), 'utf8')).toContain('auth-tls-match-cn');
    const tree = readTree(join(dir, 'out-new-client'));
    expect(tree.get('20-certificates/client-certificates_certificate_hospital-c.yaml')).toContain(
      'commonName: hospital-c',
    );
    expect(tree.get('10-controller/ingress-nginx_configmap_ingress-nginx-waf-policy.yaml')).toContain(
      'ruleRemoveTargetById=942100',
    );
  });

  test('the main entry loads without cdktf; the azure entry names the missing peer; internals are not importable', () => {
    const out = JSON.parse(execFileSync(process.execPath, ['-e', PROBE], { cwd: consumer, encoding: 'utf8' }));
    expect(out.exports).toEqual(
      expect.arrayContaining([
        'MtlsIngress',
        'EchoApp',
        'WafPolicy',
        'ModSecurityController',
        'ValidationError',
        'monitoring',
        'gitops',
      ]),
    );
    expect(out.exports).not.toEqual(expect.arrayContaining(['invalid']));
    expect(out.azure).toMatch(/^MODULE_NOT_FOUND: Cannot find module 'cdktf'/);
    expect(out.deep).toBe('ERR_PACKAGE_PATH_NOT_EXPORTED');
  });

  test('a bad input throws the exported ValidationError naming the field, the value and the fix', () => {
    const out = JSON.parse(execFileSync(process.execPath, ['-e', PROBE], { cwd: consumer, encoding: 'utf8' }));
    expect(out.error).toEqual({
      isValidationError: true,
      field: 'waf.denySourceIps[0].sources[0]',
      value: '34.242.209.999',
      fix: 'string',
    });
  });

  test('ValidationError.isValidationError recognises an error thrown by a second installed copy (instanceof does not)', () => {
    const out = JSON.parse(execFileSync(process.execPath, ['-e', PROBE], { cwd: consumer, encoding: 'utf8' }));
    expect(out.otherCopy).toEqual({ distinctClass: true, instanceOf: false, isValidationError: true });
  });

  test('packing the repository itself ships nothing else either (npm pack --dry-run at the root)', () => {
    const files = JSON.parse(
      npm(['pack', '--dry-run', '--ignore-scripts', '--json'], REPO_ROOT).replace(/^[^[]*/, ''),
    )[0].files.map((f: { path: string }) => f.path) as string[];
    expect(files.filter((f) => !ALLOWED_PACKAGE_PATH.test(f))).toEqual([]);
    expect(files).toEqual(expect.arrayContaining(['package.json', 'README.md', 'CHANGELOG.md', 'LICENSE']));
  });
});
