import { ValidationError } from '../../lib/core/validation';

/** Runs `fn`, expects a ValidationError, and returns it (so tests can check field, value and fix). */
export function validationErrorOf(fn: () => unknown): ValidationError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ValidationError) return err;
    throw new Error(`expected a ValidationError, got ${String(err)}`, { cause: err });
  }
  throw new Error('expected a ValidationError, but nothing was thrown');
}

/** nginx's unescaping of a single-quoted parameter (ngx_conf_file.c), to check our escaping round-trips. */
export function nginxUnescapeSingleQuoted(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "'") throw new Error(`unescaped quote at ${i} would end the parameter`);
    if (c === '\\' && i + 1 < text.length) {
      const n = text[i + 1];
      if (n === '"' || n === "'" || n === '\\') {
        out += n;
        i++;
        continue;
      }
      if (n === 't') {
        out += '\t';
        i++;
        continue;
      }
      if (n === 'r') {
        out += '\r';
        i++;
        continue;
      }
      if (n === 'n') {
        out += '\n';
        i++;
        continue;
      }
    }
    out += c;
  }
  return out;
}
