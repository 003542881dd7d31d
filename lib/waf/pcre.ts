import { invalid } from '../core/validation';

/**
 * Regular expressions that mean the same in JavaScript and in PCRE2 as libmodsecurity runs them.
 *
 * Users write and test regexes in JavaScript (and synth can only try them with `RegExp`), but ModSecurity's `@rx`
 * compiles them with PCRE2 (libmodsecurity v3.0.9–v3.0.13 `src/utils/regex.cc`, `Regex::Regex`:
 * `pcre2_compile(pattern, …, PCRE2_DOTALL | PCRE2_MULTILINE, …)`; v3.0.13 line 94). A pattern PCRE2 refuses loads
 * silently and never matches — a deny rule that fails open — and some patterns
 * compile in both but mean different things (`[]a]`, `\s` on byte 0xA0, `\v`, `\k<n>`, `\1` before its group…).
 *
 * So a user regex is parsed against a whitelist grammar: the constructs below, and nothing else, are accepted. Each
 * one compiles in PCRE2 10.42 (Debian 12) and later and matches the same byte strings as the JavaScript `RegExp`
 * (non-unicode, bytes read as Latin-1) on input without CR/LF — header values cannot hold CR or LF (nginx answers 400).
 *
 * - literals: printable ASCII except `\ . * + ? ( ) [ ] { } | ^ $`, which are written escaped (`\.`, `\{`, …,
 *   also `\/` and `\-`); `.`, `^`, `$` (only when the input cannot hold line breaks: PCRE2's DOTALL/MULTILINE and
 *   JavaScript differ there);
 * - escapes `\d \D \w \W \b \B \t \n \r \f` and `\xHH` (two hex digits; ASCII only when matching ignores case);
 * - classes `[…]`/`[^…]` of literals, those escapes and ranges `a-z` (low ≤ high), not empty;
 * - groups `(…)`, `(?:…)`, lookaheads `(?=…)`, `(?!…)`, lookbehinds `(?<=…)`, `(?<!…)` whose branches have a fixed
 *   length (PCRE2 before 10.43 refuses the others), nested at most 32 deep;
 * - alternation `|`, quantifiers `* + ? {n} {n,} {n,m}` (n ≤ m ≤ 65535), each optionally lazy (`?`), on atoms
 *   that consume input;
 * - a leading `(?i)`.
 *
 * The corpus in test/waf/pcre-corpus.ts runs every accepted and rejected pattern through the real PCRE2
 * (`pcre2test`) and JavaScript and checks this.
 */
export interface PcreCheckOptions {
  /**
   * The rule matches ignoring case (`(?i)` is prepended), so `\xHH` above 0x7F is refused: JavaScript folds
   * Latin-1 letters (`\xE0` matches 0xC0), PCRE2's default tables fold ASCII only.
   * @default false (a leading `(?i)` in the pattern also sets it)
   */
  readonly caseInsensitive?: boolean;
  /**
   * The matched data may contain CR or LF (e.g. a decoded path), where `.`, `^` and `$` differ between PCRE2's
   * DOTALL/MULTILINE and JavaScript; they are refused then.
   * @default false
   */
  readonly inputMayContainLineBreaks?: boolean;
  /**
   * Also refuse what Go's `regexp` (RE2, the engine of Coraza v3.7.0's `@rx`, internal/operators/rx.go) cannot
   * compile: lookarounds (RE2 has none) and counted repeats above 1000, nested counts multiplied (Go
   * regexp/syntax parse.go `repeatIsValid(re, 1000)`: "invalid repeat count"). Coraza refuses to load such a rule set.
   * @default false
   */
  readonly re2?: boolean;
}

/** Go regexp/syntax's limit on counted repetition (parse.go `maxRepeat`-style check `repeatIsValid(re, 1000)`). */
export const RE2_MAX_REPEAT = 1000;

/** Why a construct is refused, and what to write instead. */
interface Refusal {
  readonly problem: string;
  readonly fix: string;
}

