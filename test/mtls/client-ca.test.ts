import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Testing } from 'cdk8s';
import { ValidationError } from '../../lib/core/validation';
import { ManagedClientCa } from '../../lib/mtls/managed-client-ca';
import { ProvidedClientCa } from '../../lib/mtls/provided-client-ca';
import { validateManifest } from '../support/schema';
import { generateTestPki, TestPki } from './pki';

describe('ManagedClientCa', () => {
  function managed(): { chart: ReturnType<typeof Testing.chart>; ca: ManagedClientCa } {
    const chart = Testing.chart();
    const ca = new ManagedClientCa(chart, 'ca', { name: 'hospital-client-ca', namespace: 'client-certificates' });
    ca.addClient('hospital-a');
    ca.addClient('hospital-b');
    ca.trustIn('echo');
    return { chart, ca };
  }

  test('renders self-signed Issuer → CA Certificate → CA Issuer → client Certificates and a trust Bundle (snapshot)', () => {
    const objects = Testing.synth(managed().chart);
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([
      'Namespace/client-certificates',
      'Issuer/hospital-client-ca-selfsigned',
      'Certificate/hospital-client-ca',
      'Issuer/hospital-client-ca',
      'Bundle/hospital-client-ca',
      'Certificate/hospital-a',
      'Certificate/hospital-b',
    ]);
    expect(objects).toMatchSnapshot();
  });

  test('every object validates against its schema', () => {
    for (const o of Testing.synth(managed().chart)) validateManifest(o);
  });

  test('chains the issuers and issues client certificates for client auth, in the PKI namespace', () => {
    const objects = Testing.synth(managed().chart);
    const ca = objects.find((o) => o.kind === 'Certificate' && o.metadata.name === 'hospital-client-ca');
    expect(ca.spec).toMatchObject({
      isCA: true,
      secretName: 'hospital-client-ca-keypair',
      issuerRef: { kind: 'Issuer', name: 'hospital-client-ca-selfsigned' },
    });
    const issuer = objects.find((o) => o.kind === 'Issuer' && o.metadata.name === 'hospital-client-ca');
    expect(issuer.spec).toEqual({ ca: { secretName: 'hospital-client-ca-keypair' } });
    const client = objects.find((o) => o.metadata.name === 'hospital-a');
    expect(client.metadata.namespace).toBe('client-certificates');
    expect(client.spec).toMatchObject({
      commonName: 'hospital-a',
      secretName: 'hospital-a-client-tls',
      issuerRef: { kind: 'Issuer', name: 'hospital-client-ca' },
    });
    expect(client.spec.usages).toContain('client auth');
    expect(client.spec.dnsNames).toBeUndefined();
  });

  test('publishes only ca.crt (no key) into the trusting namespaces through the Bundle', () => {
    const { chart, ca } = managed();
    ca.trustIn('other-app');
    const bundle = Testing.synth(chart).find((o) => o.kind === 'Bundle');
    expect(bundle.spec).toEqual({
      sources: [{ secret: { name: 'hospital-client-ca-keypair', key: 'ca.crt' } }],
      target: {
        secret: { key: 'ca.crt' },
        namespaceSelector: {
          matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: ['echo', 'other-app'] }],
        },
      },
    });
    expect(ca.trustIn('echo')).toBe('hospital-client-ca');
  });

  test('knows its clients for allow-lists', () => {
    const { ca } = managed();
    expect([...ca.knownClients().values()]).toEqual([
      { name: 'hospital-a', commonName: 'hospital-a' },
      { name: 'hospital-b', commonName: 'hospital-b' },
    ]);
  });

  test('rejects a duplicate client, a duplicate common name, a bad client name and a bad duration', () => {
    const { ca } = managed();
    expect(() => ca.addClient('hospital-a')).toThrow(/addClient\("hospital-a"\)\.name.*already a client/);
    expect(() => ca.addClient('hospital-c', { commonName: 'hospital-a' })).toThrow(
      /commonName.*already the common name/,
    );
    expect(() => ca.addClient('Hospital_C')).toThrow(ValidationError);
    expect(
      () => new ManagedClientCa(Testing.chart(), 'x', { name: 'ca', namespace: 'pki', clientDuration: '1y' }),
    ).toThrow(/clientDuration/);
  });

  test('rejects trusting the PKI namespace itself, and a CA nobody trusts', () => {
    const { ca } = managed();
    expect(() => ca.trustIn('client-certificates')).toThrow(/PKI namespace/);
    const chart = Testing.chart();
    new ManagedClientCa(chart, 'ca', { name: 'lonely', namespace: 'pki' });
    expect(() => Testing.synth(chart)).toThrow(/trusted by no namespace/);
  });
});

