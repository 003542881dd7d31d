/**
 * A checker for the Kubernetes Pod Security Standards, "restricted" profile (which includes "baseline"), as of
 * Kubernetes v1.34 (https://kubernetes.io/docs/concepts/security/pod-security-standards/), plus the product's own
 * hardening rules on top (read-only root filesystem, no service-account token, resources set). It reads workload
 * manifests (Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob, Pod) as they are written to dist/.
 */

/** A violation: which rule, which container (or the pod), what was found. */
export interface Violation {
  readonly rule: string;
  readonly where: string;
  readonly found: string;
}

/** An exception to a rule for one workload, with the reason it is needed (documented in the test that uses it). */
export interface PodSecurityException {
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
  readonly rule: string;
  readonly reason: string;
}

/* eslint-disable @typescript-eslint/no-explicit-any */
type Obj = Record<string, any>;

const WORKLOAD_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'CronJob', 'Pod'];

/** Restricted: the only volume types allowed. */
const ALLOWED_VOLUME_TYPES = new Set([
  'configMap',
  'csi',
  'downwardAPI',
  'emptyDir',
  'ephemeral',
  'persistentVolumeClaim',
  'projected',
  'secret',
]);
/** Baseline: sysctls allowed in the safe set. */
const SAFE_SYSCTLS = new Set([
  'kernel.shm_rmid_forced',
  'net.ipv4.ip_local_port_range',
  'net.ipv4.ip_unprivileged_port_start',
  'net.ipv4.tcp_syncookies',
  'net.ipv4.ping_group_range',
  'net.ipv4.ip_local_reserved_ports',
  'net.ipv4.tcp_keepalive_time',
  'net.ipv4.tcp_fin_timeout',
  'net.ipv4.tcp_keepalive_intvl',
  'net.ipv4.tcp_keepalive_probes',
]);
/** Baseline: capabilities that may be added (restricted narrows adds to NET_BIND_SERVICE). */
const RESTRICTED_ADDABLE = new Set(['NET_BIND_SERVICE']);

/** True for kinds that carry a pod template. */
export function isWorkload(manifest: Obj): boolean {
  return WORKLOAD_KINDS.includes(manifest?.kind);
}

/** The pod spec (and pod metadata) of a workload manifest. */
export function podOf(manifest: Obj): { spec: Obj; metadata: Obj } {
  switch (manifest.kind) {
    case 'Pod':
      return { spec: manifest.spec ?? {}, metadata: manifest.metadata ?? {} };
    case 'CronJob':
      return {
        spec: manifest.spec?.jobTemplate?.spec?.template?.spec ?? {},
        metadata: manifest.spec?.jobTemplate?.spec?.template?.metadata ?? {},
      };
    default:
      return { spec: manifest.spec?.template?.spec ?? {}, metadata: manifest.spec?.template?.metadata ?? {} };
  }
}

function containersOf(spec: Obj): { kind: string; c: Obj }[] {
  return [
    ...(spec.initContainers ?? []).map((c: Obj) => ({ kind: 'initContainer', c })),
    ...(spec.containers ?? []).map((c: Obj) => ({ kind: 'container', c })),
    ...(spec.ephemeralContainers ?? []).map((c: Obj) => ({ kind: 'ephemeralContainer', c })),
  ];
}

