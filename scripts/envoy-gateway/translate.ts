import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { layerObjectsOf } from '../../test/support/rendered';
import { TestPki } from './pki';

/** A Kubernetes object as JSON. */
export type Obj = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; [k: string]: unknown };
  [k: string]: unknown;
};

/** The objects of some layer folders of a rendered dist (kustomization.yaml files excluded). */
export function layerObjects(distRoot: string, layers: readonly string[]): Obj[] {
  return layerObjectsOf(distRoot, layers) as unknown as Obj[];
}

/**
 * What the cluster adds before Envoy Gateway sees the objects, made at test time:
 * - the Secrets cert-manager and trust-manager write: each listener's server certificate (self-signed here; Let's
 *   Encrypt in a cluster) and the CA-only Secret with the test CA;
 * - the ClusterIP the API server assigns to a Service (Envoy Gateway routes to it when there are no EndpointSlices);
 * - the HTTPRoute cert-manager's `gatewayHTTPRoute` solver creates for a pending challenge (cert-manager
 *   pkg/issuer/acme/http/httproute.go v1.21.1 `generateHTTPRouteSpec`, lines 145-185: an `Exact` match on `/.well-known/acme-challenge/<token>` to the solver
 *   Service, parentRefs from the ClusterIssuer) and that solver Service.
 */
export function clusterAdditions(
  objects: readonly Obj[],
  pki: TestPki,
  acme?: { readonly host: string; readonly token: string },
): Obj[] {
  const gateways = objects.filter((o) => o.kind === 'Gateway');
  const out: Obj[] = [];
  for (const gw of gateways) {
    const ns = gw.metadata.namespace!;
    for (const l of (gw.spec as { listeners: { hostname?: string; tls?: { certificateRefs: { name: string }[] } }[] })
      .listeners) {
      if (!l.tls || !l.hostname) continue;
      const cert = pki.server(l.hostname);
      out.push({
        apiVersion: 'v1',
        kind: 'Secret',
        type: 'kubernetes.io/tls',
        metadata: { name: l.tls.certificateRefs[0].name, namespace: ns },
        data: { 'tls.crt': b64(cert.certPem), 'tls.key': b64(cert.keyPem) },
      });
    }
  }
  for (const ctp of objects.filter((o) => o.kind === 'ClientTrafficPolicy')) {
    const refs =
      (ctp.spec as { tls?: { clientValidation?: { caCertificateRefs: { name: string }[] } } }).tls?.clientValidation
        ?.caCertificateRefs ?? [];
    for (const ref of refs)
      out.push({
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: ref.name, namespace: ctp.metadata.namespace },
        data: { 'ca.crt': b64(pki.ca.certPem) },
      });
  }
  if (acme) {
    const issuer = objects.find((o) => o.kind === 'ClusterIssuer');
    const parentRefs = (
      issuer?.spec as { acme: { solvers: { http01: { gatewayHTTPRoute: { parentRefs: unknown[] } } }[] } }
    ).acme.solvers[0].http01.gatewayHTTPRoute.parentRefs;
    const ns = (parentRefs[0] as { namespace: string }).namespace;
    out.push({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'cm-acme-http-solver-test', namespace: ns },
      spec: {
        clusterIP: '10.96.0.99',
        ports: [{ port: 8089, targetPort: 8089 }],
        selector: { 'acme.cert-manager.io/http01-solver': 'true' },
      },
    });
    out.push({
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'HTTPRoute',
      metadata: { name: 'cm-acme-http-solver-test', namespace: ns },
      spec: {
        parentRefs,
        hostnames: [acme.host],
        rules: [
          {
            matches: [{ path: { type: 'Exact', value: `/.well-known/acme-challenge/${acme.token}` } }],
            backendRefs: [{ name: 'cm-acme-http-solver-test', port: 8089 }],
          },
        ],
      },
    });
  }
  return out;
}

/** Gives Services the ClusterIP the API server would assign. */
export function withClusterIps(objects: readonly Obj[]): Obj[] {
  let n = 10;
  return objects.map((o) =>
    o.kind === 'Service' && !(o.spec as { clusterIP?: string }).clusterIP
      ? { ...o, spec: { ...(o.spec as object), clusterIP: `10.96.0.${n++}` } }
      : o,
  );
}

/** The result of `egctl experimental translate --from gateway-api --to gateway-api,xds`. */
export interface Translation {
  /** Exit status of egctl. */
  readonly status: number | null;
  /** egctl's stderr. */
  readonly stderr: string;
  /** Parsed JSON output (objects with status, and `xds`), when egctl succeeded. */
  readonly output?: Record<string, unknown> & { xds: Record<string, { configs: Record<string, unknown>[] }> };
}

/** Runs Envoy Gateway v1.9.0's own translator on the objects (offline, no cluster). */
export function translate(egctl: string, objects: readonly Obj[]): Translation {
  const dir = mkdtempSync(join(tmpdir(), 'egctl-'));
  try {
    const file = join(dir, 'in.yaml');
    writeFileSync(file, objects.map((o) => JSON.stringify(o)).join('\n---\n'));
    const r = spawnSync(
      egctl,
      [
        'experimental',
        'translate',
        '--from',
        'gateway-api',
        '--to',
        'gateway-api,xds',
        '--type',
        'all',
        '--output',
        'json',
        '--file',
        file,
        '--namespace',
        'envoy-gateway-system',
      ],
      { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 },
    );
    return { status: r.status, stderr: r.stderr, output: r.status === 0 ? JSON.parse(r.stdout) : undefined };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Every value in a JSON tree for which `pick` returns true (depth first). */
export function findAll(tree: unknown, pick: (node: Record<string, unknown>) => boolean): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  const walk = (x: unknown): void => {
    if (Array.isArray(x)) x.forEach(walk);
    else if (x && typeof x === 'object') {
      if (pick(x as Record<string, unknown>)) out.push(x as Record<string, unknown>);
      Object.values(x).forEach(walk);
    }
  };
  walk(tree);
  return out;
}

/** Runs `egctl experimental translate --from gateway-api --to ir` (Envoy Gateway's intermediate representation). */
export function translateToIr(egctl: string, objects: readonly Obj[]): Record<string, unknown> {
  const dir = mkdtempSync(join(tmpdir(), 'egctl-ir-'));
  try {
    const file = join(dir, 'in.yaml');
    writeFileSync(file, objects.map((o) => JSON.stringify(o)).join('\n---\n'));
    const r = spawnSync(
      egctl,
      ['experimental', 'translate', '--from', 'gateway-api', '--to', 'ir', '--output', 'json', '--file', file],
      { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 },
    );
    if (r.status !== 0) throw new Error(`egctl translate --to ir: ${r.stderr}`);
    return JSON.parse(r.stdout) as Record<string, unknown>;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function b64(text: string): string {
  return Buffer.from(text).toString('base64');
}
