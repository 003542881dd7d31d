/**
 * Schema validation of synthesized objects: built-in kinds against the schemas of the Kubernetes v1.36.3 API server
 * the cluster tests run (k8s-schema.ts, imports/k8s.definitions.json), custom resources against the
 * `@kubernetes-models/*` CRD packages (cert-manager incl. trust-manager, prometheus-operator, Argo CD, Flux). A kind
 * without a schema fails.
 */
import { validateBuiltIn } from './k8s-schema';

interface Model {
  validate(): void;
}
type ModelClass = new (data: unknown) => Model;

const CRD_PACKAGES: Record<string, string> = {
  'cert-manager.io': '@kubernetes-models/cert-manager',
  'trust.cert-manager.io': '@kubernetes-models/cert-manager',
  'monitoring.coreos.com': '@kubernetes-models/prometheus-operator',
  'argoproj.io': '@kubernetes-models/argo-cd',
  'source.toolkit.fluxcd.io': '@kubernetes-models/flux-cd',
  'kustomize.toolkit.fluxcd.io': '@kubernetes-models/flux-cd',
  'helm.toolkit.fluxcd.io': '@kubernetes-models/flux-cd',
};

/** The core group and the `*.k8s.io` groups: built into the API server. */
function isBuiltIn(apiVersion: string): boolean {
  const group = apiVersion.includes('/') ? apiVersion.split('/')[0] : '';
  return !CRD_PACKAGES[group] && (group === '' || !group.includes('.') || group.endsWith('.k8s.io'));
}

function modelFor(apiVersion: string, kind: string): ModelClass {
  const group = apiVersion.includes('/') ? apiVersion.split('/')[0] : '';
  const pkg = CRD_PACKAGES[group];
  if (!pkg)
    throw new Error(
      `no schema known for ${apiVersion} ${kind}: add its @kubernetes-models package to test/support/schema.ts`,
    );
  let mod: Record<string, ModelClass>;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    mod = require(`${pkg}/${apiVersion}`);
  } catch (err) {
    throw new Error(`no schema for ${apiVersion} in ${pkg}: ${(err as Error).message.split('\n')[0]}`, { cause: err });
  }
  const model = mod[kind];
  if (!model) throw new Error(`no schema for ${apiVersion} ${kind} in ${pkg}`);
  return model;
}

/** Throws with the schema errors when the object does not validate. */
export function validateManifest(manifest: { apiVersion: string; kind: string; metadata?: { name?: string } }): void {
  if (isBuiltIn(manifest.apiVersion)) return validateBuiltIn(manifest);
  const Model = modelFor(manifest.apiVersion, manifest.kind);
  try {
    new Model(manifest).validate();
  } catch (err) {
    throw new Error(
      `${manifest.apiVersion} ${manifest.kind} "${manifest.metadata?.name}" does not match its schema: ${(err as Error).message}`,
      { cause: err },
    );
  }
}
