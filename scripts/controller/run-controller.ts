import { execFileSync } from 'node:child_process';
import { appendFileSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { stringify } from 'yaml';
import { certManagerSecret } from '../cluster/cert-manager-secret';
import { ControlPlane } from '../cluster/control-plane';
import { ManagedProcess, stopProcess, tail } from '../cluster/processes';
import { publishClientCa } from '../cluster/trust-flow';
import {
  applyObject,
  ApplyResult,
  distLayers,
  formatReport,
  KubeObject,
  renderKustomization,
  totals,
  verifyDist,
} from '../cluster/verify';
import { configFacts } from './compare';
import { ControllerArtifacts } from './paths';

/** One call the controller made to its `nginx` (scripts/controller/nginx-shim.cjs). */
export interface NginxCall {
  /** `start`, `test`, `reload`, `quit`, `post`, `stream`, `exit`. */
  readonly call: string;
  /** The arguments it was given. */
  readonly args?: readonly string[];
  /** The copy of the configuration it was given (`test`, `reload`). */
  readonly copy?: string;
  /** The URL of a dynamic-configuration POST. */
  readonly url?: string;
}

/** One klog line of the controller. */
export interface LogLine {
  /** I, W, E or F. */
  readonly level: string;
  /** `file.go:line` of the controller source that logged it. */
  readonly source: string;
  /** The message. */
  readonly message: string;
}

/** What one run of the real controller produced. */
export interface ControllerRun {
  /** Every apply on the way (dist/, Secrets, Pod, Node); all should be accepted. */
  readonly applied: readonly ApplyResult[];
  /** The controller's arguments (the Deployment's, plus --kubeconfig). */
  readonly args: readonly string[];
  /** The calls to nginx in order. */
  readonly calls: readonly NginxCall[];
  /** The last configuration the controller reloaded nginx with ('' when it never reloaded). */
  readonly nginxConf: string;
  /** The dynamic configuration the controller POSTed to nginx's status server (`/configuration/servers` ...), by file. */
  readonly dynamic: Readonly<Record<string, string>>;
  /** Every klog line up to the moment it was stopped (its shutdown messages are not findings). */
  readonly log: readonly LogLine[];
  /** The controller's raw output, shutdown included. */
  readonly rawLog: string;
}

/** Options of {@link runController}. */
export interface RunOptions {
  /** Runs after dist/ and the Secrets are applied, before the controller starts (e.g. break an annotation). @default none */
  readonly beforeStart?: (cp: ControlPlane) => void;
  /**
   * Wait until the controller's log matches this instead of until it has reloaded nginx with every Ingress host
   * (for objects it is expected to reject). @default undefined (wait for every host)
   */
  readonly untilLog?: RegExp;
  /** How long to wait for the first reload with every Ingress host and the leader lease. @default 180000 */
  readonly timeoutMs?: number;
}

/** Name of the Pod object the controller reads its own details from (k8s.GetIngressPod, internal/k8s/main.go 93-125). */
export const CONTROLLER_POD = 'ingress-nginx-controller-edge-0';
/** Node the Pod is bound to (GetIngressPod reads the node's labels for the topology zone). */
export const CONTROLLER_NODE = 'edge-node-0';

/**
 * Container environment variables of dist/ that are not passed, with the reason. Everything else is passed
 * (POD_NAME/POD_NAMESPACE from their fieldRefs).
 */
export const DROPPED_ENV: Readonly<Record<string, string>> = {
  LD_PRELOAD:
    'the image preloads mimalloc (/usr/local/lib/libmimalloc.so), which is not on this machine; an allocator only',
};

const KLOG = /^([IWEF])\d{4} [\d:.]+\s+\d+ ([^\]]+)\] (.*)$/;

/** Parses klog lines (`W1201 20:20:36.123456  1234 store.go:123] message`); other lines are skipped. */
export function parseKlog(text: string): LogLine[] {
  const out: LogLine[] = [];
  for (const l of text.split('\n')) {
    const m = KLOG.exec(l);
    if (m) out.push({ level: m[1], source: m[2], message: m[3] });
  }
  return out;
}

