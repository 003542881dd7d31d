/**
 * Regex corpus for the PCRE2/JavaScript whitelist (lib/waf/pcre.ts), kept as data a reviewer can extend. Samples are
 * byte strings written as JavaScript strings whose characters are bytes (Latin-1), without CR/LF (header values).
 *
 * - accepted: must pass `checkPcreRegex`, compile in the real PCRE2 with libmodsecurity's options, and match exactly
 *   the samples JavaScript matches.
 * - rejected: must be refused by `checkPcreRegex` with a message containing `because`; `why` says how the engines
 *   disagree: `pcre2-refuses` (PCRE2 cannot compile it: the rule would never match), `differs` (both compile, a
 *   sample matches in one engine only), `js-refuses` (JavaScript cannot compile it), or `style` (same meaning today,
 *   refused because it is easy to misread or changed meaning in a newer PCRE2; say which in `note`).
 */
export interface AcceptedPattern {
  readonly pattern: string;
  readonly samples: readonly string[];
  /** The rule ignores case (`ignoreCase`). */
  readonly ignoreCase?: boolean;
}

export interface RejectedPattern {
  readonly pattern: string;
  readonly why: 'pcre2-refuses' | 'differs' | 'js-refuses' | 'style';
  /** Part of the error message. */
  readonly because: string;
  /** For `differs`: samples of which at least one matches in one engine only. */
  readonly samples?: readonly string[];
  readonly note?: string;
  readonly ignoreCase?: boolean;
}

const WORDS = [
  'admin',
  'Admin',
  'ADMIN',
  'administrator',
  'xadmin',
  'user',
  'root',
  '',
  'a-b',
  'a b',
  'ab',
  'a.b',
  'a\tb',
  '123',
  'x{2}',
  'tab\there',
  '\u00a0',
  'caf\u00e9',
  'CAF\u00c9',
  '/api/v1',
  'a,b',
  '[x]',
];

export const ACCEPTED: readonly AcceptedPattern[] = [
  { pattern: '^admin$', samples: WORDS },
  { pattern: 'admin', samples: WORDS },
  { pattern: '(?i)^admin$', samples: WORDS },
  { pattern: '^admin$', samples: WORDS, ignoreCase: true },
  { pattern: '^(?:admin|root)$', samples: WORDS },
  { pattern: '^adm(in)?$', samples: ['adm', 'admin', 'admi', 'adminin'] },
  { pattern: '^a.b$', samples: WORDS },
  { pattern: '^a\\.b$', samples: WORDS },
  { pattern: '^[a-z]+$', samples: WORDS },
  { pattern: '^[^a-z]+$', samples: WORDS },
  { pattern: '^[A-Za-z0-9_-]{1,8}$', samples: WORDS },
  { pattern: '^[\\w.]+$', samples: WORDS },
  { pattern: '^\\d{3}$', samples: WORDS },
  { pattern: '\\D', samples: WORDS },
  { pattern: '\\W', samples: WORDS },
  { pattern: '\\badmin\\b', samples: [...WORDS, 'the admin here', 'admin_x', 'x-admin-y'] },
  { pattern: '\\Badmin', samples: [...WORDS, 'the admin'] },
  { pattern: 'a\\tb', samples: WORDS },
  { pattern: '[ \\t]', samples: WORDS },
  { pattern: '^x\\{2\\}$', samples: WORDS },
  { pattern: 'x{2}', samples: ['x', 'xx', 'xxx', 'x{2}'] },
  { pattern: '^x{2,}$', samples: ['x', 'xx', 'xxx'] },
  { pattern: '^x{1,2}?$', samples: ['x', 'xx', 'xxx'] },
  { pattern: '^a+?b*c?$', samples: ['a', 'ab', 'abc', 'aabbc', 'c', 'bc'] },
  { pattern: '\\x41\\x2d', samples: ['A-', 'a-', 'A', '-'] },
  { pattern: '[\\xe0-\\xff]', samples: WORDS },
  { pattern: '[\\[\\]]', samples: WORDS },
  { pattern: '^\\/api\\/', samples: WORDS },
  { pattern: '[a\\-z]', samples: ['-', 'b', 'a', 'z'] },
  { pattern: '[az-]', samples: ['-', 'b', 'a', 'z'] },
  { pattern: '[-az]', samples: ['-', 'b', 'a', 'z'] },
  { pattern: '[$^.|*]', samples: ['$', '^', '.', '|', '*', 'a'] },
  { pattern: 'admin(?=istrator)', samples: WORDS },
  { pattern: 'admin(?!istrator)', samples: WORDS },
  { pattern: '(?<=x)admin', samples: WORDS },
  { pattern: '(?<!x)admin$', samples: WORDS },
  { pattern: '(?<=ab|c)d', samples: ['abd', 'cd', 'd', 'bd'] },
  { pattern: '(?<=a(?:bc|de))x', samples: ['abcx', 'adex', 'ax', 'x'] },
  { pattern: '(?<=[0-9]{2})x', samples: ['12x', '1x', 'x'] },
  { pattern: '^(a|b)*c$', samples: ['c', 'abc', 'abac', 'ab', 'acb'] },
  { pattern: '^(?:(?:a)|)+$', samples: ['', 'a', 'aa', 'b'] },
  {
    pattern: '(?:^|,)[\\t ]*(?:admin)[\\t ]*(?:,|$)',
    samples: ['admin', ' admin', 'admin\t', 'x, admin', 'admin,x', 'xadmin', 'admin x', 'guest, admin , y'],
  },
  { pattern: '(?i)caf', samples: WORDS },
  { pattern: '[\\x80-\\xff]', samples: WORDS },
];