/** Escapes refused outside and inside classes, with the reason (the rest get a generic message). */
const REFUSED_ESCAPES: Readonly<Record<string, Refusal>> = {
  s: {
    problem: '\\s matches the no-break space (byte 0xA0) in JavaScript but not in PCRE2',
    fix: 'write [ \\t\\n\\r\\f\\x0b] for whitespace',
  },
  S: {
    problem: '\\S excludes the no-break space (byte 0xA0) in JavaScript but not in PCRE2',
    fix: 'write [^ \\t\\n\\r\\f\\x0b]',
  },
  v: {
    problem: '\\v is any vertical whitespace in PCRE2 (LF, VT, FF, CR, 0x85) and VT alone in JavaScript',
    fix: 'write \\x0b for VT',
  },
  u: {
    problem: '\\u is a Unicode escape in JavaScript and a compile error in PCRE2 (the rule would never match)',
    fix: 'write ASCII characters as \\xHH',
  },
  k: {
    problem: '\\k is a named backreference in PCRE2 and the letter k in JavaScript without named groups',
    fix: 'repeat the text instead of referring back to a group',
  },
  c: { problem: '\\c control escapes differ between JavaScript and PCRE2', fix: 'write control characters as \\xHH' },
  p: {
    problem: '\\p Unicode properties are not available in JavaScript without the u flag',
    fix: 'write an explicit class such as [A-Za-z]',
  },
  P: {
    problem: '\\P Unicode properties are not available in JavaScript without the u flag',
    fix: 'write an explicit class such as [^A-Za-z]',
  },
  A: {
    problem: '\\A is the start of the subject in PCRE2 and the letter A in JavaScript',
    fix: 'write ^ (header values have no line breaks)',
  },
  z: {
    problem: '\\z is the end of the subject in PCRE2 and the letter z in JavaScript',
    fix: 'write $ (header values have no line breaks)',
  },
  Z: {
    problem: '\\Z is an assertion in PCRE2 and the letter Z in JavaScript',
    fix: 'write $ (header values have no line breaks)',
  },
  Q: {
    problem: '\\Q…\\E quotes text in PCRE2 and is the letters Q/E in JavaScript',
    fix: 'escape each metacharacter with \\ instead',
  },
  E: {
    problem: '\\E ends a quote in PCRE2 and is the letter E in JavaScript',
    fix: 'escape each metacharacter with \\ instead',
  },
  h: { problem: '\\h is horizontal whitespace in PCRE2 and the letter h in JavaScript', fix: 'write [ \\t]' },
  G: { problem: '\\G is an assertion in PCRE2 and the letter G in JavaScript', fix: 'remove it' },
  K: {
    problem: '\\K resets the match start in PCRE2 and is the letter K in JavaScript',
    fix: 'use a lookbehind (?<=…) instead',
  },
  '0': { problem: '\\0 is NUL in JavaScript and an octal escape in PCRE2 when digits follow', fix: 'write \\x00' },
};
const BACKREFERENCE: Refusal = {
  problem:
    'backreferences (\\1…\\9) behave differently for groups that did not match (JavaScript matches empty, PCRE2 fails)',
  fix: 'repeat the text instead of referring back to a group',
};
const CLASS_ESCAPES = new Set(['d', 'D', 'w', 'W']);
const CONTROL_ESCAPES = new Set(['t', 'n', 'r', 'f']);
/** Punctuation that may be escaped (it stands for itself in both engines). */
const ESCAPABLE = new Set([...'\\.*+?()[]{}|^$/-']);
const MAX_DEPTH = 32;
const MAX_REPEAT = 65535;
const HEX2 = /^[0-9A-Fa-f]{2}$/;

class Rejected extends Error {
  constructor(
    readonly at: number,
    readonly refusal: Refusal,
  ) {
    super(refusal.problem);
  }
}

/** Width of what an atom consumes: a number of characters, or undefined when it varies. */
type Width = number | undefined;

class Parser {
  private i = 0;
  constructor(
    private readonly src: string,
    private readonly ci: boolean,
    private readonly lineBreaks: boolean,
    private readonly re2 = false,
  ) {}

  public parse(): void {
    if (this.src.startsWith('(?i)')) this.i = 4;
    this.alternation(0);
    if (this.i < this.src.length) this.fail('an unmatched ")"', 'remove it or escape it as \\)');
  }

  private fail(problem: string, fix: string, at = this.i): never {
    throw new Rejected(at, { problem, fix });
  }

  private peek(offset = 0): string | undefined {
    return this.src[this.i + offset];
  }

  /** Branches separated by `|`; returns each branch's width. */
  private alternation(depth: number): Width[] {
    const widths = [this.sequence(depth)];
    while (this.peek() === '|') {
      this.i++;
      widths.push(this.sequence(depth));
    }
    return widths;
  }

  /** Largest product of nested counted repeats seen in the group being parsed (RE2's limit, see `re2`). */
  private repeatProduct = 1;

