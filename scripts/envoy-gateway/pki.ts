import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A certificate generated with openssl for a test, PEM and key. */
export interface TestCertificate {
  /** Certificate PEM. */
  readonly certPem: string;
  /** Private key PEM (only ever in memory / a temporary folder). */
  readonly keyPem: string;
}

/** A client certificate and its subject as printed in RFC 2253 form by openssl (`-nameopt RFC2253`). */
export interface TestClientCertificate extends TestCertificate {
  /** The `-subj` it was issued with (OpenSSL slash form, certificate order: first = least specific). */
  readonly subj: string;
  /** `openssl x509 -noout -subject -nameopt RFC2253` without the `subject=` prefix. */
  readonly rfc2253: string;
}

/**
 * Generates a CA, server certificates and client certificates with openssl in a temporary folder (removed at the
 * end; nothing is written to the repository). EC P-256 keys, valid for one day.
 */
export class TestPki {
  private readonly dir = mkdtempSync(join(tmpdir(), 'eg-pki-'));
  /** The client CA. */
  public readonly ca: TestCertificate;

  constructor(caName = 'hospital-client-ca') {
    this.ca = this.selfSigned('ca', `/CN=${caName}`, [
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
    ]);
  }

  /** A self-signed server certificate for `host` (stands in for the Let's Encrypt one cert-manager would write). */
  public server(host: string): TestCertificate {
    return this.selfSigned(`server-${host}`, `/CN=${host}`, ['-addext', `subjectAltName=DNS:${host}`]);
  }

  /** A client certificate signed by the CA with the given `-subj` (e.g. `/O=x/CN=hospital-a`). */
  public client(id: string, subj: string): TestClientCertificate {
    const key = join(this.dir, `${id}.key`);
    const csr = join(this.dir, `${id}.csr`);
    const crt = join(this.dir, `${id}.crt`);
    const ext = join(this.dir, `${id}.ext`);
    writeFileSync(
      ext,
      'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=clientAuth\n',
    );
    this.openssl([
      'req',
      '-new',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-keyout',
      key,
      '-out',
      csr,
      '-subj',
      subj,
      '-multivalue-rdn',
    ]);
    this.openssl([
      'x509',
      '-req',
      '-in',
      csr,
      '-CA',
      join(this.dir, 'ca.crt'),
      '-CAkey',
      join(this.dir, 'ca.key'),
      '-set_serial',
      String((Date.now() % 1e9) + id.length),
      '-days',
      '1',
      '-extfile',
      ext,
      '-out',
      crt,
    ]);
    const rfc2253 = this.openssl(['x509', '-in', crt, '-noout', '-subject', '-nameopt', 'RFC2253'])
      .trim()
      .replace(/^subject=\s?/, '');
    return { certPem: readFileSync(crt, 'utf8'), keyPem: readFileSync(key, 'utf8'), subj, rfc2253 };
  }

  /** A CRL of the CA (PEM), listing no revoked certificate, valid for one day (`openssl ca -gencrl`). */
  public crl(): string {
    const conf = join(this.dir, 'crl.cnf');
    writeFileSync(join(this.dir, 'index.txt'), '');
    writeFileSync(join(this.dir, 'crlnumber'), '01\n');
    writeFileSync(
      conf,
      [
        '[ca]',
        'default_ca = ca_default',
        '[ca_default]',
        `database = ${join(this.dir, 'index.txt')}`,
        `crlnumber = ${join(this.dir, 'crlnumber')}`,
        'default_md = sha256',
        'default_crl_days = 1',
        '',
      ].join('\n'),
    );
    const out = join(this.dir, 'ca.crl');
    this.openssl([
      'ca',
      '-gencrl',
      '-config',
      conf,
      '-keyfile',
      join(this.dir, 'ca.key'),
      '-cert',
      join(this.dir, 'ca.crt'),
      '-out',
      out,
    ]);
    return readFileSync(out, 'utf8');
  }

  /** Removes the temporary folder. */
  public dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }

  private selfSigned(id: string, subj: string, extra: string[]): TestCertificate {
    const key = join(this.dir, `${id}.key`);
    const crt = join(this.dir, `${id}.crt`);
    this.openssl([
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-keyout',
      key,
      '-out',
      crt,
      '-subj',
      subj,
      '-days',
      '1',
      ...extra,
    ]);
    return { certPem: readFileSync(crt, 'utf8'), keyPem: readFileSync(key, 'utf8') };
  }

  private openssl(args: string[]): string {
    return execFileSync('openssl', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  }
}
