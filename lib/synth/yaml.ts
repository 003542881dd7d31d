import { Document, stringify } from 'yaml';

/**
 * The YAML of `dist/`: the `yaml` package's `stringify` with YAML 1.1 output (strings a YAML 1.1 reader would take
 * for booleans or numbers, such as `on` or `e5`, are quoted), no line folding and no aliases.
 *
 * {@link toYamlDocument} writes the same bytes faster for the manifests we render (plain JSON: maps, lists, strings,
 * integers, booleans, null). The `yaml` package builds a node tree per document and tests every string against
 * every YAML 1.1 tag; at fleet scale (tens of thousands of manifests) that was most of the synth time. Here the
 * block structure is written directly and each distinct string is classified once: a string that is trivially plain
 * (`^[A-Za-z][A-Za-z0-9._/-]*$` and no YAML 1.1 tag matches it) is written as is, and every other string is rendered
 * by `yaml` itself, in the same position (map key, map value or list item), and cached. Anything else — a multi-line
 * string, a document-marker look-alike, a key longer than 1000 characters, a non-plain object — renders the whole
 * document with `yaml`. test/synth/yaml.test.ts
 * checks byte equality with `yaml` on the reference dist, a tenant fleet and tricky values.
 *
 * Kept over the library on measurement (issue 18; docs/benchmarks.md, part 1): 30 063 objects of the 5 000-tenant
 * fleet render in 0.26–0.33 s here against 3.4–3.8 s with `yaml.stringify` (~0.12 ms per object).
 */
export const YAML_OPTIONS = { lineWidth: 0, aliasDuplicateObjects: false, version: '1.1' } as const;

/** `yaml`'s rendering of a value as a document, the reference for {@link toYamlDocument}. */
export function yamlStringify(value: unknown): string {
  return stringify(value, YAML_OPTIONS);
}

/** Thrown inside the fast writer when a value needs `yaml` for the whole document. */
class NeedsFullRender extends Error {}

const SIMPLE = /^[A-Za-z][A-Za-z0-9._/-]*$/;
const DOCUMENT_MARKER = /^(?:%|---|\.\.\.)/;
/** YAML 1.1 tags that can claim a plain scalar (booleans, null, numbers, timestamps, merge key). */
const RESOLVING_TAGS: readonly RegExp[] = new Document(null, YAML_OPTIONS).schema.tags
  .filter((t) => t.default && t.tag !== 'tag:yaml.org,2002:str' && t.test instanceof RegExp)
  .map((t) => t.test as RegExp);

type Position = 'key' | 'value' | 'item';
const cache: Record<Position, Map<string, string>> = { key: new Map(), value: new Map(), item: new Map() };
const CACHE_LIMIT = 200_000;

function isSimple(s: string): boolean {
  return s.length <= 1000 && SIMPLE.test(s) && !RESOLVING_TAGS.some((t) => t.test(s));
}

/** `yaml`'s rendering of one scalar in a position, single-line only. */
function viaYaml(value: unknown, position: Position): string {
  let text: string;
  if (position === 'key') {
    text = stringify({ [value as string]: 1 }, YAML_OPTIONS);
    if (!text.endsWith(': 1\n')) throw new NeedsFullRender();
    text = text.slice(0, -4);
  } else if (position === 'value') {
    text = stringify({ a: value }, YAML_OPTIONS);
    if (!text.startsWith('a: ')) throw new NeedsFullRender();
    text = text.slice(3, -1);
  } else {
    text = stringify([value], YAML_OPTIONS);
    if (!text.startsWith('- ')) throw new NeedsFullRender();
    text = text.slice(2, -1);
  }
  if (text.includes('\n')) throw new NeedsFullRender();
  return text;
}

function scalar(value: unknown, position: Position): string {
  if (typeof value === 'string') {
    // Multi-line strings become block scalars, and yaml renders document-marker look-alikes (`---`, `...`, `%`)
    // depending on the indentation: both go through yaml with the whole document.
    if (value.includes('\n') || value.includes('\r') || DOCUMENT_MARKER.test(value)) throw new NeedsFullRender();
    const known = cache[position].get(value);
    if (known !== undefined) return known;
    const text = isSimple(value) ? value : viaYaml(value, position);
    if (cache[position].size >= CACHE_LIMIT) cache[position].clear();
    cache[position].set(value, text);
    return text;
  }
  if (position === 'key') throw new NeedsFullRender();
  if (typeof value === 'number')
    return Number.isSafeInteger(value) && !Object.is(value, -0) ? String(value) : viaYaml(value, position);
  if (typeof value === 'boolean') return value ? TRUE : FALSE;
  if (value === null) return NULL;
  throw new NeedsFullRender();
}

const TRUE = viaYaml(true, 'value');
const FALSE = viaYaml(false, 'value');
const NULL = viaYaml(null, 'value');

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

function definedEntries(o: Record<string, unknown>): [string, unknown][] {
  return Object.entries(o).filter(([, v]) => v !== undefined);
}

function writeMap(entries: readonly [string, unknown][], pad: string, out: string[]): void {
  for (const [k, v] of entries) {
    const key = scalar(k, 'key');
    if (Array.isArray(v)) {
      if (v.length === 0) out.push(`${pad}${key}: []`);
      else {
        out.push(`${pad}${key}:`);
        writeSeq(v, `${pad}  `, out);
      }
    } else if (typeof v === 'object' && v !== null) {
      if (!isPlainObject(v)) throw new NeedsFullRender();
      const inner = definedEntries(v);
      if (inner.length === 0) out.push(`${pad}${key}: {}`);
      else {
        out.push(`${pad}${key}:`);
        writeMap(inner, `${pad}  `, out);
      }
    } else {
      out.push(`${pad}${key}: ${scalar(v, 'value')}`);
    }
  }
}

function writeSeq(items: readonly unknown[], pad: string, out: string[]): void {
  const childPad = `${pad}  `;
  for (const item of items) {
    if (item === undefined) throw new NeedsFullRender();
    if (Array.isArray(item) || (typeof item === 'object' && item !== null)) {
      const first = out.length;
      if (Array.isArray(item)) {
        if (item.length === 0) {
          out.push(`${pad}- []`);
          continue;
        }
        writeSeq(item, childPad, out);
      } else {
        if (!isPlainObject(item)) throw new NeedsFullRender();
        const inner = definedEntries(item);
        if (inner.length === 0) {
          out.push(`${pad}- {}`);
          continue;
        }
        writeMap(inner, childPad, out);
      }
      out[first] = `${pad}- ${out[first].slice(childPad.length)}`;
    } else {
      out.push(`${pad}- ${scalar(item, 'item')}`);
    }
  }
}

/** One manifest as a YAML document, byte-identical to {@link yamlStringify}. */
export function toYamlDocument(value: unknown): string {
  try {
    const out: string[] = [];
    if (Array.isArray(value)) {
      if (value.length === 0) return '[]\n';
      writeSeq(value, '', out);
    } else if (isPlainObject(value)) {
      const entries = definedEntries(value);
      if (entries.length === 0) return '{}\n';
      writeMap(entries, '', out);
    } else {
      return yamlStringify(value);
    }
    return `${out.join('\n')}\n`;
  } catch (err) {
    if (err instanceof NeedsFullRender) return yamlStringify(value);
    throw err;
  }
}
