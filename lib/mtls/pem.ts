import { X509Certificate } from 'node:crypto';
import { invalid } from '../core/validation';

/** One PEM block: its label (`CERTIFICATE`, `X509 CRL`, ...) and the whole block text. */
export interface PemBlock {
  readonly label: string;
  readonly text: string;
}

const BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----\r?\n([\s\S]*?)-----END \1-----/g;
const BEGIN_ANY = /-----BEGIN [A-Z0-9 ]+-----/g;

/** Splits PEM text into blocks; text that is not inside a well-formed block is an error. */
export function pemBlocks(field: string, pem: string): PemBlock[] {
  if (typeof pem !== 'string' || pem.trim() === '')
    invalid(field, pem, 'is empty', 'paste one or more PEM blocks ("-----BEGIN CERTIFICATE-----" ...)');
  if (/PRIVATE KEY-{5}/.test(pem)) {
    invalid(
      field,
      '(PEM input with a private key; value withheld)',
      'contains a private key',
      'give only certificates: a private key must never reach the repository or the cluster secret the Ingress reads',
    );
  }
  const blocks: PemBlock[] = [];
  for (const m of pem.matchAll(BLOCK)) {
    const body = m[2].replace(/\s+/g, '');
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(body))
      invalid(field, m[1], 'PEM block has a body that is not base64', 'paste the block unmodified');
    blocks.push({ label: m[1], text: m[0].replace(/\r\n/g, '\n') });
  }
  const begins = pem.match(BEGIN_ANY)?.length ?? 0;
  if (blocks.length === 0 || begins !== blocks.length) {
    invalid(
      field,
      pem.slice(0, 60),
      'is not well-formed PEM',
      'each block must run from "-----BEGIN <TYPE>-----" to the matching "-----END <TYPE>-----"',
    );
  }
  return blocks;
}

/** What we keep of a validated CA certificate (see `ProvidedClientCa.certificates`). */
export interface CaCertificateInfo {
  /** Subject distinguished name, its RDNs joined by `, ` (e.g. `C=NL, O=Hospital, CN=Client CA`). */
  readonly subject: string;
  /** End of the certificate's validity period (`notAfter`); always later than the `now` it was checked at. */
  readonly validTo: Date;
  /** SHA-256 fingerprint of the DER certificate: 32 upper-case hex bytes separated by colons (`AB:CD:...`). */
  readonly fingerprint256: string;
}

/**
 * Validates CA certificates given as PEM: every block must be a CERTIFICATE that parses, is a CA
 * (basicConstraints CA:TRUE) and is valid at `now`. Returns the normalized PEM text (blocks joined by newlines).
 */
export function checkCaCertificates(
  field: string,
  pem: string,
  now: Date,
): { pem: string; certificates: CaCertificateInfo[] } {
  const blocks = pemBlocks(field, pem);
  const certificates = blocks.map((block, i) => {
    const where = blocks.length > 1 ? `${field}[${i}]` : field;
    if (block.label !== 'CERTIFICATE')
      invalid(
        where,
        block.label,
        'is not a certificate',
        `give "-----BEGIN CERTIFICATE-----" blocks only (a ${block.label} is not a CA certificate)`,
      );
    let x509: X509Certificate;
    try {
      x509 = new X509Certificate(block.text);
    } catch (err) {
      return invalid(
        where,
        block.text.slice(0, 60),
        `does not parse as an X.509 certificate (${(err as Error).message})`,
        'paste the CA certificate exactly as issued',
      );
    }
    if (!x509.ca)
      invalid(
        where,
        x509.subject,
        'is not a CA certificate (basicConstraints CA:FALSE or absent)',
        'give the certificate of the CA that issues client certificates, not a client or server certificate',
      );
    const validTo = new Date(x509.validTo);
    const validFrom = new Date(x509.validFrom);
    if (validTo.getTime() <= now.getTime())
      invalid(
        where,
        x509.subject,
        `expired on ${validTo.toISOString()}`,
        'renew the CA certificate and give the new one',
      );
    if (validFrom.getTime() > now.getTime())
      invalid(
        where,
        x509.subject,
        `is not valid before ${validFrom.toISOString()}`,
        'check the CA certificate dates (or the clock)',
      );
    return { subject: x509.subject.replace(/\n/g, ', '), validTo, fingerprint256: x509.fingerprint256 };
  });
  return { pem: `${blocks.map((b) => b.text).join('\n')}\n`, certificates };
}
