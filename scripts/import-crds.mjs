// Regenerates imports/ from the upstream CRDs in ../shared/crds (or $CRDS_DIR) with `cdk8s import`.
// One TypeScript module per API group; the output is committed.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const crdsDir = resolve(process.env.CRDS_DIR ?? '../shared/crds');
if (!existsSync(crdsDir)) {
  console.error(
    `import: CRD folder ${crdsDir} not found; set CRDS_DIR to a folder holding the upstream CRD YAML files.`,
  );
  process.exit(1);
}
const groups = {
  'cert-manager.io': [
    'cert-manager.io_certificates.yaml',
    'cert-manager.io_issuers.yaml',
    'cert-manager.io_clusterissuers.yaml',
  ],
  'monitoring.coreos.com': [
    'monitoring.coreos.com_servicemonitors.yaml',
    'monitoring.coreos.com_podmonitors.yaml',
    'monitoring.coreos.com_prometheusrules.yaml',
    'monitoring.coreos.com_alertmanagerconfigs.yaml',
  ],
  'argoproj.io': ['argoproj.io_applications.yaml'],
  'source.toolkit.fluxcd.io': ['source.toolkit.fluxcd.io_gitrepositories.yaml'],
  'kustomize.toolkit.fluxcd.io': ['kustomize.toolkit.fluxcd.io_kustomizations.yaml'],
};
const work = mkdtempSync(join(tmpdir(), 'crd-import-'));
try {
  for (const [group, files] of Object.entries(groups)) {
    const combined = join(work, `${group}.yaml`);
    writeFileSync(
      combined,
      files.map((f) => readFileSync(join(crdsDir, f), 'utf8').replace(/^---\s*\n/, '')).join('\n---\n'),
    );
    execFileSync('npx', ['cdk8s', 'import', '--language', 'typescript', '--output', 'imports', combined], {
      stdio: 'inherit',
    });
    console.log(`import: ${group} <- ${files.join(', ')}`);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
