import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ClientCertificateModel } from './edge-model';

/** A certificate and its key as PEM files on disk (in the harness's temporary folder only; never in the repo). */
export interface CertificateFiles {
  readonly cert: string;
  readonly key: string;
  /** openssl's subject line, e.g. `/O=Hospital A/CN=hospital-a`. */
  readonly subject: string;
  /** `openssl x509 -noout -fingerprint -sha1` value (upper-case hex with colons), as a reviewer would compute it. */
  readonly sha1Fingerprint: string;
}

/** Every certificate the scenarios need, generated at run time. */
export interface ScenarioPki {
  /** The client CA that stands in for the auth-tls-secret's ca.crt. */
  readonly clientCa: CertificateFiles;
  /** CA that signs the server certificates (the client trusts it, like Let's Encrypt in production). */
  readonly serverCa: CertificateFiles;
  readonly serverCertificates: ReadonlyMap<string, CertificateFiles>;
  readonly defaultCertificate: CertificateFiles;
  /** One valid certificate per client named in dist, by common name. */
  readonly clients: ReadonlyMap<string, CertificateFiles>;
  /** First allow-listed client's subject, signed by an unrelated CA. */
  readonly otherCaClient: CertificateFiles;
  /** First allow-listed client's subject, signed by the client CA, validity entirely in the past. */
  readonly expiredClient: CertificateFiles;
  /** Signed by the client CA, common names outside the allow-list. */
  readonly wrongSubjectClients: ReadonlyMap<string, CertificateFiles>;
}

