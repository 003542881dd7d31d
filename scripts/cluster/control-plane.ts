import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { binary } from './paths';
import { CLIENT_IDENTITIES, ControlPlanePki, generateControlPlanePki } from './pki';
import { ManagedProcess, Network, openNetwork, scratchDirs, startProcess, stopProcess, tail } from './processes';

/** Result of one kubectl run. */
export interface KubectlResult {
  /** Exit status. */
  readonly status: number;
  /** Standard output. */
  readonly stdout: string;
  /** Standard error (the server's messages and `Warning:` lines). */
  readonly stderr: string;
}

/** Options of {@link ControlPlane.kubectl}. */
export interface KubectlOptions {
  /** Text piped to kubectl's standard input. @default none */
  readonly input?: string;
  /** Client identity (a user of {@link CLIENT_IDENTITIES}). @default 'admin' */
  readonly user?: string;
}

/** A running kine + kube-apiserver on loopback. */
export interface ControlPlane {
  /** The API server URL (https://127.0.0.1:port). */
  readonly server: string;
  /** The network the processes run in. */
  readonly network: Network;
  /** Scratch folder: PKI, kubeconfigs, logs, kine's SQLite database. */
  readonly dir: string;
  /** The generated PKI. */
  readonly pki: ControlPlanePki;
  /** Path of a kubeconfig for `user`. */
  kubeconfig(user?: string): string;
  /** Runs the kubectl built with the API server (same version), as `user`, in the control plane's network. */
  kubectl(args: readonly string[], options?: KubectlOptions): KubectlResult;
  /** Starts another process in the control plane's network; it is stopped by {@link ControlPlane.stop}. */
  start(name: string, command: string, args: readonly string[], env?: NodeJS.ProcessEnv): ManagedProcess;
  /** The processes started so far (kine, kube-apiserver, then those of {@link ControlPlane.start}). */
  processes(): readonly ManagedProcess[];
  /** Stops every process (reverse start order) and removes {@link ControlPlane.dir} unless kept. */
  stop(): Promise<void>;
}

/** Options of {@link startControlPlane}. */
export interface ControlPlaneOptions {
  /** Keep the scratch folder after stop (logs, PKI) and print its path. @default false */
  readonly keep?: boolean;
  /** How long to wait for /readyz. @default 120000 */
  readonly readyTimeoutMs?: number;
}

/** Admission plugins turned off, with the reason (everything else is the API server's default set). */
export const DISABLED_ADMISSION_PLUGINS: Readonly<Record<string, string>> = {
  // dist/00-cluster registers ingress-nginx's validating webhook (failurePolicy Fail); its backend is the controller
  // pod, which does not run here, so every Ingress would be refused with "failed calling webhook".
  ValidatingAdmissionWebhook: 'no pods run here: the ingress-nginx admission webhook has no backend',
  MutatingAdmissionWebhook: 'no pods run here (no mutating webhook in dist/ either)',
};

function writeKubeconfig(path: string, server: string, pki: ControlPlanePki, user: string): void {
  const client = pki.clients[user];
  writeFileSync(
    path,
    JSON.stringify(
      {
        apiVersion: 'v1',
        kind: 'Config',
        'current-context': user,
        clusters: [{ name: 'edge-test', cluster: { server, 'certificate-authority': pki.caCert } }],
        users: [{ name: user, user: { 'client-certificate': client.cert, 'client-key': client.key } }],
        contexts: [{ name: user, context: { cluster: 'edge-test', user } }],
      },
      null,
      2,
    ),
  );
}

/**
 * Starts kine (etcd API on SQLite) and kube-apiserver on 127.0.0.1 with a PKI generated now, RBAC and Node
 * authorization, and waits until /readyz answers ok. Call `stop()` in a finally / afterAll.
 */