  private sequence(depth: number): Width {
    let width: Width = 0;
    while (this.i < this.src.length && this.peek() !== '|' && this.peek() !== ')') {
      const start = this.i;
      const outer = this.repeatProduct;
      this.repeatProduct = 1;
      const atom = this.atom(depth);
      const inner = this.repeatProduct;
      const repeated = this.quantifier(atom.quantifiable, start);
      const product = inner * this.lastCount;
      if (this.re2 && product > RE2_MAX_REPEAT) {
        this.fail(
          `counted repeats of ${product} copies (nested counts multiplied), above the ${RE2_MAX_REPEAT} Go's regexp (RE2, Coraza) accepts`,
          `use counts whose product is at most ${RE2_MAX_REPEAT}, or * / + where the count does not matter`,
          start,
        );
      }
      this.repeatProduct = Math.max(outer, product);
      const w =
        repeated === 1
          ? atom.width
          : repeated === undefined || atom.width === undefined
            ? undefined
            : atom.width * repeated;
      width = width === undefined || w === undefined ? undefined : width + w;
    }
    return width;
  }

  /** Parses a quantifier if one follows; returns the repeat count when fixed (1 when there is none). */
  /** Repeat count of the last quantifier for RE2's limit: `{n,m}` counts m (`{n,}` n), other quantifiers 1. */
  private lastCount = 1;

  private quantifier(quantifiable: boolean, atomStart: number): Width {
    const c = this.peek();
    let fixed: Width;
    this.lastCount = 1;
    if (c === '*' || c === '+' || c === '?') {
      this.i++;
      fixed = undefined;
    } else if (c === '{') {
      const m = /^\{(\d{1,5})(,(\d{0,5}))?\}/.exec(this.src.slice(this.i));
      if (!m)
        this.fail(
          'a "{" that is not a quantifier {n}, {n,} or {n,m} (JavaScript reads it as a literal, newer PCRE2 reads {,m} as a quantifier)',
          'write a literal { as \\{',
        );
      const low = Number(m[1]);
      const high = m[2] === undefined ? low : m[3] === '' ? undefined : Number(m[3]);
      if (low > MAX_REPEAT || (high !== undefined && high > MAX_REPEAT))
        this.fail(`a repeat count above ${MAX_REPEAT}, which PCRE2 refuses`, `use counts up to ${MAX_REPEAT}`);
      if (high !== undefined && high < low)
        this.fail(`the quantifier ${m[0]} has its numbers out of order`, 'write {min,max} with min ≤ max');
      this.i += m[0].length;
      fixed = high === low ? low : undefined;
      this.lastCount = Math.max(1, high ?? low);
    } else {
      return 1;
    }
    if (!quantifiable)
      this.fail(
        'a quantifier on an assertion or nothing (^, $, \\b, a lookaround), which JavaScript and PCRE2 treat differently',
        'remove the quantifier',
        atomStart,
      );
    if (this.peek() === '?') this.i++;
    if (this.peek() === '+')
      this.fail(
        'a possessive quantifier (PCRE2 only; JavaScript refuses it)',
        'use an atomic-free pattern without the trailing +',
      );
    return fixed;
  }

  private atom(depth: number): { width: Width; quantifiable: boolean } {
    const c = this.src[this.i];
    switch (c) {
      case '(':
        return this.group(depth);
      case '[':
        return { width: this.characterClass(), quantifiable: true };
      case '\\':
        return this.escape();
      case '.':
      case '^':
      case '$':
        if (this.lineBreaks)
          this.fail(
            `"${c}", whose meaning at line breaks differs between PCRE2 (DOTALL, MULTILINE) and JavaScript`,
            'write an explicit class such as [\\x00-\\xff] instead of ".", and do not anchor',
          );
        this.i++;
        return c === '.' ? { width: 1, quantifiable: true } : { width: 0, quantifiable: false };
      case '*':
      case '+':
      case '?':
        return this.fail(`"${c}" with nothing to repeat`, `escape it as \\${c}`);
      case '{':
        return this.fail(
          'a "{" that is not a quantifier (JavaScript reads it as a literal, newer PCRE2 reads {,m} as a quantifier)',
          'write a literal { as \\{',
        );
      case ']':
      case '}':
        return this.fail(`an unescaped "${c}"`, `write it as \\${c}`);
      default:
        this.literal(c);
        this.i++;
        return { width: 1, quantifiable: true };
    }
  }

  private literal(c: string): void {
    const code = c.charCodeAt(0);
    if (code < 0x20 || code > 0x7e) this.fail('a character outside printable ASCII', 'write it as \\xHH');
  }

