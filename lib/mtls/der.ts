/**
 * The little DER (X.690) reading a CRL check needs: tag, length and content of one element. Node's crypto parses
 * certificates (X509Certificate) but not CRLs; this reader is strict (definite lengths only, no trailing bytes) and
 * never interprets more than the structure RFC 5280 §5.1 defines.
 */

/** One DER element. */
export interface DerElement {
  /** Identifier octet (e.g. 0x30 SEQUENCE, 0x02 INTEGER, 0xa0 [0] constructed). */
  readonly tag: number;
  /** The whole element (identifier, length, content). */
  readonly raw: Buffer;
  /** The content octets. */
  readonly content: Buffer;
}

/** Thrown for bytes that are not well-formed DER; callers turn it into a ValidationError. */
export class DerError extends Error {}

/** Reads the element at `offset`; returns it and the offset after it. */
export function readElement(buf: Buffer, offset: number): { element: DerElement; next: number } {
  if (offset + 2 > buf.length) throw new DerError('truncated element');
  const tag = buf[offset];
  if ((tag & 0x1f) === 0x1f) throw new DerError('multi-byte tags are not used by X.509');
  let length = buf[offset + 1];
  let header = 2;
  if (length === 0x80) throw new DerError('indefinite length (BER, not DER)');
  if (length > 0x80) {
    const octets = length & 0x7f;
    if (octets > 4 || offset + 2 + octets > buf.length) throw new DerError('length too long');
    length = 0;
    for (let i = 0; i < octets; i++) length = length * 256 + buf[offset + 2 + i];
    if (length < 0x80 || buf[offset + 2] === 0) throw new DerError('non-minimal length (not DER)');
    header += octets;
  }
  const end = offset + header + length;
  if (end > buf.length) throw new DerError('element runs past the end of its container');
  return { element: { tag, raw: buf.subarray(offset, end), content: buf.subarray(offset + header, end) }, next: end };
}

/** The elements of a constructed element's content, in order (the content must be consumed exactly). */
export function children(content: Buffer): DerElement[] {
  const out: DerElement[] = [];
  let offset = 0;
  while (offset < content.length) {
    const { element, next } = readElement(content, offset);
    out.push(element);
    offset = next;
  }
  return out;
}

/** The single element that makes up `buf` (no trailing bytes). */
export function readWhole(buf: Buffer): DerElement {
  const { element, next } = readElement(buf, 0);
  if (next !== buf.length) throw new DerError('trailing bytes after the element');
  return element;
}

/** Dotted form of an OBJECT IDENTIFIER's content. */
export function decodeOid(content: Buffer): string {
  if (content.length === 0) throw new DerError('empty OID');
  const arcs: number[] = [];
  let value = 0;
  for (const byte of content) {
    value = value * 128 + (byte & 0x7f);
    if ((byte & 0x80) === 0) {
      arcs.push(value);
      value = 0;
    }
  }
  if ((content[content.length - 1] & 0x80) !== 0) throw new DerError('truncated OID');
  const first = arcs.shift() as number;
  const head = first < 40 ? [0, first] : first < 80 ? [1, first - 40] : [2, first - 80];
  return [...head, ...arcs].join('.');
}

/** A UTCTime (0x17) or GeneralizedTime (0x18) in the `Z` forms RFC 5280 §4.1.2.5 requires. */
export function decodeTime(element: DerElement): Date {
  const text = element.content.toString('latin1');
  let m: RegExpExecArray | null;
  if (element.tag === 0x17 && (m = /^(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)Z$/.exec(text))) {
    const yy = Number(m[1]);
    return new Date(
      Date.UTC(
        yy < 50 ? 2000 + yy : 1900 + yy,
        Number(m[2]) - 1,
        Number(m[3]),
        Number(m[4]),
        Number(m[5]),
        Number(m[6]),
      ),
    );
  }
  if (element.tag === 0x18 && (m = /^(\d{4})(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)Z$/.exec(text))) {
    return new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6])));
  }
  throw new DerError('time is not a UTCTime or GeneralizedTime in UTC');
}
