import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeObject } from './verify';

/** A CA key pair made for a cert-manager Certificate, and the Secret cert-manager would write for it. */
export interface IssuedCa {
  /** The certificate (PEM). */
  readonly certPem: string;
  /** The private key (PEM). */
  readonly keyPem: string;
  /** The Secret (type kubernetes.io/tls; tls.crt, tls.key, ca.crt). */
  readonly secret: KubeObject;
}

const USAGE_TO_OPENSSL: Readonly<Record<string, string>> = {
  'cert sign': 'keyCertSign',
  'crl sign': 'cRLSign',
  'digital signature': 'digitalSignature',
  'key encipherment': 'keyEncipherment',
};

/**
 * What cert-manager's controller does for a self-signed CA Certificate (Issuer kind SelfSigned), done with openssl
 * because cert-manager's controller cannot be built from the Go module proxy: a key of `spec.privateKey`
 * (ECDSA, SEC1 PEM as cert-manager's default PKCS1 encoding writes it), a self-signed certificate with
 * `spec.commonName`, `spec.isCA` and `spec.usages`, and the Secret `spec.secretName` with tls.crt, tls.key and
 * ca.crt (for a self-signed certificate ca.crt is the certificate itself), cert-manager's annotations and label.
 * Upstream: github.com/cert-manager/cert-manager@v1.21.1 pkg/controller/certificates/issuing/internal/secret.go
 * setValues (lines 143-205: tls.key, tls.crt, ca.crt, certificate/issuer annotations, label controller.cert-manager.io/fao)
 * and getCertificateSecret (type kubernetes.io/tls); internal/controller/certificates/secrets.go AnnotationsForCertificate.
 */
export function issueSelfSignedCa(certificate: KubeObject): IssuedCa {
  const spec = certificate.spec as {
    commonName: string;
    isCA: boolean;
    secretName: string;
    usages: string[];
    privateKey: { algorithm: string; size: number };
    issuerRef: { group: string; kind: string; name: string };
  };
  if (spec.privateKey.algorithm !== 'ECDSA' || !spec.isCA)
    throw new Error('issueSelfSignedCa: only ECDSA CA certificates are emulated');
  const curve = { 256: 'prime256v1', 384: 'secp384r1', 521: 'secp521r1' }[spec.privateKey.size];
  if (!curve) throw new Error(`issueSelfSignedCa: ECDSA size ${spec.privateKey.size}`);
  const dir = mkdtempSync(join(tmpdir(), 'edge-ca-'));
  try {
    const run = (args: string[]): void => {
      execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
    };
    run(['ecparam', '-name', curve, '-genkey', '-noout', '-out', 'tls.key']);
    const keyUsage = spec.usages
      .map((u) => USAGE_TO_OPENSSL[u])
      .filter(Boolean)
      .join(',');
    writeFileSync(
      join(dir, 'ext.cnf'),
      `[req]\ndistinguished_name=dn\n[dn]\n[ext]\nbasicConstraints=critical,CA:TRUE\nkeyUsage=critical,${keyUsage}\nsubjectKeyIdentifier=hash\n`,
    );
    run([
      'req',
      '-x509',
      '-new',
      '-key',
      'tls.key',
      '-out',
      'tls.crt',
      '-days',
      '30',
      '-subj',
      `/CN=${spec.commonName}`,
      '-config',
      'ext.cnf',
      '-extensions',
      'ext',
    ]);
    const certPem = readFileSync(join(dir, 'tls.crt'), 'utf8');
    const keyPem = readFileSync(join(dir, 'tls.key'), 'utf8');
    return { certPem, keyPem, secret: certManagerSecret(certificate, certPem, keyPem) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The Secret cert-manager writes for `certificate` once issued with this key pair (self-signed: ca.crt is the
 * certificate). Callers with their own CA (the engine suite's PKI) use it directly.
 */
export function certManagerSecret(certificate: KubeObject, certPem: string, keyPem: string): KubeObject {
  const spec = certificate.spec as {
    commonName: string;
    secretName: string;
    issuerRef: { group: string; kind: string; name: string };
  };
  const b64 = (s: string): string => Buffer.from(s).toString('base64');
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    type: 'kubernetes.io/tls',
    metadata: {
      name: spec.secretName,
      namespace: certificate.metadata.namespace,
      labels: { 'controller.cert-manager.io/fao': 'true' },
      annotations: {
        'cert-manager.io/alt-names': '',
        'cert-manager.io/certificate-name': certificate.metadata.name,
        'cert-manager.io/common-name': spec.commonName,
        'cert-manager.io/ip-sans': '',
        'cert-manager.io/issuer-group': spec.issuerRef.group,
        'cert-manager.io/issuer-kind': spec.issuerRef.kind,
        'cert-manager.io/issuer-name': spec.issuerRef.name,
        'cert-manager.io/uri-sans': '',
      },
    },
    data: { 'tls.crt': b64(certPem), 'tls.key': b64(keyPem), 'ca.crt': b64(certPem) },
  };
}
