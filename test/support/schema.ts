/**
 * Schema validation of synthesized objects: core kinds against the Kubernetes 1.34 API schemas of the
 * `kubernetes-models` package, custom resources against the `@kubernetes-models/*` CRD packages
 * (cert-manager incl. trust-manager, prometheus-operator, Argo CD, Flux). A kind without a schema fails.
 */
interface Model {
  validate(): void;
}
type ModelClass = new (data: unknown) => Model;

const CORE_PACKAGE = 'kubernetes-models';
const CRD_PACKAGES: Record<string, string> = {
  'cert-manager.io': '@kubernetes-models/cert-manager',
  'trust.cert-manager.io': '@kubernetes-models/cert-manager',
  'monitoring.coreos.com': '@kubernetes-models/prometheus-operator',
  'argoproj.io': '@kubernetes-models/argo-cd',
  'source.toolkit.fluxcd.io': '@kubernetes-models/flux-cd',
  'kustomize.toolkit.fluxcd.io': '@kubernetes-models/flux-cd',
  'helm.toolkit.fluxcd.io': '@kubernetes-models/flux-cd',
};

function modelFor(apiVersion: string, kind: string): ModelClass {
  const group = apiVersion.includes('/') ? apiVersion.split('/')[0] : '';
  const pkg = CRD_PACKAGES[group] ?? (group.includes('.') && !group.endsWith('.k8s.io') ? undefined : CORE_PACKAGE);
  if (!pkg) throw new Error(`no schema known for ${apiVersion} ${kind}: add its @kubernetes-models package to test/support/schema.ts`);
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
  const Model = modelFor(manifest.apiVersion, manifest.kind);
  try {
    new Model(manifest).validate();
  } catch (err) {
    throw new Error(`${manifest.apiVersion} ${manifest.kind} "${manifest.metadata?.name}" does not match its schema: ${(err as Error).message}`, { cause: err });
  }
}
