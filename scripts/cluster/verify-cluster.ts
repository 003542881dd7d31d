/**
 * Applies dist/ to a real kube-apiserver (with kine storage) on loopback, as Argo CD and Flux would: the CRDs of
 * the prerequisites, then every layer in the documented order, then dist/delivery/argocd and dist/delivery/flux,
 * each object with `kubectl apply --server-side --validate=strict`. Prints one row per layer and the server's
 * message for every rejected object, then `cluster: N applied, M rejected`.
 *
 *   npm run verify:cluster                  against dist/
 *   npm run verify:cluster -- --dist DIR    against another dist-shaped folder
 *   npm run verify:cluster -- --keep        keep the control plane's folder (logs, PKI, kubeconfigs)
 *
 * Exit code 0 when nothing was rejected, 1 otherwise, 2 when the control plane cannot start.
 */
import { join, resolve } from 'node:path';
import { ControlPlane, startControlPlane } from './control-plane';
import { REPO_ROOT } from './paths';
import { killOnSignals } from './processes';
import { formatReport, totals, verifyDist } from './verify';

async function main(): Promise<number> {
  killOnSignals();
  const args = process.argv.slice(2);
  const distIndex = args.indexOf('--dist');
  const distRoot = resolve(distIndex >= 0 && args[distIndex + 1] ? args[distIndex + 1] : join(REPO_ROOT, 'dist'));
  let cp: ControlPlane;
  try {
    cp = await startControlPlane({ keep: args.includes('--keep') });
  } catch (e) {
    console.error(`control plane did not start: ${(e as Error).message}`);
    return 2;
  }
  try {
    const version = cp.kubectl(['version', '-o', 'json']).stdout;
    const v = JSON.parse(version) as { clientVersion: { gitVersion: string }; serverVersion: { gitVersion: string } };
    console.log(
      `kube-apiserver ${v.serverVersion.gitVersion} + kine on ${cp.server} (${cp.network.kind} network), kubectl ${v.clientVersion.gitVersion}\n`,
    );
    const layers = verifyDist(cp, distRoot);
    console.log(formatReport(layers));
    return totals(layers).rejected === 0 ? 0 : 1;
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