/** Violations of the Pod Security Standards "restricted" profile (baseline included). */
export function restrictedViolations(manifest: Obj): Violation[] {
  const out: Violation[] = [];
  const { spec, metadata } = podOf(manifest);
  const add = (rule: string, where: string, found: unknown): void => {
    out.push({ rule, where, found: JSON.stringify(found) });
  };
  const psc: Obj = spec.securityContext ?? {};

  // Baseline
  for (const f of ['hostNetwork', 'hostPID', 'hostIPC'])
    if (spec[f] === true) add('host-namespaces', 'pod', { [f]: true });
  if (psc.windowsOptions?.hostProcess === true) add('host-process', 'pod', psc.windowsOptions);
  for (const v of spec.volumes ?? []) {
    const types = Object.keys(v).filter((k) => k !== 'name');
    if (types.includes('hostPath')) add('host-path-volumes', `volume ${v.name}`, v.hostPath);
    for (const t of types) if (!ALLOWED_VOLUME_TYPES.has(t)) add('volume-types', `volume ${v.name}`, t);
  }
  for (const s of psc.sysctls ?? []) if (!SAFE_SYSCTLS.has(s.name)) add('sysctls', 'pod', s.name);
  checkSeLinux(psc.seLinuxOptions, 'pod', add);
  checkAppArmor(psc.appArmorProfile, 'pod', add);
  for (const [key, value] of Object.entries(metadata.annotations ?? {})) {
    if (
      key.startsWith('container.apparmor.security.beta.kubernetes.io/') &&
      !(value === 'runtime/default' || String(value).startsWith('localhost/'))
    )
      add('apparmor', 'pod', { [key]: value });
  }

  // Restricted, pod level
  const podRunAsNonRoot = psc.runAsNonRoot === true;
  if (psc.runAsNonRoot === false) add('run-as-non-root', 'pod', { runAsNonRoot: false });
  if (psc.runAsUser === 0) add('run-as-user', 'pod', { runAsUser: 0 });
  const podSeccomp = psc.seccompProfile?.type;
  if (podSeccomp !== undefined && !['RuntimeDefault', 'Localhost'].includes(podSeccomp))
    add('seccomp', 'pod', psc.seccompProfile);

  for (const { kind, c } of containersOf(spec)) {
    const where = `${kind} ${c.name}`;
    const sc: Obj = c.securityContext ?? {};
    if (sc.windowsOptions?.hostProcess === true) add('host-process', where, sc.windowsOptions);
    if (sc.privileged === true) add('privileged', where, { privileged: true });
    for (const p of c.ports ?? [])
      if (p.hostPort !== undefined && p.hostPort !== 0) add('host-ports', where, p.hostPort);
    checkSeLinux(sc.seLinuxOptions, where, add);
    checkAppArmor(sc.appArmorProfile, where, add);
    if (sc.procMount !== undefined && sc.procMount !== 'Default') add('proc-mount', where, sc.procMount);
    // Restricted
    if (sc.allowPrivilegeEscalation !== false)
      add('allow-privilege-escalation', where, sc.allowPrivilegeEscalation ?? 'unset');
    if (sc.runAsNonRoot === false || (!podRunAsNonRoot && sc.runAsNonRoot !== true))
      add('run-as-non-root', where, sc.runAsNonRoot ?? 'unset');
    if (sc.runAsUser === 0) add('run-as-user', where, { runAsUser: 0 });
    const seccomp = sc.seccompProfile?.type;
    if (seccomp !== undefined ? !['RuntimeDefault', 'Localhost'].includes(seccomp) : podSeccomp === undefined)
      add('seccomp', where, sc.seccompProfile ?? 'unset');
    const caps: Obj = sc.capabilities ?? {};
    if (!(caps.drop ?? []).includes('ALL')) add('capabilities-drop-all', where, caps.drop ?? 'unset');
    for (const cap of caps.add ?? []) if (!RESTRICTED_ADDABLE.has(cap)) add('capabilities-add', where, cap);
  }
  return out;
}

/**
 * The product's hardening on top of "restricted": read-only root filesystem, no service-account token mounted,
 * CPU/memory requests and a memory limit on every container, images pinned by digest, probes on long-running
 * containers. Adding NET_BIND_SERVICE (allowed by "restricted") is reported as `capability-net-bind-service` so that
 * each use must be an explicit exception.
 */
export function hardeningViolations(manifest: Obj): Violation[] {
  const out: Violation[] = [];
  const { spec } = podOf(manifest);
  const add = (rule: string, where: string, found: unknown): void => {
    out.push({ rule, where, found: JSON.stringify(found) });
  };
  if (spec.automountServiceAccountToken !== false)
    add('service-account-token', 'pod', spec.automountServiceAccountToken ?? 'unset');
  const longRunning = !['Job', 'CronJob'].includes(manifest.kind);
  for (const { kind, c } of containersOf(spec)) {
    const where = `${kind} ${c.name}`;
    const sc: Obj = c.securityContext ?? {};
    if (sc.readOnlyRootFilesystem !== true)
      add('read-only-root-filesystem', where, sc.readOnlyRootFilesystem ?? 'unset');
    if (!/@sha256:[0-9a-f]{64}$/.test(c.image ?? '')) add('image-digest', where, c.image);
    if (!c.resources?.requests?.cpu || !c.resources?.requests?.memory || !c.resources?.limits?.memory)
      add('resources', where, c.resources ?? 'unset');
    if (longRunning && kind === 'container' && (!c.readinessProbe || !c.livenessProbe))
      add('probes', where, { readiness: !!c.readinessProbe, liveness: !!c.livenessProbe });
    for (const cap of sc.capabilities?.add ?? [])
      if (cap === 'NET_BIND_SERVICE') add('capability-net-bind-service', where, cap);
  }
  return out;
}

/** Removes the violations an exception covers; returns what is left and the exceptions that matched nothing. */
export function applyExceptions(
  manifest: Obj,
  violations: Violation[],
  exceptions: readonly PodSecurityException[],
): { left: Violation[]; used: Set<PodSecurityException> } {
  const used = new Set<PodSecurityException>();
  const left = violations.filter((v) => {
    const ex = exceptions.find(
      (e) =>
        e.kind === manifest.kind &&
        e.namespace === (manifest.metadata?.namespace ?? '') &&
        e.name === manifest.metadata?.name &&
        e.rule === v.rule,
    );
    if (ex) used.add(ex);
    return !ex;
  });
  return { left, used };
}

function checkSeLinux(
  opts: Obj | undefined,
  where: string,
  add: (rule: string, where: string, found: unknown) => void,
): void {
  if (!opts) return;
  if (
    opts.type !== undefined &&
    !['', 'container_t', 'container_init_t', 'container_kvm_t', 'container_engine_t'].includes(opts.type)
  )
    add('selinux', where, opts.type);
  if (opts.user) add('selinux', where, { user: opts.user });
  if (opts.role) add('selinux', where, { role: opts.role });
}

function checkAppArmor(
  profile: Obj | undefined,
  where: string,
  add: (rule: string, where: string, found: unknown) => void,
): void {
  if (profile && !['RuntimeDefault', 'Localhost'].includes(profile.type)) add('apparmor', where, profile);
}
