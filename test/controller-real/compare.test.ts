import { join } from 'node:path';
import { compareConfigs, configFacts, tally } from '../../scripts/controller/compare';
import { harnessFacts } from '../../scripts/controller/harness-facts';
import { parseNginxConf } from '../../scripts/controller/nginx-parse';
import { parseKlog } from '../../scripts/controller/run-controller';
import { logFindings } from '../../scripts/controller/explained';
import { REPO_ROOT } from '../../scripts/cluster/paths';

const CONF = `
http {
    ssl_protocols TLSv1.2 TLSv1.3;
    modsecurity on;
    modsecurity_rules '
      SecRule ARGS "@rx {a;b}" "id:1,deny"
    ';
    proxy_set_header X-Outer $host;
    server {
        server_name echo.example.com ;
        listen 80 ;
        listen [::]:80 ;
        listen 443 ssl;
        ssl_certificate_by_lua_block {
            certificate.call() -- a comment with } and ;
            local s = "}{;"
        }
        if ( $ssl_client_s_dn !~ "CN=a" ) {
            return 403 "client certificate unauthorized";
        }
        location / {
            set $ssl_redirect "true";
            proxy_set_header Host $best_http_host;
            proxy_set_header X-Real-IP $remote_addr;
        }
    }
    server {
        listen 127.0.0.1:10246;
        server_name _;
    }
}
`;

describe('nginx configuration parser (scripts/controller/nginx-parse.ts)', () => {
  test('keeps quoted braces and semicolons inside a string and a *_by_lua_block as one argument', () => {
    const http = parseNginxConf(CONF)[0];
    expect(http.name).toBe('http');
    const rules = http.block?.find((d) => d.name === 'modsecurity_rules');
    expect(rules?.args[0]).toContain('"@rx {a;b}"');
    const server = http.block?.find((d) => d.name === 'server');
    const lua = server?.block?.find((d) => d.name === 'ssl_certificate_by_lua_block');
    expect(lua?.args[0]).toContain('local s = "}{;"');
    expect(server?.block?.map((d) => d.name)).toEqual([
      'server_name',
      'listen',
      'listen',
      'listen',
      'ssl_certificate_by_lua_block',
      'if',
      'location',
    ]);
  });

  test('rejects unbalanced braces', () => {
    expect(() => parseNginxConf('http { server {')).toThrow(/missing "}"/);
    expect(() => parseNginxConf('}')).toThrow(/unexpected "}"/);
  });
});

describe('directive facts and comparison (scripts/controller/compare.ts)', () => {
  const facts = configFacts(CONF);

  test('only servers on the edge ports, listen without address, effective values inherited from http', () => {
    expect(facts.get('servers')).toBe('echo.example.com');
    expect(facts.get('echo.example.com - listen')).toBe('443 ssl, 80');
    expect(facts.get('echo.example.com - ssl_protocols')).toBe('TLSv1.2 TLSv1.3');
    expect(facts.get('echo.example.com - subject check')).toBe(
      'if ( $ssl_client_s_dn !~ CN=a ) { return 403 client certificate unauthorized }',
    );
  });

  test('proxy_set_header: the innermost level that has any wins (the http one is not inherited)', () => {
    expect(facts.get('echo.example.com / proxy_set_header x-real-ip')).toBe('$remote_addr');
    expect(facts.has('echo.example.com / proxy_set_header x-outer')).toBe(false);
  });

  test("modsecurity rules merge over levels; the Lua redirect arguments come from the location's set lines", () => {
    expect(facts.get('echo.example.com / modsecurity_rules')).toBe('SecRule ARGS "@rx {a;b}" "id:1,deny"');
    expect(facts.get('echo.example.com / lua ssl_redirect')).toBe('true');
    expect(facts.get('echo.example.com / lua force_ssl_redirect')).toBe('(absent)');
  });

  test('a changed directive is a difference unless explained', () => {
    const other = new Map(facts);
    other.set('echo.example.com - ssl_protocols', 'TLSv1.3');
    const compared = compareConfigs(facts, other, []);
    expect(tally(compared)).toEqual({ agree: facts.size - 1, differ: 1, explained: 0 });
    expect(tally(compareConfigs(facts, other, [{ key: /ssl_protocols$/, reason: 'test' }])).explained).toBe(1);
  });

  test('the harness facts of dist/ cover the mTLS server (verify client, depth, CA, subject check)', () => {
    const h = harnessFacts(join(REPO_ROOT, 'dist'));
    expect(h.get('echo.example.com - ssl_verify_client')).toBe('on');
    expect(h.get('echo.example.com - ssl_client_certificate')).toBe(
      '/etc/ingress-controller/ssl/ca-echo-hospital-client-ca.pem',
    );
    expect(h.get('echo.example.com - subject check')).toMatch(/^if \( \$ssl_client_s_dn !~ CN=/);
  });
});

describe('controller log check', () => {
  test('parses klog lines and reports warnings and errors', () => {
    const log = parseKlog(
      [
        'I1201 20:20:36.123456      12 main.go:205] "Creating API client" host="https://127.0.0.1:6443"',
        'W1201 20:20:37.000001      12 store.go:987] Error getting SSL certificate "echo/echo-tls": local SSL certificate echo/echo-tls was not found',
        'not a klog line',
      ].join('\n'),
    );
    expect(log.map((l) => l.level)).toEqual(['I', 'W']);
    expect(logFindings(log)).toEqual([
      'W store.go:987] Error getting SSL certificate "echo/echo-tls": local SSL certificate echo/echo-tls was not found',
    ]);
  });
});
