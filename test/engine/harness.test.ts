/**
 * Unit tests of the real-engine harness itself (no nginx needed): reading dist, rendering the nginx configuration
 * the way ingress-nginx v1.15.1's template does, recreating the image's ModSecurity files, reporting errors.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { copyDist, FIXTURE_DIST, withMountedPolicy, writeControllerObjects } from './harness/dist-copy';
import { EdgeModelError, LocationModel, mtlsServer, readEdgeModel } from './harness/edge-model';
import {
  crs3Compat,
  imageBaseConfig,
  mapImagePaths,
  materializeMounts,
  ModSecurityTree,
} from './harness/modsecurity-tree';
import { buildModSecurityForLocation, goQuote, NginxRuntime, renderNginxConf } from './harness/nginx-conf';
import { explainConfigError } from './harness/nginx-process';
import { engineAvailability, INSTALL_COMMAND } from './harness/prerequisites';
import { formatTable, isCrsId, nginxFingerprint, ruleIdsIn, SCENARIOS, ScenarioResult } from './harness/scenarios';

const tree: ModSecurityTree = {
  modsecurityDir: '/RUN/etc-nginx/modsecurity',
  crsDir: '/RUN/etc-nginx/owasp-modsecurity-crs',
  crs: { dir: '/CRS', version: '4.22.0', major: 4, origin: 'test', setupFile: '/CRS/crs-setup.conf' },
  baseConfigSource: '/BASE',
};

const runtime: NginxRuntime = {
  prefix: '/RUN',
  httpPort: 8080,
  httpsPort: 8443,
  upstream: { host: '127.0.0.1', port: 9000 },
  tree,
  serverCertificates: new Map([['echo.example.com', { cert: '/RUN/pki/server.crt', key: '/RUN/pki/server.key' }]]),
  defaultCertificate: { cert: '/RUN/pki/default.crt', key: '/RUN/pki/default.key' },
  clientCaFile: '/RUN/pki/client-ca.crt',
  clientIpHeader: 'X-Test-Client-IP',
  runWorkersAsRoot: false,
};

/** A fixture copy with one file edited; removed after the test. */
function withEditedFixture(
  edit: (path: string, content: string) => string | undefined,
  fn: (dist: string) => void,
): void {
  const dist = copyDist(FIXTURE_DIST, edit);
  try {
    fn(dist);
  } finally {
    rmSync(dist, { recursive: true, force: true });
  }
}

