/** GitOps delivery of dist/: Argo CD Applications and Flux Kustomizations/HelmReleases, in layer order. */
export * from './source';
export * from './layers';
export * from './prerequisites';
export * from './argocd';
export * from './flux';
export * from './diff';
