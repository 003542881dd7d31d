import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** PEM material generated at test run time with `openssl` (never committed). */
export interface TestPki {
  /** A CA certificate (basicConstraints CA:TRUE), valid for 30 days from now. */
  readonly caCert: string;
  /** A second, unrelated CA certificate. */
  readonly otherCaCert: string;
  /** A client certificate issued by the CA (CA:FALSE). */
  readonly clientCert: string;
  /** The CA's private key (PKCS#8 PEM). */
  readonly caKey: string;
  /** A CRL signed by the CA. */
  readonly crl: string;
}

function openssl(cwd: string, args: string[]): void {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}

/** Generates a small PKI in a temporary folder and returns its PEM texts (the folder is removed). */
export function generateTestPki(): TestPki {
  const dir = mkdtempSync(join(tmpdir(), 'mtls-pki-'));
  try {
    const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
    openssl(dir, [
      'req',
      '-x509',
      ...ec,
      '-keyout',
      'ca.key',
      '-out',
      'ca.crt',
      '-days',
      '30',
      '-subj',
      '/CN=test-client-ca',
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
    ]);
    openssl(dir, [
      'req',
      '-x509',
      ...ec,
      '-keyout',
      'other.key',
      '-out',
      'other.crt',
      '-days',
      '30',
      '-subj',
      '/CN=other-ca',
      '-addext',
      'basicConstraints=critical,CA:TRUE',
    ]);
    openssl(dir, ['req', ...ec, '-keyout', 'client.key', '-out', 'client.csr', '-subj', '/CN=hospital-a']);
    writeFileSync(join(dir, 'client.ext'), 'basicConstraints=CA:FALSE\nextendedKeyUsage=clientAuth\n');
    openssl(dir, [
      'x509',
      '-req',
      '-in',
      'client.csr',
      '-CA',
      'ca.crt',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-out',
      'client.crt',
      '-days',
      '10',
      '-extfile',
      'client.ext',
    ]);
    writeFileSync(join(dir, 'index.txt'), '');
    writeFileSync(
      join(dir, 'ca.cnf'),
      [
        '[ ca ]',
        'default_ca = test',
        '[ test ]',
        `dir = ${dir}`,
        'database = $dir/index.txt',
        'certificate = $dir/ca.crt',
        'private_key = $dir/ca.key',
        'default_md = sha256',
        'default_crl_days = 7',
        'crlnumber = $dir/crlnumber',
        '',
      ].join('\n'),
    );
    writeFileSync(join(dir, 'crlnumber'), '01\n');
    openssl(dir, ['ca', '-config', 'ca.cnf', '-gencrl', '-out', 'ca.crl']);
    const read = (f: string): string => readFileSync(join(dir, f), 'utf8');
    return {
      caCert: read('ca.crt'),
      otherCaCert: read('other.crt'),
      clientCert: read('client.crt'),
      caKey: read('ca.key'),
      crl: read('ca.crl'),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
