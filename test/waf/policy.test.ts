import { WafPolicy, WafPolicyProps } from '../../lib/waf/policy';
import { escapeForNginxSingleQuotes } from '../../lib/waf/text';
import { nginxUnescapeSingleQuoted, validationErrorOf } from './support';

const SCENARIO: WafPolicyProps = {
  mode: 'On',
  servedHosts: ['echo.example.com'],
  denySourceIps: [{ sources: ['34.242.209.15'] }],
  denyRequestHeaders: [{ header: 'user', match: { exact: 'admin' } }],
};

describe('WafPolicy rendering', () => {
  test('defaults: DetectionOnly, paranoia 1, thresholds 5/4, recommended body limits, response bodies inspected', () => {
    const text = new WafPolicy().renderModSecurityConfig();
    expect(text).toContain('SecRuleEngine DetectionOnly\n');
    expect(text).toContain(
      'setvar:tx.blocking_paranoia_level=1,setvar:tx.detection_paranoia_level=1,setvar:tx.inbound_anomaly_score_threshold=5,setvar:tx.outbound_anomaly_score_threshold=4',
    );
    expect(text).toContain('SecRequestBodyLimit 13107200\n');
    expect(text).toContain('SecRequestBodyNoFilesLimit 131072\n');
    expect(text).toContain(
      'SecResponseBodyAccess On\nSecResponseBodyMimeType text/html text/plain text/xml application/json application/problem+json application/xml\n',
    );
    expect(text).not.toContain('tx.allowed_methods');
    expect(text).toMatchSnapshot();
  });

  test('inspects response bodies by default, JSON included, and keeps CRS response analysis', () => {
    const policy = new WafPolicy();
    expect(policy.inspectResponseBodies).toBe(true);
    expect(policy.responseBodyMimeTypes).toContain('application/json');
    expect(policy.skipsResponseAnalysis).toBe(false);
    expect(policy.renderModSecurityConfig()).not.toContain('crs_skip_response_analysis');
  });

  test("opting out of response bodies skips CRS's phase-3 response analysis at detection paranoia 1, before the CRS rules", () => {
    const lines = new WafPolicy({ inspectResponseBodies: false }).renderModSecurityConfig().split('\n');
    expect(lines).toContain('SecResponseBodyAccess Off');
    expect(lines.some((l) => l.startsWith('SecResponseBodyMimeType'))).toBe(false);
    const skip = lines.indexOf('SecAction "id:10003,phase:1,pass,nolog,t:none,setvar:tx.crs_skip_response_analysis=1"');
    expect(skip).toBeGreaterThan(lines.indexOf('Include /etc/nginx/owasp-modsecurity-crs/crs-setup.conf'));
    expect(skip).toBeLessThan(lines.indexOf('Include /etc/nginx/owasp-modsecurity-crs/rules/*.conf'));
    expect(new WafPolicy({ inspectResponseBodies: false }).skipsResponseAnalysis).toBe(true);
  });

  test('adds the host to audit records as a message when request headers (part B) are not logged', () => {
    const rule =
      "SecRule RESPONSE_STATUS \"@rx ^(?:5|4(?!04))\" \"id:10030,phase:5,pass,log,t:none,msg:'Request context',logdata:'host=%{tx.edge_waf_host}',tag:'edge-waf/audit-context'\"";
    expect(new WafPolicy().renderPolicyFile()).toContain(`${rule}\n`);
    expect(new WafPolicy({ auditLogParts: 'ABHZ' }).renderPolicyFile()).not.toContain('id:10030');
  });

  test('lists the response content types it is given', () => {
    expect(new WafPolicy({ responseBodyMimeTypes: ['application/json'] }).renderModSecurityConfig()).toContain(
      'SecResponseBodyMimeType application/json\n',
    );
  });

  test.each<[string, WafPolicyProps]>([
    ['response bodies are inspected', { inspectResponseBodies: true }],
    ['the detection paranoia level is above 1', { detectionParanoiaLevel: 2, inspectResponseBodies: false }],
  ])('keeps CRS response analysis when %s', (_why, props) => {
    const policy = new WafPolicy(props);
    expect(policy.skipsResponseAnalysis).toBe(false);
    expect(policy.renderModSecurityConfig()).not.toContain('crs_skip_response_analysis');
  });

  test('includes the base config first and CRS exactly once, after the custom rules', () => {
    const lines = new WafPolicy(SCENARIO).renderModSecurityConfig().split('\n');
    const includes = lines.filter((l) => l.startsWith('Include '));
    expect(includes).toEqual([
      'Include /etc/nginx/modsecurity/modsecurity.conf',
      'Include /etc/nginx/owasp-modsecurity-crs/crs-setup.conf',
      'Include /etc/nginx/owasp-modsecurity-crs/rules/*.conf',
    ]);
    expect(lines.findIndex((l) => l.startsWith('Include /etc/nginx/modsecurity/'))).toBeLessThan(
      lines.findIndex((l) => l.startsWith('SecRuleEngine')),
    );
    expect(lines.findIndex((l) => l.includes('id:10101'))).toBeLessThan(
      lines.findIndex((l) => l.endsWith('rules/*.conf')),
    );
  });

  test('JSON audit log to stdout, serial, relevant only, 5xx and 4xx except 404', () => {
    const text = new WafPolicy().renderModSecurityConfig();
    for (const line of [
      'SecAuditEngine RelevantOnly',
      'SecAuditLogFormat JSON',
      'SecAuditLogType Serial',
      'SecAuditLog /dev/stdout',
      'SecAuditLogRelevantStatus "^(?:5|4(?!04))"',
      'SecAuditLogParts AHZ',
    ]) {
      expect(text.split('\n')).toContain(line);
    }
    const relevant = /^(?:5|4(?!04))/;
    expect(['403', '500', '413'].every((s) => relevant.test(s))).toBe(true);
    expect(relevant.test('404') || relevant.test('200')).toBe(false);
  });

  test('renders the scenario rules: deny 34.242.209.15 and header user: admin with 403 in phase 1', () => {
    const text = new WafPolicy(SCENARIO).renderModSecurityConfig();
    expect(text).toContain('SecRule REMOTE_ADDR "@ipMatch 34.242.209.15" "id:10100,phase:1,deny,status:403,log,');
    expect(text).toContain(
      'SecRule REQUEST_HEADERS:user "@rx (?:^|,)[\\t ]*(?:admin)[\\t ]*(?:,|$)" "id:10101,phase:1,deny,status:403,log,t:none,',
    );
    expect(text).toContain('SecRuleEngine On\n');
    expect(text).toMatchSnapshot();
  });

  test('renders every rule kind, settings and exclusions', () => {
    const policy = new WafPolicy({
      mode: 'DetectionOnly',
      blockingParanoiaLevel: 2,
      detectionParanoiaLevel: 3,
      inboundAnomalyScoreThreshold: 10,
      outboundAnomalyScoreThreshold: 8,
      requestBodyLimitBytes: 1048576,
      requestBodyNoFilesLimitBytes: 65536,
      inspectResponseBodies: true,
      allowedMethods: ['GET', 'POST', 'PUT'],
      allowedRequestContentTypes: ['application/json', 'multipart/form-data'],
      auditLogParts: 'ABIFHZ',
      servedHosts: ['api.example.com', '*.apps.example.com'],
      denySourceIps: [{ sources: ['203.0.113.0/24', '2001:db8::/32'], id: 12000 }],
      denyRequestHeaders: [
        { header: 'X-Role', match: { anyOf: ['root', 'a.b'] }, ignoreCase: true },
        { header: 'user-agent', match: { regex: '^sqlmap' }, ignoreCase: true },
      ],
      allowPaths: [{ host: 'api.example.com', paths: ['/v1', '/healthz'] }],
      exclusions: [
        { ruleIds: [942100], host: 'api.example.com', path: '/upload', description: 'SQL-like CSV uploads' },
        { ruleIds: [942100, 942200], host: 'shop.apps.example.com', target: 'ARGS:comment' },
        { ruleIds: [920350], path: '/healthz' },
      ],
    });
    const text = policy.renderModSecurityConfig();
    expect(text).toContain("setvar:'tx.allowed_methods=GET POST PUT'");
    expect(text).toContain("setvar:'tx.allowed_request_content_type=|application/json| |multipart/form-data|'");
    expect(text).toContain('SecResponseBodyAccess On');
    expect(text).toContain(
      '"@rx (?:^|,)[\\t ]*(?:root|a\\.b)[\\t ]*(?:,|$)" "id:10100,phase:1,deny,status:403,log,t:none,t:lowercase,',
    );
    expect(text).toContain('"@rx (?i)^sqlmap" "id:10101,phase:1,deny,status:403,log,t:none,t:trim,');
    expect(text).toContain(
      'SecRule REQUEST_FILENAME "@rx \\A/upload(?:/|\\z)" "t:none,t:normalizePath,ctl:ruleRemoveById=942100"',
    );
    expect(text).toContain('ctl:ruleRemoveTargetById=942100;ARGS:comment,ctl:ruleRemoveTargetById=942200;ARGS:comment');
    expect(text).toContain('!@rx (?:\\A/v1(?:/|\\z))|(?:\\A/healthz(?:/|\\z))');
    expect(policy.allocatedRules().map((r) => [r.id, r.field])).toEqual([
      [12000, 'waf.denySourceIps[0]'],
      [10100, 'waf.denyRequestHeaders[0]'],
      [10101, 'waf.denyRequestHeaders[1]'],
      [10102, 'waf.allowPaths[0]'],
      [10103, 'waf.exclusions[0]'],
      [10104, 'waf.exclusions[1]'],
      [10105, 'waf.exclusions[2]'],
    ]);
    expect(text).toMatchSnapshot();
  });

  test('addXxx() methods append rules with the next field index and id', () => {
    const policy = new WafPolicy(SCENARIO);
    policy.addDenySourceIps({ sources: ['198.51.100.7'] });
    policy.addDenyRequestHeader({ header: 'user', match: { exact: 'root' } });
    expect(policy.allocatedRules().map((r) => `${r.id} ${r.field}`)).toEqual([
      '10100 waf.denySourceIps[0]',
      '10101 waf.denyRequestHeaders[0]',
      '10102 waf.denySourceIps[1]',
      '10103 waf.denyRequestHeaders[1]',
    ]);
    expect(validationErrorOf(() => policy.addDenySourceIps({ sources: ['nope'] })).field).toBe(
      'waf.denySourceIps[2].sources[0]',
    );
  });

  test('allocation skips ids taken explicitly, whatever their position', () => {
    const policy = new WafPolicy({
      denySourceIps: [{ sources: ['192.0.2.1'] }, { sources: ['192.0.2.2'], id: 10100 }],
    });
    expect(policy.allocatedRules().map((r) => r.id)).toEqual([10101, 10100]);
  });

  test('escaped snippet round-trips through nginx quoting, quotes and backslashes included', () => {
    const text = new WafPolicy({
      ...SCENARIO,
      denyRequestHeaders: [{ header: 'x-q', match: { regex: '^a\\x27b\\\\n\\d$' } }],
    }).renderModSecurityConfig();
    expect(text).toContain("msg:'");
    const escaped = escapeForNginxSingleQuotes(text);
    expect(escaped).not.toMatch(/(^|[^\\])'/);
    expect(nginxUnescapeSingleQuoted(escaped)).toBe(text);
  });
});

describe('WafPolicy as a file, and merged host-scoped exclusions', () => {
  const hosts = ['a.example.com', 'b.example.com', 'c.example.com', 'echo.example.com'];
  const tenant = (host: string, description?: string) => ({
    host,
    path: '/api/notes',
    target: 'ARGS:note',
    ruleIds: [942100, 942200],
    ...(description ? { description } : {}),
  });

  test('the policy file is the configuration without the base include; the full text adds it first', () => {
    const policy = new WafPolicy(SCENARIO);
    const file = policy.renderPolicyFile();
    expect(file).not.toContain('Include /etc/nginx/modsecurity/');
    expect(file.split('\n')[0]).toMatch(/^# Rendered from a typed WafPolicy/);
    const full = policy.renderModSecurityConfig().split('\n');
    expect(full[1]).toBe('Include /etc/nginx/modsecurity/modsecurity.conf');
    expect([full[0], ...full.slice(2)].join('\n')).toBe(file);
  });

  test("host-scoped exclusions with the same rules, target and path render as one rule with the first member's id", () => {
    const policy = new WafPolicy({
      servedHosts: hosts,
      denySourceIps: [{ sources: ['192.0.2.1'] }],
      exclusions: [
        tenant('a.example.com', 'notes of a'),
        tenant('b.example.com'),
        { host: 'a.example.com', ruleIds: [920350] },
        tenant('c.example.com', 'notes of c'),
      ],
    });
    const file = policy.renderPolicyFile();
    expect(file).toContain(`"id:10013,phase:1,pass,nolog,capture,t:none,setvar:'tx.edge_waf_host=/%{TX.1}/'"`);
    expect(file).toContain(
      [
        '# [10101] Exclude ARGS:note from rules 942100, 942200 for /api/notes on 3 hosts (merged exclusions)',
        '#   waf.exclusions[0] a.example.com: notes of a',
        '#   waf.exclusions[1] b.example.com',
        '#   waf.exclusions[3] c.example.com: notes of c',
        `SecRule TX:edge_waf_host "@pm /a.example.com/ /b.example.com/ /c.example.com/" "id:10101,phase:1,pass,nolog,tag:'edge-waf/exclusion',t:none,chain"`,
        '  SecRule REQUEST_FILENAME "@rx \\A/api/notes(?:/|\\z)" "t:none,t:normalizePath,ctl:ruleRemoveTargetById=942100;ARGS:note,ctl:ruleRemoveTargetById=942200;ARGS:note"',
        '# [10103] Exclude rules 920350 for a.example.com',
      ].join('\n'),
    );
    expect(file.match(/id:1010[24]/g)).toBeNull();
    expect(file.indexOf('id:10013,')).toBeLessThan(file.indexOf('id:10101,'));
    expect(policy.allocatedRules().map((r) => [r.id, r.field, r.mergedInto])).toEqual([
      [10100, 'waf.denySourceIps[0]', undefined],
      [10101, 'waf.exclusions[0]', undefined],
      [10102, 'waf.exclusions[1]', 10101],
      [10103, 'waf.exclusions[2]', undefined],
      [10104, 'waf.exclusions[3]', 10101],
    ]);
    expect(file).toMatchSnapshot();
  });

  test('host-only exclusions merge too: one @pm rule whose actions remove the rules', () => {
    const policy = new WafPolicy({
      servedHosts: hosts,
      exclusions: [
        { host: 'a.example.com', ruleIds: [920350] },
        { host: 'b.example.com', ruleIds: [920350] },
      ],
    });
    expect(policy.renderPolicyFile()).toContain(
      `SecRule TX:edge_waf_host "@pm /a.example.com/ /b.example.com/" "id:10100,phase:1,pass,nolog,tag:'edge-waf/exclusion',t:none,ctl:ruleRemoveById=920350"`,
    );
  });

  test('the same host twice in a merged group is listed once', () => {
    const policy = new WafPolicy({
      servedHosts: hosts,
      exclusions: [tenant('a.example.com'), tenant('a.example.com')],
    });
    expect(policy.renderPolicyFile()).toContain('"@pm /a.example.com/"');
  });

  test('merging keeps ids stable: adding a tenant renumbers no rule', () => {
    const before = new WafPolicy({
      servedHosts: hosts,
      exclusions: [tenant('a.example.com'), tenant('b.example.com')],
      denyRequestHeaders: [{ header: 'user', match: { exact: 'admin' } }],
    });
    const after = new WafPolicy({
      servedHosts: hosts,
      exclusions: [tenant('a.example.com'), tenant('b.example.com'), tenant('c.example.com')],
      denyRequestHeaders: [{ header: 'user', match: { exact: 'admin' } }],
    });
    const ids = (p: WafPolicy): string[] => p.allocatedRules().map((r) => `${r.field}=${r.id}`);
    expect(ids(after).slice(0, ids(before).length)).toEqual(ids(before));
  });

  test('exclusions with a pinned id, another path, target or rule list, or no host render on their own', () => {
    const policy = new WafPolicy({
      servedHosts: hosts,
      exclusions: [
        tenant('a.example.com'),
        { ...tenant('b.example.com'), id: 11000 },
        { ...tenant('c.example.com'), path: '/api/other' },
        { ...tenant('echo.example.com'), target: 'ARGS:other' },
        { ...tenant('b.example.com'), ruleIds: [942100] },
        { path: '/api/notes', target: 'ARGS:note', ruleIds: [942100, 942200] },
      ],
    });
    expect(policy.allocatedRules().every((r) => r.mergedInto === undefined)).toBe(true);
    const file = policy.renderPolicyFile();
    // every host-scoped rule stands alone: one host each
    expect(file.match(/"@pm \/[^ "]+\/"/g)).toHaveLength(5);
    expect(file).not.toMatch(/"@pm \/[^ "]+\/ /);
  });

  test('200 tenants sharing one false positive render as one rule: the file grows by a few bytes per host', () => {
    const many = Array.from({ length: 200 }, (_, i) => `tenant-${i}.example.com`);
    const size = (n: number): number =>
      Buffer.byteLength(
        new WafPolicy({ servedHosts: many, exclusions: many.slice(0, n).map((h) => tenant(h)) }).renderPolicyFile(),
      );
    expect(size(200) - size(100)).toBeLessThan(100 * 100);
    expect(
      new WafPolicy({ servedHosts: many, exclusions: many.map((h) => tenant(h)) })
        .renderPolicyFile()
        .match(/^SecRule TX:edge_waf_host/gm),
    ).toHaveLength(1);
  });
});

describe('WafPolicy rejects bad input', () => {
  const cases: [string, WafPolicyProps, string, unknown?][] = [
    ['an engine mode that does not exist', { mode: 'Block' as never }, 'waf.mode', 'Block'],
    ['paranoia level 0', { blockingParanoiaLevel: 0 }, 'waf.blockingParanoiaLevel', 0],
    ['paranoia level 5', { blockingParanoiaLevel: 5 }, 'waf.blockingParanoiaLevel', 5],
    ['a fractional paranoia level', { blockingParanoiaLevel: 1.5 }, 'waf.blockingParanoiaLevel', 1.5],
    [
      'a detection paranoia level below the blocking one',
      { blockingParanoiaLevel: 3, detectionParanoiaLevel: 2 },
      'waf.detectionParanoiaLevel',
      2,
    ],
    ['detection paranoia level 5', { detectionParanoiaLevel: 5 }, 'waf.detectionParanoiaLevel', 5],
    ['an inbound threshold of 0', { inboundAnomalyScoreThreshold: 0 }, 'waf.inboundAnomalyScoreThreshold', 0],
    ['a negative outbound threshold', { outboundAnomalyScoreThreshold: -4 }, 'waf.outboundAnomalyScoreThreshold', -4],
    ['a zero body limit', { requestBodyLimitBytes: 0 }, 'waf.requestBodyLimitBytes', 0],
    [
      'a no-files limit above the body limit',
      { requestBodyLimitBytes: 1000, requestBodyNoFilesLimitBytes: 2000 },
      'waf.requestBodyNoFilesLimitBytes',
      2000,
    ],
    ['lower-case methods', { allowedMethods: ['get'] }, 'waf.allowedMethods[0]', 'get'],
    ['an empty method list', { allowedMethods: [] }, 'waf.allowedMethods'],
    [
      'a content type with parameters',
      { allowedRequestContentTypes: ['application/json; charset=utf-8'] },
      'waf.allowedRequestContentTypes[0]',
    ],
    ['audit-log parts without A/Z', { auditLogParts: 'BFH' }, 'waf.auditLogParts', 'BFH'],
    ['a served host that is not a DNS name', { servedHosts: ['Echo.Example.com'] }, 'waf.servedHosts[0]'],
    [
      'an invalid IPv4 address',
      { denySourceIps: [{ sources: ['34.242.209.256'] }] },
      'waf.denySourceIps[0].sources[0]',
      '34.242.209.256',
    ],
    [
      'a host name instead of an address',
      { denySourceIps: [{ sources: ['10.0.0.1', 'example.com'] }] },
      'waf.denySourceIps[0].sources[1]',
      'example.com',
    ],
    ['an IPv4 prefix above 32', { denySourceIps: [{ sources: ['10.0.0.0/33'] }] }, 'waf.denySourceIps[0].sources[0]'],
    [
      'an IPv6 prefix above 128',
      { denySourceIps: [{ sources: ['2001:db8::/129'] }] },
      'waf.denySourceIps[0].sources[0]',
    ],
    [
      'a CIDR block with host bits set',
      { denySourceIps: [{ sources: ['10.0.0.1/8'] }] },
      'waf.denySourceIps[0].sources[0]',
      '10.0.0.1/8',
    ],
    [
      'an IPv6 CIDR block with host bits set',
      { denySourceIps: [{ sources: ['2001:db8::1/32'] }] },
      'waf.denySourceIps[0].sources[0]',
    ],
    [
      'a /0 block that denies everyone',
      { denySourceIps: [{ sources: ['0.0.0.0/0'] }] },
      'waf.denySourceIps[0].sources[0]',
    ],
    [
      'an address with a zone id',
      { denySourceIps: [{ sources: ['fe80::1%eth0'] }] },
      'waf.denySourceIps[0].sources[0]',
    ],
    [
      'a duplicate address',
      { denySourceIps: [{ sources: ['192.0.2.1', '192.0.2.1'] }] },
      'waf.denySourceIps[0].sources',
      '192.0.2.1',
    ],
    ['an empty source list', { denySourceIps: [{ sources: [] }] }, 'waf.denySourceIps[0].sources'],
    [
      'a header name with CR/LF',
      { denyRequestHeaders: [{ header: 'user\r\nSecRuleEngine Off', match: { exact: 'admin' } }] },
      'waf.denyRequestHeaders[0].header',
    ],
    [
      'a header name with a colon',
      { denyRequestHeaders: [{ header: 'user:x', match: { exact: 'admin' } }] },
      'waf.denyRequestHeaders[0].header',
    ],
    [
      'a header name with an underscore',
      { denyRequestHeaders: [{ header: 'x_user', match: { exact: 'admin' } }] },
      'waf.denyRequestHeaders[0].header',
    ],
    [
      'a header value with LF',
      { denyRequestHeaders: [{ header: 'user', match: { exact: 'admin\nSecRuleEngine Off' } }] },
      'waf.denyRequestHeaders[0].match.exact',
    ],
    [
      'a header value with a double quote',
      { denyRequestHeaders: [{ header: 'user', match: { exact: 'ad"min' } }] },
      'waf.denyRequestHeaders[0].match.exact',
    ],
    [
      'a header value with a single quote',
      { denyRequestHeaders: [{ header: 'user', match: { exact: "ad'min" } }] },
      'waf.denyRequestHeaders[0].match.exact',
    ],
    [
      'a header value with a backslash',
      { denyRequestHeaders: [{ header: 'user', match: { exact: 'ad\\min' } }] },
      'waf.denyRequestHeaders[0].match.exact',
    ],
    [
      'a header value with nginx metacharacters',
      { denyRequestHeaders: [{ header: 'user', match: { exact: 'a;}' } }] },
      'waf.denyRequestHeaders[0].match.exact',
    ],
    [
      'a header value with a ModSecurity macro',
      { denyRequestHeaders: [{ header: 'user', match: { exact: '%{TX.x}' } }] },
      'waf.denyRequestHeaders[0].match.exact',
    ],
    [
      'a header value with surrounding spaces',
      { denyRequestHeaders: [{ header: 'user', match: { exact: ' admin' } }] },
      'waf.denyRequestHeaders[0].match.exact',
    ],
    [
      'a list value with CR',
      { denyRequestHeaders: [{ header: 'user', match: { anyOf: ['admin', 'root\r'] } }] },
      'waf.denyRequestHeaders[0].match.anyOf[1]',
    ],
    [
      'an empty value list',
      { denyRequestHeaders: [{ header: 'user', match: { anyOf: [] } }] },
      'waf.denyRequestHeaders[0].match.anyOf',
    ],
    [
      'a regex with a double quote',
      { denyRequestHeaders: [{ header: 'user', match: { regex: '^a" "id:1' } }] },
      'waf.denyRequestHeaders[0].match.regex',
    ],
    [
      'a regex with a single quote',
      { denyRequestHeaders: [{ header: 'user', match: { regex: "^a'" } }] },
      'waf.denyRequestHeaders[0].match.regex',
    ],
    [
      'a regex with a macro',
      { denyRequestHeaders: [{ header: 'user', match: { regex: '^%{REMOTE_ADDR}' } }] },
      'waf.denyRequestHeaders[0].match.regex',
    ],
    [
      'a regex with a raw newline',
      { denyRequestHeaders: [{ header: 'user', match: { regex: '^a\nb' } }] },
      'waf.denyRequestHeaders[0].match.regex',
    ],
    [
      'a regex that does not compile',
      { denyRequestHeaders: [{ header: 'user', match: { regex: '^(admin' } }] },
      'waf.denyRequestHeaders[0].match.regex',
    ],
    [
      'a regex PCRE2 cannot compile: [^]',
      { denyRequestHeaders: [{ header: 'user', match: { regex: '^[^]' } }] },
      'waf.denyRequestHeaders[0].match.regex',
      '^[^]',
    ],
    [
      'a regex PCRE2 cannot compile: \\u0041',
      { denyRequestHeaders: [{ header: 'user', match: { regex: '^\\u0041' } }] },
      'waf.denyRequestHeaders[0].match.regex',
    ],
    [
      'a regex PCRE2 cannot compile: a variable-length lookbehind',
      { denyRequestHeaders: [{ header: 'user', match: { regex: '(?<=x+)admin' } }] },
      'waf.denyRequestHeaders[0].match.regex',
    ],
    [
      'a regex with \\k<n>, the letter k in JavaScript',
      { denyRequestHeaders: [{ header: 'user', match: { regex: 'a\\k<n>' } }] },
      'waf.denyRequestHeaders[0].match.regex',
    ],
    [
      'a regex with \\s, which differs on byte 0xA0',
      { denyRequestHeaders: [{ header: 'user', match: { regex: '^admin\\s*$' } }] },
      'waf.denyRequestHeaders[0].match.regex',
    ],
    [
      'a case-insensitive regex with a Latin-1 byte',
      { denyRequestHeaders: [{ header: 'user', match: { regex: '\\xe9' }, ignoreCase: true }] },
      'waf.denyRequestHeaders[0].match.regex',
    ],
    ['an empty response content-type list', { responseBodyMimeTypes: [] }, 'waf.responseBodyMimeTypes'],
    [
      'a response content type with parameters',
      { responseBodyMimeTypes: ['application/json; charset=utf-8'] },
      'waf.responseBodyMimeTypes[0]',
    ],
    [
      'an upper-case response content type (libmodsecurity compares exactly)',
      { responseBodyMimeTypes: ['Application/JSON'] },
      'waf.responseBodyMimeTypes[0]',
    ],
    [
      'a duplicate response content type',
      { responseBodyMimeTypes: ['text/html', 'text/html'] },
      'waf.responseBodyMimeTypes',
    ],
    [
      'a match with two kinds',
      { denyRequestHeaders: [{ header: 'user', match: { exact: 'a', regex: 'b' } as never }] },
      'waf.denyRequestHeaders[0].match',
    ],
    [
      'a description with a quote',
      { denySourceIps: [{ sources: ['192.0.2.1'], description: "bad' actor" }] },
      'waf.denySourceIps[0].description',
    ],
    ['an allow-list of "/"', { allowPaths: [{ paths: ['/'] }] }, 'waf.allowPaths[0].paths[0]'],
    ['an allow-list path with a quote', { allowPaths: [{ paths: ["/a'b"] }] }, 'waf.allowPaths[0].paths[0]'],
    ['an allow-list path with ..', { allowPaths: [{ paths: ['/a/../b'] }] }, 'waf.allowPaths[0].paths[0]'],
    [
      'an allow-list for a host the edge does not serve',
      { servedHosts: ['echo.example.com'], allowPaths: [{ host: 'api.example.com', paths: ['/v1'] }] },
      'waf.allowPaths[0].host',
      'api.example.com',
    ],
    [
      'an exclusion for a host the edge does not serve',
      {
        servedHosts: ['echo.example.com'],
        exclusions: [{ ruleIds: [942100], host: 'api.example.com', path: '/upload' }],
      },
      'waf.exclusions[0].host',
      'api.example.com',
    ],
    [
      'an exclusion for a host when no hosts are served',
      { exclusions: [{ ruleIds: [942100], host: 'api.example.com' }] },
      'waf.exclusions[0].host',
    ],
    [
      'an exclusion for a host two labels below a wildcard',
      { servedHosts: ['*.example.com'], exclusions: [{ ruleIds: [942100], host: 'a.b.example.com' }] },
      'waf.exclusions[0].host',
    ],
    ['an unscoped exclusion', { exclusions: [{ ruleIds: [942100] }] }, 'waf.exclusions[0]'],
    ['a path-only exclusion for "/"', { exclusions: [{ ruleIds: [942100], path: '/' }] }, 'waf.exclusions[0].path'],
    [
      "an exclusion of one of the policy's own rules",
      { exclusions: [{ ruleIds: [10100], path: '/x' }] },
      'waf.exclusions[0].ruleIds[0]',
      10100,
    ],
    [
      'an exclusion of an id above the CRS range',
      { exclusions: [{ ruleIds: [1000000], path: '/x' }] },
      'waf.exclusions[0].ruleIds[0]',
    ],
    [
      'an exclusion target that is not a variable',
      { exclusions: [{ ruleIds: [942100], path: '/x', target: 'ARGS:a,ctl:ruleEngine=Off' }] },
      'waf.exclusions[0].target',
    ],
    ['an empty exclusion rule list', { exclusions: [{ ruleIds: [], path: '/x' }] }, 'waf.exclusions[0].ruleIds'],
    [
      'a custom rule id in the CRS range',
      { denySourceIps: [{ sources: ['192.0.2.1'], id: 942100 }] },
      'waf.denySourceIps[0].id',
      942100,
    ],
    [
      'a custom rule id below the custom range',
      { denySourceIps: [{ sources: ['192.0.2.1'], id: 10000 }] },
      'waf.denySourceIps[0].id',
      10000,
    ],
    [
      'a custom rule id colliding with the base config',
      { denySourceIps: [{ sources: ['192.0.2.1'], id: 200002 }] },
      'waf.denySourceIps[0].id',
    ],
    ['a fractional rule id', { denySourceIps: [{ sources: ['192.0.2.1'], id: 10100.5 }] }, 'waf.denySourceIps[0].id'],
    [
      'colliding custom rule ids',
      {
        denySourceIps: [{ sources: ['192.0.2.1'], id: 10200 }],
        denyRequestHeaders: [{ header: 'user', match: { exact: 'admin' }, id: 10200 }],
      },
      'waf.denyRequestHeaders[0].id',
      10200,
    ],
  ];
  // Rest parameters: jest would take a fourth named parameter for a `done` callback on 3-element rows.
  test.each(cases)('rejects %s', (...row) => {
    const [, props, field, value] = row;
    const err = validationErrorOf(() => new WafPolicy(props));
    expect(err.field).toBe(field);
    if (value !== undefined) expect(err.value).toEqual(value);
    expect(err.fix.length).toBeGreaterThan(10);
    expect(err.message).toContain(field);
  });

  test('names the CRS range when a custom id falls into it', () => {
    expect(
      validationErrorOf(() => new WafPolicy({ denySourceIps: [{ sources: ['192.0.2.1'], id: 949110 }] })).message,
    ).toMatch(/CRS reserves \(900000–999999\)/);
  });

  test('rejects a rule for which no id is left, when it is added', () => {
    const policy = new WafPolicy({ denySourceIps: [{ sources: ['192.0.2.1'], id: 19999 }] });
    for (let i = 1; i < 9900; i++) policy.addDenySourceIps({ sources: ['192.0.2.2'] });
    const err = validationErrorOf(() => policy.addDenySourceIps({ sources: ['192.0.2.3'] }));
    expect(err.field).toBe('waf.denySourceIps[9900]');
    expect(err.message).toContain('all of 10100–19999 are taken');
    expect(policy.allocatedRules()).toHaveLength(9900);
  });

  test('names the other rule when ids collide', () => {
    const err = validationErrorOf(
      () =>
        new WafPolicy({
          denySourceIps: [
            { sources: ['192.0.2.1'], id: 10300 },
            { sources: ['192.0.2.2'], id: 10300 },
          ],
        }),
    );
    expect(err.message).toContain('waf.denySourceIps[0]');
  });
});