describe('reading dist', () => {
  const model = readEdgeModel(FIXTURE_DIST);

  test('reads the controller ConfigMap keys the template uses', () => {
    expect(model.controller).toMatchObject({
      enableModsecurity: true,
      enableOwaspCrs: true,
      proxySetHeaders: { 'ssl-client-fingerprint': '$ssl_client_fingerprint' },
      sslRedirect: true,
      httpRedirectCode: 308,
    });
    expect(model.controller.modsecuritySnippet).toContain('Include /etc/nginx/modsecurity/modsecurity.conf');
    expect(model.unmodelledKeys).toEqual([]);
    expect(model.unmodelledAnnotations).toEqual([]);
    expect(model.controller.mounts).toEqual([]);
    expect(model.unmodelledMounts).toEqual([]);
  });

  test('reads the mTLS annotations of the Ingress and resolves the CA secret to its trust-manager Bundle', () => {
    const server = mtlsServer(model);
    expect(server).toMatchObject({
      host: 'echo.example.com',
      tlsSecretName: 'echo-example-com-tls',
      locations: [{ path: '/', pathType: 'Prefix', service: 'echo', port: '80' }],
    });
    expect(server.auth).toEqual({
      secret: 'echo/client-ca',
      caSource: 'trust-manager Bundle client-ca → Secret echo/client-ca (ca.crt)',
      verifyClient: 'on',
      verifyDepth: 1,
      passCertificateToUpstream: true,
      matchCn: 'CN=(hospital-a|hospital-b)$',
    });
  });

  test('reads the client Certificates (usage client auth) with their key algorithm', () => {
    expect(model.clients.map((c) => [c.commonName, c.keyAlgorithm, c.keySize])).toEqual([
      ['hospital-a', 'ECDSA', 256],
      ['hospital-b', 'ECDSA', 256],
    ]);
  });

  test('lists ConfigMap keys and Ingress annotations it does not render', () => {
    withEditedFixture(
      (_p, c) =>
        c
          .replace('  enable-modsecurity: "true"', '  worker-processes: "4"\n  enable-modsecurity: "true"')
          .replace(
            '    nginx.ingress.kubernetes.io/auth-tls-verify-depth: "1"',
            '    nginx.ingress.kubernetes.io/auth-tls-verify-depth: "1"\n    nginx.ingress.kubernetes.io/limit-rps: "5"',
          ),
      (dist) => {
        const edited = readEdgeModel(dist);
        expect([edited.unmodelledKeys, edited.unmodelledAnnotations]).toEqual([
          ['worker-processes'],
          ['echo/echo: nginx.ingress.kubernetes.io/limit-rps'],
        ]);
      },
    );
  });

  test('rejects a dist folder that does not exist', () => {
    expect(() => readEdgeModel(join(FIXTURE_DIST, 'nope'))).toThrow(
      /does not exist; run `npx tsx main.ts --only cdk8s`/,
    );
  });

  test('rejects a dist without the controller ConfigMap', () => {
    withEditedFixture(
      (p, c) => (p.includes('ConfigMap_ingress-nginx-controller') ? undefined : c),
      (dist) => {
        expect(() => readEdgeModel(dist)).toThrow(
          new EdgeModelError(
            dist,
            'no ConfigMap ingress-nginx/ingress-nginx-controller (the controller configuration) in any layer',
          ),
        );
      },
    );
  });

  test('rejects proxy-set-headers pointing at a ConfigMap that is not in dist', () => {
    withEditedFixture(
      (p, c) => (p.includes('proxy-headers') ? undefined : c),
      (dist) => {
        expect(() => readEdgeModel(dist)).toThrow(
          /proxy-set-headers points at ingress-nginx\/ingress-nginx-proxy-headers, which is not in dist/,
        );
      },
    );
  });

  test('rejects an auth-tls-secret that nothing in dist produces', () => {
    withEditedFixture(
      (p, c) => (p.includes('Bundle') ? undefined : c),
      (dist) => {
        expect(() => readEdgeModel(dist)).toThrow(/auth-tls-secret echo\/client-ca is produced by nothing in dist/);
      },
    );
  });

  test('rejects a Secret used as auth-tls-secret without ca.crt', () => {
    const secret =
      'apiVersion: v1\nkind: Secret\nmetadata:\n  name: client-ca\n  namespace: echo\ndata:\n  tls.crt: eA==\n';
    withEditedFixture(
      (p, c) => (p.includes('Bundle') ? secret : c),
      (dist) => {
        expect(() => readEdgeModel(dist)).toThrow(
          /auth-tls-secret echo\/client-ca has no key ca.crt \(keys: tls.crt\)/,
        );
      },
    );
  });

  test('rejects a non-boolean ConfigMap flag', () => {
    withEditedFixture(
      (_p, c) => c.replace('enable-modsecurity: "true"', 'enable-modsecurity: "yes"'),
      (dist) => {
        expect(() => readEdgeModel(dist)).toThrow(/ConfigMap key enable-modsecurity: "yes" is not "true" or "false"/);
      },
    );
  });

  test('rejects a dist without an ingress-nginx IngressClass or Ingress', () => {
    withEditedFixture(
      (p, c) => (p.includes('IngressClass') ? undefined : c),
      (dist) => {
        expect(() => readEdgeModel(dist)).toThrow(/no IngressClass with spec.controller k8s.io\/ingress-nginx/);
      },
    );
    withEditedFixture(
      (p, c) => (p.includes('Ingress_echo') ? undefined : c),
      (dist) => {
        expect(() => readEdgeModel(dist)).toThrow(/no Ingress with ingressClassName "nginx"/);
      },
    );
  });
});

