import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Paths of the control plane's PKI, generated at run time with `openssl` into a temporary folder (never committed). */
export interface ControlPlanePki {
  /** CA that signs the serving certificate and every client certificate. */
  readonly caCert: string;
  /** kube-apiserver serving certificate (SANs 127.0.0.1, localhost, kubernetes.default.svc). */
  readonly servingCert: string;
  /** Key of {@link ControlPlanePki.servingCert}. */
  readonly servingKey: string;
  /** Private key that signs service-account tokens. */
  readonly serviceAccountKey: string;
  /** Its public key (kube-apiserver's --service-account-key-file reads public keys). */
  readonly serviceAccountPublicKey: string;
  /** Client certificates by user name (`admin` is in group system:masters). */
  readonly clients: Readonly<Record<string, { readonly cert: string; readonly key: string }>>;
}

function openssl(cwd: string, args: string[]): void {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}

/** Client identities of the control plane: user name -> groups (certificate CN and O). */
export const CLIENT_IDENTITIES: Readonly<Record<string, readonly string[]>> = {
  admin: ['system:masters'],
  'trust-manager': [],
};

/** Generates the control plane's CA, serving certificate, service-account key and client certificates in `dir`. */
export function generateControlPlanePki(dir: string): ControlPlanePki {
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
    '2',
    '-subj',
    '/CN=edge-test-kubernetes-ca',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  ]);
  const issue = (name: string, subj: string, ext: string): void => {
    openssl(dir, ['req', ...ec, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', subj]);
    writeFileSync(join(dir, `${name}.ext`), ext);
    openssl(dir, [
      'x509',
      '-req',
      '-in',
      `${name}.csr`,
      '-CA',
      'ca.crt',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-out',
      `${name}.crt`,
      '-days',
      '2',
      '-extfile',
      `${name}.ext`,
    ]);
  };
  issue(
    'apiserver',
    '/CN=kube-apiserver',
    [
      'basicConstraints=CA:FALSE',
      'keyUsage=critical,digitalSignature',
      'extendedKeyUsage=serverAuth',
      'subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,IP:10.0.0.1',
      '',
    ].join('\n'),
  );
  const clients: Record<string, { cert: string; key: string }> = {};
  for (const [user, groups] of Object.entries(CLIENT_IDENTITIES)) {
    issue(
      user,
      `/CN=${user}${groups.map((g) => `/O=${g}`).join('')}`,
      'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=clientAuth\n',
    );
    clients[user] = { cert: join(dir, `${user}.crt`), key: join(dir, `${user}.key`) };
  }
  openssl(dir, ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', 'sa.key']);
  openssl(dir, ['pkey', '-in', 'sa.key', '-pubout', '-out', 'sa.pub']);
  return {
    caCert: join(dir, 'ca.crt'),
    servingCert: join(dir, 'apiserver.crt'),
    servingKey: join(dir, 'apiserver.key'),
    serviceAccountKey: join(dir, 'sa.key'),
    serviceAccountPublicKey: join(dir, 'sa.pub'),
    clients,
  };
}