describe('ProvidedClientCa', () => {
  let pki: TestPki;
  beforeAll(() => {
    pki = generateTestPki();
  });

  test('renders a Secret with ca.crt and ca.crl per trusting namespace, and no key', () => {
    const chart = Testing.chart();
    const ca = new ProvidedClientCa(chart, 'ca', {
      name: 'partner-ca',
      caPem: pki.caCert,
      crlPem: pki.crl,
      clients: [{ name: 'hospital-a' }],
    });
    expect(ca.trustIn('echo')).toBe('partner-ca');
    ca.trustIn('echo');
    const objects = Testing.synth(chart);
    expect(objects).toHaveLength(1);
    const [secret] = objects;
    validateManifest(secret);
    expect(secret.metadata).toMatchObject({ name: 'partner-ca', namespace: 'echo' });
    expect(Object.keys(secret.stringData).sort()).toEqual(['ca.crl', 'ca.crt']);
    expect(secret.stringData['ca.crt']).toBe(pki.caCert);
    expect(JSON.stringify(secret)).not.toMatch(/PRIVATE KEY/);
    expect(ca.certificates[0].subject).toBe('CN=test-client-ca');
  });

  test('accepts a bundle of several CA certificates', () => {
    const ca = new ProvidedClientCa(Testing.chart(), 'ca', { name: 'two', caPem: pki.caCert + pki.otherCaCert });
    expect(ca.certificates).toHaveLength(2);
  });

  test('rejects a PEM private key in the input, without echoing it', () => {
    let error: unknown;
    try {
      new ProvidedClientCa(Testing.chart(), 'ca', { name: 'x', caPem: pki.caCert + pki.caKey });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as Error).message).toMatch(/caPem.*contains a private key/);
    expect((error as Error).message).not.toMatch(/BEGIN PRIVATE KEY/);
  });

  test('rejects a key where a certificate is expected (a public key, a CRL)', () => {
    const publicKey = '-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE\n-----END PUBLIC KEY-----\n';
    expect(() => new ProvidedClientCa(Testing.chart(), 'ca', { name: 'x', caPem: publicKey })).toThrow(
      /PUBLIC KEY.*is not a certificate/,
    );
    expect(() => new ProvidedClientCa(Testing.chart(), 'ca', { name: 'x', caPem: pki.crl })).toThrow(
      /is not a certificate/,
    );
  });

  test('rejects a certificate that is not a CA', () => {
    expect(() => new ProvidedClientCa(Testing.chart(), 'ca', { name: 'x', caPem: pki.clientCert })).toThrow(
      /caPem: "CN=hospital-a" is not a CA certificate/,
    );
  });

  test('rejects PEM that does not parse', () => {
    expect(() => new ProvidedClientCa(Testing.chart(), 'ca', { name: 'x', caPem: 'not a pem' })).toThrow(
      /not well-formed PEM/,
    );
    expect(
      () =>
        new ProvidedClientCa(Testing.chart(), 'ca', {
          name: 'x',
          caPem: '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n',
        }),
    ).toThrow(/does not parse/);
    expect(
      () =>
        new ProvidedClientCa(Testing.chart(), 'ca', {
          name: 'x',
          caPem: pki.caCert.replace('-----END CERTIFICATE-----', ''),
        }),
    ).toThrow(/not well-formed/);
    expect(() => new ProvidedClientCa(Testing.chart(), 'ca', { name: 'x', caPem: '' })).toThrow(/is empty/);
  });

  test('rejects an expired CA and one not yet valid', () => {
    const future = new Date(Date.now() + 365 * 24 * 3600 * 1000);
    expect(() => new ProvidedClientCa(Testing.chart(), 'ca', { name: 'x', caPem: pki.caCert, now: future })).toThrow(
      /expired on/,
    );
    const past = new Date(Date.now() - 365 * 24 * 3600 * 1000);
    expect(() => new ProvidedClientCa(Testing.chart(), 'ca', { name: 'x', caPem: pki.caCert, now: past })).toThrow(
      /not valid before/,
    );
  });

  test('rejects a CRL input that is not a CRL, and duplicate clients', () => {
    expect(
      () => new ProvidedClientCa(Testing.chart(), 'ca', { name: 'x', caPem: pki.caCert, crlPem: pki.caCert }),
    ).toThrow(/crlPem.*is not a CRL/);
    expect(
      () =>
        new ProvidedClientCa(Testing.chart(), 'ca', {
          name: 'x',
          caPem: pki.caCert,
          clients: [{ name: 'a' }, { name: 'a' }],
        }),
    ).toThrow(/clients\[1\]\.name/);
  });
});