function only(objects: readonly KubeObject[], kind: string, name?: string): KubeObject {
  const found = objects.filter((o) => o.kind === kind && (name === undefined || o.metadata.name === name));
  if (found.length !== 1) throw new Error(`expected one ${kind}${name ? ` ${name}` : ''}, found ${found.length}`);
  return found[0];
}

/**
 * A self-signed server certificate for `names` (openssl), as PEM strings; valid 90 days like a Let's Encrypt
 * certificate (the controller warns about certificates that expire within 10 days, controller.go 1501).
 */
function serverCertificate(dir: string, names: readonly string[]): { certPem: string; keyPem: string } {
  mkdirSync(dir, { recursive: true });
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-days',
      '90',
      '-subj',
      `/CN=${names[0]}`,
      '-addext',
      `subjectAltName=${names.map((n) => `DNS:${n}`).join(',')}`,
      '-keyout',
      join(dir, 'tls.key'),
      '-out',
      join(dir, 'tls.crt'),
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  return { certPem: readFileSync(join(dir, 'tls.crt'), 'utf8'), keyPem: readFileSync(join(dir, 'tls.key'), 'utf8') };
}

interface Container {
  args: string[];
  env?: { name: string; value?: string; valueFrom?: { fieldRef?: { fieldPath: string } } }[];
  volumeMounts?: { name: string; mountPath: string }[];
}
interface PodSpec {
  containers: Container[];
  volumes?: {
    name: string;
    configMap?: { name: string };
    secret?: { secretName: string; items?: { key: string; path: string }[] };
  }[];
  [k: string]: unknown;
}

/**
 * What the kubelet would put at each volumeMount: the files of the ConfigMap or Secret volume, read from the API
 * server. Returns mountPath -> local folder. Only mounts under /etc and /usr/local (which the controller's mount
 * namespace overlays) are supported.
 */