  private group(depth: number): { width: Width; quantifiable: boolean } {
    const start = this.i;
    if (depth >= MAX_DEPTH) this.fail(`groups nested deeper than ${MAX_DEPTH}`, 'flatten the pattern');
    const rest = this.src.slice(this.i);
    let kind: 'capture' | 'group' | 'lookahead' | 'lookbehind';
    if (rest.startsWith('(?:')) kind = 'group';
    else if (rest.startsWith('(?=') || rest.startsWith('(?!')) kind = 'lookahead';
    else if (rest.startsWith('(?<=') || rest.startsWith('(?<!')) kind = 'lookbehind';
    else if (rest.startsWith('(?<') || rest.startsWith('(?P') || rest.startsWith("(?'"))
      return this.fail(
        'a named group (the name is syntax JavaScript and PCRE2 read differently when referred to)',
        'use a plain group (…) or (?:…)',
      );
    else if (rest.startsWith('(?i)'))
      return this.fail(
        '(?i) in the middle of the pattern (PCRE2 applies it from there on; JavaScript refuses it)',
        'put (?i) at the very start, or set ignoreCase',
      );
    else if (rest.startsWith('(?'))
      return this.fail(
        'a PCRE2-only group or option (?…) (atomic, comment, flags, recursion…)',
        'use (…), (?:…), (?=…), (?!…), (?<=…) or (?<!…)',
      );
    else if (rest.startsWith('(*')) return this.fail('a PCRE2 verb (*…)', 'remove it');
    else kind = 'capture';
    if (this.re2 && (kind === 'lookahead' || kind === 'lookbehind')) {
      this.fail(
        `a ${kind} (Go's regexp, RE2, the engine of Coraza, has no lookarounds: the rule set would not load)`,
        'match the text itself, e.g. (?:^|[^x])y instead of (?<!x)y, or use two rules',
        start,
      );
    }
    this.i += kind === 'capture' ? 1 : kind === 'lookbehind' ? 4 : 3;
    const widths = this.alternation(depth + 1);
    if (this.peek() !== ')') this.fail('an unclosed group "("', 'close the group with )', start);
    this.i++;
    if (kind === 'lookbehind' && widths.some((w) => w === undefined)) {
      this.fail(
        'a lookbehind whose branches do not have a fixed length (JavaScript accepts it, PCRE2 before 10.43 refuses it)',
        'give every branch of the lookbehind a fixed length: no *, +, ? or {n,m}, and equal-length alternatives inside its groups',
        start,
      );
    }
    if (kind === 'lookahead' || kind === 'lookbehind') return { width: 0, quantifiable: false };
    const same = widths.every((w) => w !== undefined && w === widths[0]);
    return { width: same ? widths[0] : undefined, quantifiable: true };
  }

  /** An escape outside a class. */
  private escape(): { width: Width; quantifiable: boolean } {
    const e = this.src[this.i + 1];
    if (e === 'b' || e === 'B') {
      this.i += 2;
      return { width: 0, quantifiable: false };
    }
    this.classOrSingleEscape(false);
    return { width: 1, quantifiable: true };
  }

  /**
   * An escape that stands for one character or a class escape; returns the character code, or undefined for
   * `\d \D \w \W`.
   */
  private classOrSingleEscape(inClass: boolean): number | undefined {
    const at = this.i;
    const e = this.src[this.i + 1];
    if (e === undefined) this.fail('a "\\" at the end of the pattern', 'remove it or write \\\\');
    this.i += 2;
    if (CLASS_ESCAPES.has(e)) return undefined;
    if (CONTROL_ESCAPES.has(e)) return { t: 9, n: 10, r: 13, f: 12 }[e];
    if (e === 'x') {
      const hex = this.src.slice(this.i, this.i + 2);
      if (!HEX2.test(hex))
        this.fail(
          '\\x without two hex digits (JavaScript reads it as the letter x, PCRE2 as a byte)',
          'write exactly two hex digits, e.g. \\x41',
          at,
        );
      this.i += 2;
      const code = parseInt(hex, 16);
      if (this.ci && code > 0x7f)
        this.fail(
          `\\x${hex} in a case-insensitive pattern (JavaScript folds Latin-1 letters, PCRE2 only ASCII)`,
          'match bytes above 0x7F case-sensitively, or list both cases',
          at,
        );
      return code;
    }
    if (ESCAPABLE.has(e)) return e.charCodeAt(0);
    if (e === 'b' && inClass)
      this.fail('\\b inside a class (backspace, easy to misread as a word boundary)', 'write \\x08', at);
    if (/[1-9]/.test(e)) this.fail(BACKREFERENCE.problem, BACKREFERENCE.fix, at);
    const known = REFUSED_ESCAPES[e];
    if (known) this.fail(known.problem, known.fix, at);
    return this.fail(
      `the escape \\${e}, which means something else (or is refused) in JavaScript or PCRE2`,
      'escape only punctuation; use \\d \\w \\t \\n \\r \\f \\xHH or a class',
      at,
    );
  }