describe('ConfigMaps mounted into the controller (the WAF policy file)', () => {
  /** The fixture converted to a mounted policy, with the Deployment edited; removed after the test. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  function withDeployment(edit: (deployment: any) => void, fn: (dist: string) => void): void {
    const dist = withMountedPolicy(FIXTURE_DIST);
    try {
      const model = readEdgeModel(dist);
      expect(model.controller.mounts).toHaveLength(1);
      const deployment = {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { namespace: 'ingress-nginx', name: 'ingress-nginx-controller' },
        spec: {
          template: {
            spec: {
              containers: [
                {
                  name: 'controller',
                  volumeMounts: [{ name: 'waf-policy', mountPath: '/etc/nginx/edge-waf/', readOnly: true }],
                },
              ],
              volumes: [{ name: 'waf-policy', configMap: { name: 'ingress-nginx-waf-policy' } }],
            },
          },
        },
      };
      edit(deployment);
      writeControllerObjects(dist, [deployment]);
      fn(dist);
    } finally {
      rmSync(dist, { recursive: true, force: true });
    }
  }

  test("reads the Deployment's ConfigMap mounts: mount path, ConfigMap and its keys as files", () => {
    const dist = withMountedPolicy(FIXTURE_DIST);
    try {
      const model = readEdgeModel(dist);
      const inline = readEdgeModel(FIXTURE_DIST).controller.modsecuritySnippet;
      expect(model.controller.modsecuritySnippet).toBe(
        'Include /etc/nginx/modsecurity/modsecurity.conf\nInclude /etc/nginx/edge-waf/policy.conf\n',
      );
      expect(model.controller.mounts).toEqual([
        {
          volume: 'waf-policy',
          mountPath: '/etc/nginx/edge-waf',
          configMap: { namespace: 'ingress-nginx', name: 'ingress-nginx-waf-policy' },
          files: {
            'policy.conf': expect.stringContaining(
              "setvar:'tx.allowed_methods=GET HEAD POST OPTIONS PUT PATCH DELETE'",
            ),
          },
        },
      ]);
      expect(
        ruleIdsIn([model.controller.modsecuritySnippet, model.controller.mounts[0].files['policy.conf']].join('\n')),
      ).toEqual(ruleIdsIn(inline));
      expect([model.unmodelledKeys, model.unmodelledAnnotations, model.unmodelledMounts]).toEqual([[], [], []]);
    } finally {
      rmSync(dist, { recursive: true, force: true });
    }
  });

  test("honours the volume's items (key → file name), ignores the webhook certificate, lists other mounts as unmodelled", () => {
    withDeployment(
      (d) => {
        const pod = d.spec.template.spec;
        pod.volumes[0].configMap.items = [{ key: 'policy.conf', path: 'waf.conf' }];
        pod.volumes.push(
          { name: 'webhook-cert', secret: { secretName: 'ingress-nginx-admission' } },
          { name: 'extra', emptyDir: {} },
          { name: 'snip', configMap: { name: 'ingress-nginx-waf-policy' } },
        );
        pod.containers[0].volumeMounts.push(
          { name: 'webhook-cert', mountPath: '/usr/local/certificates/', readOnly: true },
          { name: 'extra', mountPath: '/etc/nginx/extra' },
          { name: 'snip', mountPath: '/etc/nginx/edge-waf-2/policy.conf', subPath: 'policy.conf' },
        );
      },
      (dist) => {
        const model = readEdgeModel(dist);
        expect(Object.keys(model.controller.mounts[0].files)).toEqual(['waf.conf']);
        expect(model.unmodelledMounts).toEqual([
          'extra → /etc/nginx/extra (emptyDir volume)',
          'snip → /etc/nginx/edge-waf-2/policy.conf (subPath mount)',
        ]);
      },
    );
  });

  test("rejects a mounted ConfigMap that is not in dist, a missing item key, and a mount over the image's ModSecurity files", () => {
    withDeployment(
      (d) => {
        d.spec.template.spec.volumes[0].configMap.name = 'nope';
      },
      (dist) => {
        expect(() => readEdgeModel(dist)).toThrow(
          /volume waf-policy mounts ConfigMap ingress-nginx\/nope, which is not in dist/,
        );
      },
    );
    withDeployment(
      (d) => {
        d.spec.template.spec.volumes[0].configMap.items = [{ key: 'other.conf', path: 'x.conf' }];
      },
      (dist) => {
        expect(() => readEdgeModel(dist)).toThrow(
          /wants key other.conf of ConfigMap ingress-nginx-waf-policy, which has no such key/,
        );
      },
    );
    withDeployment(
      (d) => {
        d.spec.template.spec.containers[0].volumeMounts[0].mountPath = '/etc/nginx/modsecurity';
      },
      (dist) => {
        expect(() => readEdgeModel(dist)).toThrow(
          /mounted at \/etc\/nginx\/modsecurity, over the image's \/etc\/nginx\/modsecurity/,
        );
      },
    );
    withDeployment(
      (d) => {
        d.spec.template.spec.containers[0].volumeMounts[0].mountPath = '/etc/nginx';
      },
      (dist) => {
        expect(() => readEdgeModel(dist)).toThrow(/over the image's/);
      },
    );
    withDeployment(
      (d) => {
        d.spec.template.spec.containers[0].name = 'nginx';
      },
      (dist) => {
        expect(() => readEdgeModel(dist)).toThrow(/no container named "controller"/);
      },
    );
  });

  test('maps the mount path in the snippet and in the mounted files to the temporary folder, nothing else', () => {
    const dist = withMountedPolicy(FIXTURE_DIST);
    const root = mkdtempSync(join(tmpdir(), 'edge-mounts-'));
    try {
      const model = readEdgeModel(dist);
      const mounts = materializeMounts(root, model.controller.mounts, tree);
      expect(mounts).toEqual([
        { imagePath: '/etc/nginx/edge-waf', localDir: join(root, 'ingress-nginx_ingress-nginx-waf-policy') },
      ]);
      const conf = renderNginxConf(model, { ...runtime, mounts });
      expect(conf).toContain(`      Include ${root}/ingress-nginx_ingress-nginx-waf-policy/policy.conf\n    ';`);
      expect(conf).not.toMatch(/ \/etc\/nginx\//);
      expect(readFileSync(join(root, 'ingress-nginx_ingress-nginx-waf-policy', 'policy.conf'), 'utf8')).toBe(
        model.controller.mounts[0].files['policy.conf'],
      );
      expect(
        mapImagePaths(
          'Include /etc/nginx/edge-waf/a.conf\nInclude /etc/nginx/edge-waf-other/b.conf\nInclude /etc/nginx/owasp-modsecurity-crs/rules/*.conf',
          tree,
          mounts,
        ),
      ).toBe(
        `Include ${mounts[0].localDir}/a.conf\nInclude /etc/nginx/edge-waf-other/b.conf\nInclude /RUN/etc-nginx/owasp-modsecurity-crs/rules/*.conf`,
      );
    } finally {
      rmSync(dist, { recursive: true, force: true });
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('rendering the nginx configuration (nginx.tmpl of controller-v1.15.1)', () => {
  const model = readEdgeModel(FIXTURE_DIST);
  const conf = renderNginxConf(model, runtime);

  test('matches the snapshot', () => {
    expect(conf.split(FIXTURE_DIST).join('<fixture>')).toMatchSnapshot();
  });

  test("http block: modsecurity on, the snippet verbatim inside modsecurity_rules '…', then the CRS include (lines 94-108)", () => {
    const snippet = mapImagePaths(model.controller.modsecuritySnippet, tree).trimEnd();
    const on = conf.indexOf("    modsecurity on;\n    modsecurity_rules '\n");
    const rules = conf.indexOf(
      snippet
        .split('\n')
        .map((l) => `      ${l}`)
        .join('\n') + "\n    ';\n",
    );
    const crs = conf.indexOf(
      '    modsecurity_rules_file /RUN/etc-nginx/owasp-modsecurity-crs/nginx-modsecurity.conf;\n',
    );
    expect([on >= 0, rules > on, crs > rules]).toEqual([true, true, true]);
    expect(conf).toContain("setvar:\\'tx.allowed_methods=GET HEAD POST OPTIONS PUT PATCH DELETE\\'");
  });

  test('maps every /etc/nginx/modsecurity and owasp-modsecurity-crs path to the temporary tree', () => {
    expect(conf).not.toMatch(/\/etc\/nginx\/(modsecurity|owasp-modsecurity-crs)/);
    expect(conf).toContain('Include /RUN/etc-nginx/modsecurity/modsecurity.conf');
  });

  test('server block: match-cn check, then ssl_client_certificate, ssl_verify_client, ssl_verify_depth (lines 916-948)', () => {
    expect(conf).toContain(
      '        if ( $ssl_client_s_dn !~ "CN=(hospital-a|hospital-b)$" ) {\n            return 403 "client certificate unauthorized";\n        }',
    );
    expect(conf).toMatch(
      /ssl_client_certificate \/RUN\/pki\/client-ca.crt;\n\s+ssl_verify_client on;\n\s+ssl_verify_depth 1;/,
    );
  });

  test('location: default ssl-client-* headers and the proxy-set-headers entries, quoted (lines 1286-1331)', () => {
    for (const header of [
      'ssl-client-cert $ssl_client_escaped_cert',
      'ssl-client-verify $ssl_client_verify',
      'ssl-client-subject-dn $ssl_client_s_dn',
      'ssl-client-issuer-dn $ssl_client_i_dn',
      'ssl-client-fingerprint "$ssl_client_fingerprint"',
    ]) {
      expect(conf).toContain(`proxy_set_header ${header};`);
    }
  });

  test('omits ModSecurity entirely when enable-modsecurity is false', () => {
    withEditedFixture(
      (_p, c) => c.replace('enable-modsecurity: "true"', 'enable-modsecurity: "false"'),
      (dist) => {
        const off = renderNginxConf(readEdgeModel(dist), runtime);
        expect(off).not.toMatch(/modsecurity/);
      },
    );
  });

  test("renders the template's realip lines instead of the loopback emulation when use-forwarded-headers is on", () => {
    withEditedFixture(
      (_p, c) =>
        c.replace('  enable-modsecurity: "true"', '  use-forwarded-headers: "true"\n  enable-modsecurity: "true"'),
      (dist) => {
        const fwd = renderNginxConf(readEdgeModel(dist), runtime);
        expect(fwd).toContain(
          'real_ip_header X-Forwarded-For;\n    real_ip_recursive on;\n    set_real_ip_from 0.0.0.0/0;',
        );
        expect(fwd).not.toContain('X-Test-Client-IP');
      },
    );
  });

  test('per-location ModSecurity lines follow template.go buildModSecurityForLocation', () => {
    const loc = (m: Partial<LocationModel['modsecurity']>): LocationModel => ({
      path: '/',
      pathType: 'Prefix',
      service: 's',
      port: '80',
      modsecurity: { owaspRules: false, snippet: '', transactionId: '', ...m },
    });
    expect(buildModSecurityForLocation(true, false, loc({}))).toEqual([]);
    expect(buildModSecurityForLocation(true, false, loc({ transactionId: '$request_id' }))).toEqual([
      'modsecurity_transaction_id "$request_id";',
    ]);
    expect(buildModSecurityForLocation(true, false, loc({ enable: false }))).toEqual(['modsecurity off;']);
    expect(buildModSecurityForLocation(false, false, loc({ enable: false }))).toEqual([]);
    expect(buildModSecurityForLocation(false, false, loc({ enable: true, owaspRules: true }))).toEqual([
      'modsecurity on;',
      'modsecurity_rules_file /etc/nginx/modsecurity/modsecurity.conf;',
      'modsecurity_rules_file /etc/nginx/owasp-modsecurity-crs/nginx-modsecurity.conf;',
    ]);
    expect(buildModSecurityForLocation(true, true, loc({ snippet: 'SecRuleEngine On\n', owaspRules: true }))).toEqual([
      "modsecurity_rules '",
      'SecRuleEngine On',
      "';",
    ]);
  });

  test("quotes like Go's strconv.Quote", () => {
    expect(goQuote('CN=a"b\\c')).toBe('"CN=a\\"b\\\\c"');
  });
});

describe("the image's ModSecurity files", () => {
  const debian = [
    'SecRuleEngine DetectionOnly',
    'SecRule TX:/^MSC_/ "!@streq 0" \\',
    "        \"id:'200005',phase:2,t:none,deny,msg:'ModSecurity internal error flagged: %{MATCHED_VAR_NAME}'\"",
    'SecAuditLogType Serial',
    'SecAuditLog /var/log/nginx/modsec_audit.log',
    'SecStatusEngine On',
    '',
  ].join('\n');

  test("base config: v3.0.14 differences, then build.sh's Concurrent type and storage dir", () => {
    expect(imageBaseConfig(debian, '/RUN/audit')).toBe(
      [
        'SecRuleEngine DetectionOnly',
        'SecRule TX:/^MSC_/ "!@streq 0" \\',
        "        \"id:'200005',phase:2,t:none,log,deny,msg:'ModSecurity internal error flagged: %{MATCHED_VAR_NAME}'\"",
        'SecAuditLogType Concurrent',
        'SecAuditLog /RUN/audit/modsec_audit.log',
        'SecStatusEngine Off',
        'SecAuditLogStorageDir /RUN/audit/',
        '',
      ].join('\n'),
    );
  });

  test('the Debian CRS 3 fallback maps the v4 paranoia variables a policy sets', () => {
    const v3 = crs3Compat('# exclusions\n');
    expect(v3.startsWith('# exclusions\n')).toBe(true);
    expect(v3).toContain('setvar:tx.paranoia_level=%{tx.blocking_paranoia_level}');
    expect(v3).toContain('setvar:tx.executing_paranoia_level=%{tx.detection_paranoia_level}');
  });
});

describe('reporting', () => {
  test("nginx -t errors in a mounted file quote the file's line and name its ConfigMap key", () => {
    const dir = mkdtempSync(join(tmpdir(), 'edge-conf-'));
    try {
      const file = join(dir, 'mounts', 'ingress-nginx_ingress-nginx-waf-policy', 'policy.conf');
      mkdirSync(join(dir, 'mounts', 'ingress-nginx_ingress-nginx-waf-policy'), { recursive: true });
      writeFileSync(file, ['SecRuleEngine On', 'SecRule ARGS "@rx x" "id:10100,phase:9"', ''].join('\n'));
      const msg = explainConfigError(
        `nginx: [emerg] "modsecurity_rules" directive Rules error. File: ${file}. Line: 2. Column: 30. Unknown phase: 9  in ${join(dir, 'nginx.conf')}:5`,
        join(dir, 'nginx.conf'),
      );
      expect(msg).toContain(
        'offending line 2 of key policy.conf of ConfigMap ingress-nginx/ingress-nginx-waf-policy (mounted into the controller):',
      );
      expect(msg).toContain('>    2 | SecRule ARGS "@rx x" "id:10100,phase:9"');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('nginx -t errors quote the offending rendered line and the snippet line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'edge-conf-'));
    try {
      const confPath = join(dir, 'nginx.conf');
      writeFileSync(
        confPath,
        [
          'http {',
          "    modsecurity_rules '",
          '      SecRuleEngine On',
          '      SecRule ARGS "@rx x" "id:1,phase:9"',
          "    ';",
          '}',
          '',
        ].join('\n'),
      );
      const msg = explainConfigError(
        `nginx: [emerg] "modsecurity_rules" directive Rules error. File: <<reference missing or not informed>>. Line: 3. Column: 40. Invalid input in ${confPath}:5`,
        confPath,
      );
      expect(msg).toContain(`>    5 |     ';`);
      expect(msg).toContain('offending line of the modsecurity-snippet (rendered line 4):');
      expect(msg).toContain('>    4 |       SecRule ARGS "@rx x" "id:1,phase:9"');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('rule ids of a snippet, CRS range, nginx fingerprint form', () => {
    expect([...ruleIdsIn('"id:1000,phase:1" "id:\'1001\'" "id:\\\'1002\\\'" setvar:tx.id:3')]).toEqual([
      '1000',
      '1001',
      '1002',
    ]);
    expect([isCrsId('949110'), isCrsId('1000'), isCrsId('1000000')]).toEqual([true, false, false]);
    expect(nginxFingerprint('AB:CD:0E')).toBe('abcd0e');
  });

  test('the table lists every scenario with expected, got, rule ids and explains failures', () => {
    const results: ScenarioResult[] = [
      {
        id: 'sqli-query',
        group: 'attack',
        title: 'SQLi',
        expected: { status: 403, blockedBy: 'crs', family: '942' },
        status: 403,
        ruleIds: ['942100', '949110'],
        problems: [],
        passed: true,
      },
      {
        id: 'waf-user-admin',
        group: 'waf-rules',
        title: 'user: admin',
        expected: { status: 403, blockedBy: 'custom-rule' },
        status: 200,
        ruleIds: [],
        problems: ['status 200, expected 403'],
        passed: false,
      },
    ];
    const table = formatTable(results);
    expect(table).toMatch(/attack\s+sqli-query\s+403 CRS 942xxx\s+403\s+942100 949110\s+ok/);
    expect(table).toMatch(/waf-rules\s+waf-user-admin\s+403 custom rule\s+200\s+-\s+FAIL/);
    expect(table).toContain('FAIL waf-user-admin — user: admin:\n  - status 200, expected 403');
    expect(table).toContain('1/2 scenarios as expected');
  });

  test('scenario ids are unique and every issue-5 attack class is covered in query, body and cookie', () => {
    const ids = SCENARIOS.map((s) => s.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of [
      'sqli-query',
      'sqli-json',
      'sqli-form',
      'sqli-cookie',
      'xss-query',
      'xss-json',
      'xss-form',
      'xss-cookie',
      'traversal-query',
      'cmdi-query',
      'log4shell-header',
      'scanner-sqlmap',
    ]) {
      expect(ids).toContain(id);
    }
  });
});

describe('prerequisites', () => {
  test('fails with the exact install command when Debian packages are missing', () => {
    const probe = (): string[] => [
      '/usr/lib/nginx/modules/ngx_http_modsecurity_module.so (Debian package libnginx-mod-http-modsecurity)',
    ];
    expect(() => engineAvailability({}, probe)).toThrow(INSTALL_COMMAND);
    expect(() => engineAvailability({}, probe)).toThrow(
      /needs packages that are not installed:\n {2}- \/usr\/lib\/nginx\/modules\/ngx_http_modsecurity_module.so/,
    );
    expect(INSTALL_COMMAND).toBe(
      'sudo apt-get install -y --no-install-recommends nginx-light libnginx-mod-http-modsecurity modsecurity-crs openssl',
    );
  });

  test('skips only when SKIP_ENGINE_TESTS=1 is set, and says that nothing was proven', () => {
    const probe = (): string[] => ['everything'];
    const skipped = engineAvailability({ SKIP_ENGINE_TESTS: '1' }, probe);
    expect(skipped).toEqual({
      run: false,
      reason: expect.stringContaining('is SKIPPED. Nothing proves that the WAF blocks attacks'),
    });
    expect(() => engineAvailability({ SKIP_ENGINE_TESTS: '0' }, probe)).toThrow(/not installed/);
    expect(engineAvailability({}, () => [])).toEqual({ run: true });
  });
});
