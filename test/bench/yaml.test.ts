import { REFERENCE_DEPLOYMENT } from '../../lib/reference/config';
import { buildEdgeApp } from '../../lib/reference/cdk8s-app';
import { renderObjects, toYaml } from '../../lib/synth/render';
import { toYamlDocument, yamlStringify } from '../../lib/synth/yaml';
import { buildFleetApp, tenantFleet } from '../../bench/tenants';

/** The fast YAML writer must be byte-identical to the `yaml` package (what dist/ was written with before). */
describe('toYamlDocument writes exactly what yaml.stringify writes', () => {
  test('every object of the reference deployment', () => {
    const objects = renderObjects(buildEdgeApp(REFERENCE_DEPLOYMENT));
    expect(objects.length).toBeGreaterThan(30);
    for (const o of objects) expect(toYamlDocument(o.manifest)).toBe(yamlStringify(o.manifest));
  });

  test('every object of a tenant fleet', () => {
    const objects = renderObjects(buildFleetApp(REFERENCE_DEPLOYMENT, tenantFleet({ tenants: 25 })));
    for (const o of objects) expect(toYamlDocument(o.manifest)).toBe(yamlStringify(o.manifest));
  });

  test('render.toYaml uses it', () => {
    const manifest = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, data: { a: 'on', b: 'y' } };
    expect(toYaml(manifest)).toBe(yamlStringify(manifest));
    expect(toYaml(manifest)).toContain('a: "on"');
  });

  const tricky: unknown[] = [
    // YAML 1.1 words and number-like strings that must be quoted
    'on',
    'off',
    'On',
    'OFF',
    'yes',
    'no',
    'y',
    'n',
    'Y',
    'N',
    'true',
    'False',
    'null',
    'Null',
    '~',
    '',
    ' ',
    'e5',
    'E10',
    '1e3',
    '0x1F',
    '0b101',
    '017',
    '1_000',
    '12:30',
    '1:20:30.5',
    '.inf',
    '-.Inf',
    '.nan',
    '2026-11-23',
    '2026-11-23T10:00:00Z',
    '<<',
    '=',
    '3.14',
    '-1',
    '+1',
    '.5',
    '5.',
    // indicators and structure characters
    '-',
    '- x',
    '?',
    '? x',
    ':x',
    'a: b',
    'a:b',
    'a #b',
    '#x',
    'x#',
    'a ',
    ' a',
    '&a',
    '*a',
    '!a',
    '|',
    '>',
    "'q'",
    '"q"',
    '%x',
    '@x',
    '`x`',
    '[a]',
    '{a}',
    'a,b',
    '---',
    '...',
    '--- x',
    'x: ',
    'tab\there',
    'ctrl\u0001x',
    'del\u007f',
    'unicode é ü 中文',
    'emoji 🙂',
    'back\\slash',
    'CN=(?:a|b)(?:,|$)|^$',
    'nginx.ingress.kubernetes.io/auth-tls-verify-client',
    'http://example.com/a?b=c&d',
    '${jndi:ldap://x}',
    '$ssl_client_fingerprint',
    // multi-line strings (block scalars, the whole document goes through yaml)
    'line1\nline2',
    'trailing\n',
    'two trailing\n\n',
    '\nleading',
    '  indented\nnext',
    'crlf\r\nx',
    'a\n\n\nb',
    // numbers and others
    0,
    1,
    -1,
    42,
    1.5,
    -0.25,
    1e21,
    -0,
    Number.MAX_SAFE_INTEGER,
    2 ** 60,
    NaN,
    Infinity,
    -Infinity,
    true,
    false,
    null,
  ];

  test('tricky scalars as map values, list items and keys', () => {
    for (const v of tricky) {
      expect(toYamlDocument({ k: v })).toBe(yamlStringify({ k: v }));
      expect(toYamlDocument([v])).toBe(yamlStringify([v]));
      expect(toYamlDocument({ outer: [{ inner: v, list: [v, [v]] }] })).toBe(
        yamlStringify({ outer: [{ inner: v, list: [v, [v]] }] }),
      );
      if (typeof v === 'string')
        expect(toYamlDocument({ [v]: 'x', nested: { [v]: [v] } })).toBe(
          yamlStringify({ [v]: 'x', nested: { [v]: [v] } }),
        );
    }
  });

  test('empty and nested collections, undefined values, top-level values', () => {
    const cases: unknown[] = [
      {},
      [],
      { a: {} },
      { a: [] },
      [{}],
      [[]],
      [[1, 2], []],
      { a: [[{ b: [] }]] },
      { a: undefined, b: 1 },
      { a: { b: undefined } },
      [{ a: 1, b: { c: [1, { d: {} }] } }],
      'top',
      5,
      null,
      true,
      { '0': 1, '10': 2, a: 3 },
      { ['k'.repeat(1100)]: 1 },
      [new Date(0)],
      { d: new Date(0) },
      { a: [null, true, 'x'] },
      Object.assign(Object.create(null) as object, { a: 1 }),
    ];
    for (const c of cases) expect(toYamlDocument(c)).toBe(yamlStringify(c));
  });

  test('random documents built from the tricky values', () => {
    let seed = 42;
    const rnd = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const keys = ['apiVersion', 'a', 'on', 'y', 'x: y', 'app.kubernetes.io/name', '1', '', 'k k'];
    const alphabet = 'aZ09 -_.:/#&*!|>\'"%@`[]{},?=~<+\\\té\n';
    const randomString = (): string => Array.from({ length: rnd(8) }, () => alphabet[rnd(alphabet.length)]).join('');
    const gen = (depth: number): unknown => {
      const r = rnd(depth > 3 ? 2 : 5);
      if (r === 0) return tricky[rnd(tricky.length)];
      if (r === 1) return randomString();
      if (r === 2) return Array.from({ length: rnd(4) }, () => gen(depth + 1));
      const o: Record<string, unknown> = {};
      for (let i = rnd(5); i > 0; i--) o[rnd(3) === 0 ? randomString() : keys[rnd(keys.length)]] = gen(depth + 1);
      return o;
    };
    for (let i = 0; i < 5000; i++) {
      const doc = gen(0);
      expect(toYamlDocument(doc)).toBe(yamlStringify(doc));
    }
  });
});