  /** `[…]`; always width 1. */
  private characterClass(): number {
    const start = this.i;
    this.i++;
    if (this.peek() === '^') this.i++;
    if (this.peek() === ']') {
      this.fail(
        'an empty class [] or [^] (JavaScript: matches nothing / any character; PCRE2: "]" is a member and the class goes on)',
        'write [\\x00-\\xff] for any character, remove [] otherwise, or escape a literal ] as \\]',
        start,
      );
    }
    let previous: { code: number | undefined; rangeEnd: boolean } | undefined;
    while (this.peek() !== ']') {
      const c = this.peek();
      if (c === undefined) this.fail('an unclosed class "["', 'close it with ]', start);
      if (c === '[')
        this.fail(
          'an unescaped "[" inside a class (PCRE2 reads [:alpha:], [.x.] and [=x=] as POSIX classes)',
          'write it as \\[',
        );
      if (c === '-' && previous && this.peek(1) !== ']') {
        if (previous.code === undefined || previous.rangeEnd)
          this.fail(
            'a "-" after a class escape or a range (JavaScript reads a literal "-", PCRE2 may refuse or differ)',
            'write a literal - as \\- or put it last',
          );
        this.i++;
        const at = this.i;
        const high = this.classMember();
        if (high === undefined)
          this.fail('a range ending in a class escape such as \\d', 'write the range with single characters', at);
        if (high < previous.code)
          this.fail('a range whose ends are out of order', 'write the lower end first, e.g. a-z', at);
        previous = { code: high, rangeEnd: true };
        continue;
      }
      previous = { code: this.classMember(), rangeEnd: false };
    }
    this.i++;
    return 1;
  }

  /** One class member: a literal or escape; undefined for a class escape. */
  private classMember(): number | undefined {
    const c = this.src[this.i];
    if (c === '\\') return this.classOrSingleEscape(true);
    this.literal(c);
    this.i++;
    return c.charCodeAt(0);
  }
}

/**
 * Checks that `pattern` is in the syntax JavaScript and libmodsecurity's PCRE2 read the same way (see the module
 * comment), and that it is printable ASCII safe to place in a rule: no quotes, backticks or `%{` (macro expansion).
 * Throws a `ValidationError` naming the construct, its position and what to write instead.
 */
export function checkPcreRegex(field: string, pattern: string, options: PcreCheckOptions = {}): string {
  if (typeof pattern !== 'string' || pattern.length === 0)
    invalid(field, pattern, 'is empty', 'give a regular expression such as "^admin$"');
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(pattern))
    invalid(
      field,
      pattern,
      'contains a control character (CR, LF, TAB, ...)',
      'use \\r, \\n or \\t escapes inside the regex instead of raw control characters',
    );
  // eslint-disable-next-line no-control-regex -- \u0000 bounds the ASCII range; the class matches what is outside it
  if (/[^\u0000-\u007f]/.test(pattern))
    invalid(field, pattern, 'contains non-ASCII characters', 'use \\x escapes for non-ASCII bytes');
  const bad = /["'`]/.exec(pattern);
  if (bad)
    invalid(
      field,
      pattern,
      `contains ${JSON.stringify(bad[0])}, which would end the quoted rule text`,
      'write quotes as \\x22 (") or \\x27 (\') and backticks as \\x60 in the regex',
    );
  if (pattern.includes('%{'))
    invalid(field, pattern, 'contains "%{", which ModSecurity expands as a macro', 'write % as \\x25 in the regex');
  const ci = options.caseInsensitive === true || pattern.startsWith('(?i)');
  try {
    new Parser(pattern, ci, options.inputMayContainLineBreaks === true, options.re2 === true).parse();
  } catch (err) {
    if (!(err instanceof Rejected)) throw err;
    invalid(field, pattern, `uses ${err.refusal.problem} at position ${err.at}`, err.refusal.fix);
  }
  // The grammar is a subset of JavaScript's; compiling it is a guard against a gap in the grammar.
  try {
    jsRegExp(pattern, options.caseInsensitive);
  } catch (err) {
    invalid(
      field,
      pattern,
      `is not a valid regular expression (${(err as Error).message})`,
      'fix the regular expression syntax',
    );
  }
  return pattern;
}

/** The JavaScript `RegExp` a checked pattern means: a leading `(?i)` becomes the `i` flag. */
export function jsRegExp(pattern: string, caseInsensitive = false): RegExp {
  const ci = caseInsensitive || pattern.startsWith('(?i)');
  return new RegExp(pattern.replace(/^\(\?i\)/, ''), ci ? 'i' : '');
}
