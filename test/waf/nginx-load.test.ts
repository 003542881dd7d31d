/**
 * Loads rendered snippets into a real nginx + libmodsecurity (`nginx -t`), wrapped exactly as nginx.tmpl of
 * ingress-nginx v1.15.1 does (`modsecurity_rules '\n      <value>\n    ';`). The image paths are mapped onto a local
 * CRS: ../shared/crs-v4.22.0 (or $CRS_DIR), else Debian's modsecurity-crs. Skipped when nginx or the ModSecurity
 * module is not installed. The full behavioural suite lives in test/engine.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Testing } from 'cdk8s';
import { MODSECURITY_SNIPPET, MODSECURITY_SNIPPET_MAX_BYTES } from '../../lib/ingress-nginx/configmap-keys';
import { REFERENCE_DEPLOYMENT } from '../../lib/reference/config';
import { addController } from '../../lib/reference/controller';
import { CRS_ROOT, MODSECURITY_BASE_CONFIG } from '../../lib/waf/crs';
import { WafPolicy } from '../../lib/waf/policy';

const MODULE = ['/usr/lib/nginx/modules/ngx_http_modsecurity_module.so', '/usr/share/nginx/modules/ngx_http_modsecurity_module.so'].find(existsSync);
const NGINX = spawnSync('nginx', ['-v']).status === 0;
const BASE_CONFIG = ['/etc/nginx/modsecurity.conf', '/etc/modsecurity/modsecurity.conf-recommended'].find(existsSync);
const SHARED_CRS = process.env.CRS_DIR ?? join(__dirname, '..', '..', '..', 'shared', 'crs-v4.22.0');
const CRS = existsSync(join(SHARED_CRS, 'crs-setup.conf'))
  ? { setup: join(SHARED_CRS, 'crs-setup.conf'), rules: join(SHARED_CRS, 'rules') }
  : existsSync('/usr/share/modsecurity-crs/rules') ? { setup: '/etc/modsecurity/crs/crs-setup.conf', rules: '/usr/share/modsecurity-crs/rules' } : undefined;
const available = Boolean(NGINX && MODULE && BASE_CONFIG && CRS);
const maybe = available ? describe : describe.skip;

/** nginx -t on an http block holding one modsecurity_rules directive with `value` as the template writes it. */
function nginxTest(value: string): { ok: boolean; output: string } {
  const dir = mkdtempSync(join(tmpdir(), 'waf-nginx-'));
  try {
    const conf = [
      `load_module ${MODULE};`,
      `error_log ${dir}/error.log notice;`,
      `pid ${dir}/nginx.pid;`,
      'events { worker_connections 16; }',
      'http {',
      `    access_log off; client_body_temp_path ${dir}/b; proxy_temp_path ${dir}/p; fastcgi_temp_path ${dir}/f; uwsgi_temp_path ${dir}/u; scgi_temp_path ${dir}/s;`,
      '    modsecurity on;',
      `    modsecurity_rules '\n      ${value}\n    ';`,
      '}',
      '',
    ].join('\n');
    writeFileSync(join(dir, 'nginx.conf'), conf);
    const run = spawnSync('nginx', ['-t', '-p', dir, '-c', join(dir, 'nginx.conf')], { encoding: 'utf8' });
    return { ok: run.status === 0, output: `${run.stdout}${run.stderr}` };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Maps the image paths of a rendered (escaped) ConfigMap value onto the local files. */
function mapPaths(value: string): string {
  return value
    .split(MODSECURITY_BASE_CONFIG).join(BASE_CONFIG!)
    .split(`${CRS_ROOT}/crs-setup.conf`).join(CRS!.setup)
    .split(`${CRS_ROOT}/rules/`).join(`${CRS!.rules}/`);
}

maybe('rendered snippet in a real nginx + libmodsecurity', () => {
  test('the reference deployment\'s modsecurity-snippet loads with CRS', () => {
    const chart = Testing.chart();
    addController(chart, REFERENCE_DEPLOYMENT);
    const cm = Testing.synth(chart).find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'ingress-nginx-controller');
    const result = nginxTest(mapPaths(cm.data['modsecurity-snippet']));
    expect(result.output).toContain('test is successful');
    const loaded = /rules loaded inline\/local\/remote: (\d+)/.exec(result.output);
    expect(Number(loaded?.[1])).toBeGreaterThan(200);
  });

  test('every rule kind, quotes and backslashes load without errors', () => {
    const policy = new WafPolicy({
      mode: 'DetectionOnly',
      servedHosts: ['api.example.com'],
      allowedMethods: ['GET', 'POST'],
      allowedRequestContentTypes: ['application/json'],
      denySourceIps: [{ sources: ['34.242.209.15', '2001:db8::/32'], description: 'test (ipv4/ipv6)' }],
      denyRequestHeaders: [
        { header: 'user', match: { exact: 'admin' } },
        { header: 'x-role', match: { anyOf: ['root', 'a.b'] }, ignoreCase: true },
        { header: 'x-q', match: { regex: "^a\\x27\\d+\\\\n$" } },
      ],
      allowPaths: [{ host: 'api.example.com', paths: ['/v1', '/healthz'] }],
      exclusions: [
        { ruleIds: [942100], host: 'api.example.com', path: '/upload' },
        { ruleIds: [942100], host: 'api.example.com', target: 'ARGS:comment' },
        { ruleIds: [920350], path: '/healthz' },
      ],
    });
    const value = MODSECURITY_SNIPPET.render('test', policy.renderModSecurityConfig());
    const result = nginxTest(mapPaths(value));
    expect(result.output).toContain('test is successful');
  });

  test(`a value of ${MODSECURITY_SNIPPET_MAX_BYTES} bytes fits one nginx parameter and one byte more does not`, () => {
    const fill = (n: number): string => {
      const line = `# ${'x'.repeat(70)}\n`;
      return (line.repeat(Math.ceil(n / line.length))).slice(0, n - 1) + '\n';
    };
    expect(nginxTest(fill(MODSECURITY_SNIPPET_MAX_BYTES)).ok).toBe(true);
    const tooLong = nginxTest(fill(MODSECURITY_SNIPPET_MAX_BYTES + 1));
    expect(tooLong.ok).toBe(false);
    expect(tooLong.output).toContain('too long parameter');
  });

  test('an unescaped quote breaks the configuration (why the snippet is escaped)', () => {
    expect(nginxTest("SecAction \"id:10000,phase:1,pass,nolog,msg:'x'\"").ok).toBe(false);
    expect(nginxTest("SecAction \"id:10000,phase:1,pass,nolog,msg:\\'x\\'\"").ok).toBe(true);
  });
});

if (!available) console.warn(`skipped nginx load tests: nginx=${NGINX} module=${MODULE} base=${BASE_CONFIG} crs=${CRS?.rules}`);