function materializeVolumes(
  cp: ControlPlane,
  namespace: string,
  spec: PodSpec,
  container: Container,
  root: string,
): Map<string, string> {
  const out = new Map<string, string>();
  for (const vm of container.volumeMounts ?? []) {
    const mountPath = vm.mountPath.replace(/\/$/, '');
    if (!/^\/(etc|usr\/local)\//.test(mountPath))
      throw new Error(`volumeMount ${mountPath}: only /etc/** and /usr/local/** are supported`);
    const vol = (spec.volumes ?? []).find((v) => v.name === vm.name);
    const ref = vol?.configMap
      ? ['configmap', vol.configMap.name]
      : vol?.secret
        ? ['secret', vol.secret.secretName]
        : undefined;
    if (!ref) throw new Error(`volume ${vm.name}: only configMap and secret volumes are supported`);
    const r = cp.kubectl(['get', ref[0], '-n', namespace, ref[1], '-o', 'json']);
    if (r.status !== 0) throw new Error(`volume ${vm.name}: ${r.stderr.trim()}`);
    const obj = JSON.parse(r.stdout) as { data?: Record<string, string> };
    const data = obj.data ?? {};
    const decode = (v: string): Buffer => (ref[0] === 'secret' ? Buffer.from(v, 'base64') : Buffer.from(v));
    const items = vol?.secret?.items ?? Object.keys(data).map((key) => ({ key, path: key }));
    const dir = join(root, vm.name);
    mkdirSync(dir, { recursive: true });
    for (const it of items) writeFileSync(join(dir, it.path), decode(data[it.key]));
    out.set(mountPath, dir);
  }
  return out;
}

/** Writable folders of the image (rootfs/Dockerfile 50-64; /tmp/nginx is a tmpfs here, /var/log is not written). */
const IMAGE_WRITE_DIRS = [
  '/etc/ingress-controller/ssl',
  '/etc/ingress-controller/auth',
  '/etc/ingress-controller/geoip',
  '/etc/ingress-controller/telemetry',
];

const sh = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

/**
 * The shell script run by `unshare --mount`: a private mount namespace in which /etc and /usr/local are overlays on
 * a tmpfs (the host's files stay untouched), /etc/nginx is the image's tree, /tmp/nginx a fresh tmpfs and each
 * volume is bind-mounted at its mountPath; then it execs the controller.
 */
function mountScript(
  upper: string,
  etcNginx: string,
  volumes: Map<string, string>,
  command: readonly string[],
): string {
  const lines = ['set -e', `mount -t tmpfs edge-overlay ${sh(upper)}`];
  for (const d of ['etc', 'usr/local']) {
    lines.push(
      `mkdir -p ${sh(`${upper}/${d}/u`)} ${sh(`${upper}/${d}/w`)}`,
      `mount -t overlay overlay -o ${sh(`lowerdir=/${d},upperdir=${upper}/${d}/u,workdir=${upper}/${d}/w`)} /${d}`,
    );
  }
  lines.push(
    'mkdir -p /etc/nginx',
    `mount --bind ${sh(etcNginx)} /etc/nginx`,
    'mount -t tmpfs edge-tmp-nginx /tmp/nginx',
  );
  // The folders the image creates (rootfs/Dockerfile 50-64 of controller-v1.15.1, writeDirs); the controller writes
  // opentelemetry.toml into telemetry/ on every reload (nginx.go createOpentelemetryCfg) and fails the reload without it.
  lines.push(`mkdir -p ${IMAGE_WRITE_DIRS.join(' ')}`);
  for (const [path, dir] of volumes) lines.push(`mkdir -p ${sh(path)}`, `mount --bind -o ro ${sh(dir)} ${sh(path)}`);
  lines.push(`exec ${command.map(sh).join(' ')}`);
  return lines.join('\n');
}

/**
 * Applies dist/ to the control plane (every layer, as verify:cluster does), publishes the client CA with the real
 * trust-manager, creates the Secrets cert-manager would write (server TLS, the admission webhook's certificate),
 * the controller's Pod and Node objects, then runs the real controller out of cluster as its ServiceAccount (a
 * TokenRequest token) with the Deployment's arguments and environment, its image's /etc/nginx in a private mount
 * namespace and the recording nginx shim. Waits until the controller has reloaded nginx with every host of the
 * Ingresses and holds the leader lease, then stops it.
 */
export async function runController(
  cp: ControlPlane,
  distRoot: string,
  artifacts: ControllerArtifacts,
  options: RunOptions = {},
): Promise<ControllerRun> {
  const work = join(cp.dir, 'controller');
  mkdirSync(work, { recursive: true });
  const layers = verifyDist(cp, distRoot);
  if (totals(layers).rejected > 0) throw new Error(`dist/ was not accepted:\n${formatReport(layers)}`);
  const applied: ApplyResult[] = layers.flatMap((l) => l.results);
  applied.push(...(await publishClientCa(cp, distRoot)).applied);

  const controllerObjects = renderKustomization(cp, join(distRoot, '10-controller'));
  const deployment = only(controllerObjects, 'Deployment');
  const namespace = deployment.metadata.namespace ?? 'default';
  // Secrets cert-manager would write for every Certificate except the CA the trust flow already created.
  const all = distObjects(cp, distRoot);
  for (const cert of all.filter((o) => o.kind === 'Certificate')) {
    const spec = cert.spec as { secretName: string; dnsNames?: string[]; commonName?: string; isCA?: boolean };
    if (spec.isCA) continue;
    const exists =
      cp.kubectl(['get', 'secret', '-n', cert.metadata.namespace ?? 'default', spec.secretName]).status === 0;
    if (exists) continue;
    const names = spec.dnsNames ?? [spec.commonName ?? cert.metadata.name];
    const pem = serverCertificate(join(work, 'certs', `${cert.metadata.namespace}-${spec.secretName}`), names);
    applied.push(applyObject(cp, certManagerSecret(cert, pem.certPem, pem.keyPem), 'cert-manager'));
  }
  // The Pod the controller reads (GetIngressPod) and its Node, as the scheduler and kubelet would leave them.
  const template = (deployment.spec as { template: { metadata: { labels: Record<string, string> }; spec: PodSpec } })
    .template;
  applied.push(
    applyObject(
      cp,
      {
        apiVersion: 'v1',
        kind: 'Node',
        metadata: {
          name: CONTROLLER_NODE,
          labels: {
            'kubernetes.io/os': 'linux',
            'kubernetes.io/hostname': CONTROLLER_NODE,
            'topology.kubernetes.io/zone': 'edge-zone-1',
          },
        },
      },
      'kubelet',
    ),
  );
  applied.push(
    applyObject(
      cp,
      {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: CONTROLLER_POD, namespace, labels: template.metadata.labels },
        spec: { ...template.spec, nodeName: CONTROLLER_NODE },
      },
      'kube-scheduler',
    ),
  );
  for (const slice of endpointSlices(all)) applied.push(applyObject(cp, slice, 'endpointslice-controller'));
  options.beforeStart?.(cp);

  // Authenticate as the controller's ServiceAccount: a token from the TokenRequest API, so RBAC is dist/'s.
  const serviceAccount = String(template.spec.serviceAccountName ?? 'default');
  const token = cp.kubectl(['create', 'token', serviceAccount, '-n', namespace, '--duration=3600s']);
  if (token.status !== 0) throw new Error(`TokenRequest for ${namespace}/${serviceAccount}: ${token.stderr}`);
  const kubeconfig = join(work, 'kubeconfig.json');
  writeFileSync(
    kubeconfig,
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Config',
      'current-context': 'sa',
      clusters: [{ name: 'edge-test', cluster: { server: cp.server, 'certificate-authority': cp.pki.caCert } }],
      users: [{ name: 'sa', user: { token: token.stdout.trim() } }],
      contexts: [{ name: 'sa', context: { cluster: 'edge-test', user: 'sa', namespace } }],
    }),
  );

  const container = template.spec.containers[0];
  const env: Record<string, string> = {};
  for (const e of container.env ?? []) {
    if (e.name in DROPPED_ENV) continue;
    const field = e.valueFrom?.fieldRef?.fieldPath;
    env[e.name] =
      field === 'metadata.name' ? CONTROLLER_POD : field === 'metadata.namespace' ? namespace : (e.value ?? '');
    if (field && !['metadata.name', 'metadata.namespace'].includes(field))
      throw new Error(`env ${e.name}: fieldRef ${field} not supported`);
  }
  const expand = (a: string): string => a.replace(/\$\(([A-Z_][A-Z0-9_]*)\)/g, (m, n: string) => env[n] ?? m);
  const args = [...container.args.slice(1).map(expand), `--kubeconfig=${kubeconfig}`];

  // The image's /etc/nginx (the controller writes nginx.conf and lua/cfg.json into it: a copy).
  const etcNginx = join(work, 'etc-nginx');
  cpSync(artifacts.etcNginx, etcNginx, { recursive: true });
  const volumes = materializeVolumes(cp, namespace, template.spec, container, join(work, 'volumes'));
  const shimDir = join(work, 'nginx-calls');
  mkdirSync(shimDir, { recursive: true });
  mkdirSync(join(work, 'upper'), { recursive: true });
  if (!existsSync('/tmp/nginx')) mkdirSync('/tmp/nginx', { recursive: true }); // mount point only; a tmpfs is mounted on it
  const shim = resolve(__dirname, 'nginx-shim.cjs');
  const script = mountScript(join(work, 'upper'), etcNginx, volumes, [artifacts.binary, ...args]);
  writeFileSync(join(work, 'start.sh'), script);
  const proc = cp.start(
    'ingress-nginx-controller',
    'unshare',
    ['--mount', '--propagation', 'private', 'sh', '-c', script],
    // The container's environment, not the test runner's (its TMPDIR would move the controller's temp files:
    // testTemplate writes into os.TempDir()/nginx, nginx.go 648); PATH finds node for the shim.
    { PATH: process.env.PATH, ...env, NGINX_BINARY: shim, EDGE_NGINX_SHIM_DIR: shimDir },
  );

  let logBeforeStop: string;
  const hosts = all
    .filter((o) => o.kind === 'Ingress')
    .flatMap((o) => ((o.spec as { rules?: { host?: string }[] }).rules ?? []).map((r) => r.host ?? ''));
  try {
    await waitFor(proc, options.timeoutMs ?? 180000, () => {
      const conf = lastReload(shimDir);
      const log = readFileSync(proc.log, 'utf8');
      if (options.untilLog) return options.untilLog.test(log);
      const servers = conf === '' ? [] : (configFacts(conf).get('servers') ?? '').split(' ');
      return (
        hosts.every((h) => servers.includes(h)) &&
        servers.length > 0 &&
        /successfully acquired lease/i.test(log) &&
        existsSync(join(shimDir, 'dynamic-servers.json'))
      );
    });
  } finally {
    logBeforeStop = readFileSync(proc.log, 'utf8');
    await stopProcess(proc, 15000);
  }
  const rawLog = readFileSync(proc.log, 'utf8');
  const dynamic: Record<string, string> = {};
  for (const f of readdirSync(shimDir).filter((n) => n.startsWith('dynamic-')))
    dynamic[f] = readFileSync(join(shimDir, f), 'utf8');
  appendFileSync(join(work, 'applied.yaml'), stringify(applied));
  return {
    applied,
    args,
    calls: readCalls(shimDir),
    nginxConf: lastReload(shimDir),
    dynamic,
    log: parseKlog(logBeforeStop),
    rawLog,
  };
}

