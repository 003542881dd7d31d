import { WafPolicy } from '../../lib/waf/policy';
import { DEFAULT_REGEX_MATCH_LIMIT } from '../../lib/waf/regex-limits';
import { SETTINGS_RULE_IDS } from '../../lib/waf/rule-ids';
import { validationErrorOf } from './support';

const lines = (p: WafPolicy): string[] => p.renderPolicyFile().split('\n');

describe('WafPolicy regex match limits', () => {
  test("defaults: SecPcreMatchLimit 100000, the base config's rule 200005 removed, a blocking limit rule after the CRS rules", () => {
    const policy = new WafPolicy();
    expect(policy.regexLimits).toEqual({ matchLimit: DEFAULT_REGEX_MATCH_LIMIT, action: 'block' });
    const l = lines(policy);
    expect(l).toContain('SecPcreMatchLimit 100000');
    expect(l).toContain('SecRuleRemoveById 200005');
    const crs = l.findIndex((x) => x.startsWith('Include ') && x.endsWith('/rules/*.conf'));
    const rule = l.findIndex((x) => x.startsWith('SecRule TX:MSC_PCRE_LIMITS_EXCEEDED'));
    expect(rule).toBeGreaterThan(crs);
    expect(l[rule]).toBe(
      `SecRule TX:MSC_PCRE_LIMITS_EXCEEDED "@eq 1" "id:${SETTINGS_RULE_IDS.regexMatchLimit},phase:2,deny,log,msg:'PCRE limit 100000 hit'"`,
    );
    // The limit is set after the base config (included first by the controller snippet), so it is the one in force.
    expect(l.findIndex((x) => x.startsWith('SecPcreMatchLimit'))).toBeLessThan(crs);
  });

  test('"log" passes and logs; the limit renders as given', () => {
    const l = lines(new WafPolicy({ regexMatchLimit: 500000, onRegexMatchLimit: 'log' }));
    expect(l).toContain('SecPcreMatchLimit 500000');
    expect(l.find((x) => x.startsWith('SecRule TX:MSC_PCRE_LIMITS_EXCEEDED'))).toContain(',phase:2,pass,log,');
  });

  test.each([
    ["below the base config's 1000", 999],
    ["above PCRE2's built-in limit", 10000001],
    ['not a whole number', 1500.5],
    ['not a number', Number.NaN],
  ])('rejects regexMatchLimit %s', (_what, value) => {
    const err = validationErrorOf(() => new WafPolicy({ regexMatchLimit: value }));
    expect(err.field).toBe('waf.regexMatchLimit');
    expect(err.fix).toMatch(/from 1000 to 10000000/);
  });

  test('rejects an unknown onRegexMatchLimit', () => {
    const err = validationErrorOf(() => new WafPolicy({ onRegexMatchLimit: 'deny' as never }));
    expect(err.field).toBe('waf.onRegexMatchLimit');
    expect(err.value).toBe('deny');
    expect(err.fix).toMatch(/"block".*"log"/);
  });
});
