/**
 * Loads rendered snippets into a real nginx + libmodsecurity (`nginx -t`), wrapped exactly as nginx.tmpl of
 * ingress-nginx v1.15.1 does (`modsecurity_rules '\n      <value>\n    ';`), with the WAF policy file written where the
 * controller mounts it. The image paths are mapped onto a local CRS: ../shared/crs-v4.22.0 (or $CRS_DIR), else
 * Debian's modsecurity-crs. Skipped when nginx or the ModSecurity module is not installed. The full behavioural suite
 * lives in test/engine (test/engine/large-policy.test.ts runs requests against a large policy).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Testing } from 'cdk8s';
import { ModSecurityController } from '../../lib/controller/controller';
import { WAF_POLICY_CONFIG_MAP, WAF_POLICY_KEY, WAF_POLICY_MOUNT_PATH } from '../../lib/controller/waf-policy';
import { MODSECURITY_SNIPPET, MODSECURITY_SNIPPET_MAX_BYTES } from '../../lib/ingress-nginx/configmap-keys';
import { REFERENCE_DEPLOYMENT } from '../../lib/reference/config';
import { addController } from '../../lib/reference/controller';
import { CRS_ROOT, MODSECURITY_BASE_CONFIG } from '../../lib/waf/crs';
import { WafPolicy } from '../../lib/waf/policy';

const MODULE = [
  '/usr/lib/nginx/modules/ngx_http_modsecurity_module.so',
  '/usr/share/nginx/modules/ngx_http_modsecurity_module.so',
].find(existsSync);
const NGINX = spawnSync('nginx', ['-v']).status === 0;
const BASE_CONFIG = ['/etc/nginx/modsecurity.conf', '/etc/modsecurity/modsecurity.conf-recommended'].find(existsSync);
const SHARED_CRS = process.env.CRS_DIR ?? join(__dirname, '..', '..', '..', 'shared', 'crs-v4.22.0');
const CRS = existsSync(join(SHARED_CRS, 'crs-setup.conf'))
  ? { setup: join(SHARED_CRS, 'crs-setup.conf'), rules: join(SHARED_CRS, 'rules') }
  : existsSync('/usr/share/modsecurity-crs/rules')
    ? { setup: '/etc/modsecurity/crs/crs-setup.conf', rules: '/usr/share/modsecurity-crs/rules' }
    : undefined;
const available = Boolean(NGINX && MODULE && BASE_CONFIG && CRS);
const maybe = available ? describe : describe.skip;

/**
 * nginx -t on an http block holding one modsecurity_rules directive with `value` as the template writes it;
 * `policyFile` is written to a temporary folder that stands in for the controller's mount of the policy ConfigMap.
 */
