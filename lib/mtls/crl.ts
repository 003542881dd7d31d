import { verify, X509Certificate } from 'node:crypto';
import { invalid } from '../core/validation';
import { children, decodeOid, decodeTime, DerError, DerElement, readWhole } from './der';
import { pemBlocks } from './pem';

/** CRL signature algorithms (RFC 5758, RFC 4055, RFC 8410) and the digest node's `crypto.verify` takes for them. */
const SIGNATURE_ALGORITHMS: ReadonlyMap<string, { readonly name: string; readonly digest: string | null }> = new Map([
  ['1.2.840.10045.4.3.2', { name: 'ecdsa-with-SHA256', digest: 'sha256' }],
  ['1.2.840.10045.4.3.3', { name: 'ecdsa-with-SHA384', digest: 'sha384' }],
  ['1.2.840.10045.4.3.4', { name: 'ecdsa-with-SHA512', digest: 'sha512' }],
  ['1.2.840.113549.1.1.11', { name: 'sha256WithRSAEncryption', digest: 'sha256' }],
  ['1.2.840.113549.1.1.12', { name: 'sha384WithRSAEncryption', digest: 'sha384' }],
  ['1.2.840.113549.1.1.13', { name: 'sha512WithRSAEncryption', digest: 'sha512' }],
  ['1.3.101.112', { name: 'Ed25519', digest: null }],
]);

/** What we keep of a validated CRL. */
export interface CrlInfo {
  /** Subject of the CA certificate that signed it. */
  readonly issuer: string;
  /** `thisUpdate`. */
  readonly thisUpdate: Date;
  /**
   * `nextUpdate`: nginx (OpenSSL) rejects every client certificate of this CA after it.
   * @default undefined when the CRL has no nextUpdate (it then never expires for OpenSSL)
   */
  readonly nextUpdate?: Date;
}

/** The parts of a CertificateList (RFC 5280 §5.1) the checks need. */
interface ParsedCrl {
  readonly tbs: Buffer;
  readonly signatureAlgorithm: DerElement;
  readonly signature: Buffer;
  readonly issuer: Buffer;
  readonly thisUpdate: Date;
  readonly nextUpdate?: Date;
}

function parseCrl(der: Buffer): ParsedCrl {
  const list = readWhole(der);
  if (list.tag !== 0x30) throw new DerError('not a SEQUENCE');
  const parts = children(list.content);
  if (parts.length !== 3 || parts[0].tag !== 0x30 || parts[1].tag !== 0x30 || parts[2].tag !== 0x03)
    throw new DerError('not a CertificateList (tbsCertList, signatureAlgorithm, signatureValue)');
  const [tbsList, signatureAlgorithm, signatureValue] = parts;
  const fields = children(tbsList.content);
  let i = 0;
  if (fields[i]?.tag === 0x02) {
    if (!(fields[i].content.length === 1 && fields[i].content[0] === 1)) throw new DerError('version is not v2');
    i++;
  }
  const innerAlgorithm = fields[i++];
  const issuer = fields[i++];
  const thisUpdate = fields[i++];
  if (innerAlgorithm?.tag !== 0x30 || issuer?.tag !== 0x30 || !thisUpdate)
    throw new DerError('tbsCertList lacks signature, issuer or thisUpdate');
  let nextUpdate: Date | undefined;
  if (fields[i] && (fields[i].tag === 0x17 || fields[i].tag === 0x18)) nextUpdate = decodeTime(fields[i++]);
  if (fields[i]?.tag === 0x30) i++; // revokedCertificates
  if (fields[i]?.tag === 0xa0) i++; // crlExtensions
  if (i !== fields.length) throw new DerError('unexpected fields in tbsCertList');
  if (!innerAlgorithm.raw.equals(signatureAlgorithm.raw))
    throw new DerError('the signature algorithm inside and outside tbsCertList differ');
  if (signatureValue.content[0] !== 0) throw new DerError('signature BIT STRING with unused bits');
  return {
    tbs: tbsList.raw,
    signatureAlgorithm,
    signature: signatureValue.content.subarray(1),
    issuer: issuer.raw,
    thisUpdate: decodeTime(thisUpdate),
    nextUpdate,
  };
}

/**
 * The DER subject Name of a certificate (tbsCertificate: [0] version, serial, signature, issuer, validity, subject).
 */
function subjectDer(cert: X509Certificate): Buffer {
  const tbs = children(readWhole(cert.raw).content)[0];
  const fields = children(tbs.content);
  const offset = fields[0].tag === 0xa0 ? 1 : 0;
  return fields[offset + 4].raw;
}

