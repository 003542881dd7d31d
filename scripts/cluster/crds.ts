import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { binary, cacheDir, goEnv, REPO_ROOT, sharedDir } from './paths';

/** Where a CRD comes from when ../shared/crds does not have it: a file in a Go module, or generated from Go types. */
export type CrdFallback =
  | { readonly module: string; readonly version: string; readonly path: string }
  | { readonly generate: string; readonly group: string; readonly plural: string }
  | { readonly none: string };

/** One CustomResourceDefinition the manifests in dist/ need. */
export interface CrdSource {
  /** File name in ../shared/crds (`<group>_<plural>.yaml`, controller-gen's naming). */
  readonly file: string;
  /** The component that installs it in a real cluster. */
  readonly owner: string;
  /** Source when ../shared/crds lacks the file (or always, when shared never has it). */
  readonly fallback: CrdFallback;
}

const PROMETHEUS_OPERATOR = {
  module: 'github.com/prometheus-operator/prometheus-operator',
  version: 'v0.93.0',
} as const;
const FLUX_SOURCE = { module: 'github.com/fluxcd/source-controller', version: 'v1.9.5' } as const; // Flux v2.9.5
const FLUX_KUSTOMIZE = { module: 'github.com/fluxcd/kustomize-controller', version: 'v1.9.5' } as const; // Flux v2.9.5

/** The CRDs `verify:cluster` installs before dist/, in this order. */
export const CRD_SOURCES: readonly CrdSource[] = [
  ...['certificates', 'issuers', 'clusterissuers'].map((plural): CrdSource => ({
    file: `cert-manager.io_${plural}.yaml`,
    owner: 'cert-manager v1.21',
    fallback: {
      module: 'github.com/cert-manager/cert-manager',
      version: 'v1.21.1',
      path: `deploy/crds/cert-manager.io_${plural}.yaml`,
    },
  })),
  {
    file: 'trust.cert-manager.io_bundles.yaml',
    owner: 'trust-manager v0.24.0',
    fallback: {
      module: 'github.com/cert-manager/trust-manager',
      version: 'v0.24.0',
      path: 'deploy/crds/trust.cert-manager.io_bundles.yaml',
    },
  },
  ...['servicemonitors', 'podmonitors', 'prometheusrules', 'alertmanagerconfigs'].map((plural): CrdSource => ({
    file: `monitoring.coreos.com_${plural}.yaml`,
    owner: 'prometheus-operator v0.93',
    fallback: { ...PROMETHEUS_OPERATOR, path: `example/prometheus-operator-crd/monitoring.coreos.com_${plural}.yaml` },
  })),
  ...['applications', 'applicationsets'].map((plural): CrdSource => ({
    file: `argoproj.io_${plural}.yaml`,
    owner: 'Argo CD',
    fallback: { none: 'the Argo CD version of ../shared/crds is not recorded in the files; needs ../shared/crds' },
  })),
  {
    file: 'source.toolkit.fluxcd.io_gitrepositories.yaml',
    owner: 'Flux source-controller v1.9',
    fallback: { ...FLUX_SOURCE, path: 'config/crd/bases/source.toolkit.fluxcd.io_gitrepositories.yaml' },
  },
  {
    file: 'source.toolkit.fluxcd.io_helmrepositories.yaml',
    owner: 'Flux source-controller v1.9',
    fallback: { ...FLUX_SOURCE, path: 'config/crd/bases/source.toolkit.fluxcd.io_helmrepositories.yaml' },
  },
  {
    file: 'kustomize.toolkit.fluxcd.io_kustomizations.yaml',
    owner: 'Flux kustomize-controller v1.9',
    fallback: { ...FLUX_KUSTOMIZE, path: 'config/crd/bases/kustomize.toolkit.fluxcd.io_kustomizations.yaml' },
  },
  {
    // helm-controller's root module (config/crd/bases) is refused by the Go module proxy; its api module is served:
    // generated with controller-gen from it (tools/controller-gen/go.mod pins both).
    file: 'helm.toolkit.fluxcd.io_helmreleases.yaml',
    owner: 'Flux helm-controller v1.6.4',
    fallback: {
      generate: 'github.com/fluxcd/helm-controller/api/v2',
      group: 'helm.toolkit.fluxcd.io',
      plural: 'helmreleases',
    },
  },
];

/** A CRD's text and where it was read from. */
export interface ResolvedCrd {
  /** The CRD file name. */
  readonly file: string;
  /** YAML text, or undefined when it cannot be had here. */
  readonly yaml?: string;
  /** Where it came from, or why it is missing. */
  readonly origin: string;
}

function moduleDir(module: string, version: string): string {
  const out = execFileSync('go', ['mod', 'download', '-json', `${module}@${version}`], {
    cwd: REPO_ROOT,
    env: goEnv(),
    encoding: 'utf8',
  });
  return (JSON.parse(out) as { Dir: string }).Dir;
}

function generated(pkg: string, group: string, plural: string): string {
  const out = join(cacheDir(), 'crds', 'controller-gen');
  const file = join(out, `${group}_${plural}.yaml`);
  if (!existsSync(file)) {
    mkdirSync(out, { recursive: true });
    execFileSync(binary('controller-gen'), ['crd', `paths=${pkg}/...`, `output:crd:dir=${out}`], {
      cwd: join(REPO_ROOT, 'tools', 'controller-gen'),
      env: goEnv(),
      stdio: ['ignore', 'ignore', 'pipe'],
    });
  }
  return file;
}

/** Reads every CRD of {@link CRD_SOURCES}: from ../shared/crds when present there, else from its fallback. */
export function resolveCrds(options: { readonly useShared?: boolean } = {}): ResolvedCrd[] {
  const shared = options.useShared === false ? undefined : sharedDir();
  return CRD_SOURCES.map((source): ResolvedCrd => {
    try {
      return resolveOne(source, shared);
    } catch (e) {
      return { file: source.file, origin: `cannot read: ${(e as Error).message.split('\n')[0]}` };
    }
  });
}

function resolveOne(source: CrdSource, shared: string | undefined): ResolvedCrd {
  {
    if (shared && existsSync(join(shared, 'crds', source.file))) {
      return {
        file: source.file,
        yaml: readFileSync(join(shared, 'crds', source.file), 'utf8'),
        origin: `../shared/crds/${source.file}`,
      };
    }
    const f = source.fallback;
    if ('none' in f) return { file: source.file, origin: f.none };
    if ('generate' in f) {
      return {
        file: source.file,
        yaml: readFileSync(generated(f.generate, f.group, f.plural), 'utf8'),
        origin: `controller-gen of ${f.generate}`,
      };
    }
    return {
      file: source.file,
      yaml: readFileSync(join(moduleDir(f.module, f.version), f.path), 'utf8'),
      origin: `${f.module}@${f.version}/${f.path}`,
    };
  }
}