/** Every object of every dist/ layer (rendered with kubectl kustomize). */
function distObjects(cp: ControlPlane, distRoot: string): KubeObject[] {
  return distLayers(distRoot).flatMap((layer) => renderKustomization(cp, join(distRoot, layer)));
}

/**
 * The EndpointSlices kube-controller-manager's endpointslice controller would write once the selected Pods are ready
 * (no kubelet runs here): one per Service with a selector, one ready endpoint per replica of the Deployment whose Pod
 * labels match, with the Service ports resolved to the container ports (named targetPorts by name).
 */
export function endpointSlices(objects: readonly KubeObject[]): KubeObject[] {
  type Port = { name?: string; port: number; protocol?: string; targetPort?: number | string };
  type Tpl = {
    metadata: { labels?: Record<string, string> };
    spec: { containers: { ports?: { name?: string; containerPort: number }[] }[] };
  };
  const out: KubeObject[] = [];
  for (const svc of objects.filter((o) => o.kind === 'Service')) {
    const spec = svc.spec as { selector?: Record<string, string>; ports?: Port[] };
    if (!spec.selector) continue;
    const dep = objects.find(
      (o) =>
        o.kind === 'Deployment' &&
        o.metadata.namespace === svc.metadata.namespace &&
        Object.entries(spec.selector ?? {}).every(
          ([k, v]) => ((o.spec as { template: Tpl }).template.metadata.labels ?? {})[k] === v,
        ),
    );
    if (!dep) continue;
    const tpl = dep.spec as { template: Tpl; replicas?: number };
    const containerPorts = tpl.template.spec.containers.flatMap((c) => c.ports ?? []);
    const ports = (spec.ports ?? []).map((p) => ({
      name: p.name ?? '',
      protocol: p.protocol ?? 'TCP',
      port:
        typeof p.targetPort === 'string'
          ? (containerPorts.find((c) => c.name === p.targetPort)?.containerPort ?? p.port)
          : (p.targetPort ?? p.port),
    }));
    const replicas = tpl.replicas ?? 1;
    out.push({
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      addressType: 'IPv4',
      ports,
      metadata: {
        name: `${svc.metadata.name}-edge`,
        namespace: svc.metadata.namespace,
        labels: {
          'kubernetes.io/service-name': svc.metadata.name,
          'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io',
        },
      },
      endpoints: Array.from({ length: replicas }, (_, i) => ({
        addresses: [`10.244.0.${10 + i}`],
        conditions: { ready: true, serving: true, terminating: false },
      })),
    });
  }
  return out;
}

function readCalls(dir: string): NginxCall[] {
  const f = join(dir, 'calls.jsonl');
  return existsSync(f)
    ? readFileSync(f, 'utf8')
        .trim()
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as NginxCall)
    : [];
}

function lastReload(dir: string): string {
  const reloads = readCalls(dir).filter((c) => c.call === 'reload' && c.copy);
  return reloads.length ? readFileSync(reloads[reloads.length - 1].copy as string, 'utf8') : '';
}

async function waitFor(proc: ManagedProcess, timeoutMs: number, done: () => boolean): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (done()) return;
    if (proc.child.exitCode !== null)
      throw new Error(`the controller exited (${proc.child.exitCode}):\n${tail(proc, 40)}`);
    if (Date.now() > deadline) throw new Error(`the controller did not render every host in time:\n${tail(proc, 40)}`);
    await new Promise((res) => setTimeout(res, 500));
  }
}
