/**
 * The PCRE2/JavaScript whitelist (lib/waf/pcre.ts) against the REAL PCRE2: every pattern of the corpus is compiled
 * by `pcre2test` (Debian pcre2-utils, the library libmodsecurity links) with the options libmodsecurity passes
 * (`PCRE2_DOTALL | PCRE2_MULTILINE`, v3.0.13 src/utils/regex.cc line 94; `(?i)` for ignoreCase), and its matches on
 * the samples are compared with JavaScript's.
 */
import { spawnSync } from 'node:child_process';
import { checkPcreRegex, jsRegExp } from '../../lib/waf/pcre';
import { ACCEPTED, AcceptedPattern, REJECTED } from './pcre-corpus';
import { validationErrorOf } from './support';

const SKIP = process.env.SKIP_ENGINE_TESTS === '1' || process.env.SKIP_ENGINE_TESTS === 'true';
const probe = spawnSync('pcre2test', ['-version'], { encoding: 'utf8' });
const PCRE2_MISSING = probe.error !== undefined || probe.status !== 0;

/** What PCRE2 does with a pattern: the compile error, or for each sample whether it matches. */
type Pcre2Outcome = { readonly error: string } | { readonly matches: readonly boolean[] };

/** A sample as a pcre2test subject line: every byte as \xHH (pcre2test trims whitespace), `\` for empty. */
function subjectLine(sample: string): string {
  if (sample === '') return '\\';
  return [...sample].map((c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`).join('');
}

function pcre2(pattern: string, samples: readonly string[], ignoreCase = false): Pcre2Outcome {
  const delimiter = [...'/!#%&~@;='].find((d) => !pattern.includes(d))!;
  const source = ignoreCase && !pattern.startsWith('(?i)') ? `(?i)${pattern}` : pattern;
  const input = `${delimiter}${source}${delimiter}s,m\n${samples.map(subjectLine).join('\n')}\n`;
  const run = spawnSync('pcre2test', ['-q'], { input, encoding: 'latin1' });
  if (run.status !== 0 && !run.stdout.includes('Failed:')) throw new Error(`pcre2test failed: ${run.stderr}`);
  const lines = run.stdout.split('\n');
  const failed = lines.find((l) => l.startsWith('Failed:'));
  if (failed) return { error: failed };
  const results = lines.filter((l) => l.startsWith(' 0:') || l.startsWith('No match'));
  if (results.length !== samples.length)
    throw new Error(`pcre2test gave ${results.length} results for ${samples.length} samples:\n${run.stdout}`);
  return { matches: results.map((l) => l.startsWith(' 0:')) };
}

function jsMatches(pattern: string, samples: readonly string[], ignoreCase = false): readonly boolean[] | string {
  try {
    const re = jsRegExp(pattern, ignoreCase);
    return samples.map((s) => re.test(s));
  } catch (err) {
    return (err as Error).message;
  }
}

const label = (p: { pattern: string; ignoreCase?: boolean }): string =>
  `${JSON.stringify(p.pattern)}${p.ignoreCase ? ' (ignoreCase)' : ''}`;

describe('regex whitelist (checkPcreRegex)', () => {
  test.each(ACCEPTED.map((p) => [label(p), p] as const))('accepts %s', (_l, p: AcceptedPattern) => {
    expect(checkPcreRegex('f', p.pattern, { caseInsensitive: p.ignoreCase })).toBe(p.pattern);
  });

  test.each(REJECTED.map((p) => [label(p), p] as const))('rejects %s', (_l, p) => {
    const err = validationErrorOf(() =>
      checkPcreRegex('waf.denyRequestHeaders[0].match.regex', p.pattern, { caseInsensitive: p.ignoreCase }),
    );
    expect(err.field).toBe('waf.denyRequestHeaders[0].match.regex');
    expect(err.message).toContain(p.because);
    expect(err.message).toContain(JSON.stringify(p.pattern));
  });

  test('rejects ".", "^" and "$" when the input may hold line breaks, where PCRE2 DOTALL/MULTILINE and JavaScript differ', () => {
    for (const p of ['a.b', '^a', 'a$']) {
      expect(validationErrorOf(() => checkPcreRegex('f', p, { inputMayContainLineBreaks: true })).message).toContain(
        'line breaks',
      );
    }
    expect(checkPcreRegex('f', '[\\x00-\\xff]a', { inputMayContainLineBreaks: true })).toBe('[\\x00-\\xff]a');
  });

  test('rejects quotes, backticks, macros and control characters that would break the rule text', () => {
    for (const p of ['a"b', "a'b", 'a`b', '%{tx.x}', 'a\nb', 'caf\u00e9'])
      expect(() => checkPcreRegex('f', p)).toThrow();
  });
});

const describePcre2 = SKIP ? describe.skip : describe;

describePcre2('regex whitelist against the real PCRE2 (pcre2test, libmodsecurity options DOTALL|MULTILINE)', () => {
  test('pcre2test is installed (Debian package pcre2-utils)', () => {
    if (PCRE2_MISSING)
      throw new Error(
        'pcre2test not found: install it with "sudo apt-get install -y --no-install-recommends pcre2-utils" (or set SKIP_ENGINE_TESTS=1)',
      );
  });

  test.each(ACCEPTED.map((p) => [label(p), p] as const))(
    'accepted %s compiles in PCRE2 and matches the same samples as JavaScript',
    (_l, p: AcceptedPattern) => {
      if (PCRE2_MISSING) throw new Error('pcre2test missing');
      const js = jsMatches(p.pattern, p.samples, p.ignoreCase);
      const real = pcre2(p.pattern, p.samples, p.ignoreCase);
      expect(real).toEqual({ matches: js });
    },
  );

  test.each(REJECTED.map((p) => [label(p), p] as const))(
    'rejected %s: the engines disagree as the corpus says',
    (_l, p) => {
      if (PCRE2_MISSING) throw new Error('pcre2test missing');
      const samples = p.samples ?? ['a'];
      const js = jsMatches(p.pattern, samples, p.ignoreCase);
      const real = (): Pcre2Outcome => pcre2(p.pattern, samples, p.ignoreCase);
      switch (p.why) {
        case 'pcre2-refuses':
          expect(real()).toHaveProperty('error');
          expect(typeof js).not.toBe('string');
          break;
        case 'js-refuses':
          expect(typeof js).toBe('string');
          break;
        case 'differs':
          expect(typeof js).not.toBe('string');
          expect(real()).toHaveProperty('matches');
          expect((real() as { matches: boolean[] }).matches).not.toEqual(js);
          break;
        case 'style':
          // Same meaning today (PCRE2 compiles it); refused for the reason in the corpus note.
          expect(typeof js).not.toBe('string');
          expect(real()).toHaveProperty('matches');
          break;
      }
    },
  );
});