export async function startControlPlane(options: ControlPlaneOptions = {}): Promise<ControlPlane> {
  const dir = mkdtempSync(join(tmpdir(), 'edge-cluster-'));
  if (!options.keep) scratchDirs.add(dir);
  const procs: ManagedProcess[] = [];
  const { network, close } = await openNetwork(join(dir, 'netns.log'));
  const stop = async (): Promise<void> => {
    for (const p of [...procs].reverse()) await stopProcess(p);
    await close();
    if (options.keep) console.log(`control plane files kept in ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
    scratchDirs.delete(dir);
  };
  try {
    const pki = generateControlPlanePki(dir);
    const kinePort = await network.freePort(2379);
    const apiPort = await network.freePort(6443);
    const server = `https://127.0.0.1:${apiPort}`;
    const start = (name: string, command: string, args: readonly string[], env?: NodeJS.ProcessEnv): ManagedProcess => {
      const p = startProcess(network, name, command, args, join(dir, `${name}.log`), env);
      procs.push(p);
      return p;
    };
    mkdirSync(join(dir, 'kine'));
    start('kine', binary('kine'), [
      `--listen-address=127.0.0.1:${kinePort}`,
      `--endpoint=sqlite://${join(dir, 'kine', 'state.db')}?_journal=WAL&cache=shared&_busy_timeout=30000`,
      '--metrics-bind-address=0', // 0 disables kine's metrics server (default :8080 on every interface)
    ]);
    const apiserver = start('kube-apiserver', binary('kube-apiserver'), [
      `--etcd-servers=http://127.0.0.1:${kinePort}`,
      '--bind-address=127.0.0.1',
      '--advertise-address=127.0.0.1',
      `--secure-port=${apiPort}`,
      `--cert-dir=${join(dir, 'apiserver-certs')}`,
      `--tls-cert-file=${pki.servingCert}`,
      `--tls-private-key-file=${pki.servingKey}`,
      `--client-ca-file=${pki.caCert}`,
      '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
      `--service-account-key-file=${pki.serviceAccountPublicKey}`,
      `--service-account-signing-key-file=${pki.serviceAccountKey}`,
      '--service-cluster-ip-range=10.0.0.0/24',
      '--authorization-mode=RBAC,Node',
      `--disable-admission-plugins=${Object.keys(DISABLED_ADMISSION_PLUGINS).join(',')}`,
      '--profiling=false',
    ]);
    const kubeconfigs: Record<string, string> = {};
    for (const user of Object.keys(CLIENT_IDENTITIES)) {
      kubeconfigs[user] = join(dir, `kubeconfig-${user}.json`);
      writeKubeconfig(kubeconfigs[user], server, pki, user);
    }
    const kubectlBin = binary('kubectl');
    const kubectl = (args: readonly string[], opts: KubectlOptions = {}): KubectlResult => {
      const [cmd, argv] = network.wrap(kubectlBin, [`--kubeconfig=${kubeconfigs[opts.user ?? 'admin']}`, ...args]);
      const r = spawnSync(cmd, argv, { input: opts.input, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
      // Ctrl-C reaches kubectl (same terminal process group) while this synchronous call blocks Node's own handlers:
      // stop here so that the caller's finally/afterAll stops the control plane.
      if (r.signal === 'SIGINT' || r.signal === 'SIGTERM') throw new Error(`kubectl ended by ${r.signal}: interrupted`);
      return { status: r.status ?? 1, stdout: r.stdout ?? '', stderr: r.stderr ?? String(r.error ?? '') };
    };
    const deadline = Date.now() + (options.readyTimeoutMs ?? 120000);
    for (;;) {
      if (apiserver.child.exitCode !== null) throw new Error(`kube-apiserver exited:\n${tail(apiserver)}`);
      if (kubectl(['get', '--raw=/readyz']).stdout.trim() === 'ok') break;
      if (Date.now() > deadline)
        throw new Error(`kube-apiserver not ready in time:\n${tail(apiserver)}\n${tail(procs[0])}`);
      await new Promise((res) => setTimeout(res, 500));
    }
    return {
      server,
      network,
      dir,
      pki,
      kubectl,
      start,
      stop,
      processes: () => [...procs],
      kubeconfig: (user = 'admin') => kubeconfigs[user],
    };
  } catch (e) {
    await stop();
    throw e;
  }
}
