import { Quantity, ResourceRequirements } from '../core/kube';
import { invalid } from '../core/validation';

/**
 * The memory sizing rule of the controller, from the engine harness (test/engine: Debian nginx + libmodsecurity
 * 3.0.9 + CRS 4.22, N mTLS servers, issue 18): nginx took 97 MiB at 1 host, 134 MiB at 100 and 441 MiB at 1 000,
 * i.e. about 0.34 MiB per mTLS host (one SSL context with its client CA per server), on top of CRS. A reload runs the
 * old workers (until their connections drain) beside the new ones, so the limit covers nginx twice. The headroom is
 * not measured here: it stands for the controller's Go process and Lua shared dictionaries, which the engine harness
 * does not run.
 *
 *   nginx(hosts)   = baseMiB + perHostMiB × hosts
 *   request        = max(minRequestMiB, nginx(hosts) rounded up to 64 MiB)
 *   limit          = max(minLimitMiB, reloadFactor × nginx(hosts) + headroomMiB, rounded up to 256 MiB)
 *
 * At 1 host: request 256Mi, limit 1Gi (the previous defaults); the limit first grows at 812 hosts (1280Mi); 2 500 hosts
 * get
 * request 1024Mi, limit 2304Mi.
 */
export const CONTROLLER_MEMORY_SIZING = {
  /** nginx with ModSecurity and CRS loaded and one host (measured 97 MiB, rounded up). */
  baseMiB: 100,
  /** Growth per mTLS host (measured 0.344 MiB between 1 and 1 000 hosts, rounded up). */
  perHostMiB: 0.35,
  /** Old and new nginx workers side by side during a reload. */
  reloadFactor: 2,
  /** Controller Go process and Lua shared dictionaries (not measured here; an allowance). */
  headroomMiB: 256,
  /** Smallest request (the default before sizing). */
  minRequestMiB: 256,
  /** Smallest limit (the default before sizing). */
  minLimitMiB: 1024,
} as const;

const S = CONTROLLER_MEMORY_SIZING;

function roundUp(value: number, step: number): number {
  return Math.ceil(value / step) * step;
}

/** Memory request and limit (MiB) the sizing rule gives for `hosts` served hosts. */
export function controllerMemoryMiB(hosts: number): { readonly requestMiB: number; readonly limitMiB: number } {
  const nginx = S.baseMiB + S.perHostMiB * hosts;
  return {
    requestMiB: Math.max(S.minRequestMiB, roundUp(nginx, 64)),
    limitMiB: Math.max(S.minLimitMiB, roundUp(S.reloadFactor * nginx + S.headroomMiB, 256)),
  };
}

/** Default controller resources for `hosts` served hosts: CPU request 100m, memory by the sizing rule, no CPU limit. */
export function controllerResourcesFor(hosts: number): ResourceRequirements {
  const { requestMiB, limitMiB } = controllerMemoryMiB(hosts);
  return {
    requests: { cpu: Quantity.fromString('100m'), memory: Quantity.fromString(`${requestMiB}Mi`) },
    limits: { memory: Quantity.fromString(limitMiB % 1024 === 0 ? `${limitMiB / 1024}Gi` : `${limitMiB}Mi`) },
  };
}

const SUFFIX: Record<string, number> = {
  '': 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
};

/**
 * Bytes of a Kubernetes memory quantity such as `1Gi`, `512Mi`, `2G` or `1073741824`; undefined when not one of those
 * forms.
 */
export function memoryBytes(value: string | number): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value : undefined;
  const m = /^([0-9]+(?:\.[0-9]+)?)(k|M|G|T|Ki|Mi|Gi|Ti)?$/.exec(value);
  return m ? Number(m[1]) * SUFFIX[m[2] ?? ''] : undefined;
}

/**
 * Fails when a memory limit the user set is below what the sizing rule needs for `hosts` (the pods would be
 * OOM-killed, first during reloads). No limit at all passes: nothing then kills the pod before the node does.
 */
export function checkControllerMemoryLimit(field: string, resources: ResourceRequirements, hosts: number): void {
  const limit = resources.limits?.memory;
  if (limit === undefined) return;
  const raw = limit.value as string | number;
  const bytes = memoryBytes(raw);
  if (bytes === undefined)
    invalid(
      `${field}.limits.memory`,
      raw,
      'is not a memory quantity this library can compare',
      'write it as a number with an optional suffix Ki, Mi, Gi, Ti, k, M, G or T, e.g. "2Gi"',
    );
  const { limitMiB } = controllerMemoryMiB(hosts);
  if (bytes < limitMiB * 2 ** 20) {
    invalid(
      `${field}.limits.memory`,
      raw,
      `is below the ${limitMiB}Mi the controller needs for ${hosts} hosts (2 × (${S.baseMiB} MiB + ${S.perHostMiB} MiB per host) + ${S.headroomMiB} MiB: old and new nginx workers run side by side during a reload)`,
      `set at least "${limitMiB}Mi", or leave resources out to get the sized default (docs/controller-sizing.md)`,
    );
  }
}
