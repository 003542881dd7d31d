/**
 * Runs the client-CA path of dist/ on a real kube-apiserver with the real trust-manager (see trust-flow.ts) and
 * writes the `ca.crt` trust-manager published into the app namespace — what the mTLS Ingress's controller trusts.
 *
 *   node --import tsx scripts/cluster/publish-client-ca.ts --out FILE [--ca-cert FILE --ca-key FILE] [--dist DIR]
 *
 * With --ca-cert/--ca-key the CA Secret is made from that key pair (e.g. the engine suite's PKI), otherwise from a
 * new CA for the dist/ Certificate. Exit code 0 when the Secret holds exactly that CA certificate, 1 otherwise.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { startControlPlane } from './control-plane';
import { REPO_ROOT } from './paths';
import { killOnSignals } from './processes';
import { pemFingerprints, publishClientCa } from './trust-flow';

async function main(): Promise<number> {
  killOnSignals();
  const args = process.argv.slice(2);
  const arg = (name: string): string | undefined =>
    args.indexOf(name) >= 0 ? args[args.indexOf(name) + 1] : undefined;
  const out = arg('--out');
  if (!out) throw new Error('--out FILE is required');
  const caCert = arg('--ca-cert');
  const caKey = arg('--ca-key');
  const ca =
    caCert && caKey ? { certPem: readFileSync(caCert, 'utf8'), keyPem: readFileSync(caKey, 'utf8') } : undefined;
  const cp = await startControlPlane();
  try {
    const published = await publishClientCa(cp, resolve(arg('--dist') ?? join(REPO_ROOT, 'dist')), { ca });
    const caCrt = published.data['ca.crt'] ?? '';
    writeFileSync(out, caCrt);
    const same = JSON.stringify(pemFingerprints(caCrt)) === JSON.stringify(pemFingerprints(published.caCertPem));
    console.log(
      `trust-manager wrote ${published.secretRef} (keys: ${Object.keys(published.data).join(', ')}); ca.crt ${same ? 'is' : 'is NOT'} the CA certificate; written to ${out}`,
    );
    return same && Object.keys(published.data).join() === 'ca.crt' ? 0 : 1;
  } finally {
    await cp.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(e);
    process.exit(2);
  },
);
