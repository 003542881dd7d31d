/** One directive of an nginx configuration: its name, arguments and, for a block directive, its children. */
export interface Directive {
  /** Directive name (`server`, `location`, `proxy_set_header`, `if`). */
  readonly name: string;
  /** Arguments as written, quotes removed (for `*_by_lua_block`: one argument, the Lua source). */
  readonly args: readonly string[];
  /** Children of a block directive, undefined for a simple directive. */
  readonly block?: readonly Directive[];
}

/**
 * Splits nginx configuration text into tokens the way nginx's parser does (ngx_conf_file.c ngx_conf_read_token):
 * words, single- or double-quoted strings (backslash escapes kept as written), `{`, `}`, `;`, `#` comments to end of
 * line. A `*_by_lua_block` body is kept as one raw token (ngx_lua parses it with its own Lua-aware lexer,
 * ngx_http_lua_directive.c ngx_http_lua_conf_lua_block_parse).
 */
function tokenize(text: string): { tokens: string[]; quoted: boolean[] } {
  const tokens: string[] = [];
  const quoted: boolean[] = [];
  let i = 0;
  const push = (t: string, q = false): void => {
    tokens.push(t);
    quoted.push(q);
  };
  while (i < text.length) {
    const c = text[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '#') {
      while (i < text.length && text[i] !== '\n') i++;
      continue;
    }
    if (c === '{' || c === '}' || c === ';') {
      if (c === '{' && tokens.length > 0 && /_by_lua_block$/.test(lastDirectiveName(tokens))) {
        const end = luaBlockEnd(text, i);
        push(text.slice(i + 1, end).trim(), true);
        push(';');
        i = end + 1;
        continue;
      }
      push(c);
      i++;
      continue;
    }
    if (c === '"' || c === "'") {
      let j = i + 1;
      let s = '';
      while (j < text.length && text[j] !== c) {
        if (text[j] === '\\' && j + 1 < text.length) {
          const n = text[j + 1];
          // nginx un-escapes \" \' \\ \t \r \n inside quotes (ngx_conf_read_token, "case '\\'")
          s += n === 't' ? '\t' : n === 'r' ? '\r' : n === 'n' ? '\n' : n === c || n === '\\' ? n : '\\' + n;
          j += 2;
          continue;
        }
        s += text[j++];
      }
      push(s, true);
      i = j + 1;
      continue;
    }
    let j = i;
    while (j < text.length && !/[\s;{}]/.test(text[j])) {
      j += text[j] === '\\' && j + 1 < text.length ? 2 : 1;
    }
    push(text.slice(i, j));
    i = j;
  }
  return { tokens, quoted };
}

function lastDirectiveName(tokens: readonly string[]): string {
  for (let k = tokens.length - 1; k >= 0; k--) {
    if (tokens[k] === ';' || tokens[k] === '{' || tokens[k] === '}') return tokens[k + 1] ?? '';
  }
  return tokens[0] ?? '';
}

/** Index of the `}` that closes the Lua block opened at `open`, skipping Lua strings and comments. */
function luaBlockEnd(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if (c === '-' && text[i + 1] === '-') {
      while (i < text.length && text[i] !== '\n') i++;
      continue;
    }
    if (c === '"' || c === "'") {
      for (i++; i < text.length && text[i] !== c; i++) if (text[i] === '\\') i++;
      continue;
    }
    if (c === '[' && text[i + 1] === '[') {
      const e = text.indexOf(']]', i);
      i = e < 0 ? text.length : e + 1;
      continue;
    }
    if (c === '{') depth++;
    if (c === '}' && --depth === 0) return i;
  }
  throw new Error('nginx-parse: unterminated *_by_lua_block');
}

/** Parses nginx configuration text into a directive tree. Throws on unbalanced braces. */
export function parseNginxConf(text: string): Directive[] {
  const { tokens, quoted } = tokenize(text);
  let pos = 0;
  const parseBlock = (closing: boolean): Directive[] => {
    const out: Directive[] = [];
    let words: string[] = [];
    while (pos < tokens.length) {
      const q = quoted[pos];
      const t = tokens[pos++];
      if (q) {
        words.push(t);
      } else if (t === ';') {
        if (words.length) out.push({ name: words[0], args: words.slice(1) });
        words = [];
      } else if (t === '{') {
        const block = parseBlock(true);
        out.push({ name: words[0] ?? '', args: words.slice(1), block });
        words = [];
      } else if (t === '}') {
        if (!closing) throw new Error('nginx-parse: unexpected "}"');
        return out;
      } else {
        words.push(t);
      }
    }
    if (closing) throw new Error('nginx-parse: missing "}"');
    return out;
  };
  return parseBlock(false);
}

/** The children named `name` of a block (or of the top level). */
export function children(block: readonly Directive[] | undefined, name: string): Directive[] {
  return (block ?? []).filter((d) => d.name === name);
}
