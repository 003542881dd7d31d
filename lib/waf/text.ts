import { invalid } from '../core/validation';

/**
 * Text checks and escaping for what we place inside ModSecurity rules. Rules end up in the policy file the controller
 * mounts (read by libmodsecurity as is) or, for other data planes, inline in `modsecurity_rules '…';`: a stray quote,
 * line break or macro changes the configuration (or lets input inject rules). User text is therefore checked against
 * an allow-list before it is rendered; text placed inline is escaped once for nginx (see
 * {@link escapeForNginxSingleQuotes}), a file needs no escaping.
 */

/**
 * Escapes text for an nginx single-quoted string. nginx's parser turns `\\` into `\` and `\'` into `'` inside
 * quotes (and `\n`, `\r`, `\t` into control characters), so every backslash is doubled and every `'` escaped:
 * nginx then hands libmodsecurity exactly the original text.
 */
export function escapeForNginxSingleQuotes(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/'/g, "\\'");
}

/** Escapes a literal for use inside a PCRE regular expression. */
export function escapeRegex(literal: string): string {
  return literal.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;
// eslint-disable-next-line no-control-regex -- \u0000 bounds the ASCII range; the class matches what is outside it
const NON_ASCII = /[^\u0000-\u007f]/;

/**
 * A literal value compared with a request header (exact match or one of a list). Allowed: printable ASCII without
 * quotes, backticks, backslashes and the characters nginx or ModSecurity give meaning to (`;`, `{`, `}`, `$`, `%`).
 */
export function checkLiteralValue(field: string, value: string): string {
  if (typeof value !== 'string' || value.length === 0)
    invalid(field, value, 'is empty', 'give the exact header value to match');
  if (CONTROL.test(value))
    invalid(
      field,
      value,
      'contains a control character (CR, LF, TAB, ...)',
      'header values never contain control characters; remove it (a CR/LF would inject configuration)',
    );
  if (NON_ASCII.test(value))
    invalid(
      field,
      value,
      'contains non-ASCII characters',
      'match ASCII header values only (use a regex with \\x escapes for other bytes)',
    );
  const bad = /["'`\\;{}$%]/.exec(value);
  if (bad)
    invalid(
      field,
      value,
      `contains ${JSON.stringify(bad[0])}, which nginx or ModSecurity would interpret`,
      'remove quotes, backticks, backslashes and ; { } $ %; use a regex rule with \\x escapes (e.g. \\x27 for a quote) if you must match them',
    );
  if (value !== value.trim())
    invalid(
      field,
      value,
      'has leading or trailing spaces, which HTTP strips before the WAF sees the value',
      'remove the surrounding spaces',
    );
  return value;
}

const HEADER_NAME = /^[A-Za-z0-9]+(-[A-Za-z0-9]+)*$/;

/** An HTTP request header name as nginx passes it on: letters, digits and single dashes (no underscores). */
export function checkHeaderName(field: string, name: string): string {
  if (typeof name !== 'string' || !HEADER_NAME.test(name) || name.length > 128) {
    const problem =
      typeof name === 'string' && name.includes('_')
        ? 'contains "_": ingress-nginx drops headers with underscores by default, so the rule could never match'
        : 'is not a header name (letters, digits and single dashes, at most 128 characters)';
    invalid(field, name, problem, 'use a plain header name such as "user" or "x-api-client"');
  }
  return name;
}

const DESCRIPTION = /^[A-Za-z0-9 .,:()/#@+_-]{1,200}$/;

/** A short human description, shown in rule comments and the audit-log message. */
export function checkDescription(field: string, text: string): string {
  if (typeof text !== 'string' || !DESCRIPTION.test(text)) {
    invalid(
      field,
      text,
      'is not a plain description',
      'use at most 200 letters, digits, spaces and . , : ( ) / # @ + _ - (no quotes or line breaks)',
    );
  }
  return text;
}

const PATH = /^\/[A-Za-z0-9._~@:+,=/-]*$/;

/** A URL path prefix as written in an Ingress rule: starts with `/`, unreserved characters only, no `..` or `//`. */
export function checkPath(field: string, path: string): string {
  if (typeof path !== 'string' || !PATH.test(path)) {
    invalid(
      field,
      path,
      'is not a plain URL path',
      'start with "/" and use letters, digits and . _ ~ @ : + , = / - only (no query string, quotes or spaces)',
    );
  }
  if (path.includes('//') || path.split('/').some((s) => s === '..' || s === '.')) {
    invalid(field, path, 'contains "//", "." or ".." segments', 'write the normalized path, e.g. "/api/upload"');
  }
  return path;
}