function nginxTest(value: string, policyFile?: string): { ok: boolean; output: string } {
  const dir = mkdtempSync(join(tmpdir(), 'waf-nginx-'));
  try {
    if (policyFile !== undefined) {
      mkdirSync(join(dir, 'edge-waf'));
      writeFileSync(join(dir, 'edge-waf', WAF_POLICY_KEY), mapPaths(policyFile));
      value = value.split(WAF_POLICY_MOUNT_PATH).join(join(dir, 'edge-waf'));
    }
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
    .split(MODSECURITY_BASE_CONFIG)
    .join(BASE_CONFIG!)
    .split(`${CRS_ROOT}/crs-setup.conf`)
    .join(CRS!.setup)
    .split(`${CRS_ROOT}/rules/`)
    .join(`${CRS!.rules}/`);
}

maybe('rendered snippet in a real nginx + libmodsecurity', () => {
  /** The controller's snippet and policy file for a policy, as synthesized. */
  function rendered(waf: WafPolicy): { snippet: string; policy: string } {
    const chart = Testing.chart();
    new ModSecurityController(chart, 'ingress-nginx', { waf });
    const objs = Testing.synth(chart);
    const snippet = objs.find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'ingress-nginx-controller').data[
      'modsecurity-snippet'
    ];
    const policy = objs.find((o) => o.kind === 'ConfigMap' && o.metadata.name === WAF_POLICY_CONFIG_MAP).data[
      WAF_POLICY_KEY
    ];
    return { snippet, policy };
  }

  test("the reference deployment's modsecurity-snippet and policy file load with CRS", () => {
    const chart = Testing.chart();
    addController(chart, REFERENCE_DEPLOYMENT);
    const objs = Testing.synth(chart);
    const cm = objs.find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'ingress-nginx-controller');
    const policy = objs.find((o) => o.kind === 'ConfigMap' && o.metadata.name === WAF_POLICY_CONFIG_MAP);
    const result = nginxTest(mapPaths(cm.data['modsecurity-snippet']), policy.data[WAF_POLICY_KEY]);
    expect(result.output).toContain('test is successful');
    const loaded = /rules loaded inline\/local\/remote: (\d+)\/(\d+)/.exec(result.output);
    expect(Number(loaded?.[1]) + Number(loaded?.[2])).toBeGreaterThan(200);
  });

  test('without the policy file the snippet does not load (the include is real)', () => {
    const { snippet } = rendered(new WafPolicy({ mode: 'On' }));
    const result = nginxTest(mapPaths(snippet.split(WAF_POLICY_MOUNT_PATH).join('/nonexistent/edge-waf')));
    expect(result.ok).toBe(false);
  });

  test('every rule kind, quotes and backslashes load without errors, inline and as a file', () => {
    const props = {
      mode: 'DetectionOnly' as const,
      servedHosts: ['api.example.com', 'b.example.com'],
      allowedMethods: ['GET', 'POST'],
      allowedRequestContentTypes: ['application/json'],
      denySourceIps: [{ sources: ['34.242.209.15', '2001:db8::/32'], description: 'test (ipv4/ipv6)' }],
      denyRequestHeaders: [
        { header: 'user', match: { exact: 'admin' } },
        { header: 'x-role', match: { anyOf: ['root', 'a.b'] }, ignoreCase: true },
        { header: 'x-q', match: { regex: '^a\\x27\\d+\\\\n$' } },
      ],
      allowPaths: [{ host: 'api.example.com', paths: ['/v1', '/healthz'] }],
      exclusions: [
        { ruleIds: [942100], host: 'api.example.com', path: '/upload' },
        { ruleIds: [942100], host: 'b.example.com', path: '/upload' },
        { ruleIds: [942100], host: 'api.example.com', target: 'ARGS:comment' },
        { ruleIds: [920350], path: '/healthz' },
        { ruleIds: [920350], host: 'api.example.com' },
        { ruleIds: [920350], host: 'b.example.com' },
      ],
    };
    const policy = new WafPolicy(props);
    expect(policy.allocatedRules().filter((r) => r.mergedInto !== undefined)).toHaveLength(2);
    // Inline, nginx's 4 KiB directive limit allows only part of it (the routed-host and client-certificate rules of
    // transaction-facts.ts take ~1.2 KiB, the regex match-limit settings ~0.2 KiB; response and audit-context settings left out): every rule kind, with the regex
    // header rule (quotes and backslashes) and the first exclusion.
    const inline = new WafPolicy({
      ...props,
      denyRequestHeaders: props.denyRequestHeaders.slice(2),
      exclusions: props.exclusions.slice(0, 1),
      inspectResponseBodies: false,
      auditLogParts: 'ABHZ',
    });
    expect(nginxTest(mapPaths(MODSECURITY_SNIPPET.render('test', inline.renderModSecurityConfig()))).output).toContain(
      'test is successful',
    );
    const { snippet, policy: file } = rendered(policy);
    expect(file).toContain('\\x27');
    expect(nginxTest(mapPaths(snippet), file).output).toContain('test is successful');
  });

  test('a policy far beyond 4 KiB (200 host-scoped exclusions, plus 5000 hosts in one merged rule) loads from the file', () => {
    const hosts = Array.from({ length: 5000 }, (_, i) => `tenant-${i}.example.com`);
    const waf = new WafPolicy({
      mode: 'On',
      servedHosts: hosts,
      exclusions: [
        ...hosts
          .slice(0, 200)
          .map((host, i) => ({ host, path: `/api/t${i}`, ruleIds: [942100 + i], description: `false positive ${i}` })),
        ...hosts.map((host) => ({ host, path: '/api/notes', target: 'ARGS:note', ruleIds: [942100] })),
      ],
    });
    const { snippet, policy } = rendered(waf);
    expect(Buffer.byteLength(policy)).toBeGreaterThan(100 * 1024);
    expect(Buffer.byteLength(snippet)).toBeLessThan(250);
    const result = nginxTest(mapPaths(snippet), policy);
    expect(result.output).toContain('test is successful');
  });

  test(`a value of ${MODSECURITY_SNIPPET_MAX_BYTES} bytes fits one nginx parameter and one byte more does not`, () => {
    const fill = (n: number): string => {
      const line = `# ${'x'.repeat(70)}\n`;
      return line.repeat(Math.ceil(n / line.length)).slice(0, n - 1) + '\n';
    };
    expect(nginxTest(fill(MODSECURITY_SNIPPET_MAX_BYTES)).ok).toBe(true);
    const tooLong = nginxTest(fill(MODSECURITY_SNIPPET_MAX_BYTES + 1));
    expect(tooLong.ok).toBe(false);
    expect(tooLong.output).toContain('too long parameter');
  });

  test('an unescaped quote breaks the configuration (why the snippet is escaped)', () => {
    expect(nginxTest('SecAction "id:10000,phase:1,pass,nolog,msg:\'x\'"').ok).toBe(false);
    expect(nginxTest('SecAction "id:10000,phase:1,pass,nolog,msg:\\\'x\\\'"').ok).toBe(true);
  });
});

if (!available)
  console.warn(`skipped nginx load tests: nginx=${NGINX} module=${MODULE} base=${BASE_CONFIG} crs=${CRS?.rules}`);
