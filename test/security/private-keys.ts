import { parseAllDocuments } from 'yaml';
import { RenderedTree } from '../../lib/synth/render';

/** A file that holds private key material, and how it was found. */
export interface KeyFinding {
  readonly path: string;
  readonly how: string;
}

const PEM_KEY = /-{5}BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-{5}/;
const PRIVATE_KEY_FIELD = /^(tls\.key|.*\.key|.*private.?key.*)$/i;

/**
 * Scans files for private keys: PEM key blocks in the text, and in every base64 `data` value of a Secret (decoded),
 * and any Secret data/stringData entry named like a key (`tls.key`, `*.key`, `*privateKey*`).
 */
export function findPrivateKeys(tree: RenderedTree): KeyFinding[] {
  const out: KeyFinding[] = [];
  for (const [path, content] of tree) {
    if (PEM_KEY.test(content)) {
      out.push({ path, how: 'PEM private key block' });
      continue;
    }
    if (!path.endsWith('.yaml')) continue;
    for (const doc of parseAllDocuments(content)) {
      const obj = doc.toJS() as {
        kind?: string;
        data?: Record<string, string>;
        stringData?: Record<string, string>;
      } | null;
      if (!obj || obj.kind !== 'Secret') continue;
      for (const [key, value] of Object.entries(obj.data ?? {})) {
        if (PEM_KEY.test(Buffer.from(String(value), 'base64').toString('latin1')))
          out.push({ path, how: `base64 PEM key in data.${key}` });
        else if (PRIVATE_KEY_FIELD.test(key)) out.push({ path, how: `key-named entry data.${key}` });
      }
      for (const key of Object.keys(obj.stringData ?? {}))
        if (PRIVATE_KEY_FIELD.test(key)) out.push({ path, how: `key-named entry stringData.${key}` });
    }
  }
  return out;
}