export const REJECTED: readonly RejectedPattern[] = [
  {
    pattern: '[^]',
    why: 'pcre2-refuses',
    because: 'empty class',
    note: 'JavaScript: any character; PCRE2: "]" opens the class, which is never closed',
  },
  {
    pattern: '[]a]',
    why: 'differs',
    because: 'empty class',
    samples: ['a', ']', ']a'],
    note: 'JavaScript: an empty class then "a]"; PCRE2: the class of "]" and "a"',
  },
  { pattern: 'x[]', why: 'pcre2-refuses', because: 'empty class' },
  { pattern: '\\u0041', why: 'pcre2-refuses', because: '\\u is a Unicode escape' },
  {
    pattern: '(?<=a+)b',
    why: 'pcre2-refuses',
    because: 'lookbehind whose branches do not have a fixed length',
    note: 'PCRE2 10.43+ accepts bounded variable lookbehinds; 10.42 (Debian 12) refuses',
  },
  { pattern: '(?<=a(?:b|cd))x', why: 'pcre2-refuses', because: 'lookbehind whose branches do not have a fixed length' },
  { pattern: '(?<=a{1,2})b', why: 'pcre2-refuses', because: 'lookbehind whose branches do not have a fixed length' },
  {
    pattern: '(?<n>a)\\k<n>',
    why: 'style',
    because: 'named group',
    note: 'both engines read this the same; refused because \\k<n> without the named group means the letter k in JavaScript',
  },
  {
    pattern: 'a\\k<n>',
    why: 'pcre2-refuses',
    because: '\\k is a named backreference',
    note: 'JavaScript without named groups: the text "ak<n>"',
  },
  {
    pattern: '\\1',
    why: 'pcre2-refuses',
    because: 'backreferences',
    note: 'JavaScript: the octal escape \\x01; PCRE2: a reference to a group that does not exist',
  },
  {
    pattern: '(a)\\1',
    why: 'style',
    because: 'backreferences',
    note: 'same here; (a)|\\1b differs (JavaScript matches "b", PCRE2 not)',
  },
  { pattern: '(a)|\\1b', why: 'differs', because: 'backreferences', samples: ['b', 'a'] },
  {
    pattern: '\\v',
    why: 'differs',
    because: '\\v is any vertical whitespace',
    samples: ['\u000b', '\u000c', '\u0085'],
  },
  { pattern: '\\s', why: 'differs', because: '\\s matches the no-break space', samples: ['\u00a0', ' '] },
  { pattern: '\\S', why: 'differs', because: '\\S excludes the no-break space', samples: ['\u00a0'] },
  { pattern: '[\\s]', why: 'differs', because: '\\s matches the no-break space', samples: ['\u00a0'] },
  { pattern: '\\Aadmin', why: 'differs', because: '\\A is the start of the subject', samples: ['admin', 'Aadmin'] },
  { pattern: 'admin\\z', why: 'differs', because: '\\z is the end of the subject', samples: ['admin', 'adminz'] },
  { pattern: 'admin\\Z', why: 'differs', because: '\\Z is an assertion', samples: ['admin', 'adminZ'] },
  { pattern: '\\Qa.b\\E', why: 'differs', because: '\\Q…\\E quotes text', samples: ['a.b', 'Qa.bE', 'QaxbE'] },
  { pattern: '\\h', why: 'differs', because: '\\h is horizontal whitespace', samples: [' ', 'h'] },
  { pattern: '\\x4', why: 'differs', because: '\\x without two hex digits', samples: ['x4', '\u0004'] },
  {
    pattern: '\\0',
    why: 'style',
    because: '\\0 is NUL in JavaScript',
    note: '\\01 is octal 1 in PCRE2 and NUL then "1" in JavaScript',
  },
  {
    pattern: '\\01',
    why: 'style',
    because: '\\0 is NUL in JavaScript',
    note: 'both read the octal escape \\x01 (JavaScript through its legacy octal syntax)',
  },
  { pattern: '\\cA', why: 'style', because: '\\c control escapes differ' },
  { pattern: '\\p{L}', why: 'differs', because: '\\p Unicode properties', samples: ['a', 'p{L}'] },
  { pattern: '\\e', why: 'differs', because: 'the escape \\e', samples: ['e', '\u001b'] },
  {
    pattern: 'a{,2}',
    why: 'style',
    because: 'not a quantifier',
    note: 'literal "{,2}" in JavaScript and PCRE2 10.42; {0,2} from PCRE2 10.43',
  },
  { pattern: 'a{2,1}', why: 'js-refuses', because: 'out of order' },
  { pattern: 'x{65536}', why: 'pcre2-refuses', because: 'repeat count above 65535' },
  { pattern: 'a++', why: 'js-refuses', because: 'possessive quantifier' },
  { pattern: '(?>a)', why: 'js-refuses', because: 'PCRE2-only group' },
  { pattern: 'a(?i)b', why: 'js-refuses', because: '(?i) in the middle' },
  { pattern: '(?s).', why: 'js-refuses', because: 'PCRE2-only group' },
  { pattern: '(?#comment)a', why: 'js-refuses', because: 'PCRE2-only group' },
  { pattern: '(*UTF)a', why: 'js-refuses', because: 'PCRE2 verb' },
  { pattern: '[[:alpha:]]', why: 'differs', because: 'POSIX classes', samples: ['a', ':]', '[]'] },
  {
    pattern: '[\\d-z]',
    why: 'pcre2-refuses',
    because: 'after a class escape',
    note: 'PCRE2 10.42: "invalid range in character class"; JavaScript: digits, "-" and "z"',
  },
  { pattern: '[a-c-e]', why: 'style', because: 'after a class escape or a range' },
  { pattern: '[z-a]', why: 'js-refuses', because: 'out of order' },
  { pattern: '[\\b]', why: 'style', because: '\\b inside a class' },
  {
    pattern: '(?i)\\xe0',
    why: 'differs',
    because: 'case-insensitive pattern',
    samples: ['\u00c0', '\u00e0'],
    ignoreCase: true,
  },
  { pattern: '\\xC0', why: 'differs', because: 'case-insensitive pattern', samples: ['\u00e0'], ignoreCase: true },
  { pattern: '^a$*', why: 'js-refuses', because: 'quantifier on an assertion' },
  { pattern: '(?=a)*', why: 'style', because: 'quantifier on an assertion' },
  { pattern: 'a}', why: 'style', because: 'unescaped "}"' },
  { pattern: 'a]', why: 'style', because: 'unescaped "]"' },
  { pattern: '*a', why: 'js-refuses', because: 'nothing to repeat' },
  { pattern: '{1}', why: 'js-refuses', because: 'not a quantifier' },
  { pattern: 'a)', why: 'js-refuses', because: 'unmatched ")"' },
  { pattern: '(a', why: 'js-refuses', because: 'unclosed group' },
  { pattern: '[a', why: 'js-refuses', because: 'unclosed class' },
  { pattern: 'a\\', why: 'js-refuses', because: 'at the end of the pattern' },
  { pattern: `${'('.repeat(40)}a${')'.repeat(40)}`, why: 'style', because: 'nested deeper than 32' },
];