/** Runs openssl; on failure the error names the command and openssl's message. */
export function openssl(args: readonly string[], cwd?: string): string {
  try {
    return execFileSync('openssl', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    throw new Error(`openssl ${args.join(' ')} failed: ${e.stderr?.trim() || e.message}`, { cause: err });
  }
}

function subjectLine(commonName: string, rdns: readonly string[]): string {
  const esc = (s: string): string => s.replace(/\\/g, '\\\\').replace(/\//g, '\\/');
  return [...rdns, `CN=${commonName}`]
    .map((r) => '/' + r.split('=')[0] + '=' + esc(r.slice(r.indexOf('=') + 1)))
    .join('');
}

function keyArgs(alg: 'RSA' | 'ECDSA' | 'Ed25519', size?: number): string[] {
  if (alg === 'RSA') return ['-newkey', `rsa:${size ?? 2048}`];
  if (alg === 'Ed25519') return ['-newkey', 'ed25519'];
  return ['-newkey', 'ec', '-pkeyopt', `ec_paramgen_curve:${size === 384 ? 'P-384' : 'P-256'}`];
}

function fingerprint(cert: string): string {
  return openssl(['x509', '-noout', '-fingerprint', '-sha1', '-in', cert]).trim().replace(/^.*=/, '');
}

class Ca {
  readonly files: CertificateFiles;
  private readonly dir: string;
  private readonly config: string;

  constructor(root: string, name: string, commonName: string) {
    this.dir = join(root, name);
    mkdirSync(join(this.dir, 'newcerts'), { recursive: true });
    writeFileSync(join(this.dir, 'index.txt'), '');
    writeFileSync(join(this.dir, 'serial'), '1000\n');
    const cert = join(this.dir, 'ca.crt');
    const key = join(this.dir, 'ca.key');
    const subject = `/CN=${commonName}`;
    openssl([
      'req',
      '-x509',
      '-new',
      '-nodes',
      ...keyArgs('ECDSA'),
      '-keyout',
      key,
      '-out',
      cert,
      '-days',
      '2',
      '-subj',
      subject,
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
    ]);
    this.files = { cert, key, subject, sha1Fingerprint: fingerprint(cert) };
    this.config = join(this.dir, 'openssl-ca.cnf');
    writeFileSync(
      this.config,
      [
        '[ ca ]',
        'default_ca = harness',
        '[ harness ]',
        `database = ${join(this.dir, 'index.txt')}`,
        `new_certs_dir = ${join(this.dir, 'newcerts')}`,
        `serial = ${join(this.dir, 'serial')}`,
        'default_md = sha256',
        'policy = any',
        'unique_subject = no',
        'copy_extensions = copy',
        '[ any ]',
        'countryName = optional',
        'stateOrProvinceName = optional',
        'localityName = optional',
        'organizationName = optional',
        'organizationalUnitName = optional',
        'commonName = supplied',
        '[ client ]',
        'basicConstraints = critical,CA:FALSE',
        'keyUsage = critical,digitalSignature,keyEncipherment',
        'extendedKeyUsage = clientAuth',
        '[ server ]',
        'basicConstraints = critical,CA:FALSE',
        'keyUsage = critical,digitalSignature,keyEncipherment',
        'extendedKeyUsage = serverAuth',
        '',
      ].join('\n'),
    );
  }

  /** Issues a certificate; `expired` puts the whole validity in the past. */
  issue(
    name: string,
    subject: string,
    opts: {
      usage: 'client' | 'server';
      dns?: string;
      alg?: 'RSA' | 'ECDSA' | 'Ed25519';
      size?: number;
      expired?: boolean;
    },
  ): CertificateFiles {
    const key = join(this.dir, `${name}.key`);
    const csr = join(this.dir, `${name}.csr`);
    const cert = join(this.dir, `${name}.crt`);
    const req = [
      'req',
      '-new',
      '-nodes',
      ...keyArgs(opts.alg ?? 'ECDSA', opts.size),
      '-keyout',
      key,
      '-out',
      csr,
      '-subj',
      subject,
    ];
    if (opts.dns) req.push('-addext', `subjectAltName=DNS:${opts.dns}`);
    openssl(req);
    const dates = opts.expired ? ['-startdate', '20200101000000Z', '-enddate', '20200201000000Z'] : ['-days', '2'];
    openssl([
      'ca',
      '-batch',
      '-notext',
      '-preserveDN',
      '-config',
      this.config,
      '-cert',
      this.files.cert,
      '-keyfile',
      this.files.key,
      '-extensions',
      opts.usage,
      '-in',
      csr,
      '-out',
      cert,
      ...dates,
    ]);
    return { cert, key, subject, sha1Fingerprint: fingerprint(cert) };
  }
}

/**
 * Generates the scenario PKI under `root`: client CA, an unrelated CA, server CA + server certificate per host,
 * one valid client per dist client, an other-CA client, an expired client and wrong-subject clients.
 */
export function generatePki(
  root: string,
  hosts: readonly string[],
  clients: readonly ClientCertificateModel[],
): ScenarioPki {
  if (clients.length === 0)
    throw new Error('no client to issue: dist declares no client Certificate (usage "client auth")');
  const clientCa = new Ca(root, 'client-ca', 'harness client CA');
  const otherCa = new Ca(root, 'other-ca', 'harness unrelated CA');
  const serverCa = new Ca(root, 'server-ca', 'harness server CA');

  const serverCertificates = new Map<string, CertificateFiles>();
  for (const host of hosts)
    serverCertificates.set(host, serverCa.issue(`server-${host}`, `/CN=${host}`, { usage: 'server', dns: host }));
  const defaultCertificate = serverCa.issue('server-default', '/CN=Kubernetes Ingress Controller Fake Certificate', {
    usage: 'server',
    dns: 'ingress.local',
  });

  const byCn = new Map<string, CertificateFiles>();
  for (const c of clients) {
    byCn.set(
      c.commonName,
      clientCa.issue(`client-${c.name}`, subjectLine(c.commonName, c.subject), {
        usage: 'client',
        alg: c.keyAlgorithm,
        size: c.keySize,
      }),
    );
  }
  const first = clients[0];
  const firstSubject = subjectLine(first.commonName, first.subject);
  const wrong = new Map<string, CertificateFiles>();
  for (const cn of ['mallory', `${first.commonName}-evil`, `evil-${first.commonName}`]) {
    wrong.set(cn, clientCa.issue(`wrong-${cn}`, subjectLine(cn, first.subject), { usage: 'client' }));
  }
  return {
    clientCa: clientCa.files,
    serverCa: serverCa.files,
    serverCertificates,
    defaultCertificate,
    clients: byCn,
    otherCaClient: otherCa.issue('other-ca-client', firstSubject, { usage: 'client' }),
    expiredClient: clientCa.issue('expired-client', firstSubject, { usage: 'client', expired: true }),
    wrongSubjectClients: wrong,
  };
}

/** Reads a PEM file (for the TLS client). */
export function pem(path: string): Buffer {
  return readFileSync(path);
}
