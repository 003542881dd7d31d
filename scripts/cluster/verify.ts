import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { ControlPlane } from './control-plane';
import { resolveCrds } from './crds';

/** A Kubernetes object as parsed from YAML. */
export interface KubeObject {
  /** apiVersion. */
  readonly apiVersion: string;
  /** kind. */
  readonly kind: string;
  /** metadata (name, namespace). */
  readonly metadata: { readonly name: string; readonly namespace?: string; readonly [k: string]: unknown };
  /** Everything else. */
  readonly [k: string]: unknown;
}

/** The outcome of applying one object. */
export interface ApplyResult {
  /** `<kind>/<name>` or `<namespace>/<kind>/<name>`. */
  readonly object: string;
  /** True when the server accepted it without a warning. */
  readonly accepted: boolean;
  /** The server's message (errors and `Warning:` lines), empty when accepted. */
  readonly message: string;
  /**
   * Not applied because its CRD cannot be had here (only without ../shared: crds.ts says which); counted apart,
   * neither applied nor rejected, and reported loudly.
   * @default false
   */
  readonly notChecked?: boolean;
}

/** The outcome of one layer. */
export interface LayerResult {
  /** Layer name (`crds`, `prerequisites`, a dist/ folder, `delivery/argocd`, `delivery/flux`). */
  readonly layer: string;
  /** One result per object, in apply order. */
  readonly results: readonly ApplyResult[];
}

/**
 * Namespaces that the tools which apply dist/delivery create when they are installed (the Argo CD and Flux
 * install manifests), so they exist before the delivery manifests in a real cluster.
 */
export const INSTALLER_NAMESPACES: Readonly<Record<string, string>> = {
  argocd: 'created by the Argo CD install (argocd/Application objects live there)',
  'flux-system': 'created by `flux install` / `flux bootstrap`',
};

function objectId(o: KubeObject): string {
  return [o.metadata.namespace, o.kind, o.metadata.name].filter(Boolean).join('/');
}

/**
 * Applies one object as Argo CD and Flux do: `kubectl apply --server-side --validate=strict`. A `Warning:` line
 * (a deprecated API, an unknown field the server dropped) counts as a rejection.
 */
export function applyObject(cp: ControlPlane, object: KubeObject, fieldManager = 'edge-verify'): ApplyResult {
  // JSON, not YAML: the yaml package writes strings like `on` plain, which kubectl's YAML 1.1 reader turns into booleans.
  const r = cp.kubectl(['apply', '--server-side', '--validate=strict', `--field-manager=${fieldManager}`, '-f', '-'], {
    input: JSON.stringify(object),
  });
  const warnings = r.stderr.split('\n').filter((l) => /^warning:/i.test(l.trim()));
  const accepted = r.status === 0 && warnings.length === 0;
  return { object: objectId(object), accepted, message: accepted ? '' : r.stderr.trim().replace(/\s*\n\s*/g, ' | ') };
}

/** The objects of a kustomization folder, rendered with `kubectl kustomize` (what Argo CD and Flux apply). */
export function renderKustomization(cp: ControlPlane, dir: string): KubeObject[] {
  const r = cp.kubectl(['kustomize', dir]);
  if (r.status !== 0) throw new Error(`kubectl kustomize ${dir}: ${r.stderr}`);
  return parseAllDocuments(r.stdout)
    .map((d) => d.toJSON() as KubeObject)
    .filter((o) => o && o.kind);
}

/** The layer folders of dist/ in the documented apply order (dist/kustomization.yaml `resources`). */
export function distLayers(distRoot: string): string[] {
  return (parse(readFileSync(join(distRoot, 'kustomization.yaml'), 'utf8')) as { resources: string[] }).resources;
}

/** Installs the CRDs (see crds.ts) and waits until they are established. */
export function installCrds(cp: ControlPlane): LayerResult {
  const results: ApplyResult[] = [];
  for (const crd of resolveCrds()) {
    if (!crd.yaml) {
      results.push({ object: crd.file, accepted: false, notChecked: true, message: crd.origin });
      continue;
    }
    for (const doc of parseAllDocuments(crd.yaml)) results.push(applyObject(cp, doc.toJSON() as KubeObject));
  }
  const wait = cp.kubectl(['wait', '--for=condition=Established', 'crd', '--all', '--timeout=60s']);
  if (wait.status !== 0) results.push({ object: 'crds established', accepted: false, message: wait.stderr.trim() });
  return { layer: 'crds', results };
}

/**
 * The whole check: CRDs, the installers' namespaces, every layer of dist/ in order, then dist/delivery/argocd and
 * dist/delivery/flux.
 */
export function verifyDist(cp: ControlPlane, distRoot: string): LayerResult[] {
  const layers: LayerResult[] = [installCrds(cp)];
  layers.push({
    layer: 'prerequisites',
    results: Object.keys(INSTALLER_NAMESPACES).map((name) =>
      applyObject(cp, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } }),
    ),
  });
  // API groups whose CRDs could not be had (crds.ts: only without ../shared): their objects are not checked.
  const missingGroups = new Set(
    resolveCrds()
      .filter((c) => !c.yaml)
      .map((c) => c.file.split('_')[0]),
  );
  for (const layer of [...distLayers(distRoot), 'delivery/argocd', 'delivery/flux']) {
    layers.push({
      layer,
      results: renderKustomization(cp, join(distRoot, layer)).map((o) =>
        missingGroups.has(o.apiVersion.split('/')[0])
          ? {
              object: objectId(o),
              accepted: false,
              notChecked: true,
              message: `no CRD for ${o.apiVersion} here (needs ../shared/crds)`,
            }
          : applyObject(cp, o),
      ),
    });
  }
  return layers;
}

/** Totals over layers. */
export function totals(layers: readonly LayerResult[]): { applied: number; rejected: number; notChecked: number } {
  const all = layers.flatMap((l) => l.results);
  return {
    applied: all.filter((r) => r.accepted).length,
    rejected: all.filter((r) => !r.accepted && !r.notChecked).length,
    notChecked: all.filter((r) => r.notChecked).length,
  };
}

/** The report: one row per layer, then one line per rejected object, then `cluster: N applied, M rejected`. */
export function formatReport(layers: readonly LayerResult[]): string {
  const rows = layers.map((l) => [
    l.layer,
    String(l.results.length),
    String(l.results.filter((r) => r.accepted).length),
    String(l.results.filter((r) => !r.accepted && !r.notChecked).length),
  ]);
  const head = ['layer', 'objects', 'accepted', 'rejected'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i])).join('  ');
  const out = [line(head), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)];
  const rejected = layers.flatMap((l) =>
    l.results.filter((r) => !r.accepted && !r.notChecked).map((r) => `  ${l.layer}: ${r.object}: ${r.message}`),
  );
  if (rejected.length) out.push('', 'rejected:', ...rejected);
  const notChecked = layers.flatMap((l) =>
    l.results.filter((r) => r.notChecked).map((r) => `  ${l.layer}: ${r.object}: ${r.message}`),
  );
  if (notChecked.length) out.push('', '!!! NOT CHECKED (their CRDs need ../shared/crds):', ...notChecked);
  const t = totals(layers);
  out.push(
    '',
    `cluster: ${t.applied} applied, ${t.rejected} rejected${t.notChecked ? `, ${t.notChecked} NOT CHECKED` : ''}`,
  );
  return out.join('\n');
}