/**
 * Validates certificate revocation lists given as PEM (`X509 CRL` blocks) against the CA certificates they belong to:
 * each block must parse as an RFC 5280 CertificateList (a relabelled key or certificate does not), be signed by the
 * CA whose subject is its issuer (signature verified), and be current at `now`. Because nginx sets
 * `X509_V_FLAG_CRL_CHECK | X509_V_FLAG_CRL_CHECK_ALL` when `ssl_crl` is set (ngx_ssl_crl,
 * src/event/ngx_event_openssl.c),
 * a CA without a CRL, or with an expired one, makes nginx reject every client certificate it issued: both are errors.
 * Returns the normalized PEM text and what was checked.
 */
export function checkCrl(field: string, pem: string, caPem: string, now: Date): { pem: string; crls: CrlInfo[] } {
  const blocks = pemBlocks(field, pem);
  const cas = pemBlocks(`${field} (CA certificates)`, caPem).map((b) => new X509Certificate(b.text));
  const covered = new Set<X509Certificate>();
  const crls = blocks.map((block, i) => {
    const where = blocks.length > 1 ? `${field}[${i}]` : field;
    if (block.label !== 'X509 CRL')
      invalid(where, block.label, 'is not a CRL', 'give "-----BEGIN X509 CRL-----" blocks only');
    const der = Buffer.from(block.text.replace(/-----(BEGIN|END) X509 CRL-----/g, '').replace(/\s+/g, ''), 'base64');
    let crl: ParsedCrl;
    try {
      crl = parseCrl(der);
    } catch (err) {
      if (!(err instanceof DerError)) throw err;
      return invalid(
        where,
        '(PEM block labelled X509 CRL; content withheld)',
        `does not parse as a certificate revocation list (${err.message})`,
        'export the CRL from your CA as issued (e.g. `openssl ca -gencrl`); a key or certificate relabelled as a CRL is rejected',
      );
    }
    const ca = cas.find((c) => subjectDer(c).equals(crl.issuer));
    if (!ca)
      invalid(
        where,
        block.text.slice(0, 60),
        'is issued by none of the CA certificates in caPem',
        "give the CRL of the CA that issues the client certificates (its issuer must be that CA's subject)",
      );
    const algorithm = SIGNATURE_ALGORITHMS.get(
      decodeOid(children(crl.signatureAlgorithm.content)[0]?.content ?? Buffer.alloc(0)),
    );
    if (!algorithm)
      invalid(
        where,
        ca.subject,
        'is signed with an algorithm this check does not verify (not ECDSA/RSA PKCS#1 v1.5 with SHA-2 or Ed25519)',
        'sign the CRL with ecdsa-with-SHA256/384 or sha256WithRSAEncryption',
      );
    if (!verify(algorithm.digest, crl.tbs, ca.publicKey, crl.signature)) {
      invalid(
        where,
        ca.subject.replace(/\n/g, ', '),
        `names this CA as issuer but its ${algorithm.name} signature does not verify with the CA's key`,
        'give the CRL exactly as this CA signed it',
      );
    }
    const issuer = ca.subject.replace(/\n/g, ', ');
    if (crl.thisUpdate.getTime() > now.getTime())
      invalid(
        where,
        issuer,
        `is not valid before ${crl.thisUpdate.toISOString()}`,
        'check the CRL dates (or the clock)',
      );
    if (crl.nextUpdate && crl.nextUpdate.getTime() <= now.getTime()) {
      invalid(
        where,
        issuer,
        `expired on ${crl.nextUpdate.toISOString()}; nginx would then reject every client certificate of this CA`,
        'publish a fresh CRL from the CA and give it here',
      );
    }
    covered.add(ca);
    return { issuer, thisUpdate: crl.thisUpdate, ...(crl.nextUpdate ? { nextUpdate: crl.nextUpdate } : {}) };
  });
  cas.forEach((ca) => {
    if (!covered.has(ca)) {
      invalid(
        field,
        ca.subject.replace(/\n/g, ', '),
        'is a CA in caPem without a CRL; nginx checks CRLs for the whole chain (X509_V_FLAG_CRL_CHECK_ALL) and would reject every client it issued',
        'give a CRL for every CA certificate in caPem, or none',
      );
    }
  });
  return { pem: `${blocks.map((b) => b.text).join('\n')}\n`, crls };
}