describe('ProvidedClientCa CRL parsing', () => {
  let pki: TestPki;
  beforeAll(() => {
    pki = generateTestPki();
  });
  const asCrl = (pem: string): string =>
    pem
      .replace(/-----BEGIN [A-Z ]+-----/, '-----BEGIN X509 CRL-----')
      .replace(/-----END [A-Z ]+-----/, '-----END X509 CRL-----');
  const provided = (crlPem: string, caPem?: string, now?: Date): ProvidedClientCa =>
    new ProvidedClientCa(Testing.chart(), 'ca', { name: 'x', caPem: caPem ?? pki.caCert, crlPem, now });
  const errorOf = (fn: () => unknown): ValidationError => {
    try {
      fn();
    } catch (err) {
      if (err instanceof ValidationError) return err;
      throw err;
    }
    throw new Error('expected a ValidationError');
  };

  test("accepts the CA's own CRL and reports its issuer and update times", () => {
    const ca = provided(pki.crl);
    expect(ca.crls).toHaveLength(1);
    expect(ca.crls[0].issuer).toBe('CN=test-client-ca');
    expect(ca.crls[0].nextUpdate!.getTime()).toBeGreaterThan(Date.now());
  });

  test('rejects a private key relabelled as a CRL, without echoing it', () => {
    const err = errorOf(() => provided(asCrl(pki.caKey)));
    expect(err.field).toBe('crlPem');
    expect(err.message).toMatch(/does not parse as a certificate revocation list/);
    expect(err.message).not.toContain(pki.caKey.split('\n')[1].slice(0, 20));
  });

  test('rejects a certificate relabelled as a CRL', () => {
    expect(errorOf(() => provided(asCrl(pki.caCert))).message).toMatch(
      /does not parse as a certificate revocation list/,
    );
  });

  test('rejects a CRL whose signature does not verify with the CA key', () => {
    const der = Buffer.from(pki.crl.replace(/-----[A-Z0-9 ]+-----/g, '').replace(/\s+/g, ''), 'base64');
    der[der.length - 5] ^= 0x01; // inside the signature value
    const tampered = `-----BEGIN X509 CRL-----\n${der.toString('base64').replace(/(.{64})/g, '$1\n')}\n-----END X509 CRL-----\n`;
    expect(errorOf(() => provided(tampered)).message).toMatch(
      /ecdsa-with-SHA256 signature does not verify with the CA's key/,
    );
  });

  test('rejects a CRL issued by another CA', () => {
    expect(errorOf(() => provided(pki.crl, pki.otherCaCert)).message).toMatch(
      /is issued by none of the CA certificates/,
    );
  });

  test('rejects an expired CRL (nginx would then reject every client)', () => {
    const inEightDays = new Date(Date.now() + 8 * 24 * 3600 * 1000); // the test CRL lasts 7 days, the CA 30
    expect(errorOf(() => provided(pki.crl, undefined, inEightDays)).message).toMatch(
      /expired on .*reject every client/,
    );
  });

  test('rejects a CRL set that leaves one of the CAs without a CRL (nginx checks the whole chain)', () => {
    const err = errorOf(() => provided(pki.crl, `${pki.caCert}${pki.otherCaCert}`));
    expect(err.value).toBe('CN=other-ca');
    expect(err.message).toMatch(/without a CRL/);
  });

  test('agrees with `openssl crl -verify` on the accepted CRL and on the tampered and relabelled inputs', () => {
    const dir = mkdtempSync(join(tmpdir(), 'crl-'));
    try {
      writeFileSync(join(dir, 'ca.pem'), pki.caCert);
      const der = Buffer.from(pki.crl.replace(/-----[A-Z0-9 ]+-----/g, '').replace(/\s+/g, ''), 'base64');
      der[der.length - 5] ^= 0x01;
      const inputs: [string, string, boolean][] = [
        ['good', pki.crl, true],
        [
          'tampered',
          `-----BEGIN X509 CRL-----\n${der.toString('base64').replace(/(.{64})/g, '$1\n')}\n-----END X509 CRL-----\n`,
          false,
        ],
        ['relabelled-key', asCrl(pki.caKey), false],
        ['relabelled-cert', asCrl(pki.caCert), false],
      ];
      for (const [name, pem, ok] of inputs) {
        writeFileSync(join(dir, `${name}.crl`), pem);
        const openssl = spawnSync('openssl', ['crl', '-noout', '-in', `${name}.crl`, '-CAfile', 'ca.pem'], {
          cwd: dir,
          encoding: 'utf8',
        });
        const opensslOk = openssl.status === 0 && /verify OK/.test(`${openssl.stdout}${openssl.stderr}`);
        let oursOk = true;
        try {
          provided(pem);
        } catch {
          oursOk = false;
        }
        expect([name, opensslOk, oursOk]).toEqual([name, ok, ok]);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('rejects a CRL block with trailing garbage in its DER', () => {
    const der = Buffer.concat([
      Buffer.from(pki.crl.replace(/-----[A-Z0-9 ]+-----/g, '').replace(/\s+/g, ''), 'base64'),
      Buffer.from([0x00, 0x00]),
    ]);
    const padded = `-----BEGIN X509 CRL-----\n${der.toString('base64')}\n-----END X509 CRL-----\n`;
    expect(errorOf(() => provided(padded)).message).toMatch(
      /does not parse as a certificate revocation list \(trailing bytes/,
    );
  });
});
