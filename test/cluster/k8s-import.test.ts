/**
 * imports/k8s.ts (the typed Kubernetes objects the library builds from) and imports/k8s.definitions.json (the schema
 * dist/ is checked against) are what `npm run import:k8s` makes of the /openapi/v2 document of the real
 * kube-apiserver v1.36.3 the cluster tests run. Regenerated here from a server started now; a difference means the
 * committed files were edited by hand or come from another server build.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openApiFromServer, renderK8sModule, renderValidationSchema } from '../../scripts/import-k8s';
import { REPO_ROOT } from '../../scripts/cluster/paths';

let served: { document: string; version: string };

beforeAll(async () => {
  served = await openApiFromServer();
}, 300_000);

describe('imports/k8s.* come from the real API server', () => {
  test('the server is v1.36.3, the version the files name', () => {
    expect(served.version).toBe('v1.36.3');
    expect(readFileSync(join(REPO_ROOT, 'imports', 'k8s.ts'), 'utf8').split('\n')[0]).toContain(
      'kube-apiserver v1.36.3',
    );
  });

  test('imports/k8s.ts is what cdk8s-cli generates from the served document (run `npm run import:k8s`)', async () => {
    const fresh = await renderK8sModule(served.document, served.version);
    expect(fresh === readFileSync(join(REPO_ROOT, 'imports', 'k8s.ts'), 'utf8')).toBe(true);
  }, 120_000);

  test('imports/k8s.definitions.json is the served definitions (run `npm run import:k8s`)', () => {
    expect(renderValidationSchema(served.document, served.version)).toBe(
      readFileSync(join(REPO_ROOT, 'imports', 'k8s.definitions.json'), 'utf8'),
    );
  });
});
